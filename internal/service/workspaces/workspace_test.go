package workspaces

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
)

// spec §6.9: allowed (root, user) pairs; graphics families need 100/100 at least.
func TestValidVolumes(t *testing.T) {
	for _, tc := range []struct {
		root, user int32
		compute    ws.Compute
		want       bool
	}{
		{80, 10, ws.ComputeValue, true},
		{80, 50, ws.ComputeStandard, true},
		{80, 100, ws.ComputePerformance, true},
		{80, 20, ws.ComputeValue, false},
		{80, 200, ws.ComputeValue, false},
		{100, 100, ws.ComputeValue, false},
		{175, 100, ws.ComputePower, true},
		{175, 50, ws.ComputePower, false},
		{174, 100, ws.ComputePower, false},
		{2000, 2000, ws.ComputePowerpro, true},
		{2001, 100, ws.ComputePowerpro, false},
		{175, 2001, ws.ComputePowerpro, false},
		{100, 100, ws.ComputeGraphics, true},
		{100, 100, ws.ComputeGraphicsproG4dn, true},
		{80, 100, ws.ComputeGraphics, false},
		{80, 10, ws.ComputeGraphicspro, false},
		{175, 100, ws.ComputeGraphicsG4dn, true},
	} {
		if got := validVolumes(tc.root, tc.user, tc.compute); got != tc.want {
			t.Errorf("validVolumes(%d, %d, %s) = %v, want %v", tc.root, tc.user, tc.compute, got, tc.want)
		}
	}
}

