package rerun_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/postgres"
	"github.com/workspaces-local/workspaces-local/internal/store/postgres/pgtest"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
	"github.com/workspaces-local/workspaces-local/internal/store/sqlite"
	"github.com/workspaces-local/workspaces-local/internal/store/storecount"
	"github.com/workspaces-local/workspaces-local/internal/store/storetest"
)

var scope = store.Scope{Kind: "thing", Account: "111111111111", Region: "us-east-1"}

func key(id string) store.Key {
	return store.Key{Kind: scope.Kind, Account: scope.Account, Region: scope.Region, ID: id}
}

// create stores one record per id and returns the ids it created.
func createIDs(ctx context.Context, tx store.Tx, ids []string, out *[]string) error {
	for _, id := range ids {
		if err := tx.Create(ctx, key(id), map[string]string{"id": id}); err != nil {
			return err
		}
		*out = append(*out, id)
	}
	return nil
}

// TestAppendOutsideFnIsCaught is the failure the decorator exists to show:
// a fn that appends to a slice declared outside it answers every item twice.
func TestAppendOutsideFnIsCaught(t *testing.T) {
	ctx := context.Background()
	st := rerun.Wrap(memory.New())
	var out []string
	err := st.Update(ctx, func(tx store.Tx) error { return createIDs(ctx, tx, []string{"a", "b"}, &out) })
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 4 {
		t.Fatalf("fn appending outside itself: got %v, want every id twice (the decorator did not re-run fn)", out)
	}
}

// TestRerunnableFn: a fn that resets its output at its start answers each
// item once, and only the last run's writes persist (a Create of the same
// keys in the second run would fail with ErrConflict otherwise).
func TestRerunnableFn(t *testing.T) {
	ctx := context.Background()
	st := rerun.Wrap(memory.New())
	var out []string
	runs := 0
	err := st.Update(ctx, func(tx store.Tx) error {
		runs++
		out = nil
		return createIDs(ctx, tx, []string{"a", "b"}, &out)
	})
	if err != nil {
		t.Fatal(err)
	}
	if runs != 2 {
		t.Errorf("fn ran %d times, want 2", runs)
	}
	if len(out) != 2 || out[0] != "a" || out[1] != "b" {
		t.Errorf("got %v, want [a b]", out)
	}
	var n int
	if err := st.View(ctx, func(tx store.Tx) (err error) { n, err = tx.Count(ctx, scope); return err }); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d records stored, want 2", n)
	}
}

// TestFailedRehearsal: an error of the first run is returned as it is and
// fn does not run again; nothing is written.
func TestFailedRehearsal(t *testing.T) {
	ctx := context.Background()
	st := rerun.Wrap(memory.New())
	boom := errors.New("boom")
	runs := 0
	err := st.Update(ctx, func(tx store.Tx) error {
		runs++
		if err := tx.Put(ctx, key("a"), 1); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Errorf("Update returned %v, want fn's error unchanged", err)
	}
	if runs != 1 {
		t.Errorf("fn ran %d times after failing, want 1", runs)
	}
	err = st.View(ctx, func(tx store.Tx) error { var v int; return tx.Get(ctx, key("a"), &v) })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get after a failed Update: %v, want ErrNotFound", err)
	}
}

// TestPassesThrough: methods other than Update reach the wrapped store.
func TestPassesThrough(t *testing.T) {
	inner := memory.New()
	var st store.Store = rerun.Wrap(inner)
	if st.Name() != inner.Name() {
		t.Errorf("Name() = %q, want %q", st.Name(), inner.Name())
	}
}

// TestConformance: each decorated store keeps the store contract (the
// rehearsal's writes are rolled back by every implementation, and the
// conformance suite's own Update fns are re-runnable too).
func TestConformance(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		storetest.Run(t, func(*testing.T) store.Store { return rerun.Wrap(memory.New()) })
	})
	t.Run("sqlite", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store {
			db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "state.db"))
			if err != nil {
				t.Fatal(err)
			}
			return rerun.Wrap(db)
		})
	})
	t.Run("postgres", func(t *testing.T) {
		pgtest.URL(t) // skips without a server
		storetest.Run(t, func(t *testing.T) store.Store {
			db, err := postgres.Open(t.Context(), pgtest.Schema(t))
			if err != nil {
				t.Fatal(err)
			}
			return rerun.Wrap(db)
		})
	})
}

// TestRehearsal: the first run's Tx is marked, the second's is not, and
// storecount over the decorator counts the reads of the run that persists.
func TestRehearsal(t *testing.T) {
	ctx := context.Background()
	var marks []bool
	err := rerun.Wrap(memory.New()).Update(ctx, func(tx store.Tx) error {
		marks = append(marks, rerun.Rehearsal(tx)) // appends on purpose: one mark per run
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(marks) != 2 || !marks[0] || marks[1] {
		t.Errorf("Rehearsal per run = %v, want [true false]", marks)
	}
	st := storecount.New(rerun.Wrap(memory.New()))
	err = st.Update(ctx, func(tx store.Tx) error {
		var v int
		if err := tx.Get(ctx, key("a"), &v); !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := st.Reads(); n != 1 {
		t.Errorf("storecount counted %d reads, want 1 (the rehearsal's are not counted)", n)
	}
}
