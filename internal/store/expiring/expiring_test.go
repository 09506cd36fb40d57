package expiring_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/expiring"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
)

type rec struct {
	At time.Time `json:"at"`
}

var log = expiring.Log{Kind: "t.log", Of: "t.token", TTL: time.Hour, WrittenAt: expiring.TimeOf(func(r *rec) time.Time { return r.At })}

// TestLogDeletesWhatExpired writes three chunks of records, then, past the
// TTL, three more: the old ones are gone but for one rewritten in between,
// the recent ones and the log's own records stay bounded.
func TestLogDeletesWhatExpired(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	write := func(id string) {
		t.Helper()
		k := store.Key{Kind: "t.token", Account: "111122223333", Region: "us-east-1", ID: id}
		err := st.Update(ctx, func(tx store.Tx) error {
			if err := tx.Put(ctx, k, rec{At: now}); err != nil {
				return err
			}
			return log.Add(ctx, tx, k, now)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	count := func(kind string) int {
		t.Helper()
		var n int
		err := st.View(ctx, func(tx store.Tx) (err error) {
			n, err = tx.Count(ctx, store.Scope{Kind: kind, Account: "111122223333", Region: "us-east-1"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	const old = 3 * expiring.Chunk
	for i := range old {
		write(fmt.Sprintf("old-%03d", i))
	}
	now = now.Add(30 * time.Minute)
	write("old-005") // rewritten: it lives an hour from now
	now = now.Add(31 * time.Minute)
	for i := range old {
		write(fmt.Sprintf("new-%03d", i))
	}
	if n, want := count("t.token"), old+1; n != want {
		t.Errorf("%d records, want the %d recent ones and the rewritten one", n, want-1)
	}
	if n := count("t.log"); n > 2+old/expiring.Chunk+1 {
		t.Errorf("the log holds %d records", n)
	}
	now = now.Add(2 * time.Hour)
	for i := range 2 * expiring.Chunk {
		write(fmt.Sprintf("last-%03d", i))
	}
	var gone bool
	err := st.View(ctx, func(tx store.Tx) error {
		err := tx.Get(ctx, store.Key{Kind: "t.token", Account: "111122223333", Region: "us-east-1", ID: "old-005"}, new(rec))
		gone = errors.Is(err, store.ErrNotFound)
		return nil
	})
	if err != nil || !gone {
		t.Errorf("the rewritten record outlived its new entry (gone=%v, %v)", gone, err)
	}
}
