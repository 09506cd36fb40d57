package integration

// Fault injection and the request journal through the real SDKs.

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	awsv1 "github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/awserr"
	"github.com/aws/aws-sdk-go/aws/client"
	credv1 "github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/request"
	sessv1 "github.com/aws/aws-sdk-go/aws/session"
	wstc "github.com/aws/aws-sdk-go/service/workspacesthinclient"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// fltAdd posts a rule and returns its id.
func fltAdd(t *testing.T, env *testenv.Env, rule string) string {
	t.Helper()
	status, body := stLocal(t, env.URL, "POST", "/_local/faults", rule)
	var out struct {
		ID string `json:"id"`
	}
	if status != 201 || json.Unmarshal(body, &out) != nil || out.ID == "" {
		t.Fatalf("POST /_local/faults %s: %d %s", rule, status, body)
	}
	return out.ID
}

type fltRule struct {
	ID   string `json:"id"`
	Hits int    `json:"hits"`
}

func fltList(t *testing.T, env *testenv.Env) []fltRule {
	t.Helper()
	status, body := stLocal(t, env.URL, "GET", "/_local/faults", "")
	var out struct{ Faults []fltRule }
	if status != 200 || json.Unmarshal(body, &out) != nil { // an error body would read as no rules
		t.Fatalf("GET /_local/faults: %d %s", status, body)
	}
	return out.Faults
}

type jnlEntry struct {
	RequestID  string  `json:"requestId"`
	Service    string  `json:"service"`
	Operation  string  `json:"operation"`
	Account    string  `json:"account"`
	Region     string  `json:"region"`
	Status     int     `json:"status"`
	ErrorCode  string  `json:"errorCode"`
	DurationMs float64 `json:"durationMs"`
}

func jnlGet(t *testing.T, env *testenv.Env, query string) []jnlEntry {
	t.Helper()
	status, body := stLocal(t, env.URL, "GET", "/_local/requests"+query, "")
	var out struct{ Requests []jnlEntry }
	if status != 200 || json.Unmarshal(body, &out) != nil {
		t.Fatalf("GET /_local/requests%s: %d %s", query, status, body)
	}
	return out.Requests
}

// fltRetrying is a WorkSpaces client with the SDK's standard retryer (five
// attempts, no backoff wait so the test stays fast).
func fltRetrying(env *testenv.Env, account string) *workspaces.Client {
	return workspaces.New(workspaces.Options{
		Region: testenv.Region, BaseEndpoint: aws.String(env.URL),
		Credentials: credentials.NewStaticCredentialsProvider(account, "secret", ""),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 5
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	})
}

func TestFaultThrottleRetriedBySDK(t *testing.T) {
	env := testenv.Start(t)
	fltAdd(t, env, `{"service":"workspaces","operation":"DescribeIpGroups","error":"ThrottlingException","count":2}`)
	out, err := fltRetrying(env, testenv.AccountA).DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{})
	if err != nil {
		t.Fatalf("with retries on, DescribeIpGroups failed: %v", err)
	}
	attempts, _ := retry.GetAttemptResults(out.ResultMetadata)
	if len(attempts.Results) != 3 {
		t.Errorf("SDK made %d attempts, want 3 (two throttles, then success)", len(attempts.Results))
	}
	got := jnlGet(t, env, "?operation=DescribeIpGroups")
	if len(got) != 3 || got[0].Status != 200 || got[0].ErrorCode != "" ||
		got[1].Status != 400 || got[1].ErrorCode != "ThrottlingException" || got[2].ErrorCode != "ThrottlingException" {
		t.Fatalf("journal = %+v, want success after two 400 ThrottlingExceptions", got)
	}
	if rid, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata); rid != got[0].RequestID {
		t.Errorf("journal requestId %q, SDK saw %q", got[0].RequestID, rid)
	}
	if rules := fltList(t, env); len(rules) != 0 {
		t.Errorf("a rule with count 2 is still live after 2 hits: %+v", rules)
	}
	// With retries off the throttle reaches the caller as AWS sends it.
	fltAdd(t, env, `{"service":"workspaces","operation":"DescribeIpGroups","error":"ThrottlingException","message":"Rate exceeded"}`)
	_, err = env.WorkSpaces(testenv.AccountA, testenv.Region).DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{})
	wantCode(t, err, "ThrottlingException")
	if !strings.Contains(err.Error(), "Rate exceeded") {
		t.Errorf("error %v does not carry the rule's message", err)
	}
}

