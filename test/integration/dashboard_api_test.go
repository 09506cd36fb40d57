package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	awsv1 "github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/request"
	wstc "github.com/aws/aws-sdk-go/service/workspacesthinclient"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// The JSON API behind /_local/ui: scopes, every kind's rows, and a
// resource's description, which must be the very document the API answers.

type dashRow struct {
	ID, Name, State string
	Info            []string
}

type dashKind struct {
	Key, Label, Service, Operation string
	Rows                           []dashRow
	Truncated                      bool
	Error                          *struct{ Code, Message string }
}

type dashRead struct {
	Operation string
	Input     map[string]any
	Output    json.RawMessage
	Error     *struct {
		Code   string
		Status int
	}
}

type dashResource struct {
	Found  bool
	Kind   string
	Reads  []dashRead
	Tags   *dashRead
	TagMap map[string]string
}

func dashGet(t *testing.T, env *testenv.Env, path string, q url.Values, out any) int {
	t.Helper()
	res, err := http.Get(env.URL + path + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("GET %s: Content-Type %q", path, ct)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, b)
	}
	return res.StatusCode
}

func dashKinds(t *testing.T, env *testenv.Env, account, region string) map[string]dashKind {
	t.Helper()
	var out struct{ Kinds []dashKind }
	if code := dashGet(t, env, "/_local/ui/api/resources", url.Values{"account": {account}, "region": {region}}, &out); code != 200 {
		t.Fatalf("resources: %d", code)
	}
	m := map[string]dashKind{}
	for _, k := range out.Kinds {
		if k.Error != nil {
			t.Errorf("%s: %s answered %s: %s", k.Key, k.Operation, k.Error.Code, k.Error.Message)
		}
		for _, r := range k.Rows {
			if r.ID == "" {
				t.Errorf("%s: a row without an id: %+v", k.Key, r)
			}
		}
		m[k.Key] = k
	}
	return m
}

func dashRowOf(t *testing.T, k dashKind, id string) dashRow {
	t.Helper()
	for _, r := range k.Rows {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("%s has no row %s: %+v", k.Key, id, k.Rows)
	return dashRow{}
}

func dashResourceOf(t *testing.T, env *testenv.Env, account, kind, id string) dashResource {
	t.Helper()
	var out dashResource
	if code := dashGet(t, env, "/_local/ui/api/resource", url.Values{"account": {account}, "region": {testenv.Region}, "kind": {kind}, "id": {id}}, &out); code != 200 {
		t.Fatalf("resource %s %s: %d", kind, id, code)
	}
	return out
}

// jsonEqual compares two JSON documents as values.
func jsonEqual(t *testing.T, what string, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v in %s", what, err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: %v in %s", what, err, want)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n dashboard %s\n API       %s", what, got, want)
	}
}

// captureBody makes an aws-sdk-go-v2 client keep the raw body of each response.
func captureBody(dst *[]byte) func(*workspaces.Options) {
	mw := middleware.DeserializeMiddlewareFunc("captureBody", func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
		out, md, err := next.HandleDeserialize(ctx, in)
		if res, ok := out.RawResponse.(*smithyhttp.Response); ok && res.Body != nil {
			b, _ := io.ReadAll(res.Body)
			*dst = b
			res.Body = io.NopCloser(bytes.NewReader(b))
		}
		return out, md, err
	})
	return func(o *workspaces.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error { return s.Deserialize.Add(mw, middleware.After) })
	}
}

