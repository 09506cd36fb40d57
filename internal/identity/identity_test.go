package identity_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/identity"
)

func authHeader(credential string) string {
	return "AWS4-HMAC-SHA256 Credential=" + credential + ", SignedHeaders=host;x-amz-date;x-amz-target, Signature=0123456789abcdef"
}

func TestResolve(t *testing.T) {
	type want struct {
		id identity.Identity
		// code/status/msg for errors
		code   string
		status int
		msg    string
	}
	tests := []struct {
		name     string
		resolver identity.Resolver
		header   string // Authorization; "" for none
		query    string // raw query
		want     want
	}{
		{
			name:   "12-digit access key is the account",
			header: authHeader("123456789012/20240102/us-east-1/workspaces/aws4_request"),
			want:   want{id: identity.Identity{AccessKeyID: "123456789012", Account: "123456789012", Region: "us-east-1", Service: "workspaces", Date: "20240102"}},
		},
		{
			name:   "other access key uses the default account",
			header: authHeader("AKIAIOSFODNN7EXAMPLE/20240102/eu-west-1/thinclient/aws4_request"),
			want:   want{id: identity.Identity{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", Account: identity.DefaultAccount, Region: "eu-west-1", Service: "thinclient", Date: "20240102"}},
		},
		{
			name:     "configured default account",
			resolver: identity.Resolver{DefaultAccount: "222222222222"},
			header:   authHeader("test/20240102/us-west-2/workspaces/aws4_request"),
			want:     want{id: identity.Identity{AccessKeyID: "test", Account: "222222222222", Region: "us-west-2", Service: "workspaces", Date: "20240102"}},
		},
		{
			name:     "12-digit key wins over configured default",
			resolver: identity.Resolver{DefaultAccount: "222222222222"},
			header:   authHeader("333333333333/20240102/us-west-2/workspaces/aws4_request"),
			want:     want{id: identity.Identity{AccessKeyID: "333333333333", Account: "333333333333", Region: "us-west-2", Service: "workspaces", Date: "20240102"}},
		},
		{
			name:   "13-digit key is not an account",
			header: authHeader("1234567890123/20240102/us-east-1/workspaces/aws4_request"),
			want:   want{id: identity.Identity{AccessKeyID: "1234567890123", Account: identity.DefaultAccount, Region: "us-east-1", Service: "workspaces", Date: "20240102"}},
		},
		{
			name:   "no spaces after commas",
			header: "AWS4-HMAC-SHA256 Credential=123456789012/20240102/cn-north-1/workspaces/aws4_request,SignedHeaders=host,Signature=ab",
			want:   want{id: identity.Identity{AccessKeyID: "123456789012", Account: "123456789012", Region: "cn-north-1", Service: "workspaces", Date: "20240102"}},
		},
		{
			name:  "presigned query credentials",
			query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=123456789012%2F20240102%2Fap-southeast-2%2Fthinclient%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-SignedHeaders=host&X-Amz-Signature=abcdef",
			want:  want{id: identity.Identity{AccessKeyID: "123456789012", Account: "123456789012", Region: "ap-southeast-2", Service: "thinclient", Date: "20240102"}},
		},
		{
			name:  "presigned without signature",
			query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=123456789012%2F20240102%2Fus-east-1%2Fthinclient%2Faws4_request",
			want:  want{code: "IncompleteSignatureException", status: 400, msg: "Presigned request requires X-Amz-Algorithm=AWS4-HMAC-SHA256 and X-Amz-Signature."},
		},
		{
			name:  "presigned with wrong algorithm",
			query: "X-Amz-Algorithm=AWS4-HMAC-SHA1&X-Amz-Credential=123456789012%2F20240102%2Fus-east-1%2Fthinclient%2Faws4_request&X-Amz-Signature=ab",
			want:  want{code: "IncompleteSignatureException", status: 400, msg: "Presigned request requires X-Amz-Algorithm=AWS4-HMAC-SHA256 and X-Amz-Signature."},
		},
		{
			name: "missing credentials",
			want: want{code: "MissingAuthenticationTokenException", status: 403, msg: "Missing Authentication Token: sign the request with SigV4 (any access key works; a 12-digit access key id is used as the account id)."},
		},
		{
			name:  "query without credential is missing",
			query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ab",
			want:  want{code: "MissingAuthenticationTokenException", status: 403, msg: "Missing Authentication Token: sign the request with SigV4 (any access key works; a 12-digit access key id is used as the account id)."},
		},
		{
			name:   "wrong algorithm",
			header: "AWS4-HMAC-SHA1 Credential=123456789012/20240102/us-east-1/workspaces/aws4_request, SignedHeaders=host, Signature=ab",
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Authorization header requires the AWS4-HMAC-SHA256 algorithm; found 'AWS4-HMAC-SHA1'."},
		},
		{
			name:   "basic auth",
			header: "Basic dXNlcjpwYXNz",
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Authorization header requires the AWS4-HMAC-SHA256 algorithm; found 'Basic'."},
		},
		{
			name:   "missing Signature",
			header: "AWS4-HMAC-SHA256 Credential=123456789012/20240102/us-east-1/workspaces/aws4_request, SignedHeaders=host",
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Authorization header requires 'Signature' parameter."},
		},
		{
			name:   "empty Signature",
			header: "AWS4-HMAC-SHA256 Credential=123456789012/20240102/us-east-1/workspaces/aws4_request, SignedHeaders=host, Signature=",
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Authorization header requires 'Signature' parameter."},
		},
		{
			name:   "missing SignedHeaders",
			header: "AWS4-HMAC-SHA256 Credential=123456789012/20240102/us-east-1/workspaces/aws4_request, Signature=ab",
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Authorization header requires 'SignedHeaders' parameter."},
		},
		{
			name:   "missing Credential",
			header: "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=ab",
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Authorization header requires 'Credential' parameter."},
		},
		{
			name:   "algorithm only",
			header: "AWS4-HMAC-SHA256",
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Authorization header has a malformed element ''."},
		},
		{
			name:   "element without =",
			header: "AWS4-HMAC-SHA256 SignedHeaders, Credential=123456789012/20240102/us-east-1/workspaces/aws4_request, Signature=ab",
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Authorization header has a malformed element 'SignedHeaders'."},
		},
		{
			name:   "credential with 4 parts",
			header: authHeader("AKIDEXAMPLE/20240102/us-east-1/workspaces"),
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Credential must have the form <AccessKeyId>/<YYYYMMDD>/<region>/<service>/aws4_request; found 'AKID****/20240102/us-east-1/workspaces'."},
		},
		{
			name:   "credential with wrong terminator",
			header: authHeader("AKIDEXAMPLE/20240102/us-east-1/workspaces/aws5_request"),
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Credential must have the form <AccessKeyId>/<YYYYMMDD>/<region>/<service>/aws4_request; found 'AKID****/20240102/us-east-1/workspaces/aws5_request'."},
		},
		{
			name:   "empty access key",
			header: authHeader("/20240102/us-east-1/workspaces/aws4_request"),
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Credential has an empty or malformed access key id."},
		},
		{
			name:   "bad date",
			header: authHeader("123456789012/2024-01-02/us-east-1/workspaces/aws4_request"),
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Credential date '2024-01-02' must be YYYYMMDD."},
		},
		{
			name:   "short date",
			header: authHeader("123456789012/2024012/us-east-1/workspaces/aws4_request"),
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Credential date '2024012' must be YYYYMMDD."},
		},
		{
			name:   "bad region",
			header: authHeader("123456789012/20240102/US_EAST_1/workspaces/aws4_request"),
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Credential region 'US_EAST_1' is malformed."},
		},
		{
			name:   "empty region",
			header: authHeader("123456789012/20240102//workspaces/aws4_request"),
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Credential region '' is malformed."},
		},
		{
			name:   "bad service",
			header: authHeader("123456789012/20240102/us-east-1/Work Spaces/aws4_request"),
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Credential service 'Work Spaces' is malformed."},
		},
		{
			name:   "very long region is shortened in the message",
			header: authHeader("123456789012/20240102/" + strings.Repeat("R", 200) + "/workspaces/aws4_request"),
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Credential region '" + strings.Repeat("R", 128) + "...' is malformed."},
		},
		{
			name:   "a long region is cut on a character boundary",
			header: authHeader("123456789012/20240102/" + strings.Repeat("é", 200) + "/workspaces/aws4_request"),
			want:   want{code: "IncompleteSignatureException", status: 400, msg: "Credential region '" + strings.Repeat("é", 128) + "...' is malformed."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := "/"
			if tt.query != "" {
				target += "?" + tt.query
			}
			r := httptest.NewRequest(http.MethodPost, target, nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			if got, want := identity.HasCredentials(r), tt.header != "" || strings.Contains(tt.query, "X-Amz-Credential="); got != want {
				t.Errorf("HasCredentials = %v, want %v", got, want)
			}
			id, err := tt.resolver.Resolve(r)
			if tt.want.code == "" {
				if err != nil {
					t.Fatalf("Resolve: %v", err)
				}
				if public(id) != tt.want.id {
					t.Fatalf("identity = %+v, want %+v", id, tt.want.id)
				}
				return
			}
			if id != (identity.Identity{}) {
				t.Errorf("identity on error = %+v, want zero", id)
			}
			var ae api.Error
			if !errors.As(err, &ae) {
				t.Fatalf("err = %T %v, want api.Error", err, err)
			}
			if ae.ErrorCode() != tt.want.code || ae.HTTPStatus() != tt.want.status || ae.ErrorMessage() != tt.want.msg {
				t.Fatalf("got (%s, %d, %q)\nwant (%s, %d, %q)", ae.ErrorCode(), ae.HTTPStatus(), ae.ErrorMessage(), tt.want.code, tt.want.status, tt.want.msg)
			}
		})
	}
}

// public is id without the raw signature parts Verify reads.
func public(id identity.Identity) identity.Identity {
	return identity.Identity{AccessKeyID: id.AccessKeyID, Account: id.Account, Region: id.Region, Service: id.Service, Date: id.Date}
}

func TestErrorsDoNotEchoFullAccessKey(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.Header.Set("Authorization", authHeader("AKIAIOSFODNN7EXAMPLE/20240102/us-east-1"))
	_, err := identity.Resolver{}.Resolve(r)
	if err == nil {
		t.Fatal("Resolve accepted a 3-part credential")
	}
	if strings.Contains(err.Error(), "AKIAIOSFODNN7EXAMPLE") || !strings.Contains(err.Error(), "AKIA****/20240102/us-east-1") {
		t.Fatalf("error = %q, want the access key redacted", err)
	}
}

func TestIdentityString(t *testing.T) {
	id := identity.Identity{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", Account: "123456789012", Region: "us-east-1", Service: "workspaces", Date: "20240102"}
	if got, want := id.String(), "account=123456789012 region=us-east-1 service=workspaces"; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
}
