package integration

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/app"
	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// hostile is one hand-made request and the answer AWS would give.
type hostile struct {
	name   string
	build  func(url string) *http.Request
	status int
	code   string // X-Amzn-ErrorType; "" for success
}

// noRedirects shows a redirect as the answer instead of following it.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func runHostile(t *testing.T, url string, cases []hostile) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := noRedirects.Do(tc.build(url))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || resp.Header.Get("X-Amzn-ErrorType") != tc.code {
				t.Fatalf("got %d %s %s, want %d %s", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), b, tc.status, tc.code)
			}
		})
	}
}

const wsJSON = "application/x-amz-json-1.1"

// wsReq is a WorkSpaces call signed by the SDK's signer, then changed by edit
// (which may overwrite the signature's parts).
func wsReq(op, body string, edit func(*http.Request)) func(string) *http.Request {
	return func(url string) *http.Request {
		r, _ := http.NewRequest("POST", url+"/", strings.NewReader(body))
		r.Header.Set("X-Amz-Target", "WorkspacesService."+op)
		r.Header.Set("Content-Type", wsJSON)
		testenv.Sign(r, testenv.AccountA, testenv.Region, "workspaces", []byte(body))
		if edit != nil {
			edit(r)
		}
		return r
	}
}

// handAuth sets a hand-made Authorization header with the given scope and date.
func handAuth(scope, signed, sig, date string) func(*http.Request) {
	return func(r *http.Request) {
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=111111111111/"+scope+"/aws4_request, SignedHeaders="+signed+", Signature="+sig)
		if date == "" {
			r.Header.Del("X-Amz-Date")
		} else {
			r.Header.Set("X-Amz-Date", date)
		}
	}
}

func TestHostileSigV4(t *testing.T) {
	env := testenv.Start(t) // the manual clock starts in January 2026: signatures follow the wall clock
	now := time.Now().UTC()
	day, stamp := now.Format("20060102"), now.Format("20060102T150405Z")
	sig := strings.Repeat("ab", 32)
	old := now.Add(-20 * time.Minute)
	twoDays := now.Add(-48 * time.Hour)
	runHostile(t, env.URL, []hostile{
		{"SDK-signed", wsReq("DescribeIpGroups", "{}", nil), 200, ""},
		{"no X-Amz-Date", wsReq("DescribeIpGroups", "{}", handAuth(day+"/us-east-1/workspaces", "host;x-amz-date", sig, "")), 400, "IncompleteSignatureException"},
		{"20 minutes old", wsReq("DescribeIpGroups", "{}", handAuth(old.Format("20060102")+"/us-east-1/workspaces", "host;x-amz-date", sig, old.Format("20060102T150405Z"))), 403, "InvalidSignatureException"},
		{"two days old", wsReq("DescribeIpGroups", "{}", handAuth(twoDays.Format("20060102")+"/us-east-1/workspaces", "host;x-amz-date", sig, twoDays.Format("20060102T150405Z"))), 403, "InvalidSignatureException"},
		{"scoped to s3", wsReq("DescribeIpGroups", "{}", handAuth(day+"/us-east-1/s3", "host;x-amz-date", sig, stamp)), 403, "InvalidSignatureException"},
		{"region mars-1", wsReq("DescribeIpGroups", "{}", handAuth(day+"/mars-1/workspaces", "host;x-amz-date", sig, stamp)), 403, "InvalidSignatureException"},
		{"host not signed", wsReq("DescribeIpGroups", "{}", handAuth(day+"/us-east-1/workspaces", "x-amz-date", sig, stamp)), 400, "IncompleteSignatureException"},
		{"signature not hex", wsReq("DescribeIpGroups", "{}", handAuth(day+"/us-east-1/workspaces", "host;x-amz-date", strings.Repeat("g", 64), stamp)), 403, "InvalidSignatureException"},
		{"signature 200 KiB", wsReq("DescribeIpGroups", "{}", handAuth(day+"/us-east-1/workspaces", "host;x-amz-date", strings.Repeat("a", 200<<10), stamp)), 403, "InvalidSignatureException"},
		{"thin client scoped to workspaces", func(url string) *http.Request {
			r, _ := http.NewRequest("GET", url+"/softwaresets", nil)
			testenv.Sign(r, testenv.AccountA, testenv.Region, "workspaces", nil)
			r.Header.Del("X-Amz-Target")
			return r
		}, 403, "InvalidSignatureException"},
	})
	// Moving the emulated clock by hours does not invalidate the clients' signatures.
	env.Advance(72 * time.Hour)
	runHostile(t, env.URL, []hostile{{"after Advance", wsReq("DescribeIpGroups", "{}", nil), 200, ""}})
}