func TestDashboardAPI(t *testing.T) {
	env := testenv.Start(t)
	f := dashPopulate(t, env)

	t.Run("scopes", func(t *testing.T) {
		var out struct {
			Scopes []struct{ Account, Region string }
		}
		dashGet(t, env, "/_local/ui/api/scopes", nil, &out)
		got := []string{}
		for _, s := range out.Scopes {
			got = append(got, s.Account+"/"+s.Region)
		}
		want := []string{testenv.AccountA + "/" + testenv.Region, testenv.AccountB + "/eu-west-1"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("scopes = %v, want %v", got, want)
		}
	})

	t.Run("rows", func(t *testing.T) {
		a := env.WorkSpaces(testenv.AccountA, testenv.Region)
		ws := must[*workspaces.DescribeWorkspacesOutput](t)(a.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{WorkspaceIds: []string{f.Workspace}})).Workspaces[0]
		k := dashKinds(t, env, testenv.AccountA, testenv.Region)
		for _, c := range []struct{ kind, id, name, state string }{
			{"directories", f.Directory, "corp.example.com", "REGISTERED"},
			{"workspaces", f.Workspace, "alice", string(ws.State)},
			{"ipgroups", f.IPGroup, "office", ""},
			{"images", f.Image, "golden", "PENDING"},
			{"aliases", f.Alias, "desktops.example.com", "CREATING"},
			{"accountlinks", f.Link, testenv.AccountA + " → " + testenv.AccountB, "PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT"},
			{"account", testenv.AccountA, "10.200.0.0/16", "ENABLED"},
			{"environments", f.Environment, "lobby", ""},
			{"devices", f.Device, "kiosk", "REGISTERED"},
		} {
			r := dashRowOf(t, k[c.kind], c.id)
			if r.Name != c.name || r.State != c.state {
				t.Errorf("%s %s: name %q state %q, want %q %q", c.kind, c.id, r.Name, r.State, c.name, c.state)
			}
		}
		if n := len(k["softwaresets"].Rows); n == 0 {
			t.Error("no software sets listed")
		}
		if n := len(k["bundles"].Rows); n != 0 {
			t.Errorf("%d bundles of the account's own listed; it has none", n)
		}
		// The clock moves: states are the services' own, read again.
		env.Advance(3e9)
		k = dashKinds(t, env, testenv.AccountA, testenv.Region)
		if r := dashRowOf(t, k["images"], f.Image); r.State != "AVAILABLE" {
			t.Errorf("image after 3s: %s, want AVAILABLE", r.State)
		}
		if r := dashRowOf(t, k["aliases"], f.Alias); r.State != "CREATED" {
			t.Errorf("alias after 3s: %s, want CREATED", r.State)
		}
	})

	t.Run("other account", func(t *testing.T) {
		k := dashKinds(t, env, testenv.AccountB, "eu-west-1")
		if rows := k["ipgroups"].Rows; len(rows) != 1 || rows[0].ID != f.IPGroupB {
			t.Errorf("account B's IP groups: %+v, want only %s", rows, f.IPGroupB)
		}
		for _, kind := range []string{"directories", "workspaces", "images", "aliases", "environments", "devices"} {
			if rows := k[kind].Rows; len(rows) != 0 {
				t.Errorf("account B in eu-west-1 lists %s %+v", kind, rows)
			}
		}
		// B is the target of A's invitation in us-east-1: ListAccountLinks shows it there.
		dashRowOf(t, dashKinds(t, env, testenv.AccountB, testenv.Region)["accountlinks"], f.Link)
	})

	t.Run("description is the API's own answer", func(t *testing.T) {
		var body []byte
		a := workspaces.NewFromConfig(aws.Config{}, func(o *workspaces.Options) { *o = env.WorkSpaces(testenv.AccountA, testenv.Region).Options() }, captureBody(&body))
		must[*workspaces.DescribeWorkspacesOutput](t)(a.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{WorkspaceIds: []string{f.Workspace}}))
		r := dashResourceOf(t, env, testenv.AccountA, "workspaces", f.Workspace)
		if !r.Found || len(r.Reads) == 0 || r.Reads[0].Operation != "DescribeWorkspaces" {
			t.Fatalf("resource: %+v", r)
		}
		jsonEqual(t, "DescribeWorkspaces", r.Reads[0].Output, body)
		if want := map[string]string{"owner": "alice"}; !reflect.DeepEqual(r.TagMap, want) {
			t.Errorf("tags %v, want %v", r.TagMap, want)
		}
		must[*workspaces.DescribeWorkspaceImagePermissionsOutput](t)(a.DescribeWorkspaceImagePermissions(ctx, &workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String(f.Image)}))
		perms := body
		r = dashResourceOf(t, env, testenv.AccountA, "images", f.Image)
		if len(r.Reads) != 2 || r.Reads[1].Operation != "DescribeWorkspaceImagePermissions" {
			t.Fatalf("image reads: %+v", r.Reads)
		}
		jsonEqual(t, "DescribeWorkspaceImagePermissions", r.Reads[1].Output, perms)

		// Thin Client (REST-JSON): GetEnvironment through aws-sdk-go v1.
		tc := env.ThinClient(testenv.AccountA, testenv.Region)
		req, _ := tc.GetEnvironmentRequest(&wstc.GetEnvironmentInput{Id: awsv1.String(f.Environment)})
		var raw []byte
		req.Handlers.Send.PushBack(func(r *request.Request) {
			raw, _ = io.ReadAll(r.HTTPResponse.Body)
			r.HTTPResponse.Body = io.NopCloser(bytes.NewReader(raw))
		})
		if err := req.Send(); err != nil {
			t.Fatal(err)
		}
		r = dashResourceOf(t, env, testenv.AccountA, "environments", f.Environment)
		jsonEqual(t, "GetEnvironment", r.Reads[0].Output, raw)
		if r.Tags == nil || r.Tags.Operation != "ListTagsForResource" || r.Tags.Input["resourceArn"] != f.EnvironmentArn {
			t.Errorf("environment tags read: %+v", r.Tags)
		}
		if want := map[string]string{"site": "lobby"}; !reflect.DeepEqual(r.TagMap, want) {
			t.Errorf("environment tags %v, want %v", r.TagMap, want)
		}
	})

	t.Run("isolation and absence", func(t *testing.T) {
		// Account B cannot describe A's WorkSpace through the dashboard either.
		if r := dashResourceOf(t, env, testenv.AccountB, "workspaces", f.Workspace); r.Found {
			t.Errorf("account B sees A's WorkSpace: %+v", r)
		}
		if r := dashResourceOf(t, env, testenv.AccountA, "environments", "zzzzzzzzzz"); r.Found || r.Reads[0].Error == nil || r.Reads[0].Error.Code != "ResourceNotFoundException" {
			t.Errorf("missing environment: %+v", r)
		}
	})

	t.Run("bad parameters", func(t *testing.T) {
		for _, c := range []struct {
			path string
			q    url.Values
			want string
		}{
			{"/_local/ui/api/resources", url.Values{"account": {"12"}, "region": {"us-east-1"}}, "account"},
			{"/_local/ui/api/resources", url.Values{"account": {testenv.AccountA}, "region": {"Mars"}}, "region"},
			{"/_local/ui/api/resources", url.Values{"account": {testenv.AccountA}, "region": {"us-east-9"}}, "region"}, // shaped like one, but no AWS region
			{"/_local/ui/api/resource", url.Values{"account": {testenv.AccountA}, "region": {"us-east-1"}, "kind": {"nope"}}, "kind"},
			{"/_local/ui/api/resource", url.Values{"account": {testenv.AccountA}, "region": {"us-east-1"}, "kind": {"workspaces"}}, "id"},
		} {
			var out struct{ Message string }
			if code := dashGet(t, env, c.path, c.q, &out); code != 400 || !strings.Contains(out.Message, c.want) {
				t.Errorf("%s?%s: %d %q, want 400 naming %s", c.path, c.q.Encode(), code, out.Message, c.want)
			}
		}
	})

	t.Run("features match the endpoints", func(t *testing.T) {
		var got map[string]bool
		dashGet(t, env, "/_local/ui/api/features", nil, &got)
		res, err := http.Get(env.URL + "/_local/requests?limit=1")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if got["journal"] != (res.StatusCode != 404) || !got["clock"] {
			t.Errorf("features %v; GET /_local/requests answered %d", got, res.StatusCode)
		}
	})
}

