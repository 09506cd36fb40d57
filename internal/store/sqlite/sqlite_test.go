package sqlite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/sqlite"
	"github.com/workspaces-local/workspaces-local/internal/store/storetest"
)

// open opens a new database in a fresh temporary directory.
func open(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "store.db"))
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}

func BenchmarkSQLite(b *testing.B) {
	storetest.RunBenchmarks(b, func(b *testing.B) store.Store { return open(b) })
}

type doc struct {
	Name string `json:"name"`
}

var k = store.Key{Kind: "workspace", Account: "111122223333", Region: "us-east-1", ID: "ws-1"}

func TestReopenKeepsData(t *testing.T) {
	ctx := t.Context()
	// Parents are created; odd characters survive the file: URI.
	path := filepath.Join(t.TempDir(), "nested", "a dir?#%20", "store.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file: %v", err)
	}
	if db.Name() != "sqlite" {
		t.Errorf("Name() = %q, want sqlite", db.Name())
	}
	err = db.Update(ctx, func(tx store.Tx) error {
		if err := tx.Create(ctx, k, doc{Name: "kept"}); err != nil {
			return err
		}
		k2 := k
		k2.ID = "ws-2"
		if err := tx.Create(ctx, k2, doc{Name: "deleted"}); err != nil {
			return err
		}
		return tx.Delete(ctx, k2)
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	var recs []store.Record
	err = db.View(ctx, func(tx store.Tx) error {
		var d doc
		if err := tx.Get(ctx, k, &d); err != nil || d.Name != "kept" {
			t.Errorf("Get after reopen = %+v, %v", d, err)
		}
		recs, err = tx.List(ctx, store.Query{Scope: k.Scope()})
		return err
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	if len(recs) != 1 {
		t.Fatalf("List after reopen = %d records, want 1", len(recs))
	}
	// Seqs keep growing across restarts, even past a deleted newest record.
	k3 := k
	k3.ID = "ws-3"
	var recs3 []store.Record
	err = db.Update(ctx, func(tx store.Tx) error {
		if err := tx.Create(ctx, k3, doc{Name: "new"}); err != nil {
			return err
		}
		recs3, err = tx.List(ctx, store.Query{Scope: k.Scope(), AfterSeq: recs[0].Seq})
		return err
	})
	if err != nil {
		t.Fatalf("Update after reopen: %v", err)
	}
	if len(recs3) != 1 || recs3[0].Seq <= recs[0].Seq+1 {
		t.Errorf("Create after reopen = %+v, want a Seq past the deleted record's", recs3)
	}
}

func TestUseAfterClose(t *testing.T) {
	db := open(t)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if err := db.View(ctx, func(store.Tx) error { return nil }); err == nil {
		t.Error("View after Close succeeded")
	}
	if err := db.Update(ctx, func(store.Tx) error { return nil }); err == nil {
		t.Error("Update after Close succeeded")
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := sqlite.Open(ctx, ""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
	// A parent that is a file cannot be created.
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if db, err := sqlite.Open(ctx, filepath.Join(file, "store.db")); err == nil {
		db.Close()
		t.Error("Open under a regular file succeeded")
	}
	// Not a database.
	junk := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(junk, []byte("this is not an sqlite database, not at all......................................................"), 0o600); err != nil {
		t.Fatal(err)
	}
	if db, err := sqlite.Open(ctx, junk); err == nil {
		db.Close()
		t.Error("Open of a non-database file succeeded")
	} else if errors.Is(err, store.ErrNotFound) {
		t.Errorf("Open error = %v", err)
	}
}
