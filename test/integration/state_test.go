package integration

// Test control through the real SDKs: reset (whole and scoped), state
// export/import, with a world holding every resource kind of both services.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"
	awsv1 "github.com/aws/aws-sdk-go/aws"
	credv1 "github.com/aws/aws-sdk-go/aws/credentials"
	sessv1 "github.com/aws/aws-sdk-go/aws/session"
	wstc "github.com/aws/aws-sdk-go/service/workspacesthinclient"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

const (
	stAccountC = "333333333333"
	stAccountD = "444444444444"
	stWest     = "eu-west-1"
)

// stWorld gives account in region one resource of every kind both services
// store, sharing and linking with partner: IP group, directory with settings,
// WorkSpaces (one terminated), tags, BYOL account, account link (with a
// client token), image shared with partner, connection alias shared with
// partner, Thin Client environment (client token, tags), device, device
// tags and a software set validation.
func stWorld(t *testing.T, env *testenv.Env, account, region, partner string) {
	t.Helper()
	c := env.WorkSpaces(account, region)
	acctEnable(t, env, c, "10.200.0.0/16")
	g := must[*workspaces.CreateIpGroupOutput](t)(c.CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{
		GroupName: aws.String("office"), GroupDesc: aws.String("HQ"),
		UserRules: []types.IpRuleItem{{IpRule: aws.String("203.0.113.0/24"), RuleDesc: aws.String("hq")}},
		Tags:      []types.Tag{{Key: aws.String("team"), Value: aws.String("qa")}},
	}))
	wspRegister(t, env, c, wspDir)
	must[*workspaces.AssociateIpGroupsOutput](t)(c.AssociateIpGroups(ctx, &workspaces.AssociateIpGroupsInput{DirectoryId: aws.String(wspDir), GroupIds: []string{*g.GroupId}}))
	must[*workspaces.ModifyWorkspaceCreationPropertiesOutput](t)(c.ModifyWorkspaceCreationProperties(ctx, &workspaces.ModifyWorkspaceCreationPropertiesInput{
		ResourceId: aws.String(wspDir), WorkspaceCreationProperties: &types.WorkspaceCreationProperties{EnableInternetAccess: aws.Bool(true)},
	}))
	ids := wspReady(t, env, c, wspReq("alice", wspValue), wspReq("bob", wspValue))
	must[*workspaces.CreateTagsOutput](t)(c.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: aws.String(ids[0]), Tags: []types.Tag{{Key: aws.String("owner"), Value: aws.String("alice")}}}))
	wspTerminate(t, c, ids[1])
	env.Advance(time.Second)
	im := imgFromWorkspace(t, env, c, ids[0], "golden")
	if err := imgShare(c, im, partner, true); err != nil {
		t.Fatal(err)
	}
	if _, err := lnkInvite(c, partner, aws.String("tok-"+account)); err != nil {
		t.Fatal(err)
	}
	alias := caCreated(t, env, c, "desktops."+account+".example.com")
	if err := caShare(c, alias, partner, true); err != nil {
		t.Fatal(err)
	}

	tc := env.ThinClient(account, region)
	desk := fmt.Sprintf("arn:aws:workspaces:%s:%s:directory/%s", region, account, wspDir)
	e := thinCreate(t, tc, &wstc.CreateEnvironmentInput{
		Name: awsv1.String("kiosks"), DesktopArn: awsv1.String(desk), ClientToken: awsv1.String("env-token-1"),
		Tags: thinStrMap(map[string]string{"site": "hq"}), DeviceCreationTags: thinStrMap(map[string]string{"fleet": "a"}),
	})
	d := thinRegister(t, env, awsv1.StringValue(e.ActivationCode), map[string]string{"serialNumber": "SN-" + account + "-" + region})
	devArn := fmt.Sprintf("arn:aws:thinclient:%s:%s:device/%s", region, account, d.ID)
	if _, err := tc.TagResource(&wstc.TagResourceInput{ResourceArn: awsv1.String(devArn), Tags: thinStrMap(map[string]string{"desk": "12"})}); err != nil {
		t.Fatal(err)
	}
	if _, err := tc.UpdateSoftwareSet(&wstc.UpdateSoftwareSetInput{Id: awsv1.String("1003"), ValidationStatus: awsv1.String("VALIDATED")}); err != nil {
		t.Fatal(err)
	}
}

