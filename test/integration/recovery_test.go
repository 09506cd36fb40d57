package integration

import (
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"

	"github.com/workspaces-local/workspaces-local/internal/app"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// Disaster recovery and lifecycle (spec §23): standby WorkSpaces, data
// replication, snapshots, restore and migration on the manual clock with the
// default delays (workspace create 2s, standby 2s, restore 2s, migrate 2s,
// terminate 1s, cleanup 2s, snapshot 0s then every 12h).

const drRegion2 = "us-west-2"

var wsIDRe = regexp.MustCompile(`^ws-[0-9a-z]{9}$`)

func drWorkspace(t *testing.T, c *workspaces.Client, id string) types.Workspace {
	t.Helper()
	out := must[*workspaces.DescribeWorkspacesOutput](t)(c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{WorkspaceIds: []string{id}}))
	if len(out.Workspaces) != 1 {
		t.Fatalf("WorkSpace %s: %d found", id, len(out.Workspaces))
	}
	return out.Workspaces[0]
}

func TestStandbyAndReplication(t *testing.T) {
	env := testenv.Start(t)
	east := env.WorkSpaces(testenv.AccountA, testenv.Region)
	west := env.WorkSpaces(testenv.AccountA, drRegion2)
	imgRegister(t, env, east, imgDir, "")
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(west.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String("d-2222222222")}))
	env.Advance(time.Second)
	p := imgWorkspace(t, env, east, imgWorkspaceReq("alice", imgWin10))
	lone := imgWorkspace(t, env, east, imgWorkspaceReq("bob", imgWin10))

	req := func(primary string) []types.StandbyWorkspace {
		return []types.StandbyWorkspace{{PrimaryWorkspaceId: aws.String(primary), DirectoryId: aws.String("d-2222222222")}}
	}
	out := must[*workspaces.CreateStandbyWorkspacesOutput](t)(west.CreateStandbyWorkspaces(ctx, &workspaces.CreateStandbyWorkspacesInput{PrimaryRegion: aws.String(testenv.Region), StandbyWorkspaces: req(p)}))
	if len(out.FailedStandbyRequests) != 0 || len(out.PendingStandbyRequests) != 1 {
		t.Fatalf("standby = %+v", out)
	}
	pend := out.PendingStandbyRequests[0]
	if aws.ToString(pend.UserName) != "alice" || aws.ToString(pend.DirectoryId) != "d-2222222222" || pend.State != types.WorkspaceStatePending {
		t.Fatalf("pending standby = %+v", pend)
	}
	sid := *pend.WorkspaceId
	env.Advance(2 * time.Second)
	s := drWorkspace(t, west, sid)
	if s.State != types.WorkspaceStateStopped || s.WorkspaceProperties.RunningMode != types.RunningModeAutoStop || len(s.RelatedWorkspaces) != 1 ||
		*s.RelatedWorkspaces[0].WorkspaceId != p || *s.RelatedWorkspaces[0].Region != testenv.Region || s.RelatedWorkspaces[0].State != types.WorkspaceStateAvailable ||
		s.RelatedWorkspaces[0].Type != types.StandbyWorkspaceRelationshipTypePrimary || s.DataReplicationSettings == nil ||
		s.DataReplicationSettings.DataReplication != types.DataReplicationNoReplication {
		t.Fatalf("standby = %+v", s)
	}
	pw := drWorkspace(t, east, p)
	if len(pw.RelatedWorkspaces) != 1 || *pw.RelatedWorkspaces[0].WorkspaceId != sid || pw.RelatedWorkspaces[0].State != types.WorkspaceStateStopped ||
		pw.RelatedWorkspaces[0].Type != types.StandbyWorkspaceRelationshipTypeStandby || len(pw.StandbyWorkspacesProperties) != 1 || *pw.StandbyWorkspacesProperties[0].StandbyWorkspaceId != sid {
		t.Fatalf("primary = %+v", pw)
	}
	bundles := must[*workspaces.DescribeWorkspaceBundlesOutput](t)(west.DescribeWorkspaceBundles(ctx, &workspaces.DescribeWorkspaceBundlesInput{}))
	if len(bundles.Bundles) != 1 || bundles.Bundles[0].BundleType != types.BundleTypeStandby || *bundles.Bundles[0].BundleId != *s.BundleId {
		t.Fatalf("standby bundles = %+v", bundles.Bundles)
	}
	_, err := west.UpdateWorkspaceBundle(ctx, &workspaces.UpdateWorkspaceBundleInput{BundleId: s.BundleId, ImageId: aws.String("wsi-000000000")})
	wantCode(t, err, "OperationNotSupportedException")

	// Per-item and whole-call errors.
	again := must[*workspaces.CreateStandbyWorkspacesOutput](t)(west.CreateStandbyWorkspaces(ctx, &workspaces.CreateStandbyWorkspacesInput{PrimaryRegion: aws.String(testenv.Region), StandbyWorkspaces: req(p)}))
	if len(again.FailedStandbyRequests) != 1 || *again.FailedStandbyRequests[0].ErrorCode != "ResourceExists.StandbyWorkspace" {
		t.Fatalf("second standby = %+v", again)
	}
	unk := must[*workspaces.CreateStandbyWorkspacesOutput](t)(west.CreateStandbyWorkspaces(ctx, &workspaces.CreateStandbyWorkspacesInput{PrimaryRegion: aws.String(testenv.Region), StandbyWorkspaces: req("ws-doesnotexist1")}))
	if len(unk.FailedStandbyRequests) != 1 || *unk.FailedStandbyRequests[0].ErrorCode != "ResourceNotFound.Workspace" {
		t.Fatalf("unknown primary = %+v", unk)
	}
	nodir := must[*workspaces.CreateStandbyWorkspacesOutput](t)(west.CreateStandbyWorkspaces(ctx, &workspaces.CreateStandbyWorkspacesInput{PrimaryRegion: aws.String(testenv.Region),
		StandbyWorkspaces: []types.StandbyWorkspace{{PrimaryWorkspaceId: aws.String(lone), DirectoryId: aws.String("d-9999999999")}}}))
	if len(nodir.FailedStandbyRequests) != 1 || *nodir.FailedStandbyRequests[0].ErrorCode != "ResourceNotFound.Directory" {
		t.Fatalf("unknown directory = %+v", nodir)
	}
	_, err = west.CreateStandbyWorkspaces(ctx, &workspaces.CreateStandbyWorkspacesInput{PrimaryRegion: aws.String(drRegion2), StandbyWorkspaces: req(p)})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = west.CreateStandbyWorkspaces(ctx, &workspaces.CreateStandbyWorkspacesInput{PrimaryRegion: aws.String(testenv.Region), StandbyWorkspaces: []types.StandbyWorkspace{}})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = west.CreateStandbyWorkspaces(ctx, &workspaces.CreateStandbyWorkspacesInput{PrimaryRegion: aws.String(testenv.Region), StandbyWorkspaces: append(req(lone), req(lone)...)})
	wantCode(t, err, "InvalidParameterValuesException")
	// Another account does not see the primary.
	westB := env.WorkSpaces(testenv.AccountB, drRegion2)
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(westB.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String("d-2222222222")}))
	env.Advance(time.Second)
	other := must[*workspaces.CreateStandbyWorkspacesOutput](t)(westB.CreateStandbyWorkspaces(ctx, &workspaces.CreateStandbyWorkspacesInput{PrimaryRegion: aws.String(testenv.Region), StandbyWorkspaces: req(lone)}))
	if len(other.FailedStandbyRequests) != 1 || *other.FailedStandbyRequests[0].ErrorCode != "ResourceNotFound.Workspace" {
		t.Fatalf("account B's standby of A's WorkSpace = %+v", other)
	}

	// Data replication (spec §23.2).
	must[*workspaces.ModifyWorkspacePropertiesOutput](t)(east.ModifyWorkspaceProperties(ctx, &workspaces.ModifyWorkspacePropertiesInput{WorkspaceId: aws.String(p), DataReplication: types.DataReplicationPrimaryAsSource}))
	pw = drWorkspace(t, east, p)
	s = drWorkspace(t, west, sid)
	if pw.StandbyWorkspacesProperties[0].DataReplication != types.DataReplicationPrimaryAsSource || pw.StandbyWorkspacesProperties[0].RecoverySnapshotTime == nil ||
		s.DataReplicationSettings.DataReplication != types.DataReplicationPrimaryAsSource || !s.DataReplicationSettings.RecoverySnapshotTime.Equal(*pw.StandbyWorkspacesProperties[0].RecoverySnapshotTime) {
		t.Fatalf("replication: primary %+v standby %+v", pw.StandbyWorkspacesProperties, s.DataReplicationSettings)
	}
	_, err = east.ModifyWorkspaceProperties(ctx, &workspaces.ModifyWorkspacePropertiesInput{WorkspaceId: aws.String(lone), DataReplication: types.DataReplicationPrimaryAsSource})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = east.ModifyWorkspaceProperties(ctx, &workspaces.ModifyWorkspacePropertiesInput{WorkspaceId: aws.String(p), DataReplication: types.DataReplicationNoReplication,
		WorkspaceProperties: &types.WorkspaceProperties{RunningMode: types.RunningModeAutoStop}})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = east.ModifyWorkspaceProperties(ctx, &workspaces.ModifyWorkspacePropertiesInput{WorkspaceId: aws.String("ws-doesnotexist1"), DataReplication: types.DataReplicationNoReplication})
	wantCode(t, err, "ResourceNotFoundException")
	// From the standby side, for the pair.
	must[*workspaces.ModifyWorkspacePropertiesOutput](t)(west.ModifyWorkspaceProperties(ctx, &workspaces.ModifyWorkspacePropertiesInput{WorkspaceId: aws.String(sid), DataReplication: types.DataReplicationNoReplication}))
	if pw = drWorkspace(t, east, p); pw.StandbyWorkspacesProperties[0].DataReplication != types.DataReplicationNoReplication || pw.StandbyWorkspacesProperties[0].RecoverySnapshotTime == nil {
		t.Fatalf("after stopping replication: %+v", pw.StandbyWorkspacesProperties)
	}

	// Standby has no snapshots and cannot be restored or migrated.
	snaps := must[*workspaces.DescribeWorkspaceSnapshotsOutput](t)(west.DescribeWorkspaceSnapshots(ctx, &workspaces.DescribeWorkspaceSnapshotsInput{WorkspaceId: aws.String(sid)}))
	if len(snaps.RebuildSnapshots) != 0 || len(snaps.RestoreSnapshots) != 0 {
		t.Fatalf("standby snapshots = %+v", snaps)
	}
	_, err = east.MigrateWorkspace(ctx, &workspaces.MigrateWorkspaceInput{SourceWorkspaceId: aws.String(p), BundleId: aws.String("wsb-3t36q0xfc")})
	wantCode(t, err, "OperationNotSupportedException")

	// Terminating the standby ends the relationship; a new standby may be made.
	must[*workspaces.TerminateWorkspacesOutput](t)(west.TerminateWorkspaces(ctx, &workspaces.TerminateWorkspacesInput{TerminateWorkspaceRequests: []types.TerminateRequest{{WorkspaceId: aws.String(sid)}}}))
	if pw = drWorkspace(t, east, p); len(pw.RelatedWorkspaces) != 0 {
		t.Fatalf("primary still related to a terminated standby: %+v", pw.RelatedWorkspaces)
	}
	env.Advance(3 * time.Second)
	re := must[*workspaces.CreateStandbyWorkspacesOutput](t)(west.CreateStandbyWorkspaces(ctx, &workspaces.CreateStandbyWorkspacesInput{PrimaryRegion: aws.String(testenv.Region), StandbyWorkspaces: req(p)}))
	if len(re.PendingStandbyRequests) != 1 {
		t.Fatalf("new standby after the first is gone: %+v", re)
	}
}

