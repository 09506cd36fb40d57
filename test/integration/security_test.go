package integration

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// hostile is one hand-made request and the answer AWS would give.
type hostile struct {
	name   string
	build  func(url string) *http.Request
	status int
	code   string // X-Amzn-ErrorType; "" for success
}

func runHostile(t *testing.T, url string, cases []hostile) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.DefaultClient.Do(tc.build(url))
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
