package integration

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
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

// WorkSpaces lifecycle (spec §4.1, §6, Appendix C.2), driven through
// aws-sdk-go-v2 with the frozen test clock and the default delays: create 2s,
// terminate 1s, cleanup 2s, reboot 1s, rebuild 2s, start 1s, stop 1s,
// modify 2s.

const (
	wspDir         = "d-1234567890"
	wspValue       = "wsb-bh8rsxt14" // VALUE 80/10, Windows 10
	wspPerformance = "wsb-gm4d5tx2v" // PERFORMANCE 80/100, Windows Server 2016
	wspLinux       = "wsb-clj85qzj1" // STANDARD 80/50, Amazon Linux 2
	wspGraphics    = "wsb-03gyjnfyy" // GRAPHICS 100/100
	wspG4dn        = "wsb-4dq1k4sxm" // GRAPHICSPRO_G4DN 100/100
)

var (
	wspIDPattern       = regexp.MustCompile(`^ws-[0-9a-z]{9}$`)
	wspIPPattern       = regexp.MustCompile(`^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$`)
	wspComputerPattern = regexp.MustCompile(`^WSAMZN-[A-Z0-9]{8}$`)
)

// wspStart starts a server and registers wspDir for account A (REGISTERED
// after one second).
func wspStart(t *testing.T, opts ...testenv.Option) (*testenv.Env, *workspaces.Client) {
	t.Helper()
	env := testenv.Start(t, opts...)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	wspRegister(t, env, c, wspDir)
	return env, c
}

func wspRegister(t *testing.T, env *testenv.Env, c *workspaces.Client, dir string) {
	t.Helper()
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String(dir)}))
	env.Advance(time.Second)
}

func wspReq(user, bundle string) types.WorkspaceRequest {
	return types.WorkspaceRequest{DirectoryId: aws.String(wspDir), UserName: aws.String(user), BundleId: aws.String(bundle)}
}

func wspAutoStop(r types.WorkspaceRequest) types.WorkspaceRequest {
	r.WorkspaceProperties = &types.WorkspaceProperties{RunningMode: types.RunningModeAutoStop}
	return r
}

// wspCreate creates WorkSpaces that must all be accepted and returns their ids
// in request order.
func wspCreate(t *testing.T, c *workspaces.Client, reqs ...types.WorkspaceRequest) []string {
	t.Helper()
	out := must[*workspaces.CreateWorkspacesOutput](t)(c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: reqs}))
	if len(out.FailedRequests) != 0 || len(out.PendingRequests) != len(reqs) {
		t.Fatalf("CreateWorkspaces: %d pending, failed %s", len(out.PendingRequests), wspFailures(out.FailedRequests))
	}
	ids := make([]string, len(reqs))
	for i, w := range out.PendingRequests {
		if w.State != types.WorkspaceStatePending || !wspIDPattern.MatchString(aws.ToString(w.WorkspaceId)) ||
			aws.ToString(w.UserName) != aws.ToString(reqs[i].UserName) {
			t.Fatalf("PendingRequests[%d] = %+v for request %+v", i, w, reqs[i])
		}
		ids[i] = *w.WorkspaceId
	}
	return ids
}

// wspReady creates WorkSpaces and waits the 2s until they are AVAILABLE.
func wspReady(t *testing.T, env *testenv.Env, c *workspaces.Client, reqs ...types.WorkspaceRequest) []string {
	t.Helper()
	ids := wspCreate(t, c, reqs...)
	env.Advance(2 * time.Second)
	for _, id := range ids {
		wspWantState(t, c, id, types.WorkspaceStateAvailable)
	}
	return ids
}

func wspFailures(f []types.FailedCreateWorkspaceRequest) string {
	var b strings.Builder
	for _, x := range f {
		fmt.Fprintf(&b, "[%s: %s] ", aws.ToString(x.ErrorCode), aws.ToString(x.ErrorMessage))
	}
	return b.String()
}

// wspGet returns the WorkSpace as DescribeWorkspaces{WorkspaceIds:[id]}
// shows it, or nil when it is absent.
func wspGet(t *testing.T, c *workspaces.Client, id string) *types.Workspace {
	t.Helper()
	out := must[*workspaces.DescribeWorkspacesOutput](t)(c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{WorkspaceIds: []string{id}}))
	switch len(out.Workspaces) {
	case 0:
		return nil
	case 1:
		if aws.ToString(out.Workspaces[0].WorkspaceId) != id {
			t.Fatalf("DescribeWorkspaces(%s) returned %s", id, aws.ToString(out.Workspaces[0].WorkspaceId))
		}
		return &out.Workspaces[0]
	}
	t.Fatalf("DescribeWorkspaces(%s) returned %d WorkSpaces", id, len(out.Workspaces))
	return nil
}

func wspWantState(t *testing.T, c *workspaces.Client, id string, want types.WorkspaceState) *types.Workspace {
	t.Helper()
	w := wspGet(t, c, id)
	if w == nil {
		t.Fatalf("WorkSpace %s is absent, want %s", id, want)
	}
	if w.State != want {
		t.Fatalf("WorkSpace %s is %s, want %s", id, w.State, want)
	}
	return w
}

func wspWantAbsent(t *testing.T, c *workspaces.Client, id string) {
	t.Helper()
	if w := wspGet(t, c, id); w != nil {
		t.Fatalf("WorkSpace %s still described in state %s", id, w.State)
	}
}

// wspWantFailed requires exactly the failures want (WorkSpace id → ErrorCode),
// each with a message.
func wspWantFailed(t *testing.T, got []types.FailedWorkspaceChangeRequest, want map[string]string) {
	t.Helper()
	if got == nil {
		t.Fatalf("FailedRequests is absent, want a list")
	}
	if len(got) != len(want) {
		t.Fatalf("FailedRequests = %s, want %v", wspChangeFailures(got), want)
	}
	for _, f := range got {
		code, ok := want[aws.ToString(f.WorkspaceId)]
		if !ok || aws.ToString(f.ErrorCode) != code || aws.ToString(f.ErrorMessage) == "" {
			t.Fatalf("FailedRequests = %s, want %v", wspChangeFailures(got), want)
		}
	}
}

func wspChangeFailures(f []types.FailedWorkspaceChangeRequest) string {
	var b strings.Builder
	for _, x := range f {
		fmt.Fprintf(&b, "[%s %s: %s] ", aws.ToString(x.WorkspaceId), aws.ToString(x.ErrorCode), aws.ToString(x.ErrorMessage))
	}
	return b.String()
}

func wspTerminate(t *testing.T, c *workspaces.Client, ids ...string) []types.FailedWorkspaceChangeRequest {
	t.Helper()
	var reqs []types.TerminateRequest
	for _, id := range ids {
		reqs = append(reqs, types.TerminateRequest{WorkspaceId: aws.String(id)})
	}
	return must[*workspaces.TerminateWorkspacesOutput](t)(c.TerminateWorkspaces(ctx, &workspaces.TerminateWorkspacesInput{TerminateWorkspaceRequests: reqs})).FailedRequests
}

func wspReboot(t *testing.T, c *workspaces.Client, ids ...string) []types.FailedWorkspaceChangeRequest {
	t.Helper()
	var reqs []types.RebootRequest
	for _, id := range ids {
		reqs = append(reqs, types.RebootRequest{WorkspaceId: aws.String(id)})
	}
	return must[*workspaces.RebootWorkspacesOutput](t)(c.RebootWorkspaces(ctx, &workspaces.RebootWorkspacesInput{RebootWorkspaceRequests: reqs})).FailedRequests
}

func wspRebuild(t *testing.T, c *workspaces.Client, id string) []types.FailedWorkspaceChangeRequest {
	t.Helper()
	return must[*workspaces.RebuildWorkspacesOutput](t)(c.RebuildWorkspaces(ctx, &workspaces.RebuildWorkspacesInput{
		RebuildWorkspaceRequests: []types.RebuildRequest{{WorkspaceId: aws.String(id)}},
	})).FailedRequests
}

func wspStartWS(t *testing.T, c *workspaces.Client, ids ...string) []types.FailedWorkspaceChangeRequest {
	t.Helper()
	var reqs []types.StartRequest
	for _, id := range ids {
		reqs = append(reqs, types.StartRequest{WorkspaceId: aws.String(id)})
	}
	return must[*workspaces.StartWorkspacesOutput](t)(c.StartWorkspaces(ctx, &workspaces.StartWorkspacesInput{StartWorkspaceRequests: reqs})).FailedRequests
}

func wspStop(t *testing.T, c *workspaces.Client, ids ...string) []types.FailedWorkspaceChangeRequest {
	t.Helper()
	var reqs []types.StopRequest
	for _, id := range ids {
		reqs = append(reqs, types.StopRequest{WorkspaceId: aws.String(id)})
	}
	return must[*workspaces.StopWorkspacesOutput](t)(c.StopWorkspaces(ctx, &workspaces.StopWorkspacesInput{StopWorkspaceRequests: reqs})).FailedRequests
}

func wspModify(c *workspaces.Client, id string, p types.WorkspaceProperties) error {
	_, err := c.ModifyWorkspaceProperties(ctx, &workspaces.ModifyWorkspacePropertiesInput{WorkspaceId: aws.String(id), WorkspaceProperties: &p})
	return err
}

func wspOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func wspSetState(c *workspaces.Client, id string, s types.TargetWorkspaceState) error {
	_, err := c.ModifyWorkspaceState(ctx, &workspaces.ModifyWorkspaceStateInput{WorkspaceId: aws.String(id), WorkspaceState: s})
	return err
}

// wspDescribeIDs lists the ids DescribeWorkspaces returns for in (one page).
func wspDescribeIDs(t *testing.T, c *workspaces.Client, in *workspaces.DescribeWorkspacesInput) []string {
	t.Helper()
	out := must[*workspaces.DescribeWorkspacesOutput](t)(c.DescribeWorkspaces(ctx, in))
	if out.NextToken != nil {
		t.Fatalf("unexpected NextToken for %+v", in)
	}
	ids := []string{}
	for _, w := range out.Workspaces {
		ids = append(ids, *w.WorkspaceId)
	}
	return ids
}

func wspProps(t *testing.T, w *types.Workspace, mode types.RunningMode, timeout *int32, root, user int32, compute types.Compute, proto types.Protocol, os types.OperatingSystemName) {
	t.Helper()
	p := w.WorkspaceProperties
	if p == nil {
		t.Fatalf("WorkSpace %s has no WorkspaceProperties", aws.ToString(w.WorkspaceId))
	}
	if p.RunningMode != mode || !reflect.DeepEqual(p.RunningModeAutoStopTimeoutInMinutes, timeout) ||
		aws.ToInt32(p.RootVolumeSizeGib) != root || aws.ToInt32(p.UserVolumeSizeGib) != user ||
		p.ComputeTypeName != compute || !slices.Equal(p.Protocols, []types.Protocol{proto}) || p.OperatingSystemName != os {
		t.Fatalf("WorkspaceProperties = {%s timeout=%v root=%v user=%v %s %v %s}, want {%s %v %d %d %s [%s] %s}",
			p.RunningMode, aws.ToInt32(p.RunningModeAutoStopTimeoutInMinutes), aws.ToInt32(p.RootVolumeSizeGib), aws.ToInt32(p.UserVolumeSizeGib),
			p.ComputeTypeName, p.Protocols, p.OperatingSystemName, mode, aws.ToInt32(timeout), root, user, compute, proto, os)
	}
}

