package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"
	"github.com/aws/aws-sdk-go/service/workspacesthinclient"
	"github.com/aws/smithy-go"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb, nil)
	return code, out.String(), errb.String()
}

func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"serve", "--help"}, {"serve", "-h"}, {"help", "serve"}} {
		code, out, errOut := runCmd(args...)
		if code != 0 || !strings.HasPrefix(out, "Usage: workspaces-local serve") || errOut != "" {
			t.Errorf("%q: exit %d, stdout %.60q, stderr %q", args, code, out, errOut)
		}
	}
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		if code, out, _ := runCmd(args...); code != 0 || !strings.Contains(out, "workspaces-local serve [flags]") {
			t.Errorf("%q: exit %d, stdout %q", args, code, out)
		}
	}
}

func TestCommandErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "Usage:"},
		{[]string{"launch"}, 2, `unknown command "launch"`},
		{[]string{"version", "now"}, 2, "version takes no arguments"},
		{[]string{"serve", "--workspaces-quota", "-5"}, 2, "workspaces-local: --workspaces-quota must be at least 1, got -5\n"},
		{[]string{"serve", "--log-level", "loud"}, 2, `--log-level must be one of debug, info, warn, error, got "loud"`},
		{[]string{"serve", "--in-memory", "--data-dir", "x"}, 2, "--in-memory and --data-dir cannot be used together"},
	} {
		code, _, errOut := runCmd(tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCmd("version")
	if code != 0 || !strings.HasPrefix(out, "workspaces-local ") || !strings.Contains(out, "(commit ") || !strings.Contains(out, runtime.GOOS+"/"+runtime.GOARCH) {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestUnwritableDataDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCmd("serve", "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(file, "sub"))
	if code != 1 || !strings.Contains(errOut, "data dir "+filepath.Join(file, "sub")+" cannot be created") || !strings.Contains(errOut, "--in-memory") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if os.Geteuid() == 0 {
		t.Log("running as root: a read-only directory is writable to root; only the cannot-create case is checked")
		return
	}
	ro := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCmd("serve", "--addr", "127.0.0.1:0", "--data-dir", ro)
	if code != 1 || !strings.Contains(errOut, "data dir "+ro+" is not writable") {
		t.Fatalf("read-only dir: exit %d, stderr %q", code, errOut)
	}
}

// TestServeEndToEnd starts `serve` on port 0 in memory, reads the URL from
// --addr-file, and checks the banner, GET /, a signed call's log line and a
// clean shutdown.
func TestServeEndToEnd(t *testing.T) {
	addrFile := filepath.Join(t.TempDir(), "addr")
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--addr-file", addrFile, "--delays", "zero"},
			&stdout, &stderr, []string{"WORKSPACES_LOCAL_IN_MEMORY=yes", "WORKSPACES_LOCAL_INMEMORY=1", "WORKSPACES_LOCAL_TERRAFORM=1", "WORKSPACES_LOCAL_TEST_DATABASE_URL=postgres://x"})
	}()
	defer func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d; stderr:\n%s", code, stderr.String())
			}
			if _, err := os.Stat(addrFile); !os.IsNotExist(err) {
				t.Errorf("--addr-file must be removed at shutdown: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop within 15 s of cancel")
		}
	}()
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		b, _ := os.ReadFile(addrFile)
		url = strings.TrimSpace(string(b))
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("--addr-file holds %q; stderr:\n%s", url, stderr.String())
	}
	if b := stdout.String(); !strings.Contains(b, "listening on "+strings.TrimPrefix(url, "http://")) ||
		!strings.Contains(b, "in memory") || !strings.Contains(b, "AWS_ENDPOINT_URL_WORKSPACES="+url) || !strings.Contains(b, "AWS_ENDPOINT_URL_WORKSPACES_THIN_CLIENT="+url) {
		t.Errorf("banner:\n%s", b)
	}

	resp, err := http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "/_local/health") {
		t.Fatalf("GET / = %d %s", resp.StatusCode, page)
	}
	req, _ := http.NewRequest("GET", url+"/", nil)
	req.Header.Set("Accept", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var landing struct{ Version string }
	err = json.NewDecoder(resp.Body).Decode(&landing)
	resp.Body.Close()
	if err != nil || landing.Version == "" {
		t.Fatalf("GET / as JSON: %v %+v", err, landing)
	}
	req, _ = http.NewRequest("GET", url+"/", nil)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=111111111111/20260101/us-east-1/thinclient/aws4_request, SignedHeaders=host;x-amz-date, Signature=00")
	req.Header.Set("X-Amz-Date", "20260101T000000Z")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == 200 || strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("a signed GET / got the landing page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if _, err := testenv.ThinClientAt(url, "111111111111", "us-east-1").ListEnvironments(&workspacesthinclient.ListEnvironmentsInput{}); err != nil {
		t.Fatalf("Thin Client ListEnvironments: %v", err)
	}
	resp, err = http.Get(url + "/_local/health")
	if err != nil {
		t.Fatal(err)
	}
	var health struct{ Version, Commit, Store string }
	_ = json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if health.Version != landing.Version || health.Store != "memory" {
		t.Errorf("health = %+v", health)
	}

	ws := testenv.WorkSpacesAt(url, "111111111111", "us-east-1")
	in := &workspaces.CreateIpGroupInput{GroupName: aws.String("office"), UserRules: []types.IpRuleItem{{IpRule: aws.String("203.0.113.0/24")}}}
	if _, err := ws.CreateIpGroup(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	_, err = ws.CreateIpGroup(context.Background(), in)
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ResourceAlreadyExistsException" {
		t.Fatalf("second CreateIpGroup: %v", err)
	}
	logs := stderr.String()
	for _, want := range []string{
		"level=INFO msg=api method=POST operation=CreateIpGroup account=111111111111 region=us-east-1 status=200 duration=",
		"level=INFO msg=api method=POST operation=CreateIpGroup account=111111111111 region=us-east-1 status=400 error_code=ResourceAlreadyExistsException duration=",
		"level=INFO msg=api method=GET operation=ListEnvironments account=111111111111 region=us-east-1 status=200 duration=",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	if !strings.Contains(logs, "level=WARN msg=\"ignoring an environment variable no flag reads (misspelt?); serve --help lists them\" variable=WORKSPACES_LOCAL_INMEMORY\n") || strings.Count(logs, "level=WARN") != 1 {
		t.Errorf("want one warning, for WORKSPACES_LOCAL_INMEMORY:\n%s", logs)
	}
	if strings.Contains(logs, "path=/_local") || strings.Count(logs, "path=/ ") != 1 { // only the signed GET / is an API call
		t.Errorf("the landing page and /_local/ calls must not be logged as API calls, the signed GET / must:\n%s", logs)
	}
}
