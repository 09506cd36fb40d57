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
