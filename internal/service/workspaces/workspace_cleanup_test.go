package workspaces

import (
	"context"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
)

// Terminated WorkSpaces leave the store once gone: the next Terminate or
// Create deletes their records, and only theirs.
func TestTerminatedWorkspacesAreDeleted(t *testing.T) {
	ctx := context.Background()
	st := rerun.Wrap(memory.New())
	svc, _ := seedService(t, st)
	at := seedT0.Add(time.Minute)
	ids, err := svc.SeedWorkspaces(ctx, SeedSpec{Account: "111111111111", Region: "us-east-1", DirectoryID: seedDir,
		BundleID: "wsb-bh8rsxt14", Count: 10, Now: at}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// stored counts the WorkSpace records, and checks that the directory and
	// bundle indexes name exactly as many (a swept WorkSpace leaves no entry).
	stored := func() int {
		t.Helper()
		var n, dir, bundle int
		c := seedCall("", at)
		if err := st.View(ctx, func(tx store.Tx) error {
			var err error
			if n, err = tx.Count(ctx, scope(c, kindWorkspace)); err != nil {
				return err
			}
			if dir, err = tx.Count(ctx, ixScope(ixWorkspaceDir, seedDir, c.Account, c.Region)); err != nil {
				return err
			}
			bundle, err = tx.Count(ctx, ixScope(ixWorkspaceBundle, "wsb-bh8rsxt14", c.Account, c.Region))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if dir != n || bundle != n {
			t.Fatalf("%d WorkSpace records, %d directory and %d bundle index entries", n, dir, bundle)
		}
		return n
	}
	terminate := func(ids ...string) {
		t.Helper()
		var reqs []ws.TerminateRequest
		for _, id := range ids {
			reqs = append(reqs, ws.TerminateRequest{WorkspaceId: api.String(id)})
		}
		out, err := svc.TerminateWorkspaces(ctx, seedCall("TerminateWorkspaces", at), &ws.TerminateWorkspacesInput{TerminateWorkspaceRequests: reqs})
		if err != nil || len(out.FailedRequests) > 0 {
			t.Fatalf("terminate %v: %v %+v", ids, err, out)
		}
	}
	terminate(ids[0], ids[1], ids[2])
	if n := stored(); n != 10 {
		t.Fatalf("right after terminating: %d records, want 10", n)
	}
	// Not gone yet (TERMINATED, inside the cleanup delay): kept.
	at = at.Add(DefaultDelays.WorkspaceTerminate)
	terminate(ids[3])
	if n := stored(); n != 10 {
		t.Fatalf("terminated but not gone: %d records, want 10", n)
	}
	// ids[0..2] gone, ids[3] not yet: a Create sweeps exactly three.
	at = at.Add(DefaultDelays.WorkspaceCleanup)
	out, err := svc.CreateWorkspaces(ctx, seedCall("CreateWorkspaces", at), &ws.CreateWorkspacesInput{Workspaces: []ws.WorkspaceRequest{{
		DirectoryId: api.String(seedDir), UserName: api.String("newcomer"), BundleId: api.String("wsb-bh8rsxt14")}}})
	if err != nil || len(out.FailedRequests) > 0 {
		t.Fatalf("create: %v %+v", err, out)
	}
	if n := stored(); n != 8 {
		t.Fatalf("after sweep: %d records, want 8 (10 + 1 created - 3 gone)", n)
	}
	// The user of a deleted WorkSpace still finds nothing, and can get a new one.
	d, err := svc.DescribeWorkspaces(ctx, seedCall("DescribeWorkspaces", at), &ws.DescribeWorkspacesInput{
		DirectoryId: api.String(seedDir), UserName: api.String(SeedSpec{}.SeedUser(0))})
	if err != nil || len(d.Workspaces) != 0 {
		t.Fatalf("describe the first user: %v %+v", err, d)
	}
	// Later, everything terminated is gone and swept by the next Terminate.
	at = at.Add(time.Hour)
	terminate(ids[9])
	if n := stored(); n != 7 {
		t.Fatalf("after the second sweep: %d records, want 7", n)
	}
}