func wspModStates(t *testing.T, w *types.Workspace, want ...types.ModificationResourceEnum) {
	t.Helper()
	if w.ModificationStates == nil {
		t.Fatalf("ModificationStates absent, want a list")
	}
	var got []types.ModificationResourceEnum
	for _, m := range w.ModificationStates {
		if m.State != types.ModificationStateEnumUpdateInitiated && m.State != types.ModificationStateEnumUpdateInProgress {
			t.Fatalf("ModificationStates = %+v: bad state", w.ModificationStates)
		}
		got = append(got, m.Resource)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("ModificationStates resources = %v, want %v", got, want)
	}
}

// Scenario C.2 of the spec, end to end.
func TestWorkspaceScenarioC2(t *testing.T) {
	env, c := wspStart(t)

	// 1. Same user twice in one request: the whole call fails.
	_, err := c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{wspReq("alice", wspValue), wspReq("alice", wspPerformance)}})
	wantCode(t, err, "InvalidParameterValuesException")
	if got := wspDescribeIDs(t, c, &workspaces.DescribeWorkspacesInput{}); len(got) != 0 {
		t.Fatalf("rejected call created %v", got)
	}
	id := wspCreate(t, c, wspReq("alice", wspValue))[0]
	wspWantState(t, c, id, types.WorkspaceStatePending)
	env.Advance(time.Second)
	wspWantState(t, c, id, types.WorkspaceStatePending)
	env.Advance(time.Second)
	w := wspWantState(t, c, id, types.WorkspaceStateAvailable)
	if !wspIPPattern.MatchString(aws.ToString(w.IpAddress)) || aws.ToString(w.SubnetId) == "" || !wspComputerPattern.MatchString(aws.ToString(w.ComputerName)) {
		t.Fatalf("AVAILABLE WorkSpace network identity = %q %q %q", aws.ToString(w.IpAddress), aws.ToString(w.SubnetId), aws.ToString(w.ComputerName))
	}
	wspProps(t, w, types.RunningModeAlwaysOn, nil, 80, 10, types.ComputeValue, types.ProtocolPcoip, types.OperatingSystemNameWindows10)

	// 2. Usernames are case-insensitive.
	out := must[*workspaces.CreateWorkspacesOutput](t)(c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{wspReq("Alice", wspValue)}}))
	if len(out.PendingRequests) != 0 || len(out.FailedRequests) != 1 || aws.ToString(out.FailedRequests[0].ErrorCode) != "ResourceExists.WorkSpace" {
		t.Fatalf("second create for Alice: pending %d, failed %s", len(out.PendingRequests), wspFailures(out.FailedRequests))
	}

	// 3. ALWAYS_ON cannot stop; AUTO_STOP can.
	wspWantFailed(t, wspStop(t, c, id), map[string]string{id: "InvalidResourceState.Workspace"})
	wspOK(t, wspModify(c, id, types.WorkspaceProperties{RunningMode: types.RunningModeAutoStop}))
	w = wspWantState(t, c, id, types.WorkspaceStateAvailable)
	wspProps(t, w, types.RunningModeAutoStop, aws.Int32(60), 80, 10, types.ComputeValue, types.ProtocolPcoip, types.OperatingSystemNameWindows10)
	wspWantFailed(t, wspStop(t, c, id), map[string]string{})
	wspWantState(t, c, id, types.WorkspaceStateStopping)
	env.Advance(time.Second)
	wspWantState(t, c, id, types.WorkspaceStateStopped)
	cs := must[*workspaces.DescribeWorkspacesConnectionStatusOutput](t)(c.DescribeWorkspacesConnectionStatus(ctx, &workspaces.DescribeWorkspacesConnectionStatusInput{WorkspaceIds: []string{id}}))
	if len(cs.WorkspacesConnectionStatus) != 1 || cs.WorkspacesConnectionStatus[0].ConnectionState != types.ConnectionStateUnknown {
		t.Fatalf("connection status of a STOPPED WorkSpace = %+v", cs.WorkspacesConnectionStatus)
	}

	// 4. Maintenance needs AVAILABLE; reboot is refused in maintenance.
	wantCode(t, wspSetState(c, id, types.TargetWorkspaceStateAdminMaintenance), "InvalidResourceStateException")
	wspWantFailed(t, wspStartWS(t, c, id), map[string]string{})
	wspWantState(t, c, id, types.WorkspaceStateStarting)
	env.Advance(time.Second)
	wspWantState(t, c, id, types.WorkspaceStateAvailable)
	wspOK(t, wspSetState(c, id, types.TargetWorkspaceStateAdminMaintenance))
	wspWantState(t, c, id, types.WorkspaceStateAdminMaintenance)
	wspWantFailed(t, wspReboot(t, c, id), map[string]string{id: "InvalidResourceState.Workspace"})
	wspOK(t, wspSetState(c, id, types.TargetWorkspaceStateAvailable))
	wspWantState(t, c, id, types.WorkspaceStateAvailable)

	// 5. Compute change: UPDATING, then AVAILABLE with the new type.
	wspOK(t, wspModify(c, id, types.WorkspaceProperties{ComputeTypeName: types.ComputeStandard}))
	w = wspWantState(t, c, id, types.WorkspaceStateUpdating)
	wspModStates(t, w, types.ModificationResourceEnumComputeType)
	wantCode(t, wspModify(c, id, types.WorkspaceProperties{ComputeTypeName: types.ComputePerformance}), "OperationInProgressException")
	env.Advance(2 * time.Second)
	w = wspWantState(t, c, id, types.WorkspaceStateAvailable)
	wspModStates(t, w)
	wspProps(t, w, types.RunningModeAutoStop, aws.Int32(60), 80, 10, types.ComputeStandard, types.ProtocolPcoip, types.OperatingSystemNameWindows10)

	// 6. Terminate: TERMINATING, TERMINATED, gone.
	wspWantFailed(t, wspTerminate(t, c, id), map[string]string{})
	wspWantState(t, c, id, types.WorkspaceStateTerminating)
	env.Advance(time.Second)
	wspWantState(t, c, id, types.WorkspaceStateTerminated)
	env.Advance(2 * time.Second)
	wspWantAbsent(t, c, id)
	wspWantFailed(t, wspTerminate(t, c, "ws-000000000"), map[string]string{"ws-000000000": "ResourceNotFound.Workspace"})
}

func TestWorkspaceCreateShapes(t *testing.T) {
	env, c := wspStart(t)
	dir := describeDir(t, c, wspDir)

	out := must[*workspaces.CreateWorkspacesOutput](t)(c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{
		wspReq("alice", wspValue),
		{
			DirectoryId: aws.String(wspDir), UserName: aws.String("linus"), BundleId: aws.String(wspLinux),
			UserVolumeEncryptionEnabled: aws.Bool(true), RootVolumeEncryptionEnabled: aws.Bool(true),
			VolumeEncryptionKey: aws.String("alias/aws/workspaces"),
			WorkspaceProperties: &types.WorkspaceProperties{RunningMode: types.RunningModeAutoStop},
		},
		{
			DirectoryId: aws.String(wspDir), UserName: aws.String("[UNDEFINED]"), WorkspaceName: aws.String("kiosk-1"), BundleId: aws.String(wspPerformance),
			WorkspaceProperties: &types.WorkspaceProperties{RunningMode: types.RunningModeAutoStop, RunningModeAutoStopTimeoutInMinutes: aws.Int32(120), ComputeTypeName: types.ComputePower},
		},
	}}))
	if out.FailedRequests == nil || len(out.FailedRequests) != 0 || len(out.PendingRequests) != 3 {
		t.Fatalf("CreateWorkspaces: pending %d, failed %s", len(out.PendingRequests), wspFailures(out.FailedRequests))
	}
	var ids []string
	for i, w := range out.PendingRequests {
		if w.State != types.WorkspaceStatePending || !wspIDPattern.MatchString(aws.ToString(w.WorkspaceId)) ||
			aws.ToString(w.DirectoryId) != wspDir || w.IpAddress != nil || w.ComputerName != nil {
			t.Fatalf("PendingRequests[%d] = %+v", i, w)
		}
		ids = append(ids, *w.WorkspaceId)
	}
	if aws.ToString(out.PendingRequests[0].UserName) != "alice" || aws.ToString(out.PendingRequests[1].UserName) != "linus" ||
		aws.ToString(out.PendingRequests[2].WorkspaceName) != "kiosk-1" || aws.ToString(out.PendingRequests[1].BundleId) != wspLinux {
		t.Fatalf("PendingRequests not in request order: %+v", out.PendingRequests)
	}
	if ids[0] == ids[1] || ids[1] == ids[2] || ids[0] == ids[2] {
		t.Fatalf("duplicate ids %v", ids)
	}

	// PENDING: no network identity yet.
	w := wspWantState(t, c, ids[0], types.WorkspaceStatePending)
	if w.IpAddress != nil || w.SubnetId != nil || w.ComputerName != nil {
		t.Fatalf("PENDING WorkSpace has network identity: %+v", w)
	}
	env.Advance(1999 * time.Millisecond)
	wspWantState(t, c, ids[0], types.WorkspaceStatePending)
	env.Advance(time.Millisecond)

	w = wspWantState(t, c, ids[0], types.WorkspaceStateAvailable)
	if aws.ToString(w.UserName) != "alice" || aws.ToString(w.BundleId) != wspValue || aws.ToString(w.DirectoryId) != wspDir ||
		!wspIPPattern.MatchString(aws.ToString(w.IpAddress)) || !slices.Contains(dir.SubnetIds, aws.ToString(w.SubnetId)) ||
		!wspComputerPattern.MatchString(aws.ToString(w.ComputerName)) ||
		w.UserVolumeEncryptionEnabled == nil || *w.UserVolumeEncryptionEnabled || w.RootVolumeEncryptionEnabled == nil || *w.RootVolumeEncryptionEnabled ||
		w.ModificationStates == nil || len(w.ModificationStates) != 0 {
		t.Fatalf("AVAILABLE alice = %+v (directory subnets %v)", w, dir.SubnetIds)
	}
	wspProps(t, w, types.RunningModeAlwaysOn, nil, 80, 10, types.ComputeValue, types.ProtocolPcoip, types.OperatingSystemNameWindows10)

	w = wspWantState(t, c, ids[1], types.WorkspaceStateAvailable)
	if !aws.ToBool(w.UserVolumeEncryptionEnabled) || !aws.ToBool(w.RootVolumeEncryptionEnabled) || aws.ToString(w.VolumeEncryptionKey) != "alias/aws/workspaces" ||
		aws.ToString(w.ComputerName) == "" || !slices.Contains(dir.SubnetIds, aws.ToString(w.SubnetId)) {
		t.Fatalf("AVAILABLE linus = %+v", w)
	}
	wspProps(t, w, types.RunningModeAutoStop, aws.Int32(60), 80, 50, types.ComputeStandard, types.ProtocolWsp, types.OperatingSystemNameAmazonLinux2)

	w = wspWantState(t, c, ids[2], types.WorkspaceStateAvailable)
	if aws.ToString(w.UserName) != "[UNDEFINED]" || aws.ToString(w.WorkspaceName) != "kiosk-1" {
		t.Fatalf("AVAILABLE kiosk = %+v", w)
	}
	// spec §16.5: a requested compute type is accepted and recorded.
	wspProps(t, w, types.RunningModeAutoStop, aws.Int32(120), 80, 100, types.ComputePower, types.ProtocolPcoip, types.OperatingSystemNameWindowsServer2016)

	// Another [UNDEFINED] WorkSpace in the same directory is fine (no user slot).
	wspCreate(t, c, types.WorkspaceRequest{DirectoryId: aws.String(wspDir), UserName: aws.String("[UNDEFINED]"), WorkspaceName: aws.String("kiosk-2"), BundleId: aws.String(wspValue)})
}

