package workspaces

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
)

// DescribeWorkspaces without ids reads the store one page at a time
// (scanPage); walking every page with any filter and Limit must visit exactly
// the WorkSpaces a full listing keeps, in creation order, skipping gone ones,
// across the reader's chunk boundaries and with sparse matches.
func TestDescribeWorkspacesScanPages(t *testing.T) {
	ctx := context.Background()
	svc, _ := seedService(t, rerun.Wrap(memory.New()))
	now := seedT0.Add(time.Minute)
	// Interleave two bundles in runs of uneven length so a BundleId filter
	// matches sparsely and chunks end mid-run.
	var ids []string
	bundles := map[string]string{}
	for i, run := range []struct {
		bundle string
		n      int
	}{{"wsb-bh8rsxt14", 90}, {"wsb-b0s22j3d7", 3}, {"wsb-bh8rsxt14", 130}, {"wsb-b0s22j3d7", 1}, {"wsb-bh8rsxt14", 70}, {"wsb-b0s22j3d7", 5}} {
		got, err := svc.SeedWorkspaces(ctx, SeedSpec{Account: "111111111111", Region: "us-east-1", DirectoryID: seedDir,
			BundleID: run.bundle, Count: run.n, UserPrefix: string(rune('a' + i)), Now: now}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range got {
			bundles[id] = run.bundle
		}
		ids = append(ids, got...)
	}
	// Terminate a few, some at the start of a chunk, and let them go.
	gone := []string{ids[0], ids[63], ids[64], ids[200], ids[len(ids)-1]}
	var reqs []ws.TerminateRequest
	for _, id := range gone {
		reqs = append(reqs, ws.TerminateRequest{WorkspaceId: api.String(id)})
	}
	at := now.Add(time.Minute)
	if out, err := svc.TerminateWorkspaces(ctx, seedCall("TerminateWorkspaces", at), &ws.TerminateWorkspacesInput{TerminateWorkspaceRequests: reqs}); err != nil || len(out.FailedRequests) > 0 {
		t.Fatalf("terminate: %v %+v", err, out)
	}
	at = at.Add(time.Hour)

	want := func(keep func(id string) bool) []string {
		var out []string
		for _, id := range ids {
			if !slices.Contains(gone, id) && keep(id) {
				out = append(out, id)
			}
		}
		return out
	}
	all := func(string) bool { return true }
	for _, tc := range []struct {
		name  string
		in    ws.DescribeWorkspacesInput
		limit int32
		want  []string
	}{
		{"unfiltered, default limit", ws.DescribeWorkspacesInput{}, 0, want(all)},
		{"directory, limit 25", ws.DescribeWorkspacesInput{DirectoryId: api.String(seedDir)}, 25, want(all)},
		{"directory, limit 1", ws.DescribeWorkspacesInput{DirectoryId: api.String(seedDir)}, 1, want(all)},
		{"sparse bundle, limit 2", ws.DescribeWorkspacesInput{BundleId: api.String("wsb-b0s22j3d7")}, 2, want(func(id string) bool { return bundles[id] == "wsb-b0s22j3d7" })},
		{"sparse bundle, limit 25", ws.DescribeWorkspacesInput{BundleId: api.String("wsb-b0s22j3d7")}, 25, want(func(id string) bool { return bundles[id] == "wsb-b0s22j3d7" })},
		{"no match", ws.DescribeWorkspacesInput{DirectoryId: api.String("d-0000000000")}, 5, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			if tc.limit > 0 {
				in.Limit = api.Int32(tc.limit)
			}
			var got []string
			for page := 0; ; page++ {
				out, err := svc.DescribeWorkspaces(ctx, seedCall("DescribeWorkspaces", at), &in)
				if err != nil {
					t.Fatal(err)
				}
				lim := int(tc.limit)
				if lim == 0 {
					lim = defaultWorkspacePage
				}
				if len(out.Workspaces) > lim || (out.NextToken != nil && len(out.Workspaces) != lim) {
					t.Fatalf("page %d: %d items with token %v (limit %d)", page, len(out.Workspaces), out.NextToken != nil, lim)
				}
				for _, w := range out.Workspaces {
					got = append(got, *w.WorkspaceId)
				}
				if out.NextToken == nil {
					break
				}
				if page > len(ids) {
					t.Fatalf("still paging after %d pages", page)
				}
				in.NextToken = out.NextToken
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("walked %d WorkSpaces, want %d\ngot  %v\nwant %v", len(got), len(tc.want), got, tc.want)
			}
		})
	}
}
