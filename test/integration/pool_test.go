package integration

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"

	"github.com/workspaces-local/workspaces-local/internal/app"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// WorkSpaces Pools (spec §18) on the manual clock with the default delays:
// pool create 2s, start/stop/update/terminate 1s, directory register 1s.

const poolBundle = "wsb-93xk71ss4" // Standard with Windows 10 (Server 2022 based) (WSP)

var poolIDRe = regexp.MustCompile(`^wspool-[0-9a-z]{9}$`)

// poolsDir registers a POOLS directory and waits until it is REGISTERED.
func poolsDir(t *testing.T, env *testenv.Env, c *workspaces.Client) string {
	t.Helper()
	out := must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{
		WorkspaceType: types.WorkspaceTypePools, UserIdentityType: types.UserIdentityTypeCustomerManaged,
		WorkspaceDirectoryName: aws.String("pools-dir"), WorkspaceDirectoryDescription: aws.String("pools")}))
	env.Advance(time.Second)
	return *out.DirectoryId
}

func poolGet(t *testing.T, c *workspaces.Client, id string) *types.WorkspacesPool {
	t.Helper()
	out := must[*workspaces.DescribeWorkspacesPoolsOutput](t)(c.DescribeWorkspacesPools(ctx, &workspaces.DescribeWorkspacesPoolsInput{PoolIds: []string{id}}))
	if len(out.WorkspacesPools) == 0 {
		return nil
	}
	return &out.WorkspacesPools[0]
}

func wantPool(t *testing.T, c *workspaces.Client, id string, state types.WorkspacesPoolState, desired, actual, active int32) {
	t.Helper()
	p := poolGet(t, c, id)
	if p == nil {
		t.Fatalf("pool %s not found, want %s", id, state)
	}
	cs := p.CapacityStatus
	if p.State != state || *cs.DesiredUserSessions != desired || *cs.ActualUserSessions != actual || *cs.ActiveUserSessions != active ||
		*cs.AvailableUserSessions != actual-active {
		t.Fatalf("pool %s = %s %+v, want %s desired %d actual %d active %d", id, p.State, *cs, state, desired, actual, active)
	}
}

func poolCreate(t *testing.T, c *workspaces.Client, name, dir string, desired int32) string {
	t.Helper()
	out := must[*workspaces.CreateWorkspacesPoolOutput](t)(c.CreateWorkspacesPool(ctx, &workspaces.CreateWorkspacesPoolInput{
		PoolName: aws.String(name), Description: aws.String("Support desks"), BundleId: aws.String(poolBundle), DirectoryId: aws.String(dir),
		Capacity: &types.Capacity{DesiredUserSessions: aws.Int32(desired)}, RunningMode: types.PoolsRunningModeAutoStop}))
	return *out.WorkspacesPool.PoolId
}

// localPost posts body to a /_local/ path and decodes the answer into v.
func localPost(t *testing.T, env *testenv.Env, path, body string, v any) int {
	t.Helper()
	resp, err := http.Post(env.URL+path, "application/json", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		_ = json.NewDecoder(resp.Body).Decode(v)
	}
	return resp.StatusCode
}