func TestStandbyQuota(t *testing.T) {
	env := testenv.Start(t, func(c *app.Config) { c.WorkSpacesQuotas = wssvc.Quotas{Workspaces: 1000, Standby: 1} })
	east := env.WorkSpaces(testenv.AccountA, testenv.Region)
	west := env.WorkSpaces(testenv.AccountA, drRegion2)
	imgRegister(t, env, east, imgDir, "")
	imgRegister(t, env, west, "d-2222222222", "")
	a := imgWorkspace(t, env, east, imgWorkspaceReq("alice", imgWin10))
	b := imgWorkspace(t, env, east, imgWorkspaceReq("bob", imgWin10))
	_, err := west.CreateStandbyWorkspaces(ctx, &workspaces.CreateStandbyWorkspacesInput{PrimaryRegion: aws.String(testenv.Region), StandbyWorkspaces: []types.StandbyWorkspace{
		{PrimaryWorkspaceId: aws.String(a), DirectoryId: aws.String("d-2222222222")}, {PrimaryWorkspaceId: aws.String(b), DirectoryId: aws.String("d-2222222222")}}})
	wantCode(t, err, "ResourceLimitExceededException")
	if pw := drWorkspace(t, east, a); len(pw.RelatedWorkspaces) != 0 {
		t.Fatal("a refused call left a relationship")
	}
	// One standby fits; a second call counts it (read through the standby index).
	must[*workspaces.CreateStandbyWorkspacesOutput](t)(west.CreateStandbyWorkspaces(ctx, &workspaces.CreateStandbyWorkspacesInput{PrimaryRegion: aws.String(testenv.Region), StandbyWorkspaces: []types.StandbyWorkspace{
		{PrimaryWorkspaceId: aws.String(a), DirectoryId: aws.String("d-2222222222")}}}))
	_, err = west.CreateStandbyWorkspaces(ctx, &workspaces.CreateStandbyWorkspacesInput{PrimaryRegion: aws.String(testenv.Region), StandbyWorkspaces: []types.StandbyWorkspace{
		{PrimaryWorkspaceId: aws.String(b), DirectoryId: aws.String("d-2222222222")}}})
	wantCode(t, err, "ResourceLimitExceededException")
}