func TestFaultThinClientRetriedBySDK(t *testing.T) {
	env := testenv.Start(t)
	fltAdd(t, env, `{"service":"thinclient","operation":"ListEnvironments","error":"ThrottlingException","count":2}`)
	cfg := request.WithRetryer(&awsv1.Config{
		Region: awsv1.String(testenv.Region), Endpoint: awsv1.String(env.URL), DisableEndpointHostPrefix: awsv1.Bool(true),
		Credentials: credv1.NewStaticCredentials(testenv.AccountA, "secret", ""),
	}, client.DefaultRetryer{NumMaxRetries: 3, MinRetryDelay: time.Millisecond, MaxRetryDelay: 2 * time.Millisecond,
		MinThrottleDelay: time.Millisecond, MaxThrottleDelay: 2 * time.Millisecond})
	tc := wstc.New(sessv1.Must(sessv1.NewSession(cfg)))
	if _, err := tc.ListEnvironments(&wstc.ListEnvironmentsInput{}); err != nil {
		t.Fatalf("with retries on, ListEnvironments failed: %v", err)
	}
	got := jnlGet(t, env, "?operation=ListEnvironments")
	if len(got) != 3 || got[0].Status != 200 || got[1].Status != 429 || got[1].ErrorCode != "ThrottlingException" || got[2].Status != 429 {
		t.Fatalf("journal = %+v, want success after two 429 ThrottlingExceptions", got)
	}
	// A modelled code gets the status the model gives it, or the rule's.
	fltAdd(t, env, `{"service":"thinclient","operation":"GetEnvironment","error":"ResourceNotFoundException","count":1}`)
	fltAdd(t, env, `{"service":"thinclient","operation":"GetEnvironment","error":"InternalServerException","status":503,"count":1}`)
	for _, want := range []struct {
		code   string
		status int
	}{{"ResourceNotFoundException", 404}, {"InternalServerException", 503}} {
		_, err := env.ThinClient(testenv.AccountA, testenv.Region).GetEnvironment(&wstc.GetEnvironmentInput{Id: awsv1.String("abcdefghi")})
		var rf awserr.RequestFailure
		if wantCode(t, err, want.code); !asRequestFailure(err, &rf) || rf.StatusCode() != want.status {
			t.Errorf("%s: %v, want HTTP %d", want.code, err, want.status)
		}
	}
}

func asRequestFailure(err error, rf *awserr.RequestFailure) bool {
	f, ok := err.(awserr.RequestFailure)
	*rf = f
	return ok
}

func TestFaultHasNoSideEffect(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	fltAdd(t, env, `{"service":"workspaces","operation":"CreateIpGroup","error":"InternalServerException","count":1}`)
	in := &workspaces.CreateIpGroupInput{GroupName: aws.String("office")}
	_, err := c.CreateIpGroup(ctx, in)
	wantCode(t, err, "InternalServerException")
	if g := must[*workspaces.DescribeIpGroupsOutput](t)(c.DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{})); len(g.Result) != 0 {
		t.Fatalf("the failed call created %+v", g.Result)
	}
	must[*workspaces.CreateIpGroupOutput](t)(c.CreateIpGroup(ctx, in)) // the rule is used up; the name is free
	if j := jnlGet(t, env, "?operation=CreateIpGroup&status=500"); len(j) != 1 || j[0].ErrorCode != "InternalServerException" {
		t.Errorf("journal of the injected 500 = %+v", j)
	}
}

