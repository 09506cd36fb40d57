package admin

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/clock"
)

func TestPrefersJSON(t *testing.T) {
	for accept, want := range map[string]bool{
		"":                                  false,
		"*/*":                               false,
		"application/json":                  true,
		"text/html,application/json;q=0.9":  false,
		"application/json, text/html;q=0.5": true,
		"text/html;q=0.8, application/json": true,
		"application/json;q=0":              false,
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": false,
	} {
		if got := prefersJSON(accept); got != want {
			t.Errorf("prefersJSON(%q) = %v, want %v", accept, got, want)
		}
	}
}

func TestLanding(t *testing.T) {
	h := New(Info{Version: "v9.9.9", Commit: "abc123", Services: []string{"workspaces", "thinclient"}, Store: "memory"}, clock.Real{})
	r := httptest.NewRequest("GET", "/", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	body := w.Body.String()
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET / = %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	for _, want := range []string{"v9.9.9", "abc123", `href="/_local/health"`, `href="/_local/ui"`, docsURL, "AWS_ENDPOINT_URL_WORKSPACES_THIN_CLIENT=http://example.com"} {
		if !strings.Contains(body, want) {
			t.Errorf("landing page lacks %q:\n%s", want, body)
		}
	}
	r.Header.Set("Accept", "application/json")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var p landingPage
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("JSON landing: %v %q", err, w.Body.String())
	}
	if p.Version != "v9.9.9" || p.Links["health"] != "/_local/health" || p.Endpoints["AWS_ENDPOINT_URL_WORKSPACES"] != "http://example.com" {
		t.Fatalf("JSON landing = %+v", p)
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/", nil))
	if w.Code == 200 {
		t.Fatalf("POST / must not be the landing page")
	}
}