// stRecorder is an HTTP transport that keeps the body of the last response.
type stRecorder struct {
	mu   sync.Mutex
	last []byte
}

func (r *stRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.last = b
	r.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

// stAnswers returns the raw bodies of every Describe/List/Get answer that
// shows account's resources in region, keyed by call.
func stAnswers(t *testing.T, url, account, region string) map[string]string {
	t.Helper()
	rec := &stRecorder{}
	hc := &http.Client{Transport: rec}
	c := workspaces.New(workspaces.Options{
		Region: region, BaseEndpoint: aws.String(url), HTTPClient: hc, RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(account, "secret", ""),
	})
	sess := sessv1.Must(sessv1.NewSession(&awsv1.Config{
		Region: awsv1.String(region), Endpoint: awsv1.String(url), MaxRetries: awsv1.Int(0),
		Credentials: credv1.NewStaticCredentials(account, "secret", ""), DisableEndpointHostPrefix: awsv1.Bool(true),
	}))
	sess.Config.HTTPClient = hc // after NewSession, which refuses a custom transport when AWS_CA_BUNDLE is set
	tc := wstc.New(sess)
	out := map[string]string{}
	keep := func(name string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s as %s in %s: %v", name, account, region, err)
		}
		rec.mu.Lock()
		out[name] = string(rec.last)
		rec.mu.Unlock()
	}
	wsOut := must[*workspaces.DescribeWorkspacesOutput](t)(c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{}))
	keep("DescribeWorkspaces", nil)
	for _, w := range wsOut.Workspaces {
		_, err := c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: w.WorkspaceId})
		keep("DescribeTags "+*w.WorkspaceId, err)
	}
	_, err := c.DescribeWorkspacesConnectionStatus(ctx, &workspaces.DescribeWorkspacesConnectionStatusInput{})
	keep("DescribeWorkspacesConnectionStatus", err)
	groups, err := c.DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{})
	keep("DescribeIpGroups", err)
	for _, g := range groups.Result {
		_, err := c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: g.GroupId})
		keep("DescribeTags "+*g.GroupId, err)
	}
	_, err = c.DescribeWorkspaceDirectories(ctx, &workspaces.DescribeWorkspaceDirectoriesInput{})
	keep("DescribeWorkspaceDirectories", err)
	_, err = c.DescribeAccount(ctx, &workspaces.DescribeAccountInput{})
	keep("DescribeAccount", err)
	_, err = c.DescribeAccountModifications(ctx, &workspaces.DescribeAccountModificationsInput{})
	keep("DescribeAccountModifications", err)
	_, err = c.ListAccountLinks(ctx, &workspaces.ListAccountLinksInput{})
	keep("ListAccountLinks", err)
	images, err := c.DescribeWorkspaceImages(ctx, &workspaces.DescribeWorkspaceImagesInput{})
	keep("DescribeWorkspaceImages", err)
	for _, im := range images.Images {
		if aws.ToString(im.OwnerAccountId) == account {
			_, err := c.DescribeWorkspaceImagePermissions(ctx, &workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: im.ImageId})
			keep("DescribeWorkspaceImagePermissions "+*im.ImageId, err)
		}
	}
	aliases, err := c.DescribeConnectionAliases(ctx, &workspaces.DescribeConnectionAliasesInput{})
	keep("DescribeConnectionAliases", err)
	for _, a := range aliases.ConnectionAliases {
		if aws.ToString(a.OwnerAccountId) == account {
			_, err := c.DescribeConnectionAliasPermissions(ctx, &workspaces.DescribeConnectionAliasPermissionsInput{AliasId: a.AliasId})
			keep("DescribeConnectionAliasPermissions "+*a.AliasId, err)
		}
	}

	envs, err := tc.ListEnvironments(&wstc.ListEnvironmentsInput{})
	keep("ListEnvironments", err)
	for _, e := range envs.Environments {
		_, err := tc.GetEnvironment(&wstc.GetEnvironmentInput{Id: e.Id})
		keep("GetEnvironment "+*e.Id, err)
		_, err = tc.ListTagsForResource(&wstc.ListTagsForResourceInput{ResourceArn: e.Arn})
		keep("ListTagsForResource "+*e.Arn, err)
	}
	devs, err := tc.ListDevices(&wstc.ListDevicesInput{})
	keep("ListDevices", err)
	for _, d := range devs.Devices {
		_, err := tc.GetDevice(&wstc.GetDeviceInput{Id: d.Id})
		keep("GetDevice "+*d.Id, err)
		_, err = tc.ListTagsForResource(&wstc.ListTagsForResourceInput{ResourceArn: d.Arn})
		keep("ListTagsForResource "+*d.Arn, err)
	}
	_, err = tc.ListSoftwareSets(&wstc.ListSoftwareSetsInput{})
	keep("ListSoftwareSets", err)
	_, err = tc.GetSoftwareSet(&wstc.GetSoftwareSetInput{Id: awsv1.String("1003")})
	keep("GetSoftwareSet 1003", err)
	return out
}