// spec §6.9: general-purpose types interchange; g4dn graphics only with each other; other graphics never.
func TestComputeCompatible(t *testing.T) {
	for _, tc := range []struct {
		from, to ws.Compute
		want     bool
	}{
		{ws.ComputeValue, ws.ComputeStandard, true},
		{ws.ComputePowerpro, ws.ComputeValue, true},
		{ws.ComputePerformance, ws.ComputePower, true},
		{ws.ComputeGraphicsG4dn, ws.ComputeGraphicsproG4dn, true},
		{ws.ComputeGraphicsproG4dn, ws.ComputeGraphicsG4dn, true},
		{ws.ComputeGraphicsG4dn, ws.ComputeValue, false},
		{ws.ComputeValue, ws.ComputeGraphicsG4dn, false},
		{ws.ComputeGraphics, ws.ComputeValue, false},
		{ws.ComputeGraphics, ws.ComputeGraphicspro, false},
		{ws.ComputeValue, ws.ComputeGraphics, false},
		{ws.ComputeGraphicspro, ws.ComputeGraphicsG4dn, false},
	} {
		if got := computeCompatible(tc.from, tc.to); got != tc.want {
			t.Errorf("computeCompatible(%s, %s) = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
}

// resolve applies every transition due, however late the read comes.
func TestWorkspaceResolve(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	d := DefaultDelays
	w := &workspaceRecord{}
	w.transition(t0, ws.WorkspaceStateTerminating, ws.WorkspaceStateTerminated, d.WorkspaceTerminate)
	for _, step := range []struct {
		at   time.Duration
		want ws.WorkspaceState
		gone bool
	}{
		{0, ws.WorkspaceStateTerminating, false},
		{999 * time.Millisecond, ws.WorkspaceStateTerminating, false},
		{time.Second, ws.WorkspaceStateTerminated, false},
		{2999 * time.Millisecond, ws.WorkspaceStateTerminated, false},
		{3 * time.Second, goneState, true},
	} {
		c := *w
		c.resolve(t0.Add(step.at), d)
		if c.State != step.want || c.gone != step.gone {
			t.Fatalf("at +%v: %s gone=%v, want %s gone=%v", step.at, c.State, c.gone, step.want, step.gone)
		}
	}
	// One late read goes all the way, with StateSince at the due times.
	late := *w
	late.resolve(t0.Add(time.Hour), d)
	if !late.gone || !late.StateSince.Equal(t0.Add(3*time.Second)) {
		t.Fatalf("late read: %s since %v", late.State, late.StateSince)
	}

	// A compute change returns to the state it started from and clears
	// ModificationStates at ModDue.
	u := &workspaceRecord{}
	u.State = ws.WorkspaceStateStopped
	u.ModificationStates = []ws.ModificationState{{Resource: ws.ModificationResourceEnumComputeType, State: ws.ModificationStateEnumUpdateInProgress}}
	u.ModDue = t0.Add(d.WorkspaceModify)
	u.transition(t0, ws.WorkspaceStateUpdating, u.State, d.WorkspaceModify)
	mid := *u
	mid.resolve(t0.Add(d.WorkspaceModify-time.Nanosecond), d)
	if mid.State != ws.WorkspaceStateUpdating || len(mid.ModificationStates) != 1 {
		t.Fatalf("before due: %s %v", mid.State, mid.ModificationStates)
	}
	u.resolve(t0.Add(d.WorkspaceModify), d)
	if u.State != ws.WorkspaceStateStopped || u.Next != "" || u.ModificationStates == nil || len(u.ModificationStates) != 0 {
		t.Fatalf("after due: %s next=%q %v", u.State, u.Next, u.ModificationStates)
	}
}

// view hides the network identity until the WorkSpace has been AVAILABLE
// and always shows ModificationStates as a list.
func TestWorkspaceView(t *testing.T) {
	w := &workspaceRecord{IP: "172.16.1.2", Subnet: "subnet-0123456789abcdef0", Computer: "WSAMZN-ABCDEFGH"}
	w.State = ws.WorkspaceStatePending
	v := w.view()
	if v.IpAddress != nil || v.SubnetId != nil || v.ComputerName != nil || v.ModificationStates == nil {
		t.Fatalf("PENDING view = %+v", v)
	}
	for _, s := range []ws.WorkspaceState{ws.WorkspaceStateAvailable, ws.WorkspaceStateStopped, ws.WorkspaceStateRebuilding, ws.WorkspaceStateTerminating} {
		w.State = s
		v = w.view()
		if api.ToString(v.IpAddress) != w.IP || api.ToString(v.SubnetId) != w.Subnet || api.ToString(v.ComputerName) != w.Computer {
			t.Fatalf("%s view = %+v", s, v)
		}
	}
}

func TestNewProperties(t *testing.T) {
	svc, err := New(nil, nil, DefaultDelays, DefaultQuotas)
	if err != nil {
		t.Fatal(err)
	}
	linux, value := svc.findBundle("wsb-clj85qzj1"), svc.findBundle("wsb-bh8rsxt14")
	if linux == nil || value == nil || svc.findBundle("wsb-000000000") != nil {
		t.Fatal("catalogue lookup")
	}
	p, err := newProperties(linux, nil)
	if err != nil || p.RunningMode != ws.RunningModeAlwaysOn || p.RunningModeAutoStopTimeoutInMinutes != nil ||
		*p.RootVolumeSizeGib != 80 || *p.UserVolumeSizeGib != 50 || p.ComputeTypeName != ws.ComputeStandard ||
		len(p.Protocols) != 1 || p.Protocols[0] != ws.ProtocolWsp || p.OperatingSystemName != ws.OperatingSystemNameAmazonLinux2 {
		t.Fatalf("linux defaults = %+v, %v", p, err)
	}
	in := &ws.WorkspaceProperties{RunningMode: ws.RunningModeAutoStop, Protocols: []ws.Protocol{ws.ProtocolWsp}}
	p, err = newProperties(value, in)
	if err != nil || *p.RunningModeAutoStopTimeoutInMinutes != 60 || p.Protocols[0] != ws.ProtocolWsp {
		t.Fatalf("AUTO_STOP = %+v, %v", p, err)
	}
	p.Protocols[0] = ws.ProtocolPcoip
	if in.Protocols[0] != ws.ProtocolWsp {
		t.Fatal("newProperties aliases the request's Protocols")
	}
	for _, tc := range []struct {
		in   ws.WorkspaceProperties
		code string
	}{
		{ws.WorkspaceProperties{RunningModeAutoStopTimeoutInMinutes: api.Int32(60)}, "AutoStopTimeoutIsNotApplicableForAnAlwaysOnWorkspace"},
		{ws.WorkspaceProperties{RunningMode: ws.RunningModeAutoStop, RunningModeAutoStopTimeoutInMinutes: api.Int32(2940)}, "InvalidParameterValues"},
		{ws.WorkspaceProperties{RunningMode: ws.RunningModeAutoStop, RunningModeAutoStopTimeoutInMinutes: api.Int32(-60)}, "InvalidParameterValues"},
		{ws.WorkspaceProperties{UserVolumeSizeGib: api.Int32(20)}, "InvalidParameterValues"},
		{ws.WorkspaceProperties{Protocols: []ws.Protocol{ws.ProtocolPcoip, ws.ProtocolWsp}}, "InvalidParameterValues"},
	} {
		_, err := newProperties(value, &tc.in)
		var f *failure
		if !errors.As(err, &f) || f.code != tc.code || f.msg == "" {
			t.Errorf("newProperties(%+v) = %v, want %s", tc.in, err, tc.code)
		}
	}
	if p, err := newProperties(value, &ws.WorkspaceProperties{RunningMode: ws.RunningModeAutoStop, RunningModeAutoStopTimeoutInMinutes: api.Int32(2880)}); err != nil || *p.RunningModeAutoStopTimeoutInMinutes != 2880 {
		t.Fatalf("2880 minutes: %+v, %v", p, err)
	}
}

// Terminating a WorkSpace deletes its tags record from the store (no API
// can read tags of a TERMINATING WorkSpace, so only the store shows it).
func TestTerminateDropsTagsRecord(t *testing.T) {
	ctx := context.Background()
	st := rerun.Wrap(memory.New())
	defer st.Close()
	svc, err := New(st, paging.New([]byte("unit-test-paging-key-0123456789ab")), DefaultDelays, DefaultQuotas)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	call := func(op string, at time.Duration) *api.Call {
		return &api.Call{Account: "111111111111", Region: "us-east-1", Partition: "aws", Operation: op, Now: t0.Add(at)}
	}
	if _, err := svc.RegisterWorkspaceDirectory(ctx, call("RegisterWorkspaceDirectory", 0), &ws.RegisterWorkspaceDirectoryInput{DirectoryId: api.String("d-1234567890")}); err != nil {
		t.Fatal(err)
	}
	out, err := svc.CreateWorkspaces(ctx, call("CreateWorkspaces", time.Second), &ws.CreateWorkspacesInput{Workspaces: []ws.WorkspaceRequest{{
		DirectoryId: api.String("d-1234567890"), UserName: api.String("alice"), BundleId: api.String("wsb-bh8rsxt14"),
		Tags: []ws.Tag{{Key: api.String("env"), Value: api.String("test")}},
	}}})
	if err != nil || len(out.PendingRequests) != 1 {
		t.Fatalf("create: %+v, %v", out, err)
	}
	id := *out.PendingRequests[0].WorkspaceId
	c := call("TerminateWorkspaces", 3*time.Second)
	tagsKey := key(c, kindTags, id)
	has := func() bool {
		var r tagsRecord
		err := st.View(ctx, func(tx store.Tx) error { return tx.Get(ctx, tagsKey, &r) })
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil && len(r.Tags) == 1
	}
	if !has() {
		t.Fatal("no tags record after create")
	}
	tout, err := svc.TerminateWorkspaces(ctx, c, &ws.TerminateWorkspacesInput{TerminateWorkspaceRequests: []ws.TerminateRequest{{WorkspaceId: &id}}})
	if err != nil || len(tout.FailedRequests) != 0 {
		t.Fatalf("terminate: %+v, %v", tout, err)
	}
	if has() {
		t.Fatal("tags record survives termination")
	}
}
