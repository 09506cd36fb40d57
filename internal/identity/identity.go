// Package identity turns a request's SigV4 credential into the account and
// region it acts in, and checks the signature: Resolve parses, Verify checks
// (see Mode: off, the default no-secret checks, or strict verification with a
// credentials file).
package identity

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
)

// DefaultAccount is the account of any access key that is not a 12-digit id.
const DefaultAccount = "000000000000"

// Identity is who a request acts as and where.
type Identity struct {
	AccessKeyID string
	Account     string
	Region      string
	// Service is the signing name of the credential scope ("workspaces", "thinclient").
	Service string
	// Date is the scope date, YYYYMMDD.
	Date string

	sig sigParts // what Verify checks; zero for an unsigned request
}

// sigParts are the raw SigV4 elements of a request, substrings of the header
// or query (no copies).
type sigParts struct {
	signedHeaders string
	signature     string
	presigned     bool
	auth          string // the Authorization header, for messages
}

// LogValue keeps the access key out of logs except its last four characters.
func (id Identity) String() string {
	return fmt.Sprintf("account=%s region=%s service=%s", id.Account, id.Region, id.Service)
}

// Resolver maps credentials to identities.
type Resolver struct {
	// DefaultAccount is used for access keys that are not 12-digit account ids.
	DefaultAccount string
	// Mode selects what Verify checks (default ModeCheck).
	Mode Mode
	// Credentials are the known keys of ModeStrict.
	Credentials *Credentials
	// Now is the wall clock the request date is checked against (nil:
	// time.Now). Never the emulated clock: moving the emulated time must not
	// invalidate the clients' signatures.
	Now func() time.Time
}

// Character classes of the credential parts, checked by hand rather than
// with regular expressions: Resolve runs on every request.
func digits(s string, n int) bool { // ^[0-9]{n}$
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func lowerName(s string) bool { // ^[a-z0-9-]{1,64}$
	if len(s) < 1 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func accessKeyID(s string) bool { // ^[A-Za-z0-9_.-]{1,128}$
	if len(s) < 1 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// HasCredentials reports whether the request carries SigV4 credentials at all
// (header or presigned query).
func HasCredentials(r *http.Request) bool {
	return r.Header.Get("Authorization") != "" || r.URL.Query().Get("X-Amz-Credential") != ""
}

// Resolve parses the Authorization header (or the presigned-URL query) and
// returns the identity. Errors are api errors: MissingAuthenticationToken
// when there are no credentials, IncompleteSignature when they are malformed.
func (res Resolver) Resolve(r *http.Request) (Identity, error) {
	auth := r.Header.Get("Authorization")
	var credential string
	var sp sigParts
	switch {
	case auth != "":
		alg, rest, _ := strings.Cut(strings.TrimSpace(auth), " ")
		if alg != "AWS4-HMAC-SHA256" {
			return Identity{}, api.IncompleteSignature("Authorization header requires the AWS4-HMAC-SHA256 algorithm; found '" + api.Echo(alg) + "'.")
		}
		// The three parameters that must be there; the last one given wins.
		var cred, signed, sig string
		for more := true; more; {
			var p string
			p, rest, more = strings.Cut(rest, ",")
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if !ok {
				return Identity{}, api.IncompleteSignature("Authorization header has a malformed element '" + api.Echo(p) + "'.")
			}
			switch k {
			case "Credential":
				cred = v
			case "SignedHeaders":
				signed = v
			case "Signature":
				sig = v
			}
		}
		for _, kv := range [...]struct{ k, v string }{{"Credential", cred}, {"SignedHeaders", signed}, {"Signature", sig}} {
			if kv.v == "" {
				return Identity{}, api.IncompleteSignature("Authorization header requires '" + kv.k + "' parameter.")
			}
		}
		credential = cred
		sp = sigParts{signedHeaders: signed, signature: sig, auth: auth}
	default:
		q := r.URL.Query()
		credential = q.Get("X-Amz-Credential")
		if credential == "" {
			return Identity{}, api.MissingAuthenticationToken("Missing Authentication Token: sign the request with SigV4 (any access key works; a 12-digit access key id is used as the account id).")
		}
		if q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" || q.Get("X-Amz-Signature") == "" {
			return Identity{}, api.IncompleteSignature("Presigned request requires X-Amz-Algorithm=AWS4-HMAC-SHA256 and X-Amz-Signature.")
		}
		sp = sigParts{signedHeaders: q.Get("X-Amz-SignedHeaders"), signature: q.Get("X-Amz-Signature"), presigned: true}
	}
	id, err := res.parseCredential(credential)
	if err != nil {
		return Identity{}, err
	}
	id.sig = sp
	return id, nil
}

// parseCredential parses AKID/YYYYMMDD/region/service/aws4_request.
func (res Resolver) parseCredential(c string) (Identity, error) {
	parts := strings.Split(c, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return Identity{}, api.IncompleteSignature("Credential must have the form <AccessKeyId>/<YYYYMMDD>/<region>/<service>/aws4_request; found '" + api.Echo(redact(c)) + "'.")
	}
	id := Identity{AccessKeyID: parts[0], Date: parts[1], Region: parts[2], Service: parts[3]}
	switch {
	case !accessKeyID(id.AccessKeyID):
		return Identity{}, api.IncompleteSignature("Credential has an empty or malformed access key id.")
	case !digits(id.Date, 8):
		return Identity{}, api.IncompleteSignature("Credential date '" + api.Echo(id.Date) + "' must be YYYYMMDD.")
	case !lowerName(id.Region):
		return Identity{}, api.IncompleteSignature("Credential region '" + api.Echo(id.Region) + "' is malformed.")
	case !lowerName(id.Service):
		return Identity{}, api.IncompleteSignature("Credential service '" + api.Echo(id.Service) + "' is malformed.")
	}
	id.Account = res.DefaultAccount
	if id.Account == "" {
		id.Account = DefaultAccount
	}
	if digits(id.AccessKeyID, 12) {
		id.Account = id.AccessKeyID
	}
	return id, nil
}

func redact(c string) string {
	if i := strings.IndexByte(c, '/'); i > 4 {
		return c[:4] + "****" + c[i:]
	}
	return c
}