func TestFaultMatching(t *testing.T) {
	env := testenv.Start(t)
	a := env.WorkSpaces(testenv.AccountA, testenv.Region)
	b := env.WorkSpaces(testenv.AccountB, testenv.Region)
	west := env.WorkSpaces(testenv.AccountB, "eu-west-1")
	describe := func(c *workspaces.Client) error {
		_, err := c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{})
		return err
	}
	id := fltAdd(t, env, `{"service":"workspaces","operation":"DescribeWorkspaces","account":"222222222222","region":"us-east-1","error":"AccessDeniedException"}`)
	never := fltAdd(t, env, `{"service":"workspaces","operation":"DescribeWorkspaces","error":"ValidationException","probability":0}`)
	if err := describe(a); err != nil {
		t.Fatalf("account A matched a rule for B: %v", err)
	}
	if err := describe(west); err != nil {
		t.Fatalf("B in eu-west-1 matched a rule for us-east-1: %v", err)
	}
	for range 3 {
		wantCode(t, describe(b), "AccessDeniedException")
	}
	// /_local/ calls never consume rules.
	stLocal(t, env.URL, "GET", "/_local/health", "")
	stLocal(t, env.URL, "GET", "/_local/requests", "")
	hits := map[string]int{}
	for _, r := range fltList(t, env) {
		hits[r.ID] = r.Hits
	}
	if hits[id] != 3 || hits[never] != 0 {
		t.Errorf("hits = %v, want %s:3 %s:0", hits, id, never)
	}
	if status, _ := stLocal(t, env.URL, "DELETE", "/_local/faults/"+id, ""); status != 200 {
		t.Fatalf("DELETE %s: %d", id, status)
	}
	if status, _ := stLocal(t, env.URL, "DELETE", "/_local/faults/"+id, ""); status != 404 {
		t.Fatalf("second DELETE %s: %d, want 404", id, status)
	}
	if err := describe(b); err != nil {
		t.Fatalf("after DELETE the rule still acts: %v", err)
	}
	fltAdd(t, env, `{"service":"workspaces","operation":"DescribeWorkspaces","error":"ValidationException","probability":1}`)
	wantCode(t, describe(a), "ValidationException")
	if status, body := stLocal(t, env.URL, "DELETE", "/_local/faults", ""); status != 200 || !strings.Contains(string(body), `"deleted":2`) {
		t.Fatalf("DELETE /_local/faults: %d %s", status, body)
	}
	if err := describe(a); err != nil {
		t.Fatalf("after DELETE all: %v", err)
	}
}

func TestFaultProbability(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	fltAdd(t, env, `{"service":"workspaces","operation":"DescribeIpGroups","error":"ThrottlingException","probability":0.5}`)
	failed := 0
	const n = 200
	for range n {
		if _, err := c.DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{}); err != nil {
			wantCode(t, err, "ThrottlingException")
			failed++
		}
	}
	// Binomial(200, 0.5): outside 60..140 has probability below 1e-8.
	if failed < 60 || failed > 140 {
		t.Errorf("%d of %d calls failed with probability 0.5", failed, n)
	}
	if r := fltList(t, env); len(r) != 1 || r[0].Hits != failed {
		t.Errorf("rules = %+v, want one with %d hits", r, failed)
	}
}

func TestFaultLatency(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	fltAdd(t, env, `{"service":"workspaces","operation":"DescribeWorkspaceBundles","latency":"300ms","count":1}`)
	start := time.Now()
	must[*workspaces.DescribeWorkspaceBundlesOutput](t)(c.DescribeWorkspaceBundles(ctx, &workspaces.DescribeWorkspaceBundlesInput{Owner: aws.String("AMAZON")}))
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("call with 300ms injected latency took %v", d)
	}
	if j := jnlGet(t, env, "?limit=1"); len(j) != 1 || j[0].DurationMs < 300 || j[0].Status != 200 {
		t.Errorf("journal = %+v, want one 200 of at least 300ms", j)
	}
	// Latency and error together: the error comes after the wait.
	fltAdd(t, env, `{"service":"workspaces","operation":"DescribeWorkspaceBundles","latency":"50ms","error":"ServiceUnavailable"}`)
	_, err := c.DescribeWorkspaceBundles(ctx, &workspaces.DescribeWorkspaceBundlesInput{})
	wantCode(t, err, "ServiceUnavailable")
	if j := jnlGet(t, env, "?limit=1"); j[0].Status != 503 || j[0].DurationMs < 50 {
		t.Errorf("journal = %+v, want a 503 of at least 50ms", j)
	}
}

