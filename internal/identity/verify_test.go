package identity_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/identity"
)

var wall = time.Date(2026, 12, 2, 0, 15, 0, 0, time.UTC)

const hexSig = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// shaped is a request with a hand-made Authorization header and X-Amz-Date.
func shaped(scope, signed, sig, date string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=111111111111/"+scope+"/aws4_request, SignedHeaders="+signed+", Signature="+sig)
	if date != "" {
		r.Header.Set("X-Amz-Date", date)
	}
	return r
}

func wantErr(t *testing.T, err error, code string, status int, msg string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("err = %v, want none", err)
		}
		return
	}
	var ae api.Error
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code || ae.HTTPStatus() != status || (msg != "" && ae.ErrorMessage() != msg) {
		t.Fatalf("got (%s, %d, %q), want (%s, %d, %q)", ae.ErrorCode(), ae.HTTPStatus(), ae.ErrorMessage(), code, status, msg)
	}
}

func TestVerifyChecksWithoutSecret(t *testing.T) {
	res := identity.Resolver{Now: func() time.Time { return wall }}
	tests := []struct {
		name        string
		r           *http.Request
		service     string
		code        string
		status      int
		msg         string
		passWithOff bool
	}{
		{"valid", shaped("20261202/us-east-1/workspaces", "host;x-amz-date", hexSig, "20261202T001000Z"), "workspaces", "", 0, "", true},
		{"thin client", shaped("20261202/eu-west-1/thinclient", "content-type;host;x-amz-date", hexSig, "20261202T001500Z"), "thinclient", "", 0, "", true},
		{"no date", shaped("20261202/us-east-1/workspaces", "host;x-amz-date", hexSig, ""), "workspaces", "IncompleteSignatureException", 400,
			"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=1111****/20261202/us-east-1/workspaces/aws4_request, SignedHeaders=host;x-amz-date, Signature=****", true},
		{"host not signed", shaped("20261202/us-east-1/workspaces", "x-amz-date", hexSig, "20261202T001000Z"), "workspaces", "IncompleteSignatureException", 400,
			"'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", true},
		{"host only as prefix", shaped("20261202/us-east-1/workspaces", "hostx;x-amz-date", hexSig, "20261202T001000Z"), "workspaces", "IncompleteSignatureException", 400, "", true},
		{"scoped to s3", shaped("20261202/us-east-1/s3", "host;x-amz-date", hexSig, "20261202T001000Z"), "workspaces", "InvalidSignatureException", 403,
			"Credential should be scoped to correct service: 'workspaces'. ", true},
		{"thin client scoped to workspaces", shaped("20261202/us-east-1/workspaces", "host;x-amz-date", hexSig, "20261202T001000Z"), "thinclient", "InvalidSignatureException", 403,
			"Credential should be scoped to correct service: 'thinclient'. ", true},
		{"unknown region", shaped("20261202/mars-1/workspaces", "host;x-amz-date", hexSig, "20261202T001000Z"), "workspaces", "InvalidSignatureException", 403,
			"Credential should be scoped to a valid region, not 'mars-1'. ", true},
		{"GovCloud", shaped("20261202/us-gov-west-1/workspaces", "host;x-amz-date", hexSig, "20261202T001000Z"), "workspaces", "", 0, "", true},
		{"China", shaped("20261202/cn-northwest-1/workspaces", "host;x-amz-date", hexSig, "20261202T001000Z"), "workspaces", "", 0, "", true},
		{"15 minutes old", shaped("20261202/us-east-1/workspaces", "host;x-amz-date", hexSig, "20261202T000000Z"), "workspaces", "", 0, "", true},
		{"expired", shaped("20261201/us-east-1/workspaces", "host;x-amz-date", hexSig, "20261201T235959Z"), "workspaces", "InvalidSignatureException", 403,
			"Signature expired: 20261201T235959Z is now earlier than 20261202T000000Z (20261202T001500Z - 15 min.)", true},
		{"two days old", shaped("20261130/us-east-1/workspaces", "host;x-amz-date", hexSig, "20261130T001500Z"), "workspaces", "InvalidSignatureException", 403, "", true},
		{"in the future", shaped("20261202/us-east-1/workspaces", "host;x-amz-date", hexSig, "20261202T003001Z"), "workspaces", "InvalidSignatureException", 403,
			"Signature not yet current: 20261202T003001Z is still later than 20261202T003000Z (20261202T001500Z + 15 min.)", true},
		{"scope date differs", shaped("20261201/us-east-1/workspaces", "host;x-amz-date", hexSig, "20261202T001000Z"), "workspaces", "InvalidSignatureException", 403,
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261201' != '20261202', from '20261202T001000Z'.", true},
		{"malformed date", shaped("20261202/us-east-1/workspaces", "host;x-amz-date", hexSig, "2026-12-02T00:10:00Z"), "workspaces", "IncompleteSignatureException", 400, "", true},
		{"signature not hex", shaped("20261202/us-east-1/workspaces", "host;x-amz-date", strings.Repeat("z", 64), "20261202T001000Z"), "workspaces", "InvalidSignatureException", 403, "", true},
		{"signature short", shaped("20261202/us-east-1/workspaces", "host;x-amz-date", "abcdef", "20261202T001000Z"), "workspaces", "InvalidSignatureException", 403, "", true},
		{"signature 200 KiB", shaped("20261202/us-east-1/workspaces", "host;x-amz-date", strings.Repeat("a", 200<<10), "20261202T001000Z"), "workspaces", "InvalidSignatureException", 403, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := res.Resolve(tt.r)
			if err != nil {
				t.Fatal(err)
			}
			wantErr(t, res.Verify(tt.r, &id, tt.service, nil), tt.code, tt.status, tt.msg)
			off := identity.Resolver{Mode: identity.ModeOff}
			if err := off.Verify(tt.r, &id, tt.service, nil); err != nil {
				t.Fatalf("--auth off: %v", err)
			}
		})
	}
	t.Run("Date header instead of X-Amz-Date", func(t *testing.T) {
		r := shaped("20261202/us-east-1/workspaces", "date;host", hexSig, "")
		r.Header.Set("Date", "Wed, 02 Dec 2026 00:14:00 GMT")
		id, _ := res.Resolve(r)
		wantErr(t, res.Verify(r, &id, "workspaces", nil), "", 0, "")
	})
	t.Run("presigned", func(t *testing.T) {
		q := "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=111111111111%2F20261202%2Fus-east-1%2Fthinclient%2Faws4_request&X-Amz-Date=20261202T001000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=" + hexSig
		for _, c := range []struct {
			expires, code string
		}{{"300", ""}, {"1", "InvalidSignatureException"}, {"", "IncompleteSignatureException"}, {"604801", "IncompleteSignatureException"}} {
			r := httptest.NewRequest(http.MethodGet, "/environments?"+q+"&X-Amz-Expires="+c.expires, nil)
			id, err := res.Resolve(r)
			if err != nil {
				t.Fatal(err)
			}
			status := map[string]int{"": 0, "InvalidSignatureException": 403, "IncompleteSignatureException": 400}[c.code]
			wantErr(t, res.Verify(r, &id, "thinclient", nil), c.code, status, "")
		}
	})
}

