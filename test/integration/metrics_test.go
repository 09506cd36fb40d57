package integration

import (
	"bufio"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"
	awsv1 "github.com/aws/aws-sdk-go/aws"
	wstc "github.com/aws/aws-sdk-go/service/workspacesthinclient"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// scrape reads GET /_local/metrics into series name{sorted labels} → value.
func scrape(t *testing.T, env *testenv.Env) map[string]float64 {
	t.Helper()
	res, err := http.Get(env.URL + "/_local/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("GET /_local/metrics: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), b)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("unparseable sample %q", line)
		}
		out[line[:i]] = v
	}
	return out
}

func wantSample(t *testing.T, m map[string]float64, series string, want float64) {
	t.Helper()
	if got, ok := m[series]; !ok || got != want {
		t.Errorf("%s = %v (present %v), want %v", series, got, ok, want)
	}
}

// TestMetrics makes known calls through the SDKs and reads them back from
// /_local/metrics: counts by service, operation and HTTP status, the
// duration histogram, store transactions, resources by kind and the runtime.
func TestMetrics(t *testing.T) {
	env := testenv.Start(t)
	a := env.WorkSpaces(testenv.AccountA, testenv.Region)
	for _, name := range []string{"one", "two"} {
		must[*workspaces.CreateIpGroupOutput](t)(a.CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{GroupName: aws.String(name)}))
	}
	_, err := a.DeleteIpGroup(ctx, &workspaces.DeleteIpGroupInput{GroupId: aws.String("wsipg-00000000")})
	wantCode(t, err, "ResourceNotFoundException")
	tc := env.ThinClient(testenv.AccountA, testenv.Region)
	if _, err := tc.ListEnvironments(&wstc.ListEnvironmentsInput{}); err != nil {
		t.Fatal(err)
	}
	_, err = tc.GetEnvironment(&wstc.GetEnvironmentInput{Id: awsv1.String("abcdefghij")})
	wantCode(t, err, "ResourceNotFoundException")
	// An unknown operation of a known service.
	req, _ := http.NewRequest("POST", env.URL+"/", strings.NewReader("{}"))
	req.Header.Set("X-Amz-Target", "WorkspacesService.NoSuchOperation")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()

	m := scrape(t, env)
	wantSample(t, m, `workspaces_local_requests_total{code="200",operation="CreateIpGroup",service="workspaces"}`, 2)
	wantSample(t, m, `workspaces_local_requests_total{code="400",operation="DeleteIpGroup",service="workspaces"}`, 1)
	wantSample(t, m, `workspaces_local_requests_total{code="200",operation="ListEnvironments",service="thinclient"}`, 1)
	wantSample(t, m, `workspaces_local_requests_total{code="404",operation="GetEnvironment",service="thinclient"}`, 1)
	unknown := 0.0 // unsigned, so refused before the operation is looked up: the status is the identity check's
	for series, v := range m {
		if strings.HasPrefix(series, "workspaces_local_requests_total{") && strings.HasSuffix(series, `,operation="unknown",service="workspaces"}`) {
			unknown += v
		}
	}
	if unknown != 1 {
		t.Errorf("calls counted with operation=\"unknown\" = %v, want 1", unknown)
	}
	wantSample(t, m, `workspaces_local_request_duration_seconds_count{operation="CreateIpGroup",service="workspaces"}`, 2)
	wantSample(t, m, `workspaces_local_request_duration_seconds_bucket{operation="CreateIpGroup",service="workspaces",le="+Inf"}`, 2)
	if s := m[`workspaces_local_request_duration_seconds_sum{operation="CreateIpGroup",service="workspaces"}`]; s <= 0 || s > 10 {
		t.Errorf("CreateIpGroup duration sum = %v s", s)
	}
	// Scrapes and other /_local/ calls are not API calls.
	for series := range m {
		if strings.HasPrefix(series, "workspaces_local_requests_total") && strings.Contains(series, `service="local"`) {
			t.Errorf("admin call counted: %s", series)
		}
	}
	if n := m[`workspaces_local_store_transaction_duration_seconds_count{result="ok",type="update"}`]; n < 2 {
		t.Errorf("store update transactions counted = %v, want at least the two creates", n)
	}
	if n := m[`workspaces_local_store_transaction_duration_seconds_count{result="ok",type="view"}`]; n < 1 {
		t.Errorf("store view transactions counted = %v", n)
	}
	for _, series := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes"} {
		if _, ok := m[series]; !ok {
			t.Errorf("%s missing", series)
		}
	}
	wantSample(t, m, `workspaces_local_resources{kind="ip_group",service="workspaces"}`, 2)
	wantSample(t, m, `workspaces_local_resources{kind="workspace",service="workspaces"}`, 0)

	// A second scrape sees the same counts: scraping is not counted.
	wantSample(t, scrape(t, env), `workspaces_local_requests_total{code="200",operation="CreateIpGroup",service="workspaces"}`, 2)
}

// TestMetricsResourcesByKind makes one resource of every kind and reads the
// gauge: a renamed store kind would read 0 here.
func TestMetricsResourcesByKind(t *testing.T) {
	env := testenv.Start(t)
	f := dashPopulate(t, env)
	a := env.WorkSpaces(testenv.AccountA, testenv.Region)
	poolCreate(t, a, "desks", poolsDir(t, env, a), 1)
	must[*workspaces.CreateConnectClientAddInOutput](t)(a.CreateConnectClientAddIn(ctx, &workspaces.CreateConnectClientAddInInput{
		ResourceId: aws.String(f.Directory), Name: aws.String("contact"), URL: aws.String("https://contact.example.com/ccp")}))
	env.Advance(3 * time.Second) // the image is AVAILABLE
	must[*workspaces.CreateWorkspaceBundleOutput](t)(cbCreate(a, "golden-std", f.Image, types.ComputeStandard, "80", "50"))
	m := scrape(t, env)
	for kind, want := range map[string]float64{
		`kind="directory",service="workspaces"`: 2, `kind="workspace",service="workspaces"`: 1,
		`kind="pool",service="workspaces"`: 1, `kind="bundle",service="workspaces"`: 1,
		`kind="ip_group",service="workspaces"`: 2, `kind="image",service="workspaces"`: 1,
		`kind="connect_client_add_in",service="workspaces"`: 1, `kind="account_link",service="workspaces"`: 1, `kind="connection_alias",service="workspaces"`: 1,
		`kind="environment",service="thinclient"`: 1, `kind="device",service="thinclient"`: 1,
	} {
		wantSample(t, m, "workspaces_local_resources{"+kind+"}", want)
	}
}