func TestSnapshotsAndRestore(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	imgRegister(t, env, c, imgDir, "")
	id := imgLaunch(t, c, imgWorkspaceReq("alice", imgWin10))
	snaps := func() (rebuild, restore []types.Snapshot) {
		out := must[*workspaces.DescribeWorkspaceSnapshotsOutput](t)(c.DescribeWorkspaceSnapshots(ctx, &workspaces.DescribeWorkspaceSnapshotsInput{WorkspaceId: aws.String(id)}))
		return out.RebuildSnapshots, out.RestoreSnapshots
	}
	if rb, rs := snaps(); len(rb) != 0 || len(rs) != 0 {
		t.Fatalf("PENDING WorkSpace has snapshots %v %v", rb, rs)
	}
	_, err := c.RestoreWorkspace(ctx, &workspaces.RestoreWorkspaceInput{WorkspaceId: aws.String(id)})
	wantCode(t, err, "OperationNotSupportedException")
	env.Advance(2 * time.Second)
	availableAt := env.Clock.Now()
	rb, rs := snaps()
	if len(rb) != 1 || len(rs) != 1 || !rb[0].SnapshotTime.Equal(availableAt) || !rs[0].SnapshotTime.Equal(availableAt) {
		t.Fatalf("snapshots = %v %v, want one each at %v", rb, rs, availableAt)
	}
	env.Advance(12 * time.Hour)
	if rb, _ = snaps(); !rb[0].SnapshotTime.Equal(availableAt.Add(12 * time.Hour)) {
		t.Fatalf("after 12h: %v", rb[0].SnapshotTime)
	}

	must[*workspaces.RestoreWorkspaceOutput](t)(c.RestoreWorkspace(ctx, &workspaces.RestoreWorkspaceInput{WorkspaceId: aws.String(id)}))
	imgWantWorkspace(t, c, id, types.WorkspaceStateRestoring)
	_, err = c.RestoreWorkspace(ctx, &workspaces.RestoreWorkspaceInput{WorkspaceId: aws.String(id)})
	wantCode(t, err, "OperationNotSupportedException")
	env.Advance(2 * time.Second)
	imgWantWorkspace(t, c, id, types.WorkspaceStateAvailable)
	if rb, _ = snaps(); !rb[0].SnapshotTime.Equal(env.Clock.Now()) {
		t.Fatalf("snapshot clock did not restart after restore: %v", rb[0].SnapshotTime)
	}
	must[*workspaces.ModifyWorkspaceStateOutput](t)(c.ModifyWorkspaceState(ctx, &workspaces.ModifyWorkspaceStateInput{WorkspaceId: aws.String(id), WorkspaceState: types.TargetWorkspaceStateAdminMaintenance}))
	_, err = c.RestoreWorkspace(ctx, &workspaces.RestoreWorkspaceInput{WorkspaceId: aws.String(id)})
	wantCode(t, err, "OperationNotSupportedException")
	_, err = c.RestoreWorkspace(ctx, &workspaces.RestoreWorkspaceInput{WorkspaceId: aws.String("ws-doesnotexist1")})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DescribeWorkspaceSnapshots(ctx, &workspaces.DescribeWorkspaceSnapshotsInput{WorkspaceId: aws.String("ws-doesnotexist1")})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = env.WorkSpaces(testenv.AccountB, testenv.Region).DescribeWorkspaceSnapshots(ctx, &workspaces.DescribeWorkspaceSnapshotsInput{WorkspaceId: aws.String(id)})
	wantCode(t, err, "ResourceNotFoundException")
}