func TestWorkspaceCreateFailedRequests(t *testing.T) {
	env, c := wspStart(t)
	wspRegister(t, env, c, "d-2234567890")
	bob := wspCreate(t, c, wspReq("bob", wspValue))[0]
	// Still REGISTERING: no Advance.
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String("d-3234567890")}))

	withDir := func(r types.WorkspaceRequest, d string) types.WorkspaceRequest {
		r.DirectoryId = aws.String(d)
		return r
	}
	withProps := func(r types.WorkspaceRequest, p types.WorkspaceProperties) types.WorkspaceRequest {
		r.WorkspaceProperties = &p
		return r
	}
	badTag := wspReq("tagged", wspValue)
	badTag.Tags = []types.Tag{tag("ok", "1"), tag("aws:reserved", "x")}
	undefinedNoName := wspReq("[UNDEFINED]", wspValue)
	nameWithUser := wspReq("named", wspValue)
	nameWithUser.WorkspaceName = aws.String("named-ws")

	items := []struct {
		req  types.WorkspaceRequest
		code string // "" = created
	}{
		{wspReq("ok1", wspValue), ""},
		{withDir(wspReq("nodir", wspValue), "d-0000000000"), "ResourceNotFound.Directory"},
		{withDir(wspReq("registering", wspValue), "d-3234567890"), "InvalidResourceState.Directory"},
		{wspReq("nobundle", "wsb-000000000"), "ResourceNotFound.Bundle"},
		{wspReq("BOB", wspValue), "ResourceExists.WorkSpace"},
		{withDir(wspReq("bob", wspValue), "d-2234567890"), ""}, // same user, other directory
		{withProps(wspReq("always", wspValue), types.WorkspaceProperties{RunningMode: types.RunningModeAlwaysOn, RunningModeAutoStopTimeoutInMinutes: aws.Int32(60)}), "AutoStopTimeoutIsNotApplicableForAnAlwaysOnWorkspace"},
		{withProps(wspReq("default-mode", wspValue), types.WorkspaceProperties{RunningModeAutoStopTimeoutInMinutes: aws.Int32(60)}), "AutoStopTimeoutIsNotApplicableForAnAlwaysOnWorkspace"},
		{withProps(wspReq("t61", wspValue), types.WorkspaceProperties{RunningMode: types.RunningModeAutoStop, RunningModeAutoStopTimeoutInMinutes: aws.Int32(61)}), "InvalidParameterValues"},
		{withProps(wspReq("t0", wspValue), types.WorkspaceProperties{RunningMode: types.RunningModeAutoStop, RunningModeAutoStopTimeoutInMinutes: aws.Int32(0)}), "InvalidParameterValues"},
		{withProps(wspReq("vol", wspValue), types.WorkspaceProperties{RootVolumeSizeGib: aws.Int32(80), UserVolumeSizeGib: aws.Int32(20)}), "InvalidParameterValues"},
		{withProps(wspReq("vol2", wspValue), types.WorkspaceProperties{RootVolumeSizeGib: aws.Int32(100), UserVolumeSizeGib: aws.Int32(100)}), "InvalidParameterValues"},
		{withProps(wspReq("gfx", wspGraphics), types.WorkspaceProperties{RootVolumeSizeGib: aws.Int32(80), UserVolumeSizeGib: aws.Int32(10)}), "InvalidParameterValues"},
		{withProps(wspReq("protos", wspValue), types.WorkspaceProperties{Protocols: []types.Protocol{types.ProtocolPcoip, types.ProtocolWsp}}), "InvalidParameterValues"},
		{badTag, "InvalidParameterValues"},
		{undefinedNoName, "InvalidParameterValues"},
		{nameWithUser, "InvalidParameterValues"},
		{withProps(wspReq("big", wspValue), types.WorkspaceProperties{RootVolumeSizeGib: aws.Int32(175), UserVolumeSizeGib: aws.Int32(100)}), ""},
		{wspReq("ok2", wspValue), ""},
	}
	var reqs []types.WorkspaceRequest
	for _, it := range items {
		reqs = append(reqs, it.req)
	}
	out := must[*workspaces.CreateWorkspacesOutput](t)(c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: reqs}))
	var wantPending []string
	var wantFailed []types.FailedCreateWorkspaceRequest
	for _, it := range items {
		if it.code == "" {
			wantPending = append(wantPending, aws.ToString(it.req.UserName))
		} else {
			r := it.req
			wantFailed = append(wantFailed, types.FailedCreateWorkspaceRequest{ErrorCode: aws.String(it.code), WorkspaceRequest: &r})
		}
	}
	var gotPending []string
	for _, w := range out.PendingRequests {
		gotPending = append(gotPending, aws.ToString(w.UserName))
	}
	if !slices.Equal(gotPending, wantPending) {
		t.Fatalf("PendingRequests users = %v, want %v (failed %s)", gotPending, wantPending, wspFailures(out.FailedRequests))
	}
	if len(out.FailedRequests) != len(wantFailed) {
		t.Fatalf("FailedRequests = %s, want %d", wspFailures(out.FailedRequests), len(wantFailed))
	}
	for i, f := range out.FailedRequests {
		want := wantFailed[i]
		if aws.ToString(f.ErrorCode) != *want.ErrorCode || aws.ToString(f.ErrorMessage) == "" {
			t.Errorf("FailedRequests[%d] (user %s) = %s: %s, want %s", i, aws.ToString(want.WorkspaceRequest.UserName), aws.ToString(f.ErrorCode), aws.ToString(f.ErrorMessage), *want.ErrorCode)
		}
		if !reflect.DeepEqual(f.WorkspaceRequest, want.WorkspaceRequest) {
			t.Errorf("FailedRequests[%d] echo = %+v, want %+v", i, f.WorkspaceRequest, want.WorkspaceRequest)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	// Only the accepted items exist: bob, ok1, bob@d-2, big, ok2.
	if got := wspDescribeIDs(t, c, &workspaces.DescribeWorkspacesInput{}); len(got) != 5 || got[0] != bob {
		t.Fatalf("WorkSpaces after the mixed call = %v", got)
	}
	// A failed item leaves no user slot or tags behind.
	wspCreate(t, c, wspReq("tagged", wspValue))
	env.Advance(2 * time.Second)
	wspCreate(t, c, withDir(wspReq("registering", wspValue), "d-3234567890"))
}

func TestWorkspaceCreateWholeCallErrors(t *testing.T) {
	env, c := wspStart(t, func(cfg *app.Config) { cfg.WorkSpacesQuotas = wssvc.Quotas{Workspaces: 3} })
	none := func() {
		t.Helper()
		if got := wspDescribeIDs(t, c, &workspaces.DescribeWorkspacesInput{}); len(got) != 0 {
			t.Fatalf("rejected call created %v", got)
		}
	}
	// Same (directory, user) twice, case-insensitively, beside a valid item.
	_, err := c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{wspReq("zed", wspValue), wspReq("carol", wspValue), wspReq("CAROL", wspPerformance)}})
	wantCode(t, err, "InvalidParameterValuesException")
	none()
	// 26 items: model violation.
	var many []types.WorkspaceRequest
	for i := range 26 {
		many = append(many, wspReq(fmt.Sprintf("user%02d", i), wspValue))
	}
	_, err = c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: many})
	wantCode(t, err, "ValidationException")
	_, err = c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{}})
	wantCode(t, err, "ValidationException")
	none()

	// Quota 3: four at once fail as a whole, nothing created.
	_, err = c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: many[:4]})
	wantCode(t, err, "ResourceLimitExceededException")
	none()
	ids := wspCreate(t, c, many[:2]...)
	_, err = c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: many[2:4]})
	wantCode(t, err, "ResourceLimitExceededException")
	if got := wspDescribeIDs(t, c, &workspaces.DescribeWorkspacesInput{}); !slices.Equal(got, ids) {
		t.Fatalf("after quota refusal: %v, want %v", got, ids)
	}
	ids = append(ids, wspCreate(t, c, many[2])...)
	_, err = c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: many[3:4]})
	wantCode(t, err, "ResourceLimitExceededException")
	// Items that fail on their own do not count against the quota.
	out := must[*workspaces.CreateWorkspacesOutput](t)(c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{wspReq("x", "wsb-000000000")}}))
	if len(out.PendingRequests) != 0 || len(out.FailedRequests) != 1 || aws.ToString(out.FailedRequests[0].ErrorCode) != "ResourceNotFound.Bundle" {
		t.Fatalf("failing item at full quota: pending %d, failed %s", len(out.PendingRequests), wspFailures(out.FailedRequests))
	}
	// Terminating frees quota at once.
	wspWantFailed(t, wspTerminate(t, c, ids[0]), map[string]string{})
	wspCreate(t, c, many[3])
	_, err = c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: many[4:5]})
	wantCode(t, err, "ResourceLimitExceededException")
	env.Advance(3 * time.Second)
	_, err = c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: many[4:5]})
	wantCode(t, err, "ResourceLimitExceededException")
}