func TestPoolLifecycle(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	dir := poolsDir(t, env, c)
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String("d-1234567890")}))
	env.Advance(time.Second)

	out := must[*workspaces.CreateWorkspacesPoolOutput](t)(c.CreateWorkspacesPool(ctx, &workspaces.CreateWorkspacesPoolInput{
		PoolName: aws.String("support"), Description: aws.String("Support desks"), BundleId: aws.String(poolBundle), DirectoryId: aws.String(dir),
		Capacity: &types.Capacity{DesiredUserSessions: aws.Int32(2)}, RunningMode: types.PoolsRunningModeAutoStop,
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("support")}}}))
	p := out.WorkspacesPool
	id := *p.PoolId
	if p.State != types.WorkspacesPoolStateCreating || !poolIDRe.MatchString(id) || !strings.HasSuffix(*p.PoolArn, ":workspacespool/"+id) ||
		p.ApplicationSettings == nil || p.ApplicationSettings.Status != types.ApplicationSettingsStatusEnumDisabled ||
		aws.ToInt32(p.TimeoutSettings.MaxUserDurationInSeconds) != 57600 || aws.ToInt32(p.TimeoutSettings.DisconnectTimeoutInSeconds) != 900 ||
		aws.ToInt32(p.TimeoutSettings.IdleDisconnectTimeoutInSeconds) != 900 || *p.CapacityStatus.DesiredUserSessions != 2 || *p.CapacityStatus.ActualUserSessions != 0 {
		t.Fatalf("created pool = %+v", p)
	}
	tags := must[*workspaces.DescribeTagsOutput](t)(c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: aws.String(id)}))
	if len(tags.TagList) != 1 || *tags.TagList[0].Key != "team" {
		t.Fatalf("pool tags = %+v", tags.TagList)
	}

	// Creation errors (spec §18.3).
	create := func(name, bundle, dir string) error {
		_, err := c.CreateWorkspacesPool(ctx, &workspaces.CreateWorkspacesPoolInput{PoolName: aws.String(name), Description: aws.String("x"),
			BundleId: aws.String(bundle), DirectoryId: aws.String(dir), Capacity: &types.Capacity{DesiredUserSessions: aws.Int32(1)}})
		return err
	}
	wantCode(t, create("support", poolBundle, dir), "ResourceAlreadyExistsException")
	wantCode(t, create("other", poolBundle, "d-1234567890"), "OperationNotSupportedException")
	wantCode(t, create("other", "wsb-doesnotexist", dir), "ResourceNotFoundException")
	wantCode(t, create("other", "wsb-clj85qzj1", dir), "OperationNotSupportedException")
	wantCode(t, create("other", poolBundle, "wsd-000000000"), "ResourceNotFoundException")
	_, err := c.CreateWorkspacesPool(ctx, &workspaces.CreateWorkspacesPoolInput{PoolName: aws.String("big"), Description: aws.String("x"),
		BundleId: aws.String(poolBundle), DirectoryId: aws.String(dir), Capacity: &types.Capacity{DesiredUserSessions: aws.Int32(999)}})
	wantCode(t, err, "ResourceLimitExceededException")

	// Busy while CREATING.
	_, err = c.StopWorkspacesPool(ctx, &workspaces.StopWorkspacesPoolInput{PoolId: aws.String(id)})
	wantCode(t, err, "OperationInProgressException")

	env.Advance(2 * time.Second)
	wantPool(t, c, id, types.WorkspacesPoolStateRunning, 2, 2, 0)

	// Filters (spec §18.8).
	filter := func(op types.DescribeWorkspacesPoolsFilterOperator, v string) int {
		out := must[*workspaces.DescribeWorkspacesPoolsOutput](t)(c.DescribeWorkspacesPools(ctx, &workspaces.DescribeWorkspacesPoolsInput{
			Filters: []types.DescribeWorkspacesPoolsFilter{{Name: types.DescribeWorkspacesPoolsFilterNamePoolname, Values: []string{v}, Operator: op}}}))
		return len(out.WorkspacesPools)
	}
	if filter(types.DescribeWorkspacesPoolsFilterOperatorContains, "supp") != 1 || filter(types.DescribeWorkspacesPoolsFilterOperatorNotequals, "support") != 0 ||
		filter(types.DescribeWorkspacesPoolsFilterOperatorEquals, "support") != 1 || filter(types.DescribeWorkspacesPoolsFilterOperatorNotcontains, "xx") != 1 {
		t.Fatal("pool name filters")
	}
	if poolGet(t, c, "wspool-000000000") != nil {
		t.Fatal("unknown pool id listed")
	}

	// Update (spec §18.4): running mode only while STOPPED; unchanged values are no change.
	_, err = c.UpdateWorkspacesPool(ctx, &workspaces.UpdateWorkspacesPoolInput{PoolId: aws.String(id), RunningMode: types.PoolsRunningModeAlwaysOn})
	wantCode(t, err, "InvalidResourceStateException")
	up := must[*workspaces.UpdateWorkspacesPoolOutput](t)(c.UpdateWorkspacesPool(ctx, &workspaces.UpdateWorkspacesPoolInput{PoolId: aws.String(id),
		RunningMode: types.PoolsRunningModeAutoStop, BundleId: aws.String(poolBundle)}))
	if up.WorkspacesPool.State != types.WorkspacesPoolStateRunning {
		t.Fatalf("no-change update: state %s", up.WorkspacesPool.State)
	}
	up = must[*workspaces.UpdateWorkspacesPoolOutput](t)(c.UpdateWorkspacesPool(ctx, &workspaces.UpdateWorkspacesPoolInput{PoolId: aws.String(id),
		Capacity: &types.Capacity{DesiredUserSessions: aws.Int32(3)}, RunningMode: types.PoolsRunningModeAutoStop}))
	if up.WorkspacesPool.State != types.WorkspacesPoolStateUpdating || *up.WorkspacesPool.CapacityStatus.DesiredUserSessions != 3 {
		t.Fatalf("update = %+v", up.WorkspacesPool)
	}
	_, err = c.UpdateWorkspacesPool(ctx, &workspaces.UpdateWorkspacesPoolInput{PoolId: aws.String(id), Description: aws.String("again")})
	wantCode(t, err, "OperationInProgressException")
	env.Advance(time.Second)
	wantPool(t, c, id, types.WorkspacesPoolStateRunning, 3, 3, 0)

	// Sessions (spec §18.9, §18.10).
	var sess types.WorkspacesPoolSession
	var raw map[string]any
	if st := localPost(t, env, "/_local/workspaces/pools/"+id+"/sessions", `{"userId":"alice"}`, &raw); st != 201 {
		t.Fatalf("start session: %d %v", st, raw)
	}
	if st := localPost(t, env, "/_local/workspaces/pools/"+id+"/sessions", `{"userId":"alice"}`, nil); st != 409 {
		t.Fatalf("second session for alice: %d", st)
	}
	if st := localPost(t, env, "/_local/workspaces/pools/wspool-000000000/sessions", `{"userId":"alice"}`, nil); st != 404 {
		t.Fatalf("unknown pool: %d", st)
	}
	if st := localPost(t, env, "/_local/workspaces/pools/"+id+"/sessions", `{"userId":"a"}`, nil); st != 400 {
		t.Fatalf("short user id: %d", st)
	}
	for _, body := range []string{``, `{"userId":`, `{"userId":7}`} {
		if st := localPost(t, env, "/_local/workspaces/pools/"+id+"/sessions", body, nil); st != 400 {
			t.Fatalf("session body %q: %d, want 400", body, st)
		}
	}
	wantPool(t, c, id, types.WorkspacesPoolStateRunning, 3, 3, 1)
	ss := must[*workspaces.DescribeWorkspacesPoolSessionsOutput](t)(c.DescribeWorkspacesPoolSessions(ctx, &workspaces.DescribeWorkspacesPoolSessionsInput{PoolId: aws.String(id)}))
	if len(ss.Sessions) != 1 {
		t.Fatalf("sessions = %+v", ss.Sessions)
	}
	sess = ss.Sessions[0]
	if *sess.UserId != "alice" || sess.ConnectionState != types.SessionConnectionStateConnected || sess.AuthenticationType != types.AuthenticationTypeSaml ||
		!strings.HasPrefix(*sess.InstanceId, "i-") || sess.ExpirationTime.Sub(*sess.StartTime) != 57600*time.Second || raw["SessionId"] != *sess.SessionId {
		t.Fatalf("session = %+v (local %v)", sess, raw)
	}
	bob := must[*workspaces.DescribeWorkspacesPoolSessionsOutput](t)(c.DescribeWorkspacesPoolSessions(ctx, &workspaces.DescribeWorkspacesPoolSessionsInput{PoolId: aws.String(id), UserId: aws.String("bob")}))
	if len(bob.Sessions) != 0 {
		t.Fatalf("bob's sessions = %+v", bob.Sessions)
	}
	// Other account: neither the pool nor the session.
	cb := env.WorkSpaces(testenv.AccountB, testenv.Region)
	_, err = cb.DescribeWorkspacesPoolSessions(ctx, &workspaces.DescribeWorkspacesPoolSessionsInput{PoolId: aws.String(id)})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = cb.TerminateWorkspacesPoolSession(ctx, &workspaces.TerminateWorkspacesPoolSessionInput{SessionId: sess.SessionId})
	wantCode(t, err, "ResourceNotFoundException")
	if poolGet(t, cb, id) != nil {
		t.Fatal("account B sees account A's pool")
	}

	// Disconnect, then the disconnect timeout (900s) ends the session.
	var s2 map[string]any
	if st := localPost(t, env, "/_local/workspaces/pools/sessions/"+*sess.SessionId+"/disconnect", ``, &s2); st != 200 || s2["ConnectionState"] != "NOT_CONNECTED" {
		t.Fatalf("disconnect: %d %v", st, s2)
	}
	if st := localPost(t, env, "/_local/workspaces/pools/sessions/"+*sess.SessionId+"/connect", ``, &s2); st != 200 || s2["ConnectionState"] != "CONNECTED" {
		t.Fatalf("connect: %d %v", st, s2)
	}
	must[*workspaces.TerminateWorkspacesPoolSessionOutput](t)(c.TerminateWorkspacesPoolSession(ctx, &workspaces.TerminateWorkspacesPoolSessionInput{SessionId: sess.SessionId}))
	wantPool(t, c, id, types.WorkspacesPoolStateRunning, 3, 3, 0)
	_, err = c.TerminateWorkspacesPoolSession(ctx, &workspaces.TerminateWorkspacesPoolSessionInput{SessionId: sess.SessionId})
	wantCode(t, err, "ResourceNotFoundException")

	localPost(t, env, "/_local/workspaces/pools/"+id+"/sessions", `{"userId":"carol","connected":false}`, &raw)
	wantPool(t, c, id, types.WorkspacesPoolStateRunning, 3, 3, 1)
	env.Advance(900 * time.Second)
	wantPool(t, c, id, types.WorkspacesPoolStateRunning, 3, 3, 0)

	// Capacity: full pool refuses a fourth session.
	for _, u := range []string{"u1", "u2", "u3"} {
		if st := localPost(t, env, "/_local/workspaces/pools/"+id+"/sessions", `{"userId":"`+u+`"}`, nil); st != 201 {
			t.Fatalf("session %s: %d", u, st)
		}
	}
	if st := localPost(t, env, "/_local/workspaces/pools/"+id+"/sessions", `{"userId":"u4"}`, nil); st != 409 {
		t.Fatalf("session beyond capacity: %d", st)
	}
	page := must[*workspaces.DescribeWorkspacesPoolSessionsOutput](t)(c.DescribeWorkspacesPoolSessions(ctx, &workspaces.DescribeWorkspacesPoolSessionsInput{PoolId: aws.String(id), Limit: aws.Int32(2)}))
	if len(page.Sessions) != 2 || page.NextToken == nil {
		t.Fatalf("session page 1 = %d, token %v", len(page.Sessions), page.NextToken)
	}
	page = must[*workspaces.DescribeWorkspacesPoolSessionsOutput](t)(c.DescribeWorkspacesPoolSessions(ctx, &workspaces.DescribeWorkspacesPoolSessionsInput{PoolId: aws.String(id), Limit: aws.Int32(2), NextToken: page.NextToken}))
	if len(page.Sessions) != 1 || page.NextToken != nil {
		t.Fatalf("session page 2 = %d, token %v", len(page.Sessions), page.NextToken)
	}
	_, err = c.DescribeWorkspacesPoolSessions(ctx, &workspaces.DescribeWorkspacesPoolSessionsInput{PoolId: aws.String(id), NextToken: aws.String("garbage")})
	wantCode(t, err, "InvalidParameterValuesException")

	// Stop: sessions end, Actual 0; stop again → IRS; start → IRS while STOPPED? no: start works.
	_, err = c.StartWorkspacesPool(ctx, &workspaces.StartWorkspacesPoolInput{PoolId: aws.String(id)})
	wantCode(t, err, "InvalidResourceStateException")
	must[*workspaces.StopWorkspacesPoolOutput](t)(c.StopWorkspacesPool(ctx, &workspaces.StopWorkspacesPoolInput{PoolId: aws.String(id)}))
	wantPool(t, c, id, types.WorkspacesPoolStateStopping, 3, 3, 3)
	env.Advance(time.Second)
	wantPool(t, c, id, types.WorkspacesPoolStateStopped, 3, 0, 0)
	_, err = c.StopWorkspacesPool(ctx, &workspaces.StopWorkspacesPoolInput{PoolId: aws.String(id)})
	wantCode(t, err, "InvalidResourceStateException")
	up = must[*workspaces.UpdateWorkspacesPoolOutput](t)(c.UpdateWorkspacesPool(ctx, &workspaces.UpdateWorkspacesPoolInput{PoolId: aws.String(id), RunningMode: types.PoolsRunningModeAlwaysOn}))
	if up.WorkspacesPool.State != types.WorkspacesPoolStateUpdating {
		t.Fatalf("running-mode update: %s", up.WorkspacesPool.State)
	}
	env.Advance(time.Second)
	if p := poolGet(t, c, id); p.State != types.WorkspacesPoolStateStopped || p.RunningMode != types.PoolsRunningModeAlwaysOn {
		t.Fatalf("after update: %s %s", p.State, p.RunningMode)
	}
	must[*workspaces.StartWorkspacesPoolOutput](t)(c.StartWorkspacesPool(ctx, &workspaces.StartWorkspacesPoolInput{PoolId: aws.String(id)}))
	wantPool(t, c, id, types.WorkspacesPoolStateStarting, 3, 0, 0)
	env.Advance(time.Second)
	wantPool(t, c, id, types.WorkspacesPoolStateRunning, 3, 3, 0)

	// The directory and bundle are in use.
	_, err = c.DeregisterWorkspaceDirectory(ctx, &workspaces.DeregisterWorkspaceDirectoryInput{DirectoryId: aws.String(dir)})
	wantCode(t, err, "OperationNotSupportedException")

	// Terminate: STOPPING → DELETING → gone; the name is free again.
	must[*workspaces.TerminateWorkspacesPoolOutput](t)(c.TerminateWorkspacesPool(ctx, &workspaces.TerminateWorkspacesPoolInput{PoolId: aws.String(id)}))
	wantPool(t, c, id, types.WorkspacesPoolStateStopping, 3, 0, 0)
	must[*workspaces.TerminateWorkspacesPoolOutput](t)(c.TerminateWorkspacesPool(ctx, &workspaces.TerminateWorkspacesPoolInput{PoolId: aws.String(id)}))
	env.Advance(time.Second)
	wantPool(t, c, id, types.WorkspacesPoolStateDeleting, 3, 0, 0)
	env.Advance(time.Second)
	if poolGet(t, c, id) != nil {
		t.Fatal("terminated pool still listed")
	}
	_, err = c.TerminateWorkspacesPool(ctx, &workspaces.TerminateWorkspacesPoolInput{PoolId: aws.String(id)})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: aws.String(id)})
	wantCode(t, err, "ResourceNotFoundException")
	poolCreate(t, c, "support", dir, 1)
}