func TestDashboardPage(t *testing.T) {
	env := testenv.Start(t)
	for path, ct := range map[string]string{
		"/_local/ui": "text/html", "/_local/ui/": "text/html", "/_local/ui/assets/app.js": "text/javascript",
		"/_local/ui/assets/style.css": "text/css", "/_local/ui/assets/favicon.svg": "image/svg+xml",
	} {
		res, err := http.Get(env.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), ct) || len(b) == 0 {
			t.Errorf("GET %s: %d %q (%d bytes)", path, res.StatusCode, res.Header.Get("Content-Type"), len(b))
		}
		if strings.Contains(string(b), "http://") || strings.Contains(string(b), "https://") {
			if path != "/_local/ui/assets/favicon.svg" { // the SVG namespace is a name, not a fetch
				t.Errorf("%s names an outside URL", path)
			}
		}
	}
	res, err := http.Get(env.URL + "/_local/ui")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
}

// The dashboard lists WorkSpaces pools and shows a directory's Amazon
// Connect add-in in its description, each read through the API's own
// operation (DescribeWorkspacesPools, DescribeConnectClientAddIns).
func TestDashboardPoolsAndAddIns(t *testing.T) {
	env := testenv.Start(t)
	a := env.WorkSpaces(testenv.AccountA, testenv.Region)
	dir := poolsDir(t, env, a)
	pool := poolCreate(t, a, "desks", dir, 2)
	addIn := must[*workspaces.CreateConnectClientAddInOutput](t)(a.CreateConnectClientAddIn(ctx, &workspaces.CreateConnectClientAddInInput{
		ResourceId: aws.String(dir), Name: aws.String("contact"), URL: aws.String("https://contact.example.com/ccp")})).AddInId

	p := poolGet(t, a, pool)
	r := dashRowOf(t, dashKinds(t, env, testenv.AccountA, testenv.Region)["pools"], pool)
	if r.Name != "desks" || r.State != string(p.State) {
		t.Errorf("pool row: name %q state %q, want desks %s", r.Name, r.State, p.State)
	}
	if rows := dashKinds(t, env, testenv.AccountB, testenv.Region)["pools"].Rows; len(rows) != 0 {
		t.Errorf("account B lists A's pools: %+v", rows)
	}

	var body []byte
	c := workspaces.NewFromConfig(aws.Config{}, func(o *workspaces.Options) { *o = a.Options() }, captureBody(&body))
	must[*workspaces.DescribeWorkspacesPoolsOutput](t)(c.DescribeWorkspacesPools(ctx, &workspaces.DescribeWorkspacesPoolsInput{PoolIds: []string{pool}}))
	res := dashResourceOf(t, env, testenv.AccountA, "pools", pool)
	if !res.Found || len(res.Reads) != 2 || res.Reads[1].Operation != "DescribeWorkspacesPoolSessions" || res.Reads[1].Error != nil {
		t.Fatalf("pool reads: %+v", res)
	}
	jsonEqual(t, "DescribeWorkspacesPools", res.Reads[0].Output, body)

	must[*workspaces.DescribeConnectClientAddInsOutput](t)(c.DescribeConnectClientAddIns(ctx, &workspaces.DescribeConnectClientAddInsInput{ResourceId: aws.String(dir)}))
	res = dashResourceOf(t, env, testenv.AccountA, "directories", dir)
	var got *dashRead
	for i := range res.Reads {
		if res.Reads[i].Operation == "DescribeConnectClientAddIns" {
			got = &res.Reads[i]
		}
	}
	if got == nil || got.Error != nil {
		t.Fatalf("directory reads: %+v", res.Reads)
	}
	jsonEqual(t, "DescribeConnectClientAddIns", got.Output, body)
	if !strings.Contains(string(got.Output), *addIn) {
		t.Errorf("add-in %s missing from %s", *addIn, got.Output)
	}
}
