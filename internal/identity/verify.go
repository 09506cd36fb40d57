package identity

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
)

// Mode is how much of SigV4 Verify checks.
type Mode int

const (
	// ModeCheck (the default) runs every check that needs no secret: the
	// scope names the request's service and a real region, the request date
	// is present and within 15 minutes of the wall clock and matches the
	// scope date, host is signed, the signature is 64 hex digits.
	ModeCheck Mode = iota
	// ModeOff only parses the credential (any well-formed header passes).
	ModeOff
	// ModeStrict adds to ModeCheck the verification of the signature with
	// the secret of a known key (see Credentials).
	ModeStrict
)

// ParseMode reads "off", "check" or "strict".
func ParseMode(s string) (Mode, error) {
	switch s {
	case "", "check":
		return ModeCheck, nil
	case "off":
		return ModeOff, nil
	case "strict":
		return ModeStrict, nil
	}
	return 0, fmt.Errorf("unknown auth mode %q (want off, check or strict)", s)
}

func (m Mode) String() string {
	switch m {
	case ModeOff:
		return "off"
	case ModeStrict:
		return "strict"
	}
	return "check"
}

// MaxSkew is how far the request date may be from the wall clock (AWS: 15 minutes).
const MaxSkew = 15 * time.Minute

// maxPresignExpires is the longest X-Amz-Expires SigV4 allows (7 days).
const maxPresignExpires = 604800

const amzDateLayout = "20060102T150405Z"

// Verify checks the signature of a request resolved to id, for service (the
// signing name the request is for: "workspaces" or "thinclient") and with the
// request body. In ModeStrict it also sets id.Account from the credentials
// file. The errors are AWS's: IncompleteSignatureException (400),
// InvalidSignatureException (403), UnrecognizedClientException (403).
func (res Resolver) Verify(r *http.Request, id *Identity, service string, body []byte) error {
	if res.Mode == ModeOff {
		return nil
	}
	date, err := res.checkShape(r, id, service)
	if err != nil {
		return err
	}
	if res.Mode == ModeStrict {
		return res.verifyStrict(r, id, service, body, date)
	}
	return nil
}

// checkShape runs the no-secret checks and returns the signing time.
func (res Resolver) checkShape(r *http.Request, id *Identity, service string) (time.Time, error) {
	sp := &id.sig
	var rawDate string
	var date time.Time
	if sp.presigned {
		rawDate = r.URL.Query().Get("X-Amz-Date")
		if rawDate == "" {
			return date, api.IncompleteSignature("Presigned request requires the X-Amz-Date query parameter.")
		}
	} else {
		rawDate = r.Header.Get("X-Amz-Date")
		if rawDate == "" {
			if d := r.Header.Get("Date"); d != "" {
				t, err := http.ParseTime(d)
				if err != nil {
					return date, api.IncompleteSignature("Date header '" + api.Echo(d) + "' is not an HTTP date.")
				}
				rawDate = t.UTC().Format(amzDateLayout)
			}
		}
		if rawDate == "" {
			return date, api.IncompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + redactAuth(sp.auth))
		}
	}
	if !signsHost(sp.signedHeaders) {
		if sp.presigned {
			return date, api.IncompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization (X-Amz-SignedHeaders).")
		}
		return date, api.IncompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if id.Service != service {
		return date, api.InvalidSignature("Credential should be scoped to correct service: '" + service + "'. ")
	}
	if !KnownRegion(id.Region) {
		return date, api.InvalidSignature("Credential should be scoped to a valid region, not '" + api.Echo(id.Region) + "'. ")
	}
	date, err := time.Parse(amzDateLayout, rawDate)
	if err != nil {
		return date, api.IncompleteSignature("X-Amz-Date '" + api.Echo(rawDate) + "' must have the form YYYYMMDD'T'HHMMSS'Z'.")
	}
	if rawDate[:8] != id.Date {
		return date, api.InvalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + id.Date + "' != '" + rawDate[:8] + "', from '" + rawDate + "'.")
	}
	if err := res.checkTime(r, sp, date); err != nil {
		return date, err
	}
	if !hex64(sp.signature) {
		return date, api.InvalidSignature("The request signature we calculated does not match the signature you provided: a SigV4 signature is 64 lowercase hex digits. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	}
	return date, nil
}

// checkTime keeps the request date within MaxSkew of the wall clock (a
// presigned request: from MaxSkew before its date until it expires).
func (res Resolver) checkTime(r *http.Request, sp *sigParts, date time.Time) error {
	now := time.Now
	if res.Now != nil {
		now = res.Now
	}
	t := now().UTC()
	later := MaxSkew
	if sp.presigned {
		e := r.URL.Query().Get("X-Amz-Expires")
		n, err := strconv.Atoi(e)
		if e == "" || err != nil || n < 1 || n > maxPresignExpires {
			return api.IncompleteSignature("X-Amz-Expires must be a number of seconds between 1 and 604800; found '" + api.Echo(e) + "'.")
		}
		later = time.Duration(n) * time.Second
		if t.After(date.Add(later)) {
			return api.InvalidSignature(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %d sec.)",
				date.Format(amzDateLayout), t.Add(-later).Format(amzDateLayout), t.Format(amzDateLayout), n))
		}
	} else if date.Before(t.Add(-MaxSkew)) {
		return api.InvalidSignature(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 15 min.)",
			date.Format(amzDateLayout), t.Add(-MaxSkew).Format(amzDateLayout), t.Format(amzDateLayout)))
	}
	if date.After(t.Add(MaxSkew)) {
		return api.InvalidSignature(fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 15 min.)",
			date.Format(amzDateLayout), t.Add(MaxSkew).Format(amzDateLayout), t.Format(amzDateLayout)))
	}
	return nil
}

// signsHost reports whether the ;-separated list names host.
func signsHost(list string) bool {
	for list != "" {
		var h string
		h, list, _ = strings.Cut(list, ";")
		if h == "host" || h == ":authority" {
			return true
		}
	}
	return false
}

// hex64 is ^[0-9a-f]{64}$.
func hex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// redactAuth keeps the access key and signature out of an echoed header,
// and its length bounded.
func redactAuth(auth string) string {
	if len(auth) > 300 {
		auth = auth[:300] + "..."
	}
	if i := strings.Index(auth, "Credential="); i >= 0 {
		auth = auth[:i+len("Credential=")] + redact(auth[i+len("Credential="):])
	}
	if i := strings.Index(auth, "Signature="); i >= 0 {
		auth = auth[:i] + "Signature=****"
	}
	return auth
}
