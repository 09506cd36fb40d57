package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/faults"
	"github.com/workspaces-local/workspaces-local/internal/journal"
	"github.com/workspaces-local/workspaces-local/internal/server"
	"github.com/workspaces-local/workspaces-local/internal/store/postgres"
	"github.com/workspaces-local/workspaces-local/internal/store/postgres/pgtest"
)

// node is one replica's shared test control, as app wires it.
type node struct {
	faults  *faults.Set
	journal *journal.Ring
	control *postgres.Control
}

func newNode(t *testing.T, url string) *node {
	t.Helper()
	db, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	n := &node{
		faults:  faults.New(map[string][]*api.Operation{"workspaces": {{Name: "DescribeWorkspaces"}}}),
		journal: journal.New(0),
		control: db.NewControl(nil),
	}
	n.faults.Share(n.control.Faults())
	n.control.Handle(postgres.TopicFaults, n.faults.Reload)
	n.journal.Share(n.control.Journal())
	n.control.Handle(postgres.TopicJournal, n.journal.Flush)
	if err := n.control.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		n.journal.Close(context.Background()) //nolint:errcheck
		n.control.Close()
		db.Close()
	})
	return n
}

var describe = &api.Call{Service: "workspaces", Operation: "DescribeWorkspaces"}

// TestControlFaultsAcrossReplicas: a rule added on one replica acts on the
// next call on another, a count is spent over both, a delete on one ends it
// on the other, and both list the same ids and hits.
func TestControlFaultsAcrossReplicas(t *testing.T) {
	url := pgtest.Schema(t)
	a, b := newNode(t, url), newNode(t, url)
	ctx := t.Context()
	if _, err := a.faults.Add(ctx, faults.Spec{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "A", Count: 3}); err != nil {
		t.Fatal(err)
	}
	hits := 0
	for i := range 8 {
		if err := []*node{b, a}[i%2].faults.Intercept(ctx, describe); err != nil {
			hits++
		}
	}
	if hits != 3 {
		t.Errorf("a count=3 rule acted %d times over two replicas", hits)
	}
	r, err := b.faults.Add(ctx, faults.Spec{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "B"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.faults.Intercept(ctx, describe); err == nil {
		t.Error("a rule added on B did not act on the next call on A")
	}
	la, _ := a.faults.List(ctx)
	lb, _ := b.faults.List(ctx)
	if len(la) != 1 || len(lb) != 1 || la[0].ID != r.ID || lb[0].ID != r.ID || la[0].Hits != 1 || lb[0].Hits != 1 {
		t.Errorf("lists: A %+v, B %+v; want %s with 1 hit on both", la, lb, r.ID)
	}
	if ok, err := b.faults.Delete(ctx, r.ID); !ok || err != nil {
		t.Fatalf("Delete = %v, %v", ok, err)
	}
	if err := a.faults.Intercept(ctx, describe); err != nil {
		t.Errorf("a rule deleted on B still acts on A: %v", err)
	}
}

// TestControlJournalAcrossReplicas: calls answered on either replica are
// listed on the other at once (without waiting for the batch timer), newest
// first, and a clear on one empties both.
func TestControlJournalAcrossReplicas(t *testing.T) {
	url := pgtest.Schema(t)
	a, b := newNode(t, url), newNode(t, url)
	ctx := t.Context()
	a.journal.Observe(server.Exchange{RequestID: "1", Operation: "DescribeWorkspaces", Status: 200, Time: time.Now()})
	b.journal.Observe(server.Exchange{RequestID: "2", Operation: "CreateWorkspaces", Status: 400})
	a.journal.Observe(server.Exchange{RequestID: "3", Operation: "DescribeWorkspaces", Status: 200})
	es, err := b.journal.Entries(ctx, journal.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 3 || es[0].RequestID != "3" || es[1].RequestID != "2" || es[2].RequestID != "1" {
		t.Errorf("entries on B = %+v, want 3 2 1", es)
	}
	if es, _ := a.journal.Entries(ctx, journal.Filter{Status: 400}); len(es) != 1 || es[0].RequestID != "2" {
		t.Errorf("status 400 on A = %+v", es)
	}
	if err := a.journal.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	if es, _ := b.journal.Entries(ctx, journal.Filter{}); len(es) != 0 {
		t.Errorf("after a clear on A, B lists %+v", es)
	}
}

// TestControlDeadReplica: a replica that holds a lease but never answers
// (killed) delays a change at most until its lease runs out.
func TestControlDeadReplica(t *testing.T) {
	url := pgtest.Schema(t)
	a := newNode(t, url)
	c, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	if _, err := c.Exec(t.Context(), `INSERT INTO wslocal_replicas (id, lease_until) VALUES ('dead', now() + interval '2 seconds')`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := a.faults.Add(t.Context(), faults.Spec{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "A"}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < time.Second || d > 6*time.Second {
		t.Errorf("the change answered after %s: want it to wait for the dead replica's lease (2s), no longer", d)
	}
	start = time.Now()
	if _, err := a.faults.Clear(t.Context()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("a change after the lease ran out took %s", d)
	}
}

// TestControlJournalKeepsTheNewest: of 1,300 calls over two replicas the
// newest 1,000 are listed, and the table is trimmed now and then.
func TestControlJournalKeepsTheNewest(t *testing.T) {
	url := pgtest.Schema(t)
	a, b := newNode(t, url), newNode(t, url)
	ctx := t.Context()
	const n = 1300
	for i := range n {
		[]*node{a, b}[i%2].journal.Observe(server.Exchange{RequestID: fmt.Sprint(i), Status: 200 + i%2})
		if i%100 == 99 { // as calls spread over time: several batches, several trims
			if err := a.journal.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			if err := b.journal.Flush(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	es, err := a.journal.Entries(ctx, journal.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != journal.DefaultSize || es[0].RequestID != fmt.Sprint(n-1) || es[len(es)-1].RequestID != fmt.Sprint(n-journal.DefaultSize) {
		t.Errorf("%d entries, newest %s, oldest %s; want %d from %d down to %d", len(es), es[0].RequestID, es[len(es)-1].RequestID, journal.DefaultSize, n-1, n-journal.DefaultSize)
	}
	if es, _ := b.journal.Entries(ctx, journal.Filter{Status: 201, Limit: 2}); len(es) != 2 || es[0].RequestID != fmt.Sprint(n-1) || es[1].RequestID != fmt.Sprint(n-3) {
		t.Errorf("status 201, limit 2 = %+v", es)
	}
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	var rows int
	if err := c.QueryRow(ctx, `SELECT count(*) FROM wslocal_journal`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows > journal.DefaultSize+2*256 {
		t.Errorf("%d rows kept: the journal table is not trimmed", rows)
	}
}

// TestControlListenerReconnects: a replica whose listening connection is
// cut reconnects and reloads the rules: it may have missed notices.
func TestControlListenerReconnects(t *testing.T) {
	url := pgtest.Schema(t)
	a, b := newNode(t, url), newNode(t, url)
	ctx := t.Context()
	// A rule stored without its notice: what a replica misses while its
	// listener is down.
	if _, err := a.control.Faults().Insert(ctx, faults.Spec{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "A", Status: 400}); err != nil {
		t.Fatal(err)
	}
	if err := b.faults.Intercept(ctx, describe); err != nil {
		t.Fatalf("B applies a rule it was never told of: %v", err)
	}
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	var killed bool
	if err := c.QueryRow(ctx, `SELECT coalesce(bool_or(pg_terminate_backend(pid)), false) FROM pg_stat_activity WHERE application_name = $1`,
		"workspaces-local listener "+b.control.ID()).Scan(&killed); err != nil || !killed {
		t.Fatalf("terminating B's listener: %v, %v", killed, err)
	}
	for deadline := time.Now().Add(10 * time.Second); b.faults.Intercept(ctx, describe) == nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("B did not reload the rules after its listener reconnected")
		}
	}
}