func TestWorkspaceDescribeFilters(t *testing.T) {
	env, c := wspStart(t)
	const dir2 = "d-2234567890"
	wspRegister(t, env, c, dir2)
	alice2 := wspReq("alice", wspValue)
	alice2.DirectoryId = aws.String(dir2)
	kiosk := types.WorkspaceRequest{DirectoryId: aws.String(wspDir), UserName: aws.String("[UNDEFINED]"), WorkspaceName: aws.String("kiosk-1"), BundleId: aws.String(wspPerformance)}
	ids := wspCreate(t, c, wspReq("alice", wspValue), wspReq("bob", wspPerformance), alice2, kiosk)
	alice, bob, aliceD2, kioskID := ids[0], ids[1], ids[2], ids[3]

	for _, in := range []*workspaces.DescribeWorkspacesInput{
		{WorkspaceIds: []string{alice}, DirectoryId: aws.String(wspDir)},
		{WorkspaceIds: []string{alice}, BundleId: aws.String(wspValue)},
		{DirectoryId: aws.String(wspDir), BundleId: aws.String(wspValue)},
		{DirectoryId: aws.String(wspDir), WorkspaceName: aws.String("kiosk-1")},
		{BundleId: aws.String(wspValue), WorkspaceName: aws.String("kiosk-1")},
		{WorkspaceIds: []string{alice}, WorkspaceName: aws.String("kiosk-1")},
		{UserName: aws.String("alice")},
		{UserName: aws.String("alice"), WorkspaceIds: []string{alice}},
		{UserName: aws.String("alice"), BundleId: aws.String(wspValue)},
	} {
		_, err := c.DescribeWorkspaces(ctx, in)
		wantCode(t, err, "InvalidParameterValuesException")
	}
	for _, in := range []*workspaces.DescribeWorkspacesInput{
		{Limit: aws.Int32(26)},
		{Limit: aws.Int32(0)},
		{WorkspaceIds: make([]string, 26)},
	} {
		if in.WorkspaceIds != nil {
			for i := range in.WorkspaceIds {
				in.WorkspaceIds[i] = fmt.Sprintf("ws-%09d", i)
			}
		}
		_, err := c.DescribeWorkspaces(ctx, in)
		wantCode(t, err, "ValidationException")
	}

	check := func(name string, in *workspaces.DescribeWorkspacesInput, want ...string) {
		t.Helper()
		if want == nil {
			want = []string{}
		}
		if got := wspDescribeIDs(t, c, in); !slices.Equal(got, want) {
			t.Fatalf("%s: got %v, want %v", name, got, want)
		}
	}
	check("all", &workspaces.DescribeWorkspacesInput{}, alice, bob, aliceD2, kioskID)
	check("ids", &workspaces.DescribeWorkspacesInput{WorkspaceIds: []string{bob, "ws-000000000", alice}}, bob, alice)
	check("unknown ids", &workspaces.DescribeWorkspacesInput{WorkspaceIds: []string{"ws-000000000", "ws-zzzzzzzzz"}})
	check("directory", &workspaces.DescribeWorkspacesInput{DirectoryId: aws.String(wspDir)}, alice, bob, kioskID)
	check("directory 2", &workspaces.DescribeWorkspacesInput{DirectoryId: aws.String(dir2)}, aliceD2)
	check("unknown directory", &workspaces.DescribeWorkspacesInput{DirectoryId: aws.String("d-0000000000")})
	check("directory+user", &workspaces.DescribeWorkspacesInput{DirectoryId: aws.String(wspDir), UserName: aws.String("ALICE")}, alice)
	check("directory 2+user", &workspaces.DescribeWorkspacesInput{DirectoryId: aws.String(dir2), UserName: aws.String("alice")}, aliceD2)
	check("directory+unknown user", &workspaces.DescribeWorkspacesInput{DirectoryId: aws.String(wspDir), UserName: aws.String("carol")})
	check("bundle", &workspaces.DescribeWorkspacesInput{BundleId: aws.String(wspValue)}, alice, aliceD2)
	check("bundle 2", &workspaces.DescribeWorkspacesInput{BundleId: aws.String(wspPerformance)}, bob, kioskID)
	check("unknown bundle", &workspaces.DescribeWorkspacesInput{BundleId: aws.String("wsb-000000000")})
	check("name", &workspaces.DescribeWorkspacesInput{WorkspaceName: aws.String("kiosk-1")}, kioskID)
	check("unknown name", &workspaces.DescribeWorkspacesInput{WorkspaceName: aws.String("kiosk-9")})
	check("limit", &workspaces.DescribeWorkspacesInput{WorkspaceIds: []string{alice}, Limit: aws.Int32(1)}, alice)
}

func TestWorkspaceDescribePagination(t *testing.T) {
	_, c := wspStart(t)
	var want []string
	for batch := range 3 {
		var reqs []types.WorkspaceRequest
		for i := range min(25, 60-batch*25) {
			reqs = append(reqs, wspReq(fmt.Sprintf("user%02d", batch*25+i), wspValue))
		}
		want = append(want, wspCreate(t, c, reqs...)...)
	}
	if len(want) != 60 {
		t.Fatalf("created %d", len(want))
	}

	p := workspaces.NewDescribeWorkspacesPaginator(c, &workspaces.DescribeWorkspacesInput{}, func(o *workspaces.DescribeWorkspacesPaginatorOptions) { o.Limit = 25 })
	var got []string
	var sizes []int
	for p.HasMorePages() {
		page := must[*workspaces.DescribeWorkspacesOutput](t)(p.NextPage(ctx))
		sizes = append(sizes, len(page.Workspaces))
		for _, w := range page.Workspaces {
			got = append(got, *w.WorkspaceId)
		}
		if len(sizes) > 5 {
			t.Fatal("paginator does not end")
		}
	}
	if !slices.Equal(sizes, []int{25, 25, 10}) || !slices.Equal(got, want) {
		t.Fatalf("pages %v, ids in order = %v", sizes, slices.Equal(got, want))
	}

	// Default page size is 25 too; the last page has no token.
	first := must[*workspaces.DescribeWorkspacesOutput](t)(c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{}))
	if len(first.Workspaces) != 25 || aws.ToString(first.NextToken) == "" {
		t.Fatalf("default first page: %d items, token %v", len(first.Workspaces), first.NextToken)
	}
	// Small pages by directory.
	small := must[*workspaces.DescribeWorkspacesOutput](t)(c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{DirectoryId: aws.String(wspDir), Limit: aws.Int32(7)}))
	if len(small.Workspaces) != 7 || *small.Workspaces[6].WorkspaceId != want[6] || small.NextToken == nil {
		t.Fatalf("Limit 7 page: %d items", len(small.Workspaces))
	}
	next := must[*workspaces.DescribeWorkspacesOutput](t)(c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{DirectoryId: aws.String(wspDir), Limit: aws.Int32(25), NextToken: small.NextToken}))
	if len(next.Workspaces) != 25 || *next.Workspaces[0].WorkspaceId != want[7] {
		t.Fatalf("page after token: %d items", len(next.Workspaces))
	}
	// A token replayed with other filters, or garbled, is refused.
	_, err := c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{BundleId: aws.String(wspValue), NextToken: small.NextToken})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{NextToken: aws.String("garbage")})
	wantCode(t, err, "InvalidParameterValuesException")
}

func TestWorkspaceTerminate(t *testing.T) {
	env, c := wspStart(t)
	first := wspReq("alice", wspValue)
	first.Tags = []types.Tag{tag("env", "test")}
	ids := wspCreate(t, c, first, wspAutoStop(wspReq("bob", wspValue)), wspReq("carol", wspValue))
	alice, bob, carol := ids[0], ids[1], ids[2]
	if got := must[*workspaces.DescribeTagsOutput](t)(c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: &alice})).TagList; len(got) != 1 || *got[0].Key != "env" {
		t.Fatalf("tags at create = %+v", got)
	}

	// Terminating a PENDING WorkSpace works; duplicates are processed once;
	// unknown ids fail per item (once each).
	failed := wspTerminate(t, c, alice, "ws-000000000", alice, "ws-000000000")
	wspWantFailed(t, failed, map[string]string{"ws-000000000": "ResourceNotFound.Workspace"})
	wspWantState(t, c, alice, types.WorkspaceStateTerminating)
	_, err := c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: &alice})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: &alice, Tags: []types.Tag{tag("k", "v")}})
	wantCode(t, err, "ResourceNotFoundException")

	// The user slot is free at once; the user lookup lists the terminating
	// WorkSpace (until it is gone) and the replacement.
	again := wspCreate(t, c, wspReq("ALICE", wspValue))[0]
	if got := wspDescribeIDs(t, c, &workspaces.DescribeWorkspacesInput{DirectoryId: aws.String(wspDir), UserName: aws.String("alice")}); !slices.Equal(got, []string{alice, again}) {
		t.Fatalf("lookup of the user = %v, want [%s %s]", got, alice, again)
	}
	if got := must[*workspaces.DescribeTagsOutput](t)(c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: &again})).TagList; len(got) != 0 {
		t.Fatalf("replacement inherited tags %+v", got)
	}

	// Terminating again while TERMINATING is a no-op that keeps the schedule.
	env.Advance(500 * time.Millisecond)
	wspWantFailed(t, wspTerminate(t, c, alice), map[string]string{})
	wspWantState(t, c, alice, types.WorkspaceStateTerminating)
	env.Advance(499 * time.Millisecond)
	wspWantState(t, c, alice, types.WorkspaceStateTerminating)
	env.Advance(time.Millisecond)
	wspWantState(t, c, alice, types.WorkspaceStateTerminated)
	wspWantFailed(t, wspTerminate(t, c, alice), map[string]string{})
	// TERMINATED is listed (including by directory) for 2 more seconds.
	if got := wspDescribeIDs(t, c, &workspaces.DescribeWorkspacesInput{DirectoryId: aws.String(wspDir)}); !slices.Contains(got, alice) {
		t.Fatalf("TERMINATED WorkSpace not listed: %v", got)
	}
	env.Advance(1999 * time.Millisecond)
	wspWantState(t, c, alice, types.WorkspaceStateTerminated)
	env.Advance(time.Millisecond)
	wspWantAbsent(t, c, alice)
	if got := wspDescribeIDs(t, c, &workspaces.DescribeWorkspacesInput{}); slices.Contains(got, alice) || len(got) != 3 {
		t.Fatalf("after cleanup: %v", got)
	}
	wspWantFailed(t, wspTerminate(t, c, alice), map[string]string{alice: "ResourceNotFound.Workspace"})

	// STOPPED and ADMIN_MAINTENANCE WorkSpaces can be terminated.
	wspWantFailed(t, wspStop(t, c, bob), map[string]string{})
	env.Advance(time.Second)
	wspWantState(t, c, bob, types.WorkspaceStateStopped)
	wspOK(t, wspSetState(c, carol, types.TargetWorkspaceStateAdminMaintenance))
	wspWantFailed(t, wspTerminate(t, c, bob, carol), map[string]string{})
	wspWantState(t, c, bob, types.WorkspaceStateTerminating)
	wspWantState(t, c, carol, types.WorkspaceStateTerminating)

	var many []types.TerminateRequest
	for range 26 {
		many = append(many, types.TerminateRequest{WorkspaceId: aws.String(again)})
	}
	_, err = c.TerminateWorkspaces(ctx, &workspaces.TerminateWorkspacesInput{TerminateWorkspaceRequests: many})
	wantCode(t, err, "ValidationException")
	wspWantState(t, c, again, types.WorkspaceStateAvailable)
}

