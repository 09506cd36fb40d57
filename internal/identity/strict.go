package identity

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/workspaces-local/workspaces-local/internal/api"
)

// Key is one access key of a credentials file.
type Key struct {
	AccessKeyID     string
	SecretAccessKey string
	// SessionToken, when set, must come with every request of the key.
	SessionToken string
	// Account is the account the key acts in (aws_account_id); "" applies
	// the usual rule (a 12-digit key id, else the default account).
	Account string
}

// Credentials are the keys ModeStrict knows, by access key id.
type Credentials struct {
	keys map[string]Key
}

// NewCredentials indexes keys.
func NewCredentials(keys ...Key) *Credentials {
	c := &Credentials{keys: map[string]Key{}}
	for _, k := range keys {
		c.keys[k.AccessKeyID] = k
	}
	return c
}

// Len is the number of keys.
func (c *Credentials) Len() int { return len(c.keys) }

// LoadCredentials reads an AWS shared-credentials file: [profile] sections
// with aws_access_key_id, aws_secret_access_key and optionally
// aws_session_token and aws_account_id. Errors name the file and line.
func LoadCredentials(path string) (*Credentials, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--credentials: %w", err)
	}
	defer f.Close()
	var keys []Key
	var cur *Key
	var section string
	var sectionLine int
	profileOf := map[string]string{} // access key id → its profile
	flush := func() error {
		if cur == nil {
			return nil
		}
		if cur.AccessKeyID == "" || cur.SecretAccessKey == "" {
			return fmt.Errorf("--credentials %s:%d: profile [%s] needs aws_access_key_id and aws_secret_access_key", path, sectionLine, section)
		}
		if cur.Account != "" && !digits(cur.Account, 12) {
			return fmt.Errorf("--credentials %s:%d: profile [%s]: aws_account_id %q is not 12 digits", path, sectionLine, section, cur.Account)
		}
		if p, dup := profileOf[cur.AccessKeyID]; dup {
			return fmt.Errorf("--credentials %s:%d: profile [%s] repeats the aws_access_key_id of profile [%s]: give each key one profile", path, sectionLine, section, p)
		}
		profileOf[cur.AccessKeyID] = section
		keys = append(keys, *cur)
		return nil
	}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case line[0] == '[':
			if err := flush(); err != nil {
				return nil, err
			}
			section, sectionLine, cur = strings.Trim(line, "[] "), n, &Key{}
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || cur == nil {
			return nil, fmt.Errorf("--credentials %s:%d: expected [profile] or key = value", path, n)
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "aws_access_key_id":
			cur.AccessKeyID = v
		case "aws_secret_access_key":
			cur.SecretAccessKey = v
		case "aws_session_token":
			cur.SessionToken = v
		case "aws_account_id":
			cur.Account = v
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--credentials %s: %w", path, err)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("--credentials %s: no profile with aws_access_key_id", path)
	}
	return NewCredentials(keys...), nil
}

const mismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

var signer = v4.NewSigner(func(o *v4.SignerOptions) { o.DisableHeaderHoisting = true })

// verifyStrict re-signs the request with the key's secret (the AWS SDK's own
// v4 signer, over exactly the headers the client signed and the body) and
// compares the signatures in constant time.
func (res Resolver) verifyStrict(r *http.Request, id *Identity, service string, body []byte, date time.Time) error {
	if res.Credentials == nil {
		return api.UnrecognizedClient()
	}
	key, ok := res.Credentials.keys[id.AccessKeyID]
	if !ok {
		return api.UnrecognizedClient()
	}
	token := r.Header.Get("X-Amz-Security-Token")
	if id.sig.presigned {
		token = r.URL.Query().Get("X-Amz-Security-Token")
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(key.SessionToken)) != 1 {
		return api.UnrecognizedClient()
	}
	if key.Account != "" {
		id.Account = key.Account
	}
	sum := sha256.Sum256(body)
	payload := hex.EncodeToString(sum[:])
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" && h != payload && h != "UNSIGNED-PAYLOAD" {
		return api.InvalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.")
	} else if h == "UNSIGNED-PAYLOAD" {
		payload = h
	}
	creds := aws.Credentials{AccessKeyID: key.AccessKeyID, SecretAccessKey: key.SecretAccessKey, SessionToken: key.SessionToken}
	cp := signable(r, id.sig.signedHeaders, len(body))
	var got string
	if id.sig.presigned {
		uri, _, err := signer.PresignHTTP(context.Background(), creds, cp, payload, id.Service, id.Region, date)
		if err != nil {
			return api.InvalidSignature(mismatch)
		}
		u, err := url.Parse(uri)
		if err != nil {
			return api.InvalidSignature(mismatch)
		}
		got = u.Query().Get("X-Amz-Signature")
	} else {
		if err := signer.SignHTTP(context.Background(), creds, cp, payload, id.Service, id.Region, date); err != nil {
			return api.InvalidSignature(mismatch)
		}
		auth := cp.Header.Get("Authorization")
		if i := strings.LastIndex(auth, "Signature="); i >= 0 {
			got = auth[i+len("Signature="):]
		}
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(id.sig.signature)) != 1 {
		return api.InvalidSignature(mismatch)
	}
	return nil
}

// signable is a copy of r with only the headers the client signed (the SDK
// signer signs every header it is given) and, for a presigned request, the
// query without the signing parameters the signer adds itself.
func signable(r *http.Request, signedHeaders string, bodyLen int) *http.Request {
	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	cp := &http.Request{Method: r.Method, URL: &u, Host: r.Host, Header: http.Header{}, Proto: r.Proto}
	for list := signedHeaders; list != ""; {
		var h string
		h, list, _ = strings.Cut(list, ";")
		switch h {
		case "host", ":authority":
		case "content-length":
			cp.ContentLength = int64(bodyLen)
		default:
			k := textproto.CanonicalMIMEHeaderKey(h)
			cp.Header[k] = r.Header.Values(k)
		}
	}
	if q := r.URL.Query(); q.Get("X-Amz-Signature") != "" {
		for _, k := range []string{"X-Amz-Signature", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Security-Token"} {
			q.Del(k)
		}
		u.RawQuery = q.Encode()
	}
	return cp
}
