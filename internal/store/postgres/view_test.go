package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/postgres"
	"github.com/workspaces-local/workspaces-local/internal/store/postgres/pgtest"
)

// TestViewsLeaveNoSnapshotBehind: a View's transaction stays open on its
// connection only until the next View or a short idle time, and the next
// View on that connection reads what was committed in between.
func TestViewsLeaveNoSnapshotBehind(t *testing.T) {
	app := fmt.Sprintf("wsl-view-test-%d", time.Now().UnixNano())
	u := pgtest.Schema(t) + "&application_name=" + app
	db, err := postgres.Open(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := t.Context()
	k := key("workspace", "111122223333", "us-east-1", "ws-1")
	for n := 1; n <= 3; n++ {
		mustUpdate(t, db, func(ctx context.Context, tx store.Tx) error { return tx.Put(ctx, k, doc{N: n}) })
		var d doc
		if err := db.View(ctx, func(tx store.Tx) error { return tx.Get(ctx, k, &d) }); err != nil || d.N != n {
			t.Fatalf("View after write %d read %d, %v", n, d.N, err)
		}
	}
	probe, err := pgx.Connect(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer probe.Close(ctx)
	idle := func() (n int) {
		err := probe.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND state LIKE 'idle in transaction%'`, app).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if idle() == 0 {
		t.Log("no reader left its snapshot open (the sweeper was quick)")
	}
	deadline := time.Now().Add(3 * time.Second)
	for idle() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("a reader kept its View's transaction open for 3 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