// tcReq is a Thin Client call signed by the SDK's signer.
func tcReq(method, path, body string) func(string) *http.Request {
	return func(url string) *http.Request {
		r, _ := http.NewRequest(method, url+path, strings.NewReader(body))
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		testenv.Sign(r, testenv.AccountA, testenv.Region, "thinclient", []byte(body))
		return r
	}
}

func TestHostileBodies(t *testing.T) {
	env := testenv.Start(t)
	long := strings.Repeat("d", 1025)
	runHostile(t, env.URL, []hostile{
		// Case variants of member names are unknown keys: ignored, so the required member is missing.
		{"groupname lower case", wsReq("CreateIpGroup", `{"groupname":"x"}`, nil), 400, "ValidationException"},
		{"terminateworkspacerequests", wsReq("TerminateWorkspaces", `{"terminateworkspacerequests":[{"WorkspaceId":"ws-abcdefghi"}]}`, nil), 400, "ValidationException"},
		{"escaped exact name is the member", wsReq("CreateIpGroup", `{"\u0047roupName":"escaped"}`, nil), 200, ""},
		{"invalid UTF-8", wsReq("CreateIpGroup", "{\"GroupName\":\"a\xff\"}", nil), 400, "SerializationException"},
		{"unpaired surrogate", wsReq("CreateIpGroup", `{"GroupName":"\udc00"}`, nil), 400, "SerializationException"},
		{"unmodelled string bound", wsReq("CreateIpGroup", `{"GroupName":"g","GroupDesc":"`+long+`"}`, nil), 400, "ValidationException"},
		{"thin client case variant", tcReq("POST", "/environments", `{"DesktopArn":"arn:aws:workspaces:us-east-1:111111111111:directory/d-0123456789"}`), 400, "ValidationException"},
		{"thin client invalid UTF-8", tcReq("POST", "/environments", "{\"desktopArn\":\"arn:aws:workspaces:us-east-1:111111111111:directory/d-0123456789\",\"name\":\"\xc3\"}"), 400, "ValidationException"},
		{"thin client invalid UTF-8 label", tcReq("GET", "/environments/%ff", ""), 400, "ValidationException"},
		{"long id is not echoed whole", tcReq("GET", "/environments/"+strings.Repeat("a", 1000), ""), 404, "ResourceNotFoundException"},
	})
	// Nothing was created by the case-variant requests.
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	out, err := c.DescribeIpGroups(ctx, nil)
	if err != nil || len(out.Result) != 1 || *out.Result[0].GroupName != "escaped" {
		t.Fatalf("groups = %+v, %v", out, err)
	}
	status, _, body := raw(t, "GET", env.URL+"/environments/"+strings.Repeat("a", 1000), map[string]string{signAs: "thinclient"}, "")
	if msg, _ := body["message"].(string); status != 404 || len(msg) > 300 {
		t.Fatalf("not-found message is %d bytes: %q", len(msg), msg)
	}
}

// withHeaders applies headers after signing (browsers add Origin and
// Sec-Fetch-Site themselves; they are not signed).
func withHeaders(build func(string) *http.Request, kv ...string) func(string) *http.Request {
	return func(url string) *http.Request {
		r := build(url)
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i] == "Host" {
				r.Host = kv[i+1]
			} else {
				r.Header.Set(kv[i], kv[i+1])
			}
		}
		return r
	}
}