func TestPoolPagingAndQuota(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	dir := poolsDir(t, env, c)
	for _, n := range []string{"p1", "p2", "p3"} {
		poolCreate(t, c, n, dir, 1)
	}
	out := must[*workspaces.DescribeWorkspacesPoolsOutput](t)(c.DescribeWorkspacesPools(ctx, &workspaces.DescribeWorkspacesPoolsInput{Limit: aws.Int32(2)}))
	if len(out.WorkspacesPools) != 2 || out.NextToken == nil || *out.WorkspacesPools[0].PoolName != "p1" {
		t.Fatalf("page 1: %d pools, token %v", len(out.WorkspacesPools), out.NextToken)
	}
	out = must[*workspaces.DescribeWorkspacesPoolsOutput](t)(c.DescribeWorkspacesPools(ctx, &workspaces.DescribeWorkspacesPoolsInput{Limit: aws.Int32(2), NextToken: out.NextToken}))
	if len(out.WorkspacesPools) != 1 || out.NextToken != nil || *out.WorkspacesPools[0].PoolName != "p3" {
		t.Fatalf("page 2: %+v", out.WorkspacesPools)
	}
	_, err := c.DescribeWorkspacesPools(ctx, &workspaces.DescribeWorkspacesPoolsInput{NextToken: aws.String("bad")})
	wantCode(t, err, "InvalidParameterValuesException")
	// Terminating a STOPPED pool goes straight to DELETING.
	id := *out.WorkspacesPools[0].PoolId
	env.Advance(2 * time.Second)
	must[*workspaces.StopWorkspacesPoolOutput](t)(c.StopWorkspacesPool(ctx, &workspaces.StopWorkspacesPoolInput{PoolId: aws.String(id)}))
	_, err = c.TerminateWorkspacesPool(ctx, &workspaces.TerminateWorkspacesPoolInput{PoolId: aws.String(id)})
	wantCode(t, err, "OperationInProgressException")
	env.Advance(time.Second)
	must[*workspaces.TerminateWorkspacesPoolOutput](t)(c.TerminateWorkspacesPool(ctx, &workspaces.TerminateWorkspacesPoolInput{PoolId: aws.String(id)}))
	wantPool(t, c, id, types.WorkspacesPoolStateDeleting, 1, 0, 0)
	_, err = c.UpdateWorkspacesPool(ctx, &workspaces.UpdateWorkspacesPoolInput{PoolId: aws.String(id), Description: aws.String("x")})
	wantCode(t, err, "InvalidResourceStateException")
	_, err = c.UpdateWorkspacesPool(ctx, &workspaces.UpdateWorkspacesPoolInput{PoolId: aws.String("wspool-000000000")})
	wantCode(t, err, "ResourceNotFoundException")
}