func TestWorkspaceRebootAndRebuild(t *testing.T) {
	env, c := wspStart(t)
	ids := wspReady(t, env, c, wspReq("a", wspValue), wspAutoStop(wspReq("b", wspValue)), wspReq("c", wspValue))
	a, b, m := ids[0], ids[1], ids[2]
	pending := wspCreate(t, c, wspReq("p", wspValue))[0]
	wspOK(t, wspSetState(c, m, types.TargetWorkspaceStateAdminMaintenance))
	wspWantFailed(t, wspStop(t, c, b), map[string]string{})
	env.Advance(time.Second)
	wspWantState(t, c, b, types.WorkspaceStateStopped)

	// Reboot: AVAILABLE (and REBOOTING) only.
	wspWantFailed(t, wspReboot(t, c, a, b, m, pending, "ws-000000000"), map[string]string{
		b: "InvalidResourceState.Workspace", m: "InvalidResourceState.Workspace",
		pending: "InvalidResourceState.Workspace", "ws-000000000": "ResourceNotFound.Workspace",
	})
	wspWantState(t, c, a, types.WorkspaceStateRebooting)
	wspWantState(t, c, b, types.WorkspaceStateStopped)
	wspWantState(t, c, m, types.WorkspaceStateAdminMaintenance)
	// Rebuild: exactly one item; ADMIN_MAINTENANCE and PENDING refused.
	_, err := c.RebuildWorkspaces(ctx, &workspaces.RebuildWorkspacesInput{RebuildWorkspaceRequests: []types.RebuildRequest{{WorkspaceId: aws.String(a)}, {WorkspaceId: aws.String(b)}}})
	wantCode(t, err, "ValidationException")
	for _, id := range []string{m, pending} {
		wspWantFailed(t, wspRebuild(t, c, id), map[string]string{id: "InvalidResourceState.Workspace"})
	}
	wspWantFailed(t, wspRebuild(t, c, "ws-000000000"), map[string]string{"ws-000000000": "ResourceNotFound.Workspace"})
	wspWantState(t, c, pending, types.WorkspaceStatePending)

	env.Advance(500 * time.Millisecond)
	wspWantFailed(t, wspReboot(t, c, a), map[string]string{}) // restarts the timer
	env.Advance(999 * time.Millisecond)
	wspWantState(t, c, a, types.WorkspaceStateRebooting)
	env.Advance(time.Millisecond)
	wspWantState(t, c, a, types.WorkspaceStateAvailable)

	// Rebuild: AVAILABLE, STOPPED, REBOOTING allowed.
	before := wspWantState(t, c, a, types.WorkspaceStateAvailable)
	wspWantFailed(t, wspRebuild(t, c, a), map[string]string{})
	wspWantState(t, c, a, types.WorkspaceStateRebuilding)
	wspWantFailed(t, wspRebuild(t, c, a), map[string]string{a: "InvalidResourceState.Workspace"})
	env.Advance(1999 * time.Millisecond)
	wspWantState(t, c, a, types.WorkspaceStateRebuilding)
	env.Advance(time.Millisecond)
	after := wspWantState(t, c, a, types.WorkspaceStateAvailable)
	if aws.ToString(after.IpAddress) == aws.ToString(before.IpAddress) || !wspIPPattern.MatchString(aws.ToString(after.IpAddress)) {
		t.Fatalf("rebuild kept IpAddress %s (now %s)", aws.ToString(before.IpAddress), aws.ToString(after.IpAddress))
	}
	if !reflect.DeepEqual(after.WorkspaceProperties, before.WorkspaceProperties) || aws.ToString(after.ComputerName) != aws.ToString(before.ComputerName) {
		t.Fatalf("rebuild changed properties: %+v → %+v", before.WorkspaceProperties, after.WorkspaceProperties)
	}

	wspWantFailed(t, wspRebuild(t, c, b), map[string]string{}) // from STOPPED
	wspWantState(t, c, b, types.WorkspaceStateRebuilding)
	wspWantFailed(t, wspReboot(t, c, a), map[string]string{})
	wspWantFailed(t, wspRebuild(t, c, a), map[string]string{}) // from REBOOTING
	wspWantState(t, c, a, types.WorkspaceStateRebuilding)
	env.Advance(2 * time.Second)
	wspWantState(t, c, a, types.WorkspaceStateAvailable)
	wspWantState(t, c, b, types.WorkspaceStateAvailable)

	var many []types.RebootRequest
	for range 26 {
		many = append(many, types.RebootRequest{WorkspaceId: aws.String(a)})
	}
	_, err = c.RebootWorkspaces(ctx, &workspaces.RebootWorkspacesInput{RebootWorkspaceRequests: many})
	wantCode(t, err, "ValidationException")
}

func TestWorkspaceStartStop(t *testing.T) {
	env, c := wspStart(t)
	manual := wspReq("manual", wspValue)
	manual.WorkspaceProperties = &types.WorkspaceProperties{RunningMode: types.RunningModeManual}
	ids := wspReady(t, env, c, wspReq("always", wspValue), wspAutoStop(wspReq("auto", wspValue)), manual, wspAutoStop(wspReq("maint", wspValue)))
	always, auto, man, maint := ids[0], ids[1], ids[2], ids[3]
	pending := wspCreate(t, c, wspAutoStop(wspReq("pending", wspValue)))[0]
	wspOK(t, wspSetState(c, maint, types.TargetWorkspaceStateAdminMaintenance))

	// Start: STOPPED AUTO_STOP/MANUAL only; running ones are a no-op.
	wspWantFailed(t, wspStartWS(t, c, always, auto, maint, pending, "ws-000000000"), map[string]string{
		always: "InvalidResourceState.Workspace", maint: "InvalidResourceState.Workspace",
		pending: "InvalidResourceState.Workspace", "ws-000000000": "ResourceNotFound.Workspace",
	})
	wspWantState(t, c, auto, types.WorkspaceStateAvailable)

	// Stop: ALWAYS_ON, maintenance and PENDING refused.
	before := wspWantState(t, c, auto, types.WorkspaceStateAvailable)
	wspWantFailed(t, wspStop(t, c, always, auto, man, maint, pending, "ws-000000000"), map[string]string{
		always: "InvalidResourceState.Workspace", maint: "InvalidResourceState.Workspace",
		pending: "InvalidResourceState.Workspace", "ws-000000000": "ResourceNotFound.Workspace",
	})
	wspWantState(t, c, always, types.WorkspaceStateAvailable)
	wspWantState(t, c, maint, types.WorkspaceStateAdminMaintenance)
	wspWantState(t, c, auto, types.WorkspaceStateStopping)
	wspWantState(t, c, man, types.WorkspaceStateStopping)
	wspWantFailed(t, wspStartWS(t, c, auto), map[string]string{auto: "InvalidResourceState.Workspace"}) // STOPPING
	env.Advance(999 * time.Millisecond)
	wspWantState(t, c, auto, types.WorkspaceStateStopping)
	env.Advance(time.Millisecond)
	stopped := wspWantState(t, c, auto, types.WorkspaceStateStopped)
	wspWantState(t, c, man, types.WorkspaceStateStopped)
	if aws.ToString(stopped.IpAddress) == "" || aws.ToString(stopped.IpAddress) != aws.ToString(before.IpAddress) ||
		aws.ToString(stopped.ComputerName) != aws.ToString(before.ComputerName) || aws.ToString(stopped.SubnetId) != aws.ToString(before.SubnetId) {
		t.Fatalf("STOPPED lost its network identity: %+v", stopped)
	}
	wspWantFailed(t, wspStop(t, c, auto), map[string]string{}) // already stopped: no-op
	wspWantState(t, c, auto, types.WorkspaceStateStopped)
	wspWantFailed(t, wspReboot(t, c, auto), map[string]string{auto: "InvalidResourceState.Workspace"})

	wspWantFailed(t, wspStartWS(t, c, auto, man, auto), map[string]string{})
	wspWantState(t, c, auto, types.WorkspaceStateStarting)
	wspWantFailed(t, wspStop(t, c, auto), map[string]string{auto: "InvalidResourceState.Workspace"}) // STARTING
	env.Advance(999 * time.Millisecond)
	wspWantState(t, c, man, types.WorkspaceStateStarting)
	env.Advance(time.Millisecond)
	started := wspWantState(t, c, auto, types.WorkspaceStateAvailable)
	wspWantState(t, c, man, types.WorkspaceStateAvailable)
	if aws.ToString(started.IpAddress) != aws.ToString(before.IpAddress) {
		t.Fatalf("start changed IpAddress %s → %s", aws.ToString(before.IpAddress), aws.ToString(started.IpAddress))
	}

	// An item without WorkspaceId fails on its own.
	out := must[*workspaces.StartWorkspacesOutput](t)(c.StartWorkspaces(ctx, &workspaces.StartWorkspacesInput{StartWorkspaceRequests: []types.StartRequest{{}, {WorkspaceId: aws.String(auto)}}}))
	if len(out.FailedRequests) != 1 || out.FailedRequests[0].WorkspaceId != nil || aws.ToString(out.FailedRequests[0].ErrorCode) != "InvalidParameterValues" {
		t.Fatalf("start without id: %s", wspChangeFailures(out.FailedRequests))
	}
	var many []types.StopRequest
	for range 26 {
		many = append(many, types.StopRequest{WorkspaceId: aws.String(auto)})
	}
	_, err := c.StopWorkspaces(ctx, &workspaces.StopWorkspacesInput{StopWorkspaceRequests: many})
	wantCode(t, err, "ValidationException")
	wspWantState(t, c, auto, types.WorkspaceStateAvailable)
}

func TestWorkspaceModifyState(t *testing.T) {
	env, c := wspStart(t)
	ids := wspReady(t, env, c, wspAutoStop(wspReq("a", wspValue)), wspAutoStop(wspReq("s", wspValue)))
	a, s := ids[0], ids[1]
	pending := wspCreate(t, c, wspReq("p", wspValue))[0]

	wantCode(t, wspSetState(c, "ws-000000000", types.TargetWorkspaceStateAdminMaintenance), "ResourceNotFoundException")
	wantCode(t, wspSetState(c, pending, types.TargetWorkspaceStateAdminMaintenance), "InvalidResourceStateException")
	_, err := c.ModifyWorkspaceState(ctx, &workspaces.ModifyWorkspaceStateInput{WorkspaceId: aws.String(a), WorkspaceState: "STOPPED"})
	wantCode(t, err, "ValidationException")

	wspOK(t, wspSetState(c, a, types.TargetWorkspaceStateAvailable)) // no-op
	wspWantState(t, c, a, types.WorkspaceStateAvailable)
	wspOK(t, wspSetState(c, a, types.TargetWorkspaceStateAdminMaintenance))
	wspWantState(t, c, a, types.WorkspaceStateAdminMaintenance)
	wspOK(t, wspSetState(c, a, types.TargetWorkspaceStateAdminMaintenance)) // no-op
	env.Advance(time.Hour)
	w := wspWantState(t, c, a, types.WorkspaceStateAdminMaintenance)
	if aws.ToString(w.IpAddress) == "" {
		t.Fatalf("ADMIN_MAINTENANCE WorkSpace has no IpAddress")
	}
	// Reboot, stop, start and rebuild are refused; properties too.
	wspWantFailed(t, wspReboot(t, c, a), map[string]string{a: "InvalidResourceState.Workspace"})
	wspWantFailed(t, wspStop(t, c, a), map[string]string{a: "InvalidResourceState.Workspace"})
	wspWantFailed(t, wspStartWS(t, c, a), map[string]string{a: "InvalidResourceState.Workspace"})
	wspWantFailed(t, wspRebuild(t, c, a), map[string]string{a: "InvalidResourceState.Workspace"})
	wantCode(t, wspModify(c, a, types.WorkspaceProperties{RunningMode: types.RunningModeAlwaysOn}), "InvalidResourceStateException")
	wspWantState(t, c, a, types.WorkspaceStateAdminMaintenance)
	wspOK(t, wspSetState(c, a, types.TargetWorkspaceStateAvailable))
	wspWantState(t, c, a, types.WorkspaceStateAvailable)
	wspWantFailed(t, wspReboot(t, c, a), map[string]string{})

	// STOPPED (and STOPPING) cannot go into maintenance.
	wspWantFailed(t, wspStop(t, c, s), map[string]string{})
	wantCode(t, wspSetState(c, s, types.TargetWorkspaceStateAdminMaintenance), "InvalidResourceStateException")
	env.Advance(time.Second)
	wantCode(t, wspSetState(c, s, types.TargetWorkspaceStateAdminMaintenance), "InvalidResourceStateException")
	wantCode(t, wspSetState(c, s, types.TargetWorkspaceStateAvailable), "InvalidResourceStateException")
	wspWantState(t, c, s, types.WorkspaceStateStopped)
	// Nor a TERMINATING one.
	wspTerminate(t, c, s)
	wantCode(t, wspSetState(c, s, types.TargetWorkspaceStateAdminMaintenance), "InvalidResourceStateException")
}

