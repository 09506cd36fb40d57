// Package identity turns a request's SigV4 credential into the account and
// region it acts in. Parsing is strict; signature verification comes later.
package identity

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

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
}

// LogValue keeps the access key out of logs except its last four characters.
func (id Identity) String() string {
	return fmt.Sprintf("account=%s region=%s service=%s", id.Account, id.Region, id.Service)
}

// Resolver maps credentials to identities.
type Resolver struct {
	// DefaultAccount is used for access keys that are not 12-digit account ids.
	DefaultAccount string
}

var (
	accountRe = regexp.MustCompile(`^[0-9]{12}$`)
	dateRe    = regexp.MustCompile(`^[0-9]{8}$`)
	regionRe  = regexp.MustCompile(`^[a-z0-9-]{1,64}$`)
	serviceRe = regexp.MustCompile(`^[a-z0-9-]{1,64}$`)
	akidRe    = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,128}$`)
)

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
	switch {
	case auth != "":
		alg, rest, _ := strings.Cut(strings.TrimSpace(auth), " ")
		if alg != "AWS4-HMAC-SHA256" {
			return Identity{}, api.IncompleteSignature("Authorization header requires the AWS4-HMAC-SHA256 algorithm; found '" + short(alg) + "'.")
		}
		params := map[string]string{}
		for _, p := range strings.Split(rest, ",") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if !ok {
				return Identity{}, api.IncompleteSignature("Authorization header has a malformed element '" + short(p) + "'.")
			}
			params[k] = v
		}
		for _, k := range []string{"Credential", "SignedHeaders", "Signature"} {
			if params[k] == "" {
				return Identity{}, api.IncompleteSignature("Authorization header requires '" + k + "' parameter.")
			}
		}
		credential = params["Credential"]
	default:
		q := r.URL.Query()
		credential = q.Get("X-Amz-Credential")
		if credential == "" {
			return Identity{}, api.MissingAuthenticationToken("Missing Authentication Token: sign the request with SigV4 (any access key works; a 12-digit access key id is used as the account id).")
		}
		if q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" || q.Get("X-Amz-Signature") == "" {
			return Identity{}, api.IncompleteSignature("Presigned request requires X-Amz-Algorithm=AWS4-HMAC-SHA256 and X-Amz-Signature.")
		}
	}
	return res.parseCredential(credential)
}

// parseCredential parses AKID/YYYYMMDD/region/service/aws4_request.
func (res Resolver) parseCredential(c string) (Identity, error) {
	parts := strings.Split(c, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return Identity{}, api.IncompleteSignature("Credential must have the form <AccessKeyId>/<YYYYMMDD>/<region>/<service>/aws4_request; found '" + short(redact(c)) + "'.")
	}
	id := Identity{AccessKeyID: parts[0], Date: parts[1], Region: parts[2], Service: parts[3]}
	switch {
	case !akidRe.MatchString(id.AccessKeyID):
		return Identity{}, api.IncompleteSignature("Credential has an empty or malformed access key id.")
	case !dateRe.MatchString(id.Date):
		return Identity{}, api.IncompleteSignature("Credential date '" + short(id.Date) + "' must be YYYYMMDD.")
	case !regionRe.MatchString(id.Region):
		return Identity{}, api.IncompleteSignature("Credential region '" + short(id.Region) + "' is malformed.")
	case !serviceRe.MatchString(id.Service):
		return Identity{}, api.IncompleteSignature("Credential service '" + short(id.Service) + "' is malformed.")
	}
	id.Account = res.DefaultAccount
	if id.Account == "" {
		id.Account = DefaultAccount
	}
	if accountRe.MatchString(id.AccessKeyID) {
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

func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