func TestPoolKnobs(t *testing.T) {
	env := testenv.Start(t, func(c *app.Config) {
		c.WorkSpacesPools = wssvc.PoolKnobs{ClosedToNewCustomers: true, StrictRunningMode: true}
	})
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	dir := poolsDir(t, env, c)
	_, err := c.CreateWorkspacesPool(ctx, &workspaces.CreateWorkspacesPoolInput{PoolName: aws.String("p"), Description: aws.String("x"),
		BundleId: aws.String(poolBundle), DirectoryId: aws.String(dir), Capacity: &types.Capacity{DesiredUserSessions: aws.Int32(1)}, RunningMode: types.PoolsRunningModeAlwaysOn})
	wantCode(t, err, "AccessDeniedException")
}

func TestPoolStrictRunningMode(t *testing.T) {
	env := testenv.Start(t, func(c *app.Config) { c.WorkSpacesPools = wssvc.PoolKnobs{StrictRunningMode: true} })
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	dir := poolsDir(t, env, c)
	out := must[*workspaces.CreateWorkspacesPoolOutput](t)(c.CreateWorkspacesPool(ctx, &workspaces.CreateWorkspacesPoolInput{PoolName: aws.String("p"), Description: aws.String("x"),
		BundleId: aws.String(poolBundle), DirectoryId: aws.String(dir), Capacity: &types.Capacity{DesiredUserSessions: aws.Int32(1)}, RunningMode: types.PoolsRunningModeAlwaysOn}))
	env.Advance(2 * time.Second)
	_, err := c.StopWorkspacesPool(ctx, &workspaces.StopWorkspacesPoolInput{PoolId: out.WorkspacesPool.PoolId})
	wantCode(t, err, "InvalidResourceStateException")
	// Strict mode does not affect creation of AUTO_STOP pools.
	poolCreate(t, c, "q", dir, 1)
}