func TestWorkspaceModifyProperties(t *testing.T) {
	env, c := wspStart(t)
	ids := wspReady(t, env, c, wspReq("a", wspValue), wspReq("gfx", wspGraphics), wspReq("g4", wspG4dn), wspAutoStop(wspReq("s", wspValue)))
	a, gfx, g4, s := ids[0], ids[1], ids[2], ids[3]
	win10 := types.OperatingSystemNameWindows10

	wantCode(t, wspModify(c, "ws-000000000", types.WorkspaceProperties{RunningMode: types.RunningModeAutoStop}), "ResourceNotFoundException")
	wantCode(t, wspModify(c, a, types.WorkspaceProperties{}), "InvalidParameterValuesException")
	_, err := c.ModifyWorkspaceProperties(ctx, &workspaces.ModifyWorkspacePropertiesInput{WorkspaceId: aws.String(a)})
	wantCode(t, err, "InvalidParameterValuesException")
	// Timeout with ALWAYS_ON (current or requested).
	wantCode(t, wspModify(c, a, types.WorkspaceProperties{RunningModeAutoStopTimeoutInMinutes: aws.Int32(120)}), "InvalidParameterValuesException")
	wantCode(t, wspModify(c, a, types.WorkspaceProperties{RunningMode: types.RunningModeAlwaysOn, RunningModeAutoStopTimeoutInMinutes: aws.Int32(120)}), "InvalidParameterValuesException")
	wantCode(t, wspModify(c, a, types.WorkspaceProperties{RunningMode: types.RunningModeAutoStop, RunningModeAutoStopTimeoutInMinutes: aws.Int32(90)}), "InvalidParameterValuesException")
	w := wspWantState(t, c, a, types.WorkspaceStateAvailable)
	wspProps(t, w, types.RunningModeAlwaysOn, nil, 80, 10, types.ComputeValue, types.ProtocolPcoip, win10)

	// Running mode: immediate, timeout 60 by default, cleared by ALWAYS_ON.
	wspOK(t, wspModify(c, a, types.WorkspaceProperties{RunningMode: types.RunningModeAutoStop}))
	w = wspWantState(t, c, a, types.WorkspaceStateAvailable)
	wspModStates(t, w)
	wspProps(t, w, types.RunningModeAutoStop, aws.Int32(60), 80, 10, types.ComputeValue, types.ProtocolPcoip, win10)
	wspOK(t, wspModify(c, a, types.WorkspaceProperties{RunningModeAutoStopTimeoutInMinutes: aws.Int32(180)}))
	wspProps(t, wspGet(t, c, a), types.RunningModeAutoStop, aws.Int32(180), 80, 10, types.ComputeValue, types.ProtocolPcoip, win10)
	wspOK(t, wspModify(c, a, types.WorkspaceProperties{RunningMode: types.RunningModeAlwaysOn}))
	wspProps(t, wspGet(t, c, a), types.RunningModeAlwaysOn, nil, 80, 10, types.ComputeValue, types.ProtocolPcoip, win10)
	wspOK(t, wspModify(c, a, types.WorkspaceProperties{RunningMode: types.RunningModeAutoStop, RunningModeAutoStopTimeoutInMinutes: aws.Int32(120)}))
	wspProps(t, wspGet(t, c, a), types.RunningModeAutoStop, aws.Int32(120), 80, 10, types.ComputeValue, types.ProtocolPcoip, win10)
	// Protocol switch PCOIP ↔ WSP is immediate for non-graphics.
	wspOK(t, wspModify(c, a, types.WorkspaceProperties{Protocols: []types.Protocol{types.ProtocolWsp}}))
	wspProps(t, wspWantState(t, c, a, types.WorkspaceStateAvailable), types.RunningModeAutoStop, aws.Int32(120), 80, 10, types.ComputeValue, types.ProtocolWsp, win10)
	wantCode(t, wspModify(c, a, types.WorkspaceProperties{Protocols: []types.Protocol{types.ProtocolWsp, types.ProtocolPcoip}}), "InvalidParameterValuesException")

	// Compute change: UPDATING, COMPUTE_TYPE, in-progress guard, then AVAILABLE.
	wspOK(t, wspModify(c, a, types.WorkspaceProperties{ComputeTypeName: types.ComputePerformance}))
	w = wspWantState(t, c, a, types.WorkspaceStateUpdating)
	wspModStates(t, w, types.ModificationResourceEnumComputeType)
	if w.WorkspaceProperties.ComputeTypeName != types.ComputePerformance {
		t.Fatalf("new compute type not visible at once: %s", w.WorkspaceProperties.ComputeTypeName)
	}
	wantCode(t, wspModify(c, a, types.WorkspaceProperties{RunningMode: types.RunningModeAlwaysOn}), "OperationInProgressException")
	wspWantFailed(t, wspReboot(t, c, a), map[string]string{a: "InvalidResourceState.Workspace"})
	env.Advance(1999 * time.Millisecond)
	wspWantState(t, c, a, types.WorkspaceStateUpdating)
	env.Advance(time.Millisecond)
	w = wspWantState(t, c, a, types.WorkspaceStateAvailable)
	wspModStates(t, w)
	wspProps(t, w, types.RunningModeAutoStop, aws.Int32(120), 80, 10, types.ComputePerformance, types.ProtocolWsp, win10)
	// Same compute type again is no change at all.
	wspOK(t, wspModify(c, a, types.WorkspaceProperties{ComputeTypeName: types.ComputePerformance}))
	wspModStates(t, wspWantState(t, c, a, types.WorkspaceStateAvailable))

	// Invalid volume requests.
	for _, p := range []types.WorkspaceProperties{
		{UserVolumeSizeGib: aws.Int32(20)},                                     // illegal pair (80, 20)
		{RootVolumeSizeGib: aws.Int32(175)},                                    // leaving the 80 root tier needs user 100
		{RootVolumeSizeGib: aws.Int32(175), UserVolumeSizeGib: aws.Int32(100)}, // root and user together
		{ComputeTypeName: types.ComputeStandard, UserVolumeSizeGib: aws.Int32(50)},
	} {
		wantCode(t, wspModify(c, a, p), "InvalidParameterValuesException")
	}
	wspModStates(t, wspWantState(t, c, a, types.WorkspaceStateAvailable))

	// Volume growth: ModificationStates, State unchanged.
	wspOK(t, wspModify(c, a, types.WorkspaceProperties{UserVolumeSizeGib: aws.Int32(50)}))
	w = wspWantState(t, c, a, types.WorkspaceStateAvailable)
	wspModStates(t, w, types.ModificationResourceEnumUserVolume)
	wspProps(t, w, types.RunningModeAutoStop, aws.Int32(120), 80, 50, types.ComputePerformance, types.ProtocolWsp, win10)
	wantCode(t, wspModify(c, a, types.WorkspaceProperties{UserVolumeSizeGib: aws.Int32(100)}), "OperationInProgressException")
	env.Advance(2 * time.Second)
	wspModStates(t, wspWantState(t, c, a, types.WorkspaceStateAvailable))
	wantCode(t, wspModify(c, a, types.WorkspaceProperties{UserVolumeSizeGib: aws.Int32(10)}), "InvalidParameterValuesException") // shrink
	wspOK(t, wspModify(c, a, types.WorkspaceProperties{UserVolumeSizeGib: aws.Int32(100)}))
	env.Advance(2 * time.Second)
	wspOK(t, wspModify(c, a, types.WorkspaceProperties{RootVolumeSizeGib: aws.Int32(175)}))
	w = wspWantState(t, c, a, types.WorkspaceStateAvailable)
	wspModStates(t, w, types.ModificationResourceEnumRootVolume)
	wspProps(t, w, types.RunningModeAutoStop, aws.Int32(120), 175, 100, types.ComputePerformance, types.ProtocolWsp, win10)
	env.Advance(2 * time.Second)
	wantCode(t, wspModify(c, a, types.WorkspaceProperties{RootVolumeSizeGib: aws.Int32(80)}), "InvalidParameterValuesException")
	wantCode(t, wspModify(c, a, types.WorkspaceProperties{RootVolumeSizeGib: aws.Int32(2001)}), "InvalidParameterValuesException")

	// Graphics families.
	wantCode(t, wspModify(c, gfx, types.WorkspaceProperties{ComputeTypeName: types.ComputeValue}), "UnsupportedWorkspaceConfigurationException")
	wantCode(t, wspModify(c, gfx, types.WorkspaceProperties{Protocols: []types.Protocol{types.ProtocolWsp}}), "UnsupportedWorkspaceConfigurationException")
	wantCode(t, wspModify(c, g4, types.WorkspaceProperties{ComputeTypeName: types.ComputeValue}), "UnsupportedWorkspaceConfigurationException")
	wspWantState(t, c, gfx, types.WorkspaceStateAvailable)
	wspOK(t, wspModify(c, g4, types.WorkspaceProperties{ComputeTypeName: types.ComputeGraphicsG4dn}))
	wspWantState(t, c, g4, types.WorkspaceStateUpdating)

	// A STOPPED WorkSpace can be modified and returns to STOPPED.
	wspWantFailed(t, wspStop(t, c, s), map[string]string{})
	wantCode(t, wspModify(c, s, types.WorkspaceProperties{ComputeTypeName: types.ComputeStandard}), "InvalidResourceStateException") // STOPPING
	env.Advance(time.Second)
	wspOK(t, wspModify(c, s, types.WorkspaceProperties{ComputeTypeName: types.ComputeStandard}))
	wspWantState(t, c, s, types.WorkspaceStateUpdating)
	env.Advance(2 * time.Second)
	w = wspWantState(t, c, s, types.WorkspaceStateStopped)
	wspProps(t, w, types.RunningModeAutoStop, aws.Int32(60), 80, 10, types.ComputeStandard, types.ProtocolPcoip, win10)
	// A volume change in progress blocks starting it.
	wspOK(t, wspModify(c, s, types.WorkspaceProperties{UserVolumeSizeGib: aws.Int32(50)}))
	wspWantFailed(t, wspStartWS(t, c, s), map[string]string{s: "InvalidResourceState.Workspace"})
	env.Advance(2 * time.Second)
	wspWantFailed(t, wspStartWS(t, c, s), map[string]string{})

	// PENDING cannot be modified.
	p := wspCreate(t, c, wspReq("p", wspValue))[0]
	wantCode(t, wspModify(c, p, types.WorkspaceProperties{RunningMode: types.RunningModeAutoStop}), "InvalidResourceStateException")
}

