package workspaces_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store/sqlite"
)

// BenchmarkDescribeWorkspacesPageSQLite is the harness's "one page by
// directory" call in process: DescribeWorkspaces{DirectoryId, Limit: 25}
// on 1,000 WorkSpaces of one directory, on the durable store.
func BenchmarkDescribeWorkspacesPageSQLite(b *testing.B) {
	st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "state.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	svc, _, now := seedWorkspaces(b, st, 1000)
	ctx := context.Background()
	in := &ws.DescribeWorkspacesInput{DirectoryId: api.String(benchDir), Limit: api.Int32(25)}
	b.ReportAllocs()
	for b.Loop() {
		out, err := svc.DescribeWorkspaces(ctx, benchCall("DescribeWorkspaces", now), in)
		if err != nil || len(out.Workspaces) != 25 {
			b.Fatalf("%v %d", err, len(out.Workspaces))
		}
	}
}
