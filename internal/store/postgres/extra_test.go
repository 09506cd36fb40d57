package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/postgres"
	"github.com/workspaces-local/workspaces-local/internal/store/postgres/pgtest"
)

type doc struct {
	N int `json:"n"`
}

func key(kind, account, region, id string) store.Key {
	return store.Key{Kind: kind, Account: account, Region: region, ID: id}
}

func mustUpdate(t *testing.T, s store.Store, fn func(ctx context.Context, tx store.Tx) error) {
	t.Helper()
	ctx := t.Context()
	if err := s.Update(ctx, func(tx store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// TestReplicasShareOneOrder opens two stores on one schema, as two replicas
// would, and races check-then-write Updates through both: the quota holds,
// and Seqs are unique and follow commit order.
func TestReplicasShareOneOrder(t *testing.T) {
	u := pgtest.Schema(t)
	var dbs []*postgres.DB
	for range 3 { // opened together: the migrations take turns
		db, err := postgres.Open(t.Context(), u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs = append(dbs, db)
	}
	sc := store.Scope{Kind: "ipgroup", Account: "111122223333", Region: "us-east-1"}
	const quota, writers = 25, 60
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		db := dbs[i%len(dbs)]
		wg.Go(func() {
			ctx := t.Context()
			errs <- db.Update(ctx, func(tx store.Tx) error {
				n, err := tx.Count(ctx, sc)
				if err != nil || n >= quota {
					return err
				}
				return tx.Create(ctx, key(sc.Kind, sc.Account, sc.Region, fmt.Sprintf("g-%02d", i)), doc{N: i})
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Update: %v", err)
		}
	}
	var recs []store.Record
	for _, db := range dbs {
		err := db.View(t.Context(), func(tx store.Tx) (err error) {
			recs, err = tx.List(t.Context(), store.Query{Scope: sc})
			return err
		})
		if err != nil || len(recs) != quota {
			t.Fatalf("List = %d records, %v; want %d", len(recs), err, quota)
		}
	}
	for i := 1; i < len(recs); i++ {
		if recs[i].Seq <= recs[i-1].Seq {
			t.Errorf("Seq %d after %d", recs[i].Seq, recs[i-1].Seq)
		}
	}
	var st postgres.Stats
	for _, db := range dbs {
		s := db.Stats()
		st.Updates += s.Updates
		st.SerializationFailures += s.SerializationFailures
	}
	if st.Updates != writers || st.SerializationFailures != 0 {
		t.Errorf("stats %+v, want %d updates and no serialization failures", st, writers)
	}
}

func TestExportImport(t *testing.T) {
	src, dst := open(t), open(t)
	mustUpdate(t, src, func(ctx context.Context, tx store.Tx) error {
		for i, k := range []store.Key{
			key("workspace", "111122223333", "us-east-1", "ws-1"),
			key("server.meta", "", "", "paging-key"),
			key("workspace", "444455556666", "eu-west-1", "ws-2"),
			key("ipgroup", "111122223333", "us-east-1", "wsipg-1"),
		} {
			if err := tx.Create(ctx, k, doc{N: i}); err != nil {
				return err
			}
		}
		return tx.Delete(ctx, key("workspace", "444455556666", "eu-west-1", "ws-2"))
	})
	mustUpdate(t, dst, func(ctx context.Context, tx store.Tx) error {
		return tx.Create(ctx, key("workspace", "999999999999", "us-east-1", "old"), doc{N: 9})
	})
	var recs []store.Record
	if err := src.Export(t.Context(), func(r store.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[0].Key.ID != "ws-1" || recs[1].Key.Kind != "server.meta" || recs[2].Key.ID != "wsipg-1" {
		t.Fatalf("Export = %+v", recs)
	}
	for i := 1; i < len(recs); i++ {
		if recs[i].Seq <= recs[i-1].Seq {
			t.Errorf("Export not in Seq order: %+v", recs)
		}
	}
	stop := errors.New("stop")
	n := 0
	if err := src.Export(t.Context(), func(store.Record) error { n++; return stop }); err != stop || n != 1 { //nolint:errorlint
		t.Errorf("Export with a failing fn = %v after %d records", err, n)
	}

	if err := dst.Import(t.Context(), recs); err != nil {
		t.Fatal(err)
	}
	var got []store.Record
	if err := dst.Export(t.Context(), func(r store.Record) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(recs) {
		t.Errorf("after Import: %v, want %v", got, recs)
	}
	// Later Creates get Seqs above the largest imported.
	k := key("workspace", "111122223333", "us-east-1", "ws-new")
	mustUpdate(t, dst, func(ctx context.Context, tx store.Tx) error { return tx.Create(ctx, k, doc{}) })
	err := dst.View(t.Context(), func(tx store.Tx) error {
		l, err := tx.List(t.Context(), store.Query{Scope: k.Scope()})
		if err == nil && (len(l) != 2 || l[1].Seq <= recs[len(recs)-1].Seq) {
			err = fmt.Errorf("after a Create: %v", l)
		}
		return err
	})
	if err != nil {
		t.Error(err)
	}
	// A duplicate key is refused and changes nothing.
	if err := dst.Import(t.Context(), append(recs, store.Record{Key: recs[0].Key, Seq: 999, Value: []byte(`{}`)})); err == nil {
		t.Error("Import of a duplicate key succeeded")
	}
	var after int
	_ = dst.Export(t.Context(), func(store.Record) error { after++; return nil })
	if after != 4 {
		t.Errorf("after a failed Import: %d records, want 4", after)
	}
}

func TestDeleteScopeAndScopes(t *testing.T) {
	s := open(t)
	keys := []store.Key{
		key("workspace", "111122223333", "us-east-1", "a"),
		key("workspace", "111122223333", "us-east-1", "b"),
		key("ipgroup", "111122223333", "us-east-1", "c"),
		key("workspace", "111122223333", "eu-west-1", "d"),
		key("workspace", "444455556666", "us-east-1", "e"),
		key("server.meta", "", "", "paging-key"),
	}
	mustUpdate(t, s, func(ctx context.Context, tx store.Tx) error {
		for _, k := range keys {
			if err := tx.Create(ctx, k, doc{}); err != nil {
				return err
			}
		}
		return nil
	})
	scopes := func() []store.Scope {
		var out []store.Scope
		err := s.View(t.Context(), func(tx store.Tx) (err error) {
			out, err = tx.(interface {
				Scopes(context.Context) ([]store.Scope, error)
			}).Scopes(t.Context())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := "[{ipgroup 111122223333 us-east-1} {server.meta  } {workspace 111122223333 eu-west-1} {workspace 111122223333 us-east-1} {workspace 444455556666 us-east-1}]"
	if got := fmt.Sprint(scopes()); got != want {
		t.Errorf("Scopes = %s\nwant     %s", got, want)
	}
	type deleter interface {
		DeleteScope(context.Context, string, string) (int, error)
	}
	var n int
	mustUpdate(t, s, func(ctx context.Context, tx store.Tx) (err error) {
		n, err = tx.(deleter).DeleteScope(ctx, "111122223333", "us-east-1")
		return err
	})
	if n != 3 {
		t.Errorf("DeleteScope = %d, want 3", n)
	}
	mustUpdate(t, s, func(ctx context.Context, tx store.Tx) (err error) {
		n, err = tx.(deleter).DeleteScope(ctx, "", "us-east-1")
		return err
	})
	if n != 1 {
		t.Errorf(`DeleteScope("", us-east-1) = %d, want 1`, n)
	}
	want = "[{server.meta  } {workspace 111122223333 eu-west-1}]"
	if got := fmt.Sprint(scopes()); got != want {
		t.Errorf("Scopes = %s, want %s", got, want)
	}
	err := s.View(t.Context(), func(tx store.Tx) error {
		_, err := tx.(deleter).DeleteScope(t.Context(), "", "")
		return err
	})
	if err == nil {
		t.Error("DeleteScope in a View succeeded")
	}
}

// TestUnreachable: a store whose server has gone answers ErrUnavailable.
func TestUnreachable(t *testing.T) {
	pgtest.URL(t)
	// Nothing listens on port 1 of the loopback: Open waits (bounded by
	// its context here) and fails.
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	_, err := postgres.Open(ctx, "postgres://x:y@127.0.0.1:1/db?connect_timeout=2")
	if err == nil {
		t.Fatal("Open of an unreachable server succeeded")
	}
	if !errors.Is(err, store.ErrUnavailable) || !strings.Contains(err.Error(), "xxxxx") || strings.Contains(err.Error(), ":y@") {
		t.Errorf("Open of an unreachable server: %v; want ErrUnavailable naming the redacted URL", err)
	}
	s := open(t)
	s.Close()
	if err := s.View(t.Context(), func(store.Tx) error { return nil }); err == nil {
		t.Error("View after Close succeeded")
	}
}

func TestRedact(t *testing.T) {
	if got := postgres.Redact("postgres://u:secret@h:5432/db?sslmode=disable"); got != "postgres://u:xxxxx@h:5432/db?sslmode=disable" {
		t.Errorf("Redact = %s", got)
	}
}