func TestWorkspaceConnectionStatus(t *testing.T) {
	env, c := wspStart(t)
	ids := wspReady(t, env, c, wspReq("a", wspValue), wspAutoStop(wspReq("b", wspValue)))
	a, b := ids[0], ids[1]
	wspWantFailed(t, wspStop(t, c, b), map[string]string{})
	env.Advance(time.Second)
	now := env.Clock.Now()

	get := func(in *workspaces.DescribeWorkspacesConnectionStatusInput) map[string]types.WorkspaceConnectionStatus {
		t.Helper()
		out := must[*workspaces.DescribeWorkspacesConnectionStatusOutput](t)(c.DescribeWorkspacesConnectionStatus(ctx, in))
		if out.NextToken != nil {
			t.Fatalf("unexpected NextToken")
		}
		m := map[string]types.WorkspaceConnectionStatus{}
		for _, s := range out.WorkspacesConnectionStatus {
			m[aws.ToString(s.WorkspaceId)] = s
			if s.ConnectionStateCheckTimestamp == nil || !s.ConnectionStateCheckTimestamp.Equal(now) || s.LastKnownUserConnectionTimestamp != nil {
				t.Fatalf("timestamps of %s = %v / %v, want %v / none", *s.WorkspaceId, s.ConnectionStateCheckTimestamp, s.LastKnownUserConnectionTimestamp, now)
			}
		}
		return m
	}
	all := get(&workspaces.DescribeWorkspacesConnectionStatusInput{})
	if len(all) != 2 || all[a].ConnectionState != types.ConnectionStateDisconnected || all[b].ConnectionState != types.ConnectionStateUnknown {
		t.Fatalf("connection status = %+v", all)
	}
	only := get(&workspaces.DescribeWorkspacesConnectionStatusInput{WorkspaceIds: []string{b, "ws-000000000"}})
	if len(only) != 1 || only[b].ConnectionState != types.ConnectionStateUnknown {
		t.Fatalf("connection status by id = %+v", only)
	}
	if got := get(&workspaces.DescribeWorkspacesConnectionStatusInput{WorkspaceIds: []string{"ws-000000000"}}); len(got) != 0 {
		t.Fatalf("unknown id: %+v", got)
	}
	_, err := c.DescribeWorkspacesConnectionStatus(ctx, &workspaces.DescribeWorkspacesConnectionStatusInput{WorkspaceIds: slices.Repeat([]string{a}, 26)})
	wantCode(t, err, "ValidationException")
	// Started again: DISCONNECTED.
	wspWantFailed(t, wspStartWS(t, c, b), map[string]string{})
	env.Advance(time.Second)
	now = env.Clock.Now()
	if got := get(&workspaces.DescribeWorkspacesConnectionStatusInput{WorkspaceIds: []string{b}}); got[b].ConnectionState != types.ConnectionStateDisconnected {
		t.Fatalf("after start: %+v", got)
	}

	// Paginated by 25 without ids.
	var reqs []types.WorkspaceRequest
	for i := range 25 {
		reqs = append(reqs, wspReq(fmt.Sprintf("u%02d", i), wspValue))
	}
	wspCreate(t, c, reqs...)
	var sizes []int
	seen := map[string]bool{}
	var token *string
	for len(sizes) < 5 {
		page := must[*workspaces.DescribeWorkspacesConnectionStatusOutput](t)(c.DescribeWorkspacesConnectionStatus(ctx, &workspaces.DescribeWorkspacesConnectionStatusInput{NextToken: token}))
		sizes = append(sizes, len(page.WorkspacesConnectionStatus))
		for _, s := range page.WorkspacesConnectionStatus {
			seen[*s.WorkspaceId] = true
		}
		if token = page.NextToken; token == nil {
			break
		}
	}
	if !slices.Equal(sizes, []int{25, 2}) || len(seen) != 27 {
		t.Fatalf("connection status pages %v, %d distinct", sizes, len(seen))
	}
}

func TestWorkspaceTags(t *testing.T) {
	env, c := wspStart(t)
	r := wspReq("a", wspValue)
	r.Tags = []types.Tag{tag("env", "test"), tag("team", "")}
	id := wspCreate(t, c, r)[0]
	tags := func() []types.Tag {
		t.Helper()
		return must[*workspaces.DescribeTagsOutput](t)(c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: &id})).TagList
	}
	if got := tags(); len(got) != 2 || *got[0].Key != "env" || *got[0].Value != "test" || *got[1].Key != "team" || aws.ToString(got[1].Value) != "" {
		t.Fatalf("tags at create = %+v", got)
	}
	must[*workspaces.CreateTagsOutput](t)(c.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: &id, Tags: []types.Tag{tag("env", "prod"), tag("cost", "42")}}))
	must[*workspaces.DeleteTagsOutput](t)(c.DeleteTags(ctx, &workspaces.DeleteTagsInput{ResourceId: &id, TagKeys: []string{"team", "absent"}}))
	if got := tags(); len(got) != 2 || *got[0].Key != "env" || *got[0].Value != "prod" || *got[1].Key != "cost" {
		t.Fatalf("tags after upsert/delete = %+v", got)
	}
	env.Advance(2 * time.Second)
	if got := tags(); len(got) != 2 {
		t.Fatalf("tags after AVAILABLE = %+v", got)
	}
	// 50 tags per WorkSpace at creation.
	many := wspReq("b", wspValue)
	for i := range 51 {
		many.Tags = append(many.Tags, tag(fmt.Sprintf("k%d", i), "v"))
	}
	out := must[*workspaces.CreateWorkspacesOutput](t)(c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{many}}))
	if len(out.FailedRequests) != 1 || len(out.PendingRequests) != 0 || aws.ToString(out.FailedRequests[0].ErrorCode) != "ResourceLimitExceeded" {
		t.Fatalf("51 tags: failed %s", wspFailures(out.FailedRequests))
	}
	many.Tags = many.Tags[:50]
	wspCreate(t, c, many)
	_, err := c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: aws.String("ws-000000000")})
	wantCode(t, err, "ResourceNotFoundException")
	wspTerminate(t, c, id)
	_, err = c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: &id})
	wantCode(t, err, "ResourceNotFoundException")
}

func TestWorkspaceDeregisterDirectoryInUse(t *testing.T) {
	env, c := wspStart(t)
	id := wspCreate(t, c, wspReq("a", wspValue))[0]
	deregister := func() error {
		_, err := c.DeregisterWorkspaceDirectory(ctx, &workspaces.DeregisterWorkspaceDirectoryInput{DirectoryId: aws.String(wspDir)})
		return err
	}
	err := deregister() // PENDING WorkSpace
	wantCode(t, err, "OperationNotSupportedException")
	env.Advance(2 * time.Second)
	wantCode(t, deregister(), "OperationNotSupportedException")
	wspWantFailed(t, wspTerminate(t, c, id), map[string]string{})
	wantCode(t, deregister(), "OperationNotSupportedException") // TERMINATING still uses it
	if d := describeDir(t, c, wspDir); d == nil || d.State != types.WorkspaceDirectoryStateRegistered {
		t.Fatalf("directory after refused deregistration: %+v", d)
	}
	env.Advance(time.Second) // TERMINATED
	wspOK(t, deregister())
	if d := describeDir(t, c, wspDir); d == nil || d.State != types.WorkspaceDirectoryStateDeregistering {
		t.Fatalf("directory after deregistration: %+v", d)
	}
	// No new WorkSpaces in a deregistering or gone directory.
	out := must[*workspaces.CreateWorkspacesOutput](t)(c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{wspReq("b", wspValue)}}))
	if len(out.FailedRequests) != 1 || aws.ToString(out.FailedRequests[0].ErrorCode) != "InvalidResourceState.Directory" {
		t.Fatalf("create in DEREGISTERING directory: %s", wspFailures(out.FailedRequests))
	}
	env.Advance(2 * time.Second)
	out = must[*workspaces.CreateWorkspacesOutput](t)(c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{wspReq("b", wspValue)}}))
	if len(out.FailedRequests) != 1 || aws.ToString(out.FailedRequests[0].ErrorCode) != "ResourceNotFound.Directory" {
		t.Fatalf("create in gone directory: %s", wspFailures(out.FailedRequests))
	}
}

func TestWorkspaceIsolationBetweenAccounts(t *testing.T) {
	env, a := wspStart(t)
	b := env.WorkSpaces(testenv.AccountB, testenv.Region)
	aWest := env.WorkSpaces(testenv.AccountA, "us-west-2")
	r := wspReq("alice", wspValue)
	r.Tags = []types.Tag{tag("owner", "a")}
	id := wspReady(t, env, a, r)[0]

	for name, cl := range map[string]*workspaces.Client{"B": b, "A us-west-2": aWest} {
		if got := wspDescribeIDs(t, cl, &workspaces.DescribeWorkspacesInput{}); len(got) != 0 {
			t.Fatalf("%s lists %v", name, got)
		}
		if got := wspDescribeIDs(t, cl, &workspaces.DescribeWorkspacesInput{WorkspaceIds: []string{id}}); len(got) != 0 {
			t.Fatalf("%s describes %v", name, got)
		}
		if got := wspDescribeIDs(t, cl, &workspaces.DescribeWorkspacesInput{DirectoryId: aws.String(wspDir), UserName: aws.String("alice")}); len(got) != 0 {
			t.Fatalf("%s finds A's user: %v", name, got)
		}
		cs := must[*workspaces.DescribeWorkspacesConnectionStatusOutput](t)(cl.DescribeWorkspacesConnectionStatus(ctx, &workspaces.DescribeWorkspacesConnectionStatusInput{WorkspaceIds: []string{id}}))
		if len(cs.WorkspacesConnectionStatus) != 0 {
			t.Fatalf("%s sees connection status %+v", name, cs.WorkspacesConnectionStatus)
		}
		wspWantFailed(t, wspTerminate(t, cl, id), map[string]string{id: "ResourceNotFound.Workspace"})
		wspWantFailed(t, wspReboot(t, cl, id), map[string]string{id: "ResourceNotFound.Workspace"})
		wspWantFailed(t, wspRebuild(t, cl, id), map[string]string{id: "ResourceNotFound.Workspace"})
		wspWantFailed(t, wspStop(t, cl, id), map[string]string{id: "ResourceNotFound.Workspace"})
		wspWantFailed(t, wspStartWS(t, cl, id), map[string]string{id: "ResourceNotFound.Workspace"})
		wantCode(t, wspSetState(cl, id, types.TargetWorkspaceStateAdminMaintenance), "ResourceNotFoundException")
		wantCode(t, wspModify(cl, id, types.WorkspaceProperties{RunningMode: types.RunningModeAutoStop}), "ResourceNotFoundException")
		_, err := cl.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: &id})
		wantCode(t, err, "ResourceNotFoundException")
		// A's directory registration is not theirs either.
		out := must[*workspaces.CreateWorkspacesOutput](t)(cl.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{wspReq("alice", wspValue)}}))
		if len(out.FailedRequests) != 1 || aws.ToString(out.FailedRequests[0].ErrorCode) != "ResourceNotFound.Directory" {
			t.Fatalf("%s creates in A's directory: %s", name, wspFailures(out.FailedRequests))
		}
	}
	// B registers the same directory id and has its own alice.
	wspRegister(t, env, b, wspDir)
	bid := wspCreate(t, b, wspReq("alice", wspValue))[0]
	if bid == id {
		t.Fatal("B got A's WorkSpace id")
	}
	if got := wspDescribeIDs(t, a, &workspaces.DescribeWorkspacesInput{}); !slices.Equal(got, []string{id}) {
		t.Fatalf("A lists %v", got)
	}
	w := wspWantState(t, a, id, types.WorkspaceStateAvailable)
	if w.WorkspaceProperties.RunningMode != types.RunningModeAlwaysOn {
		t.Fatalf("A's WorkSpace changed: %+v", w.WorkspaceProperties)
	}
	if got := must[*workspaces.DescribeTagsOutput](t)(a.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: &id})).TagList; len(got) != 1 {
		t.Fatalf("A's tags = %+v", got)
	}
}