// stScopes are the (account, region) pairs the tests build worlds in.
var stScopes = [][2]string{{testenv.AccountA, testenv.Region}, {testenv.AccountA, stWest}, {testenv.AccountB, testenv.Region}}

// stAll returns the answers of every scope of stScopes and the partners.
func stAll(t *testing.T, url string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, sc := range append(slices.Clone(stScopes), [2]string{stAccountC, testenv.Region}, [2]string{stAccountD, testenv.Region}) {
		for k, v := range stAnswers(t, url, sc[0], sc[1]) {
			out[sc[0]+"/"+sc[1]+" "+k] = v
		}
	}
	return out
}

// stDiff fails the test where got and want differ.
func stDiff(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	var bad []string
	for k, w := range want {
		if g, ok := got[k]; !ok {
			bad = append(bad, fmt.Sprintf("%s: missing (want %s)", k, w))
		} else if g != w {
			bad = append(bad, fmt.Sprintf("%s:\n   got %s\n  want %s", k, g, w))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			bad = append(bad, fmt.Sprintf("%s: unexpected %s", k, g))
		}
	}
	slices.Sort(bad)
	if len(bad) > 0 {
		t.Fatalf("%s: %d answers differ:\n%s", what, len(bad), strings.Join(bad, "\n"))
	}
}

// stBuild starts a server with a world in every scope of stScopes (A and B
// share with C and D respectively, so neither involves the other).
func stBuild(t *testing.T) *testenv.Env {
	t.Helper()
	env := testenv.Start(t)
	for _, sc := range stScopes {
		partner := stAccountC
		if sc[0] == testenv.AccountB {
			partner = stAccountD
		}
		stWorld(t, env, sc[0], sc[1], partner)
	}
	return env
}

// stLocal sends a /_local/ request and returns the status and body.
func stLocal(t *testing.T, url, method, path string, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestResetWhole(t *testing.T) {
	env := stBuild(t)
	fresh := stAll(t, testenv.Start(t).URL)
	if status, body := stLocal(t, env.URL, "POST", "/_local/reset", ""); status != 200 || !strings.Contains(string(body), `"reset":"all"`) {
		t.Fatalf("reset: %d %s", status, body)
	}
	stDiff(t, "after a whole reset, compared with a fresh server", stAll(t, env.URL), fresh)
	// Everything can be made again, with the same names, tokens and strings.
	stWorld(t, env, testenv.AccountA, testenv.Region, stAccountC)
	// Pagination tokens still work: the server keeps its paging key.
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	wspReady(t, env, c, wspReq("carol", wspValue))
	p := must[*workspaces.DescribeWorkspacesOutput](t)(c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{Limit: aws.Int32(1)}))
	if p.NextToken == nil {
		t.Fatal("no NextToken with two WorkSpaces and Limit 1")
	}
	must[*workspaces.DescribeWorkspacesOutput](t)(c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{Limit: aws.Int32(1), NextToken: p.NextToken}))
}

