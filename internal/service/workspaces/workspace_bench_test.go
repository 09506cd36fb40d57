package workspaces_test

// DescribeWorkspaces by WorkspaceIds is one store Get per id, so its cost
// must not depend on how many WorkSpaces the account holds. These benchmarks
// seed n WorkSpaces through Service.CreateWorkspaces (25 per call, outside
// the timer) and then describe one id per call, cycling through the ids.
//
//	go test -run x -bench DescribeWorkspacesByID -benchmem ./internal/service/workspaces/
//
// Results are recorded in docs/bench/describe-workspaces.md.

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/sqlite"
)

const benchDir = "d-1234567890"

var benchStart = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func benchCall(op string, now time.Time) *api.Call {
	return &api.Call{Account: "111111111111", Region: "us-east-1", Partition: "aws", Operation: op, Now: now}
}

// seedWorkspaces registers benchDir and creates n AVAILABLE WorkSpaces;
// it returns the service, their ids and a time at which all are AVAILABLE.
func seedWorkspaces(tb testing.TB, st store.Store, n int) (*wssvc.Service, []string, time.Time) {
	tb.Helper()
	ctx := context.Background()
	svc, err := wssvc.New(st, paging.New([]byte("bench-paging-key-0123456789abcdef")), wssvc.DefaultDelays, wssvc.Quotas{Workspaces: n + 1})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := svc.RegisterWorkspaceDirectory(ctx, benchCall("RegisterWorkspaceDirectory", benchStart), &ws.RegisterWorkspaceDirectoryInput{DirectoryId: api.String(benchDir)}); err != nil {
		tb.Fatal(err)
	}
	now := benchStart.Add(time.Second)
	ids := make([]string, 0, n)
	for len(ids) < n {
		batch := make([]ws.WorkspaceRequest, 0, 25)
		for i := len(ids); i < n && len(batch) < 25; i++ {
			batch = append(batch, ws.WorkspaceRequest{DirectoryId: api.String(benchDir), UserName: api.String(fmt.Sprintf("user%07d", i)), BundleId: api.String("wsb-bh8rsxt14")})
		}
		out, err := svc.CreateWorkspaces(ctx, benchCall("CreateWorkspaces", now), &ws.CreateWorkspacesInput{Workspaces: batch})
		if err != nil {
			tb.Fatal(err)
		}
		if len(out.FailedRequests) != 0 || len(out.PendingRequests) != len(batch) {
			tb.Fatalf("seeding: %d failed, %d pending", len(out.FailedRequests), len(out.PendingRequests))
		}
		for _, w := range out.PendingRequests {
			ids = append(ids, *w.WorkspaceId)
		}
	}
	return svc, ids, now.Add(wssvc.DefaultDelays.WorkspaceCreate)
}

func benchDescribeByID(b *testing.B, st store.Store, n int) {
	svc, ids, now := seedWorkspaces(b, st, n)
	ctx := context.Background()
	c := benchCall("DescribeWorkspaces", now)
	in := &ws.DescribeWorkspacesInput{WorkspaceIds: make([]string, 1)}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i = (i + 7919) % n // visits every WorkSpace, not in creation order
		in.WorkspaceIds[0] = ids[i]
		out, err := svc.DescribeWorkspaces(ctx, c, in)
		if err != nil {
			b.Fatal(err)
		}
		if len(out.Workspaces) != 1 || *out.Workspaces[0].WorkspaceId != ids[i] || out.Workspaces[0].State != ws.WorkspaceStateAvailable {
			b.Fatalf("DescribeWorkspaces(%s) = %+v", ids[i], out.Workspaces)
		}
	}
}

func BenchmarkDescribeWorkspacesByID(b *testing.B) {
	for _, n := range []int{100, 100_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			st := memory.New()
			b.Cleanup(func() { st.Close() })
			benchDescribeByID(b, st, n)
		})
	}
}

func BenchmarkDescribeWorkspacesByIDSQLite(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "state.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			benchDescribeByID(b, st, n)
		})
	}
}