// The calls and polling the Terraform provider's aws_workspaces_workspace
// resource makes (spec §13.1).
func TestWorkspaceTerraformStyle(t *testing.T) {
	env, c := wspStart(t)
	req := types.WorkspaceRequest{
		DirectoryId: aws.String(wspDir), UserName: aws.String("Administrator"), BundleId: aws.String(wspValue),
		RootVolumeEncryptionEnabled: aws.Bool(false), UserVolumeEncryptionEnabled: aws.Bool(false),
		Tags: []types.Tag{tag("Name", "tf-acc-test")},
		WorkspaceProperties: &types.WorkspaceProperties{
			ComputeTypeName: types.ComputeValue, RootVolumeSizeGib: aws.Int32(80), UserVolumeSizeGib: aws.Int32(10),
			RunningMode: types.RunningModeAlwaysOn,
		},
	}
	out := must[*workspaces.CreateWorkspacesOutput](t)(c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{req}}))
	if len(out.FailedRequests) != 0 || len(out.PendingRequests) != 1 {
		t.Fatalf("create: %s", wspFailures(out.FailedRequests))
	}
	id := *out.PendingRequests[0].WorkspaceId

	// waitWorkspaceAvailable: PENDING/STARTING are pending states.
	poll := func(pending []types.WorkspaceState, target types.WorkspaceState) (time.Duration, *types.Workspace) {
		t.Helper()
		var waited time.Duration
		for range 100 {
			p := workspaces.NewDescribeWorkspacesPaginator(c, &workspaces.DescribeWorkspacesInput{WorkspaceIds: []string{id}})
			var found []types.Workspace
			for p.HasMorePages() {
				found = append(found, must[*workspaces.DescribeWorkspacesOutput](t)(p.NextPage(ctx)).Workspaces...)
			}
			switch {
			case len(found) > 1:
				t.Fatalf("%d WorkSpaces for %s", len(found), id)
			case len(found) == 0 && target == "":
				return waited, nil
			case len(found) == 0:
				t.Fatalf("%s vanished while waiting for %s", id, target)
			case found[0].State == target:
				return waited, &found[0]
			case !slices.Contains(pending, found[0].State):
				t.Fatalf("unexpected state %s while waiting for %q", found[0].State, target)
			}
			env.Advance(250 * time.Millisecond)
			waited += 250 * time.Millisecond
		}
		t.Fatalf("%s never reached %q", id, target)
		return 0, nil
	}
	waited, w := poll([]types.WorkspaceState{types.WorkspaceStatePending, types.WorkspaceStateStarting}, types.WorkspaceStateAvailable)
	if waited != 2*time.Second {
		t.Fatalf("AVAILABLE after %v, want 2s", waited)
	}
	wspProps(t, w, types.RunningModeAlwaysOn, nil, 80, 10, types.ComputeValue, types.ProtocolPcoip, types.OperatingSystemNameWindows10)
	if aws.ToBool(w.RootVolumeEncryptionEnabled) || aws.ToBool(w.UserVolumeEncryptionEnabled) || w.VolumeEncryptionKey != nil {
		t.Fatalf("encryption = %+v", w)
	}
	tags := must[*workspaces.DescribeTagsOutput](t)(c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: &id})).TagList
	if len(tags) != 1 || *tags[0].Key != "Name" || *tags[0].Value != "tf-acc-test" {
		t.Fatalf("tags = %+v", tags)
	}

	// Update: running mode, then the provider waits for AVAILABLE|STOPPED.
	wspOK(t, wspModify(c, id, types.WorkspaceProperties{RunningMode: types.RunningModeAutoStop, RunningModeAutoStopTimeoutInMinutes: aws.Int32(120)}))
	_, w = poll([]types.WorkspaceState{types.WorkspaceStateUpdating}, types.WorkspaceStateAvailable)
	wspProps(t, w, types.RunningModeAutoStop, aws.Int32(120), 80, 10, types.ComputeValue, types.ProtocolPcoip, types.OperatingSystemNameWindows10)
	wspOK(t, wspModify(c, id, types.WorkspaceProperties{ComputeTypeName: types.ComputeStandard}))
	waited, w = poll([]types.WorkspaceState{types.WorkspaceStateUpdating}, types.WorkspaceStateAvailable)
	if waited != 2*time.Second || w.WorkspaceProperties.ComputeTypeName != types.ComputeStandard {
		t.Fatalf("compute change done after %v: %s", waited, w.WorkspaceProperties.ComputeTypeName)
	}

	// Delete: every state but SUSPENDED is pending until the id disappears.
	wspWantFailed(t, wspTerminate(t, c, id), map[string]string{})
	waited, _ = poll([]types.WorkspaceState{types.WorkspaceStateTerminating, types.WorkspaceStateTerminated}, "")
	if waited != 3*time.Second {
		t.Fatalf("absent after %v, want 3s", waited)
	}
}

// spec §6.2: DescribeWorkspaces includes TERMINATING and (briefly) TERMINATED
// WorkSpaces, so the DirectoryId+UserName lookup must find the same
// WorkSpaces of that user as the DirectoryId listing does.
func TestWorkspaceDescribeUserIncludesTerminating(t *testing.T) {
	env, c := wspStart(t)
	old := wspReady(t, env, c, wspReq("alice", wspValue))[0]
	wspWantFailed(t, wspTerminate(t, c, old), map[string]string{})
	byUser := func() []string {
		t.Helper()
		return wspDescribeIDs(t, c, &workspaces.DescribeWorkspacesInput{DirectoryId: aws.String(wspDir), UserName: aws.String("alice")})
	}
	if got, byDir := byUser(), wspDescribeIDs(t, c, &workspaces.DescribeWorkspacesInput{DirectoryId: aws.String(wspDir)}); !slices.Equal(got, byDir) || !slices.Equal(got, []string{old}) {
		t.Fatalf("TERMINATING: by user %v, by directory %v, want [%s]", got, byDir, old)
	}
	replacement := wspCreate(t, c, wspReq("Alice", wspValue))[0]
	env.Advance(time.Second)
	if got := byUser(); !slices.Equal(got, []string{old, replacement}) {
		t.Fatalf("TERMINATED + replacement: by user %v, want [%s %s]", got, old, replacement)
	}
	env.Advance(2 * time.Second)
	if got := byUser(); !slices.Equal(got, []string{replacement}) {
		t.Fatalf("after cleanup: by user %v, want [%s]", got, replacement)
	}
}

// spec §6.1: Protocols given for a GPU or Windows 7 bundle → per-item
// InvalidParameterValues.
func TestWorkspaceCreateProtocolsOnGPUOrWindows7Bundle(t *testing.T) {
	_, c := wspStart(t)
	w7 := wspReq("w7", "wsb-b0s22j3d7")
	w7.WorkspaceProperties = &types.WorkspaceProperties{Protocols: []types.Protocol{types.ProtocolWsp}}
	gfx := wspReq("gfx", wspGraphics)
	gfx.WorkspaceProperties = &types.WorkspaceProperties{Protocols: []types.Protocol{types.ProtocolWsp}}
	out := must[*workspaces.CreateWorkspacesOutput](t)(c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{w7, gfx, wspReq("ok", wspValue)}}))
	if len(out.PendingRequests) != 1 || aws.ToString(out.PendingRequests[0].UserName) != "ok" || len(out.FailedRequests) != 2 {
		t.Fatalf("pending %d, failed %s", len(out.PendingRequests), wspFailures(out.FailedRequests))
	}
	for i, f := range out.FailedRequests {
		if aws.ToString(f.ErrorCode) != "InvalidParameterValues" {
			t.Fatalf("FailedRequests[%d] = %s", i, aws.ToString(f.ErrorCode))
		}
	}
}

// spec §6.1: a ComputeTypeName not compatible with the bundle (GRAPHICS on a
// non-graphics bundle; by §6.9 a graphics bundle cannot run as another
// family either) → per-item InvalidParameterValues. A general-purpose type
// on a general-purpose bundle is accepted (§16.5).
func TestWorkspaceCreateComputeIncompatibleWithBundle(t *testing.T) {
	_, c := wspStart(t)
	gv := wspReq("gv", wspValue)
	gv.WorkspaceProperties = &types.WorkspaceProperties{ComputeTypeName: types.ComputeGraphics, RootVolumeSizeGib: aws.Int32(100), UserVolumeSizeGib: aws.Int32(100)}
	vg := wspReq("vg", wspGraphics)
	vg.WorkspaceProperties = &types.WorkspaceProperties{ComputeTypeName: types.ComputeValue, RootVolumeSizeGib: aws.Int32(80), UserVolumeSizeGib: aws.Int32(10)}
	vp := wspReq("vp", wspPerformance)
	vp.WorkspaceProperties = &types.WorkspaceProperties{ComputeTypeName: types.ComputeValue}
	out := must[*workspaces.CreateWorkspacesOutput](t)(c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{gv, vg, vp}}))
	if len(out.PendingRequests) != 1 || aws.ToString(out.PendingRequests[0].UserName) != "vp" || len(out.FailedRequests) != 2 {
		t.Fatalf("pending %d, failed %s", len(out.PendingRequests), wspFailures(out.FailedRequests))
	}
	for i, f := range out.FailedRequests {
		if aws.ToString(f.ErrorCode) != "InvalidParameterValues" {
			t.Fatalf("FailedRequests[%d] = %s", i, aws.ToString(f.ErrorCode))
		}
	}
}

// spec §6.9: protocols change only PCoIP↔WSP for non-GPU, non-Windows 7
// WorkSpaces, else UnsupportedWorkspaceConfigurationException.
func TestWorkspaceModifyProtocolWindows7(t *testing.T) {
	env, c := wspStart(t)
	id := wspReady(t, env, c, wspReq("w7", "wsb-b0s22j3d7"))[0]
	wantCode(t, wspModify(c, id, types.WorkspaceProperties{Protocols: []types.Protocol{types.ProtocolWsp}}), "UnsupportedWorkspaceConfigurationException")
	w := wspWantState(t, c, id, types.WorkspaceStateAvailable)
	wspProps(t, w, types.RunningModeAlwaysOn, nil, 80, 100, types.ComputePerformance, types.ProtocolPcoip, types.OperatingSystemNameWindows7)
}

// Properties that have no state change of their own are stored or refused,
// never silently dropped.
func TestWorkspaceModifyOtherProperties(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String("d-1234567890")}))
	env.Advance(time.Second)
	out := must[*workspaces.CreateWorkspacesOutput](t)(c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{{
		DirectoryId: aws.String("d-1234567890"), UserName: aws.String("gina"), BundleId: aws.String("wsb-bh8rsxt14"),
	}}}))
	id := out.PendingRequests[0].WorkspaceId
	env.Advance(2 * time.Second)
	must[*workspaces.ModifyWorkspacePropertiesOutput](t)(c.ModifyWorkspaceProperties(ctx, &workspaces.ModifyWorkspacePropertiesInput{WorkspaceId: id,
		WorkspaceProperties: &types.WorkspaceProperties{GlobalAccelerator: &types.GlobalAcceleratorForWorkSpace{Mode: types.AGAModeForWorkSpaceEnumEnabledAuto}}}))
	d := must[*workspaces.DescribeWorkspacesOutput](t)(c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{WorkspaceIds: []string{*id}}))
	if ga := d.Workspaces[0].WorkspaceProperties.GlobalAccelerator; ga == nil || ga.Mode != types.AGAModeForWorkSpaceEnumEnabledAuto {
		t.Fatalf("GlobalAccelerator = %+v", ga)
	}
	_, err := c.ModifyWorkspaceProperties(ctx, &workspaces.ModifyWorkspacePropertiesInput{WorkspaceId: id,
		WorkspaceProperties: &types.WorkspaceProperties{OperatingSystemName: types.OperatingSystemNameWindows11}})
	wantCode(t, err, "UnsupportedWorkspaceConfigurationException")
}
