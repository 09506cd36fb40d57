package memory

import (
	"bytes"
	"cmp"
	"context"
	"slices"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// Export implements store.Store: it copies every record under the read lock
// and calls fn once the lock is released, so fn may take its time.
func (db *DB) Export(ctx context.Context, fn func(store.Record) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.mu.RLock()
	if db.closed {
		db.mu.RUnlock()
		return errClosed
	}
	recs := make([]store.Record, 0, len(db.recs))
	for k, e := range db.recs {
		recs = append(recs, store.Record{Key: k, Seq: e.seq, Value: bytes.Clone(e.value)})
	}
	db.mu.RUnlock()
	slices.SortFunc(recs, func(a, b store.Record) int { return cmp.Compare(a.Seq, b.Seq) })
	for _, r := range recs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// Import implements store.Store: the new content is built aside and swapped
// in under the write lock, so a failure leaves the store as it was.
func (db *DB) Import(ctx context.Context, recs []store.Record) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := store.CheckImport(recs); err != nil {
		return err
	}
	sorted := slices.Clone(recs)
	slices.SortFunc(sorted, func(a, b store.Record) int { return cmp.Compare(a.Seq, b.Seq) })
	fresh := New()
	for _, r := range sorted {
		fresh.insert(r.Key, entry{seq: r.Seq, value: bytes.Clone(r.Value)})
		fresh.seq = r.Seq
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.closed {
		return errClosed
	}
	db.recs, db.scopes, db.seq = fresh.recs, fresh.scopes, fresh.seq
	return nil
}

// DeleteScope implements store.Tx in O(scopes + records deleted).
func (t *tx) DeleteScope(ctx context.Context, account, region string) (int, error) {
	if err := t.enter(ctx, true); err != nil {
		return 0, err
	}
	defer t.mu.Unlock()
	db := t.db
	var keys []store.Key
	for s, ix := range db.scopes {
		if (account != "" && s.Account != account) || (region != "" && s.Region != region) {
			continue
		}
		for _, sl := range ix.slots {
			if db.isLive(s, sl) {
				keys = append(keys, store.Key{Kind: s.Kind, Account: s.Account, Region: s.Region, ID: sl.id})
			}
		}
	}
	for _, k := range keys {
		t.undo = append(t.undo, undo{key: k, had: true, prev: db.recs[k]})
		db.remove(k)
	}
	return len(keys), nil
}