func TestNoCrossSiteWrites(t *testing.T) {
	const page = "http://localhost:3000"
	env := testenv.Start(t, func(c *app.Config) { c.CORSOrigins = []string{page} })
	now := time.Now().UTC()
	// What a web page can send without a preflight: a text/plain POST with
	// the credentials in the query string.
	browser := func(origin string) func(string) *http.Request {
		return func(url string) *http.Request {
			q := "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=111111111111%2F" + now.Format("20060102") + "%2Fus-east-1%2Fthinclient%2Faws4_request&X-Amz-Date=" + now.Format("20060102T150405Z") + "&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=" + strings.Repeat("ab", 32)
			r, _ := http.NewRequest("POST", url+"/environments?"+q, strings.NewReader(`{"desktopArn":"arn:aws:workspaces:us-east-1:111111111111:directory/d-0123456789"}`))
			r.Header.Set("Content-Type", "text/plain")
			if origin != "" {
				r.Header.Set("Origin", origin)
			}
			return r
		}
	}
	preflight := func(origin string) func(string) *http.Request {
		return func(url string) *http.Request {
			r, _ := http.NewRequest("OPTIONS", url+"/", nil)
			r.Header.Set("Origin", origin)
			r.Header.Set("Access-Control-Request-Method", "POST")
			r.Header.Set("Access-Control-Request-Headers", "authorization,content-type,x-amz-date,x-amz-target")
			return r
		}
	}
	runHostile(t, env.URL, []hostile{
		{"browser text/plain POST from a web page", browser("https://evil.example"), 403, "AccessDeniedException"},
		{"browser POST from another local port", browser("http://localhost:8080"), 403, "AccessDeniedException"},
		{"Sec-Fetch-Site cross-site without Origin", withHeaders(browser(""), "Sec-Fetch-Site", "cross-site"), 403, "AccessDeniedException"},
		{"admin clock from a web page", withHeaders(func(url string) *http.Request {
			r, _ := http.NewRequest("POST", url+"/_local/clock", strings.NewReader(`{"advance":"1h"}`))
			return r
		}, "Origin", "https://evil.example"), 403, "AccessDeniedException"},
		{"DNS rebinding Host", withHeaders(wsReq("DescribeIpGroups", "{}", nil), "Host", "rebind.evil.example:4599"), 403, "AccessDeniedException"},
		{"localhost Host", withHeaders(wsReq("DescribeIpGroups", "{}", nil), "Host", "localhost:4599"), 200, ""},
		{"JSON 1.1 as text/plain", wsReq("CreateIpGroup", `{"GroupName":"plain"}`, func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }), 400, "UnknownOperationException"},
		{"JSON 1.1 on another path", func(url string) *http.Request {
			r, _ := http.NewRequest("POST", url+"/x", strings.NewReader("{}"))
			r.Header.Set("X-Amz-Target", "WorkspacesService.DescribeIpGroups")
			r.Header.Set("Content-Type", wsJSON)
			testenv.Sign(r, testenv.AccountA, testenv.Region, "workspaces", []byte("{}"))
			return r
		}, 400, "UnknownOperationException"},
		{"preflight of an unlisted origin", preflight("https://evil.example"), 403, "AccessDeniedException"},
		{"preflight of a listed origin", preflight(page), 204, ""},
		{"listed origin calls", withHeaders(wsReq("DescribeIpGroups", "{}", nil), "Origin", page), 200, ""},
		{"same origin", withHeaders(wsReq("DescribeIpGroups", "{}", nil), "Origin", env.URL), 200, ""},
	})
	// Nothing was written.
	out, err := env.ThinClient(testenv.AccountA, testenv.Region).ListEnvironments(nil)
	if err != nil || len(out.Environments) != 0 {
		t.Fatalf("environments = %v, %v", out, err)
	}
	g, err := env.WorkSpaces(testenv.AccountA, testenv.Region).DescribeIpGroups(ctx, nil)
	if err != nil || len(g.Result) != 0 {
		t.Fatalf("groups = %v, %v", g, err)
	}
	// The preflight of a listed origin grants what a browser SDK needs.
	resp, err := http.DefaultClient.Do(preflight(page)(env.URL))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	h := resp.Header
	if h.Get("Access-Control-Allow-Origin") != page || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") ||
		!strings.Contains(h.Get("Access-Control-Allow-Headers"), "x-amz-target") {
		t.Fatalf("preflight headers = %v", h)
	}
	resp, err = http.DefaultClient.Do(withHeaders(wsReq("DescribeIpGroups", "{}", nil), "Origin", page)(env.URL))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Access-Control-Allow-Origin") != page || !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "x-amzn-RequestId") {
		t.Fatalf("CORS headers = %v", resp.Header)
	}
}

