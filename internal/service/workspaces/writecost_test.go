package workspaces

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
	"github.com/workspaces-local/workspaces-local/internal/store/storecount"
)

// The rule of docs/architecture.md for writes: uniqueness and quota checks
// read keyed index records and Count, not the account's records. The
// account holds 300 WorkSpaces in one directory and 60 IP groups; a check
// that lists either reads several times the bound. (The known exceptions
// listed in docs/architecture.md are not here.)
func TestWriteCostBoundedByRequest(t *testing.T) {
	ctx := context.Background()
	st := storecount.New(rerun.Wrap(memory.New()))
	svc, _ := seedService(t, st)
	now := seedT0.Add(time.Minute)
	call := func(op string) *api.Call {
		now = now.Add(time.Second)
		return seedCall(op, now)
	}
	const small = "d-1000000002"
	if _, err := svc.RegisterWorkspaceDirectory(ctx, call("RegisterWorkspaceDirectory"), &ws.RegisterWorkspaceDirectoryInput{DirectoryId: api.String(small)}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Minute) // small REGISTERED
	if _, err := svc.SeedWorkspaces(ctx, SeedSpec{Account: me, Region: "us-east-1", DirectoryID: seedDir, BundleID: "wsb-bh8rsxt14", Count: 300, Now: now}, nil); err != nil {
		t.Fatal(err)
	}
	var groups []string
	for i := range 60 {
		g, err := svc.CreateIpGroup(ctx, call("CreateIpGroup"), &ws.CreateIpGroupInput{GroupName: api.String(fmt.Sprintf("g%02d", i))})
		if err != nil {
			t.Fatal(err)
		}
		groups = append(groups, *g.GroupId)
	}
	if _, err := svc.AssociateIpGroups(ctx, call("AssociateIpGroups"), &ws.AssociateIpGroupsInput{DirectoryId: api.String(seedDir), GroupIds: groups[:1]}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateWorkspaces(ctx, call("CreateWorkspaces"), &ws.CreateWorkspacesInput{Workspaces: []ws.WorkspaceRequest{
		{DirectoryId: api.String(small), UserName: api.String("alice"), BundleId: api.String("wsb-bh8rsxt14")}}}); err != nil {
		t.Fatal(err)
	}

	const most = 12 // markers, the record, its index keys, a Count, the user slot
	is := func(target any) func(error) error {
		return func(err error) error {
			if !errors.As(err, target) {
				return fmt.Errorf("got %v, want %T", err, target)
			}
			return nil
		}
	}
	ok := func(err error) error { return err }
	var exists *ws.ResourceAlreadyExistsException
	var assoc *ws.ResourceAssociatedException
	var unsupported *ws.OperationNotSupportedException
	for _, tc := range []struct {
		name  string
		call  func() error
		check func(error) error
	}{
		{"CreateIpGroup of a taken name", func() error {
			_, err := svc.CreateIpGroup(ctx, call("CreateIpGroup"), &ws.CreateIpGroupInput{GroupName: api.String("g42")})
			return err
		}, is(&exists)},
		{"CreateIpGroup", func() error {
			_, err := svc.CreateIpGroup(ctx, call("CreateIpGroup"), &ws.CreateIpGroupInput{GroupName: api.String("new")})
			return err
		}, ok},
		{"DeleteIpGroup of an associated group", func() error {
			_, err := svc.DeleteIpGroup(ctx, call("DeleteIpGroup"), &ws.DeleteIpGroupInput{GroupId: &groups[0]})
			return err
		}, is(&assoc)},
		{"DeleteIpGroup", func() error {
			_, err := svc.DeleteIpGroup(ctx, call("DeleteIpGroup"), &ws.DeleteIpGroupInput{GroupId: &groups[59]})
			return err
		}, ok},
		{"UpdateRulesOfIpGroup", func() error {
			_, err := svc.UpdateRulesOfIpGroup(ctx, call("UpdateRulesOfIpGroup"), &ws.UpdateRulesOfIpGroupInput{GroupId: &groups[0], UserRules: []ws.IpRuleItem{{IpRule: api.String("10.0.0.0/8")}}})
			return err
		}, ok},
		{"DeregisterWorkspaceDirectory with a WorkSpace", func() error {
			_, err := svc.DeregisterWorkspaceDirectory(ctx, call("DeregisterWorkspaceDirectory"), &ws.DeregisterWorkspaceDirectoryInput{DirectoryId: api.String(small)})
			return err
		}, is(&unsupported)},
		{"CreateWorkspaces for a user who has one", func() error {
			out, err := svc.CreateWorkspaces(ctx, call("CreateWorkspaces"), &ws.CreateWorkspacesInput{Workspaces: []ws.WorkspaceRequest{
				{DirectoryId: api.String(small), UserName: api.String("alice"), BundleId: api.String("wsb-bh8rsxt14")}}})
			if err == nil && len(out.FailedRequests) != 1 {
				err = fmt.Errorf("%d failed requests, want 1", len(out.FailedRequests))
			}
			return err
		}, ok},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st.Reset()
			if err := tc.check(tc.call()); err != nil {
				t.Fatal(err)
			}
			if st.Reads() > most {
				t.Errorf("read %d records, want at most %d; the account holds 300 WorkSpaces and 60 IP groups", st.Reads(), most)
			}
		})
	}
}