func TestResetScoped(t *testing.T) {
	cases := []struct {
		name, body      string
		account, region string
	}{
		{"account and region", `{"account":"111111111111","region":"us-east-1"}`, testenv.AccountA, testenv.Region},
		{"account", `{"account":"111111111111"}`, testenv.AccountA, ""},
		{"region", `{"region":"eu-west-1"}`, "", stWest},
	}
	freshEnv := testenv.Start(t)
	fresh := stAll(t, freshEnv.URL)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := stBuild(t)
			before := stAll(t, env.URL)
			if status, body := stLocal(t, env.URL, "POST", "/_local/reset", tc.body); status != 200 {
				t.Fatalf("reset: %d %s", status, body)
			}
			after := stAll(t, env.URL)
			// A partner's view (C of A, D of B) holds only what its
			// partner shared, so it goes where the partner's does.
			affected := func(k string) bool {
				acct, rest, _ := strings.Cut(k, "/")
				region, _, _ := strings.Cut(rest, " ")
				switch acct {
				case stAccountC:
					acct = testenv.AccountA
				case stAccountD:
					acct = testenv.AccountB
				}
				return (tc.account == "" || acct == tc.account) && (tc.region == "" || region == tc.region)
			}
			want := map[string]string{}
			for k, v := range before {
				if !affected(k) {
					want[k] = v
				}
			}
			for k, v := range fresh {
				if affected(k) {
					want[k] = v
				}
			}
			stDiff(t, "after a scoped reset", after, want)
			// The reset scope can be rebuilt with the same names, strings and tokens.
			if tc.region != "" {
				acct := tc.account
				if acct == "" {
					acct = testenv.AccountA
				}
				stWorld(t, env, acct, tc.region, stAccountC)
			}
		})
	}
}

// TestResetScopedLeavesNothing builds one scope only and checks that its
// scoped reset leaves no record at all: every record kind the services
// write is found by the reset, including the ones keyed without account or
// region (images, aliases, links, reservations, activation codes, indexes).
func TestResetScopedLeavesNothing(t *testing.T) {
	for _, body := range []string{`{"account":"111111111111","region":"us-east-1"}`, `{"account":"111111111111"}`, `{"region":"us-east-1"}`} {
		env := testenv.Start(t)
		stWorld(t, env, testenv.AccountA, testenv.Region, stAccountC)
		// records exports the state; an error body would hold no records and pass.
		records := func() ([]json.RawMessage, []byte) {
			var doc struct {
				Records []json.RawMessage `json:"records"`
			}
			status, b := stLocal(t, env.URL, "GET", "/_local/state", "")
			if err := json.Unmarshal(b, &doc); err != nil || status != 200 || doc.Records == nil {
				t.Fatalf("GET /_local/state: %d %s (%v)", status, b, err)
			}
			return doc.Records, b
		}
		if r, _ := records(); len(r) == 0 {
			t.Fatalf("stWorld stored no records: the reset %s would have nothing to find", body)
		}
		if status, msg := stLocal(t, env.URL, "POST", "/_local/reset", body); status != 200 {
			t.Fatalf("reset %s: %d %s", body, status, msg)
		}
		if r, b := records(); len(r) != 0 {
			t.Errorf("reset %s left %d records:\n%s", body, len(r), b)
		}
	}
}

func TestResetRefusals(t *testing.T) {
	env := testenv.Start(t)
	for _, body := range []string{`{"acount":"111111111111"}`, `{"account":"1111"}`, `{"region":"US East"}`, `[`, `{"account":"111111111111"} x`} {
		status, msg := stLocal(t, env.URL, "POST", "/_local/reset", body)
		if status != 400 || !strings.Contains(string(msg), "message") {
			t.Errorf("reset %s: %d %s, want 400 with a message", body, status, msg)
		}
	}
}

