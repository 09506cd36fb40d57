package api

import (
	"errors"
	"math"
	"strconv"
	"strings"
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
	var b []byte
	if ms < 0 {
		b, ms = append(b, '-'), -ms
	}
	b = strconv.AppendInt(b, ms/1000, 10)
	if frac := ms % 1000; frac != 0 {
		s := strings.TrimRight(strconv.FormatInt(frac+1000, 10)[1:], "0")
		b = append(append(b, '.'), s...)
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
	// Round the fraction to microseconds: float64 cannot hold .744 exactly.
	nsec := int64(math.Round((f-float64(sec))*1e6)) * 1e3
	*t = Timestamp(time.Unix(sec, nsec).UTC())
	return nil
}
