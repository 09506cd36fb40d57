package api

import (
	"errors"
	"strconv"
	"time"
)

// Timestamp is a model timestamp. Both protocols in use default to epoch
// seconds as a JSON number; it is written with millisecond precision
// (1662526214.744), which aws-sdk-go-v2, the JS SDK and botocore all parse.
type Timestamp time.Time

// NewTimestamp returns a pointer to t as a Timestamp.
func NewTimestamp(t time.Time) *Timestamp { ts := Timestamp(t); return &ts }

// Time returns the timestamp as a time.Time.
func (t Timestamp) Time() time.Time { return time.Time(t) }

// IsZero reports whether the timestamp is the zero time (omitzero uses it).
func (t Timestamp) IsZero() bool { return time.Time(t).IsZero() }

// MarshalJSON writes epoch seconds with up to three decimals.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	sec, frac := ms/1000, ms%1000
	if frac < 0 {
		sec--
		frac += 1000
	}
	b := strconv.AppendInt(nil, sec, 10)
	if frac != 0 {
		b = append(b, '.')
		s := strconv.FormatInt(frac+1000, 10)[1:]
		for len(s) > 0 && s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		b = append(b, s...)
	}
	return b, nil
}

// UnmarshalJSON reads epoch seconds (a JSON number). null leaves t unchanged.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return errors.New("timestamp must be a JSON number of epoch seconds")
	}
	sec := int64(f)
	nsec := int64((f - float64(sec)) * 1e9)
	*t = Timestamp(time.Unix(sec, nsec).UTC())
	return nil
}
