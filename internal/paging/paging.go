// Package paging makes and checks the opaque NextToken of paginated
// operations. A token records the operation, account, region and filter it
// was issued for, the sequence number of the last item returned (so
// deletions between pages neither skip nor repeat items) and when it was
// issued; it is signed with a server key so a garbled or forged token is
// recognised.
package paging

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"
)

// TTL is how long a token stays valid (AWS documents one day).
const TTL = 24 * time.Hour

// ErrInvalid is returned for a token that is garbled, forged, expired, or
// issued for another operation, account, region or filter.
var ErrInvalid = errors.New("invalid pagination token")

// Scope is what a token must be presented with to be accepted.
type Scope struct {
	Op      string
	Account string
	Region  string
	// Filter identifies the request's filter members (anything that changes
	// which items are listed); a token replayed with other filters is invalid.
	Filter string
}

type payload struct {
	Op      string `json:"o"`
	Account string `json:"a"`
	Region  string `json:"r"`
	Filter  []byte `json:"f"`
	After   int64  `json:"s"`
	Issued  int64  `json:"t"`
}

// Codec signs and checks tokens with a server key.
type Codec struct {
	key []byte
}

// New returns a codec signing with key.
func New(key []byte) *Codec { return &Codec{key: key} }

func filterHash(f string) []byte {
	h := sha256.Sum256([]byte(f))
	return h[:8]
}

// Encode returns the token for the page after the item with sequence after.
func (c *Codec) Encode(s Scope, after int64, now time.Time) string {
	b, _ := json.Marshal(payload{Op: s.Op, Account: s.Account, Region: s.Region, Filter: filterHash(s.Filter), After: after, Issued: now.Unix()})
	mac := hmac.New(sha256.New, c.key)
	mac.Write(b)
	return base64.RawURLEncoding.EncodeToString(append(mac.Sum(nil)[:16], b...))
}

// Decode checks a token against the scope it is presented with and returns
// the sequence number to continue after. An empty token means the first page (0).
func (c *Codec) Decode(token string, s Scope, now time.Time) (int64, error) {
	if token == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < 17 {
		return 0, ErrInvalid
	}
	sig, b := raw[:16], raw[16:]
	mac := hmac.New(sha256.New, c.key)
	mac.Write(b)
	if !hmac.Equal(sig, mac.Sum(nil)[:16]) {
		return 0, ErrInvalid
	}
	var p payload
	if err := json.Unmarshal(b, &p); err != nil {
		return 0, ErrInvalid
	}
	if p.Op != s.Op || p.Account != s.Account || p.Region != s.Region || !hmac.Equal(p.Filter, filterHash(s.Filter)) {
		return 0, ErrInvalid
	}
	issued := time.Unix(p.Issued, 0)
	if now.Sub(issued) > TTL || issued.Sub(now) > time.Minute {
		return 0, ErrInvalid
	}
	return p.After, nil
}

// Filter renders a request's filter members as a Scope.Filter value.
func Filter(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Cut returns the page of items (sorted by seq) that follows token, at most
// n items, and the token of the next page ("" when this is the last page).
// It returns ErrInvalid for a token that does not belong to s.
func Cut[T any](c *Codec, s Scope, now time.Time, items []T, seq func(T) int64, token string, n int) ([]T, string, error) {
	after, err := c.Decode(token, s, now)
	if err != nil {
		return nil, "", err
	}
	out := make([]T, 0, min(n, len(items)))
	var last int64
	for _, it := range items {
		if seq(it) <= after {
			continue
		}
		if len(out) == n {
			return out, c.Encode(s, last, now), nil
		}
		out = append(out, it)
		last = seq(it)
	}
	return out, "", nil
}