func TestStateRoundTrip(t *testing.T) {
	env := stBuild(t)
	want := stAll(t, env.URL)
	status, doc := stLocal(t, env.URL, "GET", "/_local/state", "")
	if status != 200 {
		t.Fatalf("export: %d %s", status, doc)
	}
	var head struct {
		Format  string    `json:"format"`
		Version int       `json:"version"`
		Clock   time.Time `json:"clock"`
		Records []struct {
			Kind string `json:"kind"`
			Seq  int64  `json:"seq"`
		} `json:"records"`
	}
	if err := json.Unmarshal(doc, &head); err != nil {
		t.Fatal(err)
	}
	if head.Format != "workspaces-local-state" || head.Version != 1 || !head.Clock.Equal(env.Clock.Now()) || len(head.Records) < 20 {
		t.Fatalf("document head = %s v%d clock %v, %d records", head.Format, head.Version, head.Clock, len(head.Records))
	}
	kinds := map[string]bool{}
	for _, r := range head.Records {
		kinds[strings.SplitN(r.Kind, "/", 2)[0]] = true
	}
	for _, k := range []string{"workspaces.ipgroup", "workspaces.directory", "workspaces.tags", "workspaces.account", "workspaces.workspace",
		"workspaces.userslot", "workspaces.link", "workspaces.linktoken", "workspaces.image", "workspaces.counter", "workspaces.alias",
		"workspaces.aliasstring", "workspaces.graveyard", "thinclient.softwareset", "thinclient.environment", "thinclient.device",
		"thinclient.tags", "thinclient.token", "thinclient.activation", "thinclient.deviceindex", "thinclient.serial", "thinclient.envdevices"} {
		if !kinds[k] {
			t.Errorf("the world has no %s record: stWorld must make one of every kind", k)
		}
	}
	t.Logf("%d records of %d kinds", len(head.Records), len(kinds))

	// Same server: reset, then import.
	if status, msg := stLocal(t, env.URL, "POST", "/_local/reset", ""); status != 200 {
		t.Fatalf("reset: %d %s", status, msg)
	}
	if status, msg := stLocal(t, env.URL, "PUT", "/_local/state", string(doc)); status != 200 {
		t.Fatalf("import: %d %s", status, msg)
	}
	stDiff(t, "after export, reset, import", stAll(t, env.URL), want)
	// And a second server, whose clock the import moves to the document's.
	other := testenv.Start(t)
	if status, msg := stLocal(t, other.URL, "PUT", "/_local/state", string(doc)); status != 200 {
		t.Fatalf("import into a second server: %d %s", status, msg)
	}
	if !other.Clock.Now().Equal(env.Clock.Now()) {
		t.Errorf("second server clock %v, want %v", other.Clock.Now(), env.Clock.Now())
	}
	stDiff(t, "in a second server", stAll(t, other.URL), want)
	// The imported world goes on living: time passes, new resources get new Seqs.
	other.Advance(time.Minute)
	stWorld(t, other, stAccountD, stWest, "555555555555")
	// Exporting the second server gives the same records back (with the new ones after them).
	_, again := stLocal(t, other.URL, "GET", "/_local/state", "")
	if !bytes.Contains(again, bytes.TrimSuffix(bytes.SplitN(doc, []byte("\n"), 3)[1], []byte(","))) {
		t.Errorf("the second server's export does not hold the first record of the imported document")
	}
}

func TestStateImportRefusals(t *testing.T) {
	env := testenv.Start(t)
	stWorld(t, env, testenv.AccountA, testenv.Region, stAccountC)
	before := stAll(t, env.URL)
	status, doc := stLocal(t, env.URL, "GET", "/_local/state", "")
	if status != 200 {
		t.Fatalf("export: %d %s", status, doc)
	}
	bad := map[string]string{
		"not JSON":       `{"format":`,
		"wrong format":   `{"format":"other","version":1,"records":[]}`,
		"wrong version":  `{"format":"workspaces-local-state","version":2,"records":[]}`,
		"no records":     `{"format":"workspaces-local-state","version":1}`,
		"unknown member": `{"format":"workspaces-local-state","version":1,"records":[],"extra":1}`,
		"unknown kind":   `{"format":"workspaces-local-state","version":1,"records":[{"kind":"s3.bucket","id":"b","seq":1,"value":{}}]}`,
		"bad value":      `{"format":"workspaces-local-state","version":1,"records":[{"kind":"workspaces.workspace","account":"111111111111","region":"us-east-1","id":"ws-1","seq":1,"value":{"WorkspaceId":5}}]}`,
		"not an object":  `{"format":"workspaces-local-state","version":1,"records":[{"kind":"workspaces.ipgroup","id":"g","seq":1,"value":[]}]}`,
		"duplicate seq":  `{"format":"workspaces-local-state","version":1,"records":[{"kind":"workspaces.ipgroup","id":"g","seq":1,"value":{}},{"kind":"workspaces.ipgroup","id":"h","seq":1,"value":{}}]}`,
		"server meta":    `{"format":"workspaces-local-state","version":1,"records":[{"kind":"server.meta","id":"paging-key","seq":1,"value":{}}]}`,
		"trailing data":  string(doc) + "{}",
	}
	for name, body := range bad {
		status, msg := stLocal(t, env.URL, "PUT", "/_local/state", body)
		if status != 400 || !strings.Contains(string(msg), `"message"`) {
			t.Errorf("%s: %d %s, want 400 with a message", name, status, msg)
		}
	}
	stDiff(t, "after refused imports", stAll(t, env.URL), before)
}