// The wall clock is used by default: a request dated now passes.
func TestVerifyUsesWallClock(t *testing.T) {
	now := time.Now().UTC()
	r := shaped(now.Format("20060102")+"/us-east-1/workspaces", "host;x-amz-date", hexSig, now.Format("20060102T150405Z"))
	res := identity.Resolver{}
	id, _ := res.Resolve(r)
	wantErr(t, res.Verify(r, &id, "workspaces", nil), "", 0, "")
}

func sdkSign(t *testing.T, r *http.Request, key, secret, token, service string, body []byte, at time.Time) {
	t.Helper()
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: secret, SessionToken: token}, r, hex.EncodeToString(sum[:]), service, "us-east-1", at); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyStrict(t *testing.T) {
	path := filepath.Join(t.TempDir(), "credentials")
	file := `# keys of the tests
[default]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = s3cret
aws_account_id = 123456789012

[temp]
aws_access_key_id=ASIATEMP
aws_secret_access_key=tmpsecret
aws_session_token=tok/en+1
`
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	creds, err := identity.LoadCredentials(path)
	if err != nil || creds.Len() != 2 {
		t.Fatalf("LoadCredentials = %v, %v", creds, err)
	}
	res := identity.Resolver{Mode: identity.ModeStrict, Credentials: creds, Now: func() time.Time { return wall }, DefaultAccount: identity.DefaultAccount}
	body := []byte(`{"GroupName":"g"}`)
	req := func(key, secret, token string, b []byte) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "http://localhost:4599/", strings.NewReader(string(body)))
		r.Header.Set("X-Amz-Target", "WorkspacesService.CreateIpGroup")
		r.Header.Set("Content-Type", "application/x-amz-json-1.1")
		sdkSign(t, r, key, secret, token, "workspaces", b, wall.Add(-time.Minute))
		return r
	}
	tests := []struct {
		name    string
		r       *http.Request
		code    string
		account string
	}{
		{"right secret", req("AKIDEXAMPLE", "s3cret", "", body), "", "123456789012"},
		{"wrong secret", req("AKIDEXAMPLE", "guess", "", body), "InvalidSignatureException", ""},
		{"body changed after signing", req("AKIDEXAMPLE", "s3cret", "", []byte(`{"GroupName":"h"}`)), "InvalidSignatureException", ""},
		{"unknown key", req("AKIDOTHER", "s3cret", "", body), "UnrecognizedClientException", ""},
		{"session token", req("ASIATEMP", "tmpsecret", "tok/en+1", body), "", identity.DefaultAccount},
		{"session token missing", req("ASIATEMP", "tmpsecret", "", body), "UnrecognizedClientException", ""},
		{"session token wrong", req("ASIATEMP", "tmpsecret", "forged", body), "UnrecognizedClientException", ""},
		{"token where none is known", req("AKIDEXAMPLE", "s3cret", "tok", body), "UnrecognizedClientException", ""},
	}
	status := map[string]int{"InvalidSignatureException": 403, "UnrecognizedClientException": 403}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := res.Resolve(tt.r)
			if err != nil {
				t.Fatal(err)
			}
			wantErr(t, res.Verify(tt.r, &id, "workspaces", body), tt.code, status[tt.code], "")
			if tt.account != "" && id.Account != tt.account {
				t.Fatalf("account = %s, want %s", id.Account, tt.account)
			}
		})
	}
	t.Run("header changed after signing", func(t *testing.T) {
		r := req("AKIDEXAMPLE", "s3cret", "", body)
		r.Header.Set("X-Amz-Target", "WorkspacesService.DeleteIpGroup")
		id, _ := res.Resolve(r)
		wantErr(t, res.Verify(r, &id, "workspaces", body), "InvalidSignatureException", 403, "")
	})
	t.Run("presigned", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodGet, "http://localhost:4599/environments?maxResults=5&X-Amz-Expires=300", nil)
		uri, _, err := v4.NewSigner().PresignHTTP(context.Background(), aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "s3cret"}, r,
			hex.EncodeToString(sha256.New().Sum(nil)), "thinclient", "us-east-1", wall.Add(-time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ uri, code string }{
			{uri, ""},
			{strings.Replace(uri, "maxResults=5", "maxResults=6", 1), "InvalidSignatureException"},
		} {
			p := httptest.NewRequest(http.MethodGet, c.uri, nil)
			id, err := res.Resolve(p)
			if err != nil {
				t.Fatal(err)
			}
			wantErr(t, res.Verify(p, &id, "thinclient", nil), c.code, status[c.code], "")
		}
	})
}

func TestLoadCredentialsErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"nosecret": "[p]\naws_access_key_id = A\n",
		"account":  "[p]\naws_access_key_id = A\naws_secret_access_key = B\naws_account_id = 12\n",
		"empty":    "# nothing\n",
		"garbage":  "aws_access_key_id\n",
		"repeated": "[a]\naws_access_key_id = A\naws_secret_access_key = B\n[b]\naws_access_key_id = A\naws_secret_access_key = C\n",
	} {
		p := filepath.Join(dir, name)
		_ = os.WriteFile(p, []byte(content), 0o600)
		if _, err := identity.LoadCredentials(p); err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "--credentials") {
			t.Errorf("%s: err = %v, want one naming --credentials and the file", name, err)
		}
	}
}