func TestMigrateWorkspace(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	imgRegister(t, env, c, imgDir, "")
	r := imgWorkspaceReq("alice", imgWin10)
	r.WorkspaceProperties = &types.WorkspaceProperties{RunningMode: types.RunningModeAutoStop}
	r.Tags = []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}
	w := imgWorkspace(t, env, c, r)
	src := drWorkspace(t, c, w)

	out := must[*workspaces.MigrateWorkspaceOutput](t)(c.MigrateWorkspace(ctx, &workspaces.MigrateWorkspaceInput{SourceWorkspaceId: aws.String(w), BundleId: aws.String("wsb-3t36q0xfc")}))
	tid := aws.ToString(out.TargetWorkspaceId)
	if aws.ToString(out.SourceWorkspaceId) != w || tid == w || !wsIDRe.MatchString(tid) {
		t.Fatalf("migrate = %+v", out)
	}
	tw := drWorkspace(t, c, tid)
	if tw.State != types.WorkspaceStatePending || *tw.BundleId != "wsb-3t36q0xfc" || *tw.UserName != "alice" || tw.WorkspaceProperties.RunningMode != types.RunningModeAutoStop ||
		tw.WorkspaceProperties.ComputeTypeName != types.ComputeStandard || *tw.WorkspaceProperties.UserVolumeSizeGib != 50 {
		t.Fatalf("target = %+v %+v", tw, tw.WorkspaceProperties)
	}
	tags := must[*workspaces.DescribeTagsOutput](t)(c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: aws.String(tid)}))
	if len(tags.TagList) != 1 || *tags.TagList[0].Value != "a" {
		t.Fatalf("target tags = %+v", tags.TagList)
	}
	_, err := c.MigrateWorkspace(ctx, &workspaces.MigrateWorkspaceInput{SourceWorkspaceId: aws.String(w), BundleId: aws.String("wsb-3t36q0xfc")})
	wantCode(t, err, "OperationInProgressException")
	// The source is locked while the migration runs.
	term := must[*workspaces.TerminateWorkspacesOutput](t)(c.TerminateWorkspaces(ctx, &workspaces.TerminateWorkspacesInput{TerminateWorkspaceRequests: []types.TerminateRequest{{WorkspaceId: aws.String(w)}}}))
	if len(term.FailedRequests) != 1 || aws.ToString(term.FailedRequests[0].ErrorCode) != "InvalidResourceState.Workspace" {
		t.Fatalf("terminate a migrating source: %+v", term.FailedRequests)
	}
	imgWantWorkspace(t, c, w, types.WorkspaceStateAvailable)
	env.Advance(2 * time.Second)
	tw = drWorkspace(t, c, tid)
	if tw.State != types.WorkspaceStateAvailable || aws.ToString(tw.IpAddress) == "" || aws.ToString(tw.IpAddress) == aws.ToString(src.IpAddress) {
		t.Fatalf("target after migration = %+v", tw)
	}
	imgWantWorkspace(t, c, w, types.WorkspaceStateTerminating)
	env.Advance(time.Second)
	imgWantWorkspace(t, c, w, types.WorkspaceStateTerminated)
	env.Advance(2 * time.Second)
	if out := must[*workspaces.DescribeWorkspacesOutput](t)(c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{WorkspaceIds: []string{w}})); len(out.Workspaces) != 0 {
		t.Fatal("migrated source still listed")
	}
	// The user's slot went to the target.
	byUser := must[*workspaces.DescribeWorkspacesOutput](t)(c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{DirectoryId: aws.String(imgDir), UserName: aws.String("alice")}))
	if len(byUser.Workspaces) != 1 || *byUser.Workspaces[0].WorkspaceId != tid {
		t.Fatalf("alice's WorkSpaces = %+v", byUser.Workspaces)
	}

	migrate := func(src, bundle string) error {
		_, err := c.MigrateWorkspace(ctx, &workspaces.MigrateWorkspaceInput{SourceWorkspaceId: aws.String(src), BundleId: aws.String(bundle)})
		return err
	}
	wantCode(t, migrate(tid, "wsb-3t36q0xfc"), "InvalidParameterValuesException")
	wantCode(t, migrate(tid, imgWin7), "OperationNotSupportedException")
	wantCode(t, migrate(tid, imgLinux), "OperationNotSupportedException")
	wantCode(t, migrate(tid, "wsb-doesnotexist1"), "ResourceNotFoundException")
	wantCode(t, migrate("ws-doesnotexist1", "wsb-3t36q0xfc"), "ResourceNotFoundException")
	// Linux: Amazon Linux 2 is a source, not a target.
	lx := imgWorkspace(t, env, c, imgWorkspaceReq("linus", imgLinux))
	wantCode(t, migrate(lx, "wsb-j4dky1gs4"), "OperationNotSupportedException")
	must[*workspaces.MigrateWorkspaceOutput](t)(c.MigrateWorkspace(ctx, &workspaces.MigrateWorkspaceInput{SourceWorkspaceId: aws.String(lx), BundleId: aws.String("wsb-g5rbnq51n")}))
	// States: REBOOTING → ResourceUnavailable; STOPPED is accepted.
	must[*workspaces.RebootWorkspacesOutput](t)(c.RebootWorkspaces(ctx, &workspaces.RebootWorkspacesInput{RebootWorkspaceRequests: []types.RebootRequest{{WorkspaceId: aws.String(tid)}}}))
	wantCode(t, migrate(tid, "wsb-8vbljg4r6"), "ResourceUnavailableException")
	env.Advance(time.Second)
	must[*workspaces.StopWorkspacesOutput](t)(c.StopWorkspaces(ctx, &workspaces.StopWorkspacesInput{StopWorkspaceRequests: []types.StopRequest{{WorkspaceId: aws.String(tid)}}}))
	env.Advance(time.Second)
	imgWantWorkspace(t, c, tid, types.WorkspaceStateStopped)
	must[*workspaces.MigrateWorkspaceOutput](t)(c.MigrateWorkspace(ctx, &workspaces.MigrateWorkspaceInput{SourceWorkspaceId: aws.String(tid), BundleId: aws.String("wsb-8vbljg4r6")}))
	// Another account cannot migrate it.
	_, err = env.WorkSpaces(testenv.AccountB, testenv.Region).MigrateWorkspace(ctx, &workspaces.MigrateWorkspaceInput{SourceWorkspaceId: aws.String(tid), BundleId: aws.String("wsb-3t36q0xfc")})
	wantCode(t, err, "ResourceNotFoundException")
}

