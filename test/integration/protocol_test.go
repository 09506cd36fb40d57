package integration

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/server"
	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// signAs is a pseudo header of raw: sign the request for that service (as
// AccountA in testenv.Region, with the SDK's v4 signer and the wall clock).
const signAs = "X-Test-Sign-As"

// raw sends a hand-made request and returns status, error type and body.
func raw(t *testing.T, method, url string, header map[string]string, body string) (int, string, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	for k, v := range header {
		if k != signAs {
			req.Header.Set(k, v)
		}
	}
	if svc := header[signAs]; svc != "" {
		testenv.Sign(req, testenv.AccountA, testenv.Region, svc, []byte(body))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("x-amzn-RequestId") == "" {
		t.Errorf("%s %s: no x-amzn-RequestId", method, url)
	}
	var m map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s %s: body is not JSON: %q", method, url, b)
		}
	}
	return resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), m
}

func TestProtocolErrors(t *testing.T) {
	env := testenv.Start(t)
	ws := func(target string) map[string]string {
		return map[string]string{signAs: "workspaces", "X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"}
	}
	tcH := map[string]string{signAs: "thinclient"}
	cases := []struct {
		name, method, path string
		header             map[string]string
		body               string
		status             int
		code               string
	}{
		{"no auth", "POST", "/", map[string]string{"X-Amz-Target": "WorkspacesService.DescribeIpGroups"}, "{}", 403, "MissingAuthenticationTokenException"},
		{"no auth thin client", "GET", "/softwaresets", nil, "", 403, "MissingAuthenticationTokenException"},
		{"bad algorithm", "POST", "/", map[string]string{"Authorization": "Basic abc", "X-Amz-Target": "WorkspacesService.DescribeIpGroups"}, "{}", 400, "IncompleteSignatureException"},
		{"short credential", "POST", "/", map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=a/b/c, SignedHeaders=host, Signature=x", "X-Amz-Target": "WorkspacesService.DescribeIpGroups"}, "{}", 400, "IncompleteSignatureException"},
		{"malformed JSON", "POST", "/", ws("WorkspacesService.DescribeIpGroups"), "{", 400, "SerializationException"},
		{"wrong type", "POST", "/", ws("WorkspacesService.CreateIpGroup"), `{"GroupName": 5}`, 400, "SerializationException"},
		{"array body", "POST", "/", ws("WorkspacesService.DescribeIpGroups"), `[]`, 400, "SerializationException"},
		{"unknown operation", "POST", "/", ws("WorkspacesService.LaunchRocket"), "{}", 400, "UnknownOperationException"},
		{"missing required", "POST", "/", ws("WorkspacesService.DeleteIpGroup"), "{}", 400, "ValidationException"},
		{"unknown members ignored", "POST", "/", ws("WorkspacesService.DescribeIpGroups"), `{"EnableWorkDocs": false}`, 200, ""},
		{"unknown route", "GET", "/nothing-here", tcH, "", 400, "ValidationException"},
		{"wrong method", "DELETE", "/softwaresets", tcH, "", 400, "ValidationException"},
		{"empty label", "GET", "/softwaresets/", tcH, "", 400, "ValidationException"},
		{"bad maxResults", "GET", "/softwaresets?maxResults=x", tcH, "", 400, "ValidationException"},
		{"unknown service", "POST", "/", map[string]string{signAs: "s3"}, "{}", 400, "UnknownOperationException"},
		{"oversized body", "POST", "/", ws("WorkspacesService.DescribeIpGroups"), `{"x":"` + strings.Repeat("a", server.DefaultMaxBodyBytes+1) + `"}`, 413, "SerializationException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, code, body := raw(t, tc.method, env.URL+tc.path, tc.header, tc.body)
			if status != tc.status || code != tc.code {
				t.Fatalf("got %d %s %v, want %d %s", status, code, body, tc.status, tc.code)
			}
			if tc.code != "" && body["message"] == nil {
				t.Fatalf("error body has no message: %v", body)
			}
		})
	}
	// api.-prefixed Host headers are accepted.
	req, _ := http.NewRequest("GET", env.URL+"/softwaresets/1004", nil)
	req.Host = "api.thinclient.us-east-1.amazonaws.com"
	testenv.Sign(req, testenv.AccountA, testenv.Region, "thinclient", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("api. host: %v %v", resp, err)
	}
	resp.Body.Close()
	// Health.
	status, _, body := raw(t, "GET", env.URL+"/_local/health", nil, "")
	wantStore := "memory"
	if os.Getenv(testenv.EnvPostgres) == "1" {
		wantStore = "postgres"
	}
	if status != 200 || body["store"] != wantStore || body["version"] == nil {
		t.Fatalf("health = %d %v", status, body)
	}
}
