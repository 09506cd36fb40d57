package memory

import (
	"context"
	"fmt"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// TestStaleSlotsStayBounded checks that churn in a scope (create, delete,
// re-create) does not let deleted records pile up in its index, and that an
// emptied scope frees its index.
func TestStaleSlotsStayBounded(t *testing.T) {
	db := New()
	ctx := context.Background()
	sc := store.Scope{Kind: "k", Account: "a", Region: "r"}
	k := func(i int) store.Key {
		return store.Key{Kind: sc.Kind, Account: sc.Account, Region: sc.Region, ID: fmt.Sprint(i)}
	}
	const live = 50
	err := db.Update(ctx, func(tx store.Tx) error {
		for i := range live {
			if err := tx.Create(ctx, k(i), i); err != nil {
				return err
			}
		}
		// Replace the oldest record by a new one, many times over.
		for i := live; i < 100*live; i++ {
			if err := tx.Delete(ctx, k(i-live)); err != nil {
				return err
			}
			if err := tx.Create(ctx, k(i), i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ix := db.scopes[sc]
	if ix.live != live {
		t.Errorf("live = %d, want %d", ix.live, live)
	}
	if most := 2*live + compactMin + 1; len(ix.slots) > most {
		t.Errorf("%d slots for %d live records, want at most %d", len(ix.slots), live, most)
	}

	err = db.Update(ctx, func(tx store.Tx) error {
		for i := 99 * live; i < 100*live; i++ {
			if err := tx.Delete(ctx, k(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := db.scopes[sc]; ok || len(db.scopes) != 0 || len(db.recs) != 0 {
		t.Errorf("emptied store keeps %d scopes, %d records", len(db.scopes), len(db.recs))
	}
}
