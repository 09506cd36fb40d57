package workspaces

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
)

// seedWithBundle seeds n WorkSpaces of a public bundle on a store that
// rehearses every Update; at is their creation time.
func seedWithBundle(t *testing.T, bundle string, n int) (store.Store, *Service, []string, time.Time) {
	t.Helper()
	st := rerun.Wrap(memory.New())
	t.Cleanup(func() { st.Close() })
	svc, _ := seedService(t, st)
	at := seedT0.Add(time.Minute)
	ids, err := svc.SeedWorkspaces(context.Background(), SeedSpec{Account: "111111111111", Region: "us-east-1", DirectoryID: seedDir,
		BundleID: bundle, Count: n, Now: at, Batch: n}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return st, svc, ids, at
}

// A migration target carries its new bundle's applications, as a new
// WorkSpace does; the source's associations go with it at once, as a
// terminated WorkSpace's do.
func TestMigrationMovesApplications(t *testing.T) {
	ctx := context.Background()
	st, svc, ids, at := seedWithBundle(t, "wsb-bh8rsxt14", 1)
	at = at.Add(time.Hour)
	if _, err := svc.AssociateWorkspaceApplication(ctx, seedCall("AssociateWorkspaceApplication", at), &ws.AssociateWorkspaceApplicationInput{
		WorkspaceId: api.String(ids[0]), ApplicationId: api.String("wsa-vis21pro1")}); err != nil {
		t.Fatal(err)
	}
	at = at.Add(time.Minute)
	out, err := svc.MigrateWorkspace(ctx, seedCall("MigrateWorkspace", at), &ws.MigrateWorkspaceInput{SourceWorkspaceId: api.String(ids[0]), BundleId: api.String("wsb-df76rqys9")})
	if err != nil {
		t.Fatal(err)
	}
	// The source is locked while the migration runs.
	_, err = svc.AssociateWorkspaceApplication(ctx, seedCall("AssociateWorkspaceApplication", at), &ws.AssociateWorkspaceApplicationInput{
		WorkspaceId: api.String(ids[0]), ApplicationId: api.String("wsa-prj21pro1")})
	var ons *ws.OperationNotSupportedException
	if !errors.As(err, &ons) {
		t.Errorf("associate on a migrating source: %v, want OperationNotSupportedException", err)
	}
	apps := func(id string) (got []string) {
		t.Helper()
		if err := st.View(ctx, func(tx store.Tx) error {
			recs, err := svc.workspaceApps(ctx, tx, seedCall("", at), id)
			for _, r := range recs {
				got = append(got, r.ApplicationID+":"+string(r.State))
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := apps(ids[0]); len(got) != 0 {
		t.Errorf("migrated source still has associations %v", got)
	}
	if got := apps(*out.TargetWorkspaceId); len(got) != 1 || got[0] != "wsa-off2016p1:COMPLETED" {
		t.Errorf("target associations = %v, want the Office 2016 of bundle wsb-df76rqys9", got)
	}
}

// A seeded WorkSpace carries its bundle's applications, as a created one does.
func TestSeedInheritsBundleApplications(t *testing.T) {
	ctx := context.Background()
	_, svc, ids, at := seedWithBundle(t, "wsb-df76rqys9", 2)
	for _, id := range ids {
		out, err := svc.DescribeWorkspaceAssociations(ctx, seedCall("DescribeWorkspaceAssociations", at.Add(time.Hour)), &ws.DescribeWorkspaceAssociationsInput{
			WorkspaceId: api.String(id), AssociatedResourceTypes: []ws.WorkSpaceAssociatedResourceType{ws.WorkSpaceAssociatedResourceTypeApplication}})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Associations) != 1 || *out.Associations[0].AssociatedResourceId != "wsa-off2016p1" || out.Associations[0].State != ws.AssociationStateCompleted {
			t.Errorf("%s associations = %+v, want Office 2016 COMPLETED", id, out.Associations)
		}
	}
}