func get(path string, header ...string) func(string) *http.Request {
	return func(url string) *http.Request {
		r, _ := http.NewRequest("GET", url+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		return r
	}
}

func TestAdminSurface(t *testing.T) {
	env := testenv.Start(t)
	runHostile(t, env.URL, []hostile{
		{"dot-dot out of /_local/ is no redirect", get("/_local/../environments"), 400, ""},
		{"double slash", get("/_local//health"), 400, ""},
		{"percent-encoded prefix is not the admin surface", get("/%5flocal/health"), 403, "MissingAuthenticationTokenException"},
		{"unknown admin endpoint is JSON", get("/_local/nothing"), 404, ""},
		{"bare /_local is no redirect", get("/_local"), 404, ""},
		{"health", get("/_local/health"), 200, ""},
	})
	for _, p := range []string{"/_local/../environments", "/_local/nothing", "/_local//health", "/_local", "/_local/./health"} {
		resp, err := noRedirects.Get(env.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.Header.Get("Content-Type") != "application/json" || !json.Valid(b) {
			t.Errorf("%s: %s %q is not JSON", p, resp.Header.Get("Content-Type"), b)
		}
	}

	const token = "s3cret-token"
	// Both servers keep a data directory: an in-memory one has none to show,
	// and the guarded one would pass whether or not it hid it.
	open := testenv.Start(t, testenv.WithDataDir(t.TempDir()))
	guarded := testenv.Start(t, testenv.WithDataDir(t.TempDir()), func(c *app.Config) { c.AdminToken = token })
	runHostile(t, guarded.URL, []hostile{
		{"clock without token", get("/_local/clock"), 401, ""},
		{"clock with wrong token", get("/_local/clock", "Authorization", "Bearer nope"), 401, ""},
		{"clock with token", get("/_local/clock", "Authorization", "Bearer "+token), 200, ""},
		{"health stays open", get("/_local/health"), 200, ""},
	})
	health := func(env *testenv.Env) map[string]any {
		t.Helper()
		resp, err := http.Get(env.URL + "/_local/health")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var h map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&h); err != nil || resp.StatusCode != 200 || h["status"] == nil {
			t.Fatalf("GET /_local/health = %d %v, %v", resp.StatusCode, h, err)
		}
		return h
	}
	if h := health(open); h["dataDir"] == nil {
		t.Errorf("health without a token lacks the data dir: %v", h)
	}
	if h := health(guarded); h["dataDir"] != nil {
		t.Errorf("guarded health shows the data dir: %v", h)
	}
}

func TestNonLoopbackNeedsAdminToken(t *testing.T) {
	_, err := app.New(ctx, app.Config{Addr: "0.0.0.0:0", InMemory: true})
	if err == nil || !strings.Contains(err.Error(), "--admin-token") {
		t.Fatalf("err = %v, want one naming --admin-token", err)
	}
	for name, cfg := range map[string]app.Config{
		"with a token":    {Addr: "0.0.0.0:0", InMemory: true, AdminToken: "t"},
		"::1 is loopback": {Addr: "[::1]:0", InMemory: true},
	} {
		a, err := app.New(ctx, cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		a.Close()
	}
}
