package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tcapi "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	wsapi "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/clock"
	"github.com/workspaces-local/workspaces-local/internal/identity"
	"github.com/workspaces-local/workspaces-local/internal/protocol/awsjson"
	"github.com/workspaces-local/workspaces-local/internal/protocol/restjson"
)

// testServer is a server whose calls never reach a service: intercept
// answers (or panics) once the operation is known.
func testServer(t *testing.T, cfg Config, intercept func(context.Context, *api.Call) error) *httptest.Server {
	t.Helper()
	cfg.WorkSpaces = awsjson.New(wsapi.Model, wsapi.Operations, nil)
	cfg.ThinClient = restjson.New(tcapi.Operations, nil)
	cfg.Admin = http.NotFoundHandler()
	cfg.Identity = identity.Resolver{Mode: identity.ModeOff}
	cfg.Clock = clock.Real{}
	cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg.Intercept = intercept
	ts := httptest.NewServer(New(cfg))
	t.Cleanup(ts.Close)
	return ts
}

func signedRequest(t *testing.T, method, url, service string, body string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/"+service+
		"/aws4_request, SignedHeaders=host, Signature="+strings.Repeat("0", 64))
	if service == ServiceWorkSpaces {
		r.Header.Set("X-Amz-Target", "WorkspacesService.DescribeIpGroups")
		r.Header.Set("Content-Type", awsjson.ContentType)
	}
	return r
}

func refuse(context.Context, *api.Call) error {
	return &api.CommonError{Code: "ThrottlingException", Status: http.StatusBadRequest, Message: "refused"}
}

// An answer not written within Config.AnswerTimeout of the request read is
// dropped with its connection; within it, the client has it.
func TestAnswerTimeout(t *testing.T) {
	slow := func(ctx context.Context, c *api.Call) error {
		time.Sleep(200 * time.Millisecond)
		return refuse(ctx, c)
	}
	ts := testServer(t, Config{AnswerTimeout: time.Millisecond}, slow)
	resp, err := ts.Client().Do(signedRequest(t, http.MethodPost, ts.URL+"/", ServiceWorkSpaces, "{}"))
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Fatalf("an answer written after its deadline reached the client (status %d)", resp.StatusCode)
	}

	ts = testServer(t, Config{}, slow) // the default is far longer
	resp, err = ts.Client().Do(signedRequest(t, http.MethodPost, ts.URL+"/", ServiceWorkSpaces, "{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Amzn-ErrorType"); got != "ThrottlingException" {
		t.Fatalf("X-Amzn-ErrorType = %q, want ThrottlingException", got)
	}
}

// A panic in an API call is answered InternalFailure by the protocol of the
// service called (Thin Client: InternalServerException, its modelled 500),
// and the observers see that answer.
func TestPanicAnsweredByTheServiceProtocol(t *testing.T) {
	var mu sync.Mutex
	var seen []Exchange
	obs := ObserverFunc(func(e Exchange) { mu.Lock(); seen = append(seen, e); mu.Unlock() })
	ts := testServer(t, Config{Observers: []Observer{obs}}, func(context.Context, *api.Call) error { panic("boom") })
	for _, tc := range []struct {
		method, path, service, code, contentType string
	}{
		{http.MethodPost, "/", ServiceWorkSpaces, "InternalFailure", awsjson.ContentType},
		{http.MethodGet, "/environments", ServiceThinClient, "InternalServerException", "application/json"},
	} {
		resp, err := ts.Client().Do(signedRequest(t, tc.method, ts.URL+tc.path, tc.service, ""))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusInternalServerError || resp.Header.Get("X-Amzn-ErrorType") != tc.code ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), tc.contentType) {
			t.Errorf("%s: status %d, X-Amzn-ErrorType %q, Content-Type %q; want 500, %s, %s", tc.service,
				resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), resp.Header.Get("Content-Type"), tc.code, tc.contentType)
		}
		mu.Lock()
		n := len(seen)
		mu.Unlock()
		if n == 0 || seen[n-1].Status != http.StatusInternalServerError || seen[n-1].ErrorCode != tc.code {
			t.Errorf("%s: observers saw %+v", tc.service, seen)
		}
	}
}

// A request the guard refuses is an exchange when it is an API call, and
// none when it is for /_local/.
func TestGuardRefusalsObserved(t *testing.T) {
	var mu sync.Mutex
	var seen []Exchange
	obs := ObserverFunc(func(e Exchange) { mu.Lock(); seen = append(seen, e); mu.Unlock() })
	ts := testServer(t, Config{Observers: []Observer{obs}}, refuse)
	for _, path := range []string{"/_local/health", "/"} {
		r := signedRequest(t, http.MethodPost, ts.URL+path, ServiceWorkSpaces, "{}")
		r.Header.Set("Origin", "https://evil.example")
		resp, err := ts.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("%s from a foreign origin: status %d, want 403", path, resp.StatusCode)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 || seen[0].Path != "/" || seen[0].ErrorCode != "AccessDeniedException" {
		t.Fatalf("observers saw %+v, want the refused API call only", seen)
	}
}

// A held answer to HEAD (no Thin Client route answers HEAD: an error) keeps
// its headers, Content-Length included, and sends no body.
func TestHeldAnswerToHead(t *testing.T) {
	ts := testServer(t, Config{}, refuse)
	resp, err := ts.Client().Do(signedRequest(t, http.MethodHead, ts.URL+"/environments", ServiceThinClient, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := strconv.Atoi(resp.Header.Get("Content-Length")); resp.StatusCode < 400 || len(b) != 0 || n == 0 ||
		resp.Header.Get("X-Amzn-ErrorType") == "" {
		t.Fatalf("HEAD: status %d, Content-Length %q, X-Amzn-ErrorType %q, body %q", resp.StatusCode,
			resp.Header.Get("Content-Length"), resp.Header.Get("X-Amzn-ErrorType"), b)
	}
}