// A standby WorkSpace cannot be rebuilt, imaged or resized (spec §23.1).
func TestStandbyRefusals(t *testing.T) {
	env := testenv.Start(t)
	east := env.WorkSpaces(testenv.AccountA, testenv.Region)
	west := env.WorkSpaces(testenv.AccountA, drRegion2)
	imgRegister(t, env, east, imgDir, "")
	imgRegister(t, env, west, "d-2222222222", "")
	p := imgWorkspace(t, env, east, imgWorkspaceReq("alice", imgWin10))
	out := must[*workspaces.CreateStandbyWorkspacesOutput](t)(west.CreateStandbyWorkspaces(ctx, &workspaces.CreateStandbyWorkspacesInput{PrimaryRegion: aws.String(testenv.Region),
		StandbyWorkspaces: []types.StandbyWorkspace{{PrimaryWorkspaceId: aws.String(p), DirectoryId: aws.String("d-2222222222")}}}))
	s := *out.PendingStandbyRequests[0].WorkspaceId
	env.Advance(2 * time.Second)
	must[*workspaces.StartWorkspacesOutput](t)(west.StartWorkspaces(ctx, &workspaces.StartWorkspacesInput{StartWorkspaceRequests: []types.StartRequest{{WorkspaceId: aws.String(s)}}}))
	env.Advance(time.Second)
	imgWantWorkspace(t, west, s, types.WorkspaceStateAvailable) // failover: a manual start
	rb := must[*workspaces.RebuildWorkspacesOutput](t)(west.RebuildWorkspaces(ctx, &workspaces.RebuildWorkspacesInput{RebuildWorkspaceRequests: []types.RebuildRequest{{WorkspaceId: aws.String(s)}}}))
	if len(rb.FailedRequests) != 1 || aws.ToString(rb.FailedRequests[0].ErrorCode) != "OperationNotSupported" {
		t.Fatalf("rebuild a standby: %+v", rb.FailedRequests)
	}
	_, err := west.CreateWorkspaceImage(ctx, &workspaces.CreateWorkspaceImageInput{Name: aws.String("x"), Description: aws.String("x"), WorkspaceId: aws.String(s)})
	wantCode(t, err, "OperationNotSupportedException")
	_, err = west.ModifyWorkspaceProperties(ctx, &workspaces.ModifyWorkspacePropertiesInput{WorkspaceId: aws.String(s), WorkspaceProperties: &types.WorkspaceProperties{ComputeTypeName: types.ComputeStandard}})
	wantCode(t, err, "UnsupportedWorkspaceConfigurationException")
	_, err = west.RestoreWorkspace(ctx, &workspaces.RestoreWorkspaceInput{WorkspaceId: aws.String(s)})
	wantCode(t, err, "OperationNotSupportedException")
}