func TestFaultRefusals(t *testing.T) {
	env := testenv.Start(t)
	for _, rule := range []string{
		``,
		`{"service":"s3","operation":"ListBuckets","error":"X"}`,
		`{"service":"workspaces","operation":"describeWorkspaces","error":"ThrottlingException"}`,
		`{"service":"workspaces","operation":"ListEnvironments","error":"ThrottlingException"}`,
		`{"service":"workspaces","operation":"DescribeWorkspaces"}`,
		`{"service":"workspaces","operation":"DescribeWorkspaces","error":"ThrottlingException","probability":1.5}`,
		`{"service":"workspaces","operation":"DescribeWorkspaces","error":"ThrottlingException","probability":-0.1}`,
		`{"service":"workspaces","operation":"DescribeWorkspaces","latency":"soon"}`,
		`{"service":"workspaces","operation":"DescribeWorkspaces","latency":"1h"}`,
		`{"service":"workspaces","operation":"DescribeWorkspaces","error":"ThrottlingException","status":200}`,
		`{"service":"workspaces","operation":"DescribeWorkspaces","error":"has space"}`,
		`{"service":"workspaces","operation":"DescribeWorkspaces","error":"ThrottlingException","count":-1}`,
		`{"service":"workspaces","operation":"DescribeWorkspaces","eror":"ThrottlingException"}`,
	} {
		status, body := stLocal(t, env.URL, "POST", "/_local/faults", rule)
		if status != 400 || !strings.Contains(string(body), `"message"`) {
			t.Errorf("%s: %d %s, want 400 with a message", rule, status, body)
		}
	}
	if r := fltList(t, env); len(r) != 0 {
		t.Errorf("refused rules are live: %+v", r)
	}
}

func TestJournal(t *testing.T) {
	env := testenv.Start(t)
	a := env.WorkSpaces(testenv.AccountA, testenv.Region)
	b := env.WorkSpaces(testenv.AccountB, "eu-west-1")
	must[*workspaces.CreateIpGroupOutput](t)(a.CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{GroupName: aws.String("g")}))
	_, err := a.DeleteIpGroup(ctx, &workspaces.DeleteIpGroupInput{GroupId: aws.String("wsipg-000000000")})
	wantCode(t, err, "ResourceNotFoundException")
	must[*workspaces.DescribeIpGroupsOutput](t)(b.DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{}))
	if _, err := env.ThinClient(testenv.AccountA, testenv.Region).ListSoftwareSets(&wstc.ListSoftwareSetsInput{}); err != nil {
		t.Fatal(err)
	}
	all := jnlGet(t, env, "")
	want := []jnlEntry{
		{Service: "thinclient", Operation: "ListSoftwareSets", Account: testenv.AccountA, Region: testenv.Region, Status: 200},
		{Service: "workspaces", Operation: "DescribeIpGroups", Account: testenv.AccountB, Region: "eu-west-1", Status: 200},
		{Service: "workspaces", Operation: "DeleteIpGroup", Account: testenv.AccountA, Region: testenv.Region, Status: 400, ErrorCode: "ResourceNotFoundException"},
		{Service: "workspaces", Operation: "CreateIpGroup", Account: testenv.AccountA, Region: testenv.Region, Status: 200},
	}
	if len(all) != len(want) {
		t.Fatalf("journal has %d entries, want %d: %+v", len(all), len(want), all)
	}
	for i, w := range want {
		g := all[i]
		if g.RequestID == "" || g.DurationMs < 0 {
			t.Errorf("entry %d = %+v", i, g)
		}
		g.RequestID, g.DurationMs = "", 0
		if g != w {
			t.Errorf("entry %d = %+v, want %+v", i, g, w)
		}
	}
	for q, n := range map[string]int{"?limit=2": 2, "?account=222222222222": 1, "?status=400": 1, "?operation=CreateIpGroup": 1, "?operation=CreateIpGroup&status=400": 0} {
		if got := jnlGet(t, env, q); len(got) != n {
			t.Errorf("%s: %d entries, want %d", q, len(got), n)
		}
	}
	if status, _ := stLocal(t, env.URL, "GET", "/_local/requests?limit=x", ""); status != 400 {
		t.Errorf("limit=x: %d, want 400", status)
	}
	if status, body := stLocal(t, env.URL, "DELETE", "/_local/requests", ""); status != 200 {
		t.Fatalf("DELETE /_local/requests: %d %s", status, body)
	}
	if got := jnlGet(t, env, ""); len(got) != 0 {
		t.Errorf("after DELETE: %+v", got)
	}
}
