package memory

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"sync"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// tx is the store.Tx of one View or Update. Its mutex serialises the calls
// made on it and lets end wait for a call in flight, so a Tx that escapes
// its function fails cleanly instead of touching the store unlocked.
type tx struct {
	db       *DB
	writable bool

	mu   sync.Mutex
	done bool
	undo []undo // writes of an Update, oldest first
}

// undo restores one key to its state before a write.
type undo struct {
	key  store.Key
	had  bool  // a record existed at key before the write
	prev entry // that record
}

// enter locks t for one call, or returns why the call may not run.
func (t *tx) enter(ctx context.Context, write bool) error {
	t.mu.Lock()
	var err error
	switch {
	case t.done:
		err = errTxDone
	case write && !t.writable:
		err = errReadOnly
	default:
		err = ctx.Err()
	}
	if err != nil {
		t.mu.Unlock()
	}
	return err
}

// end makes every later call on t fail.
func (t *tx) end() {
	t.mu.Lock()
	t.done = true
	t.mu.Unlock()
}

// rollback undoes the writes of t, newest first. Replaying in reverse means
// each step finds the store exactly as its write left it.
func (t *tx) rollback() {
	db := t.db
	for i := len(t.undo) - 1; i >= 0; i-- {
		u := t.undo[i]
		_, exists := db.recs[u.key]
		switch {
		case exists && u.had: // overwritten by Put: same Seq, old value
			db.recs[u.key] = u.prev
		case exists: // created
			db.remove(u.key)
		case u.had: // deleted
			db.insert(u.key, u.prev)
		}
	}
	t.undo = nil
}

// Get implements store.Tx.
func (t *tx) Get(ctx context.Context, k store.Key, v any) error {
	if err := t.enter(ctx, false); err != nil {
		return err
	}
	defer t.mu.Unlock()
	e, ok := t.db.recs[k]
	if !ok {
		return store.ErrNotFound
	}
	return store.Unmarshal(e.value, v)
}

// Create implements store.Tx.
func (t *tx) Create(ctx context.Context, k store.Key, v any) error {
	if err := t.enter(ctx, true); err != nil {
		return err
	}
	defer t.mu.Unlock()
	if _, ok := t.db.recs[k]; ok {
		return store.ErrConflict
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	t.add(k, b)
	return nil
}

// Put implements store.Tx.
func (t *tx) Put(ctx context.Context, k store.Key, v any) error {
	if err := t.enter(ctx, true); err != nil {
		return err
	}
	defer t.mu.Unlock()
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	db := t.db
	if e, ok := db.recs[k]; ok {
		t.undo = append(t.undo, undo{key: k, had: true, prev: e})
		db.recs[k] = entry{seq: e.seq, value: b}
		return nil
	}
	t.add(k, b)
	return nil
}

// add stores a new record at k under the next Seq.
func (t *tx) add(k store.Key, value []byte) {
	db := t.db
	db.seq++
	t.undo = append(t.undo, undo{key: k})
	db.insert(k, entry{seq: db.seq, value: value})
}

// Delete implements store.Tx.
func (t *tx) Delete(ctx context.Context, k store.Key) error {
	if err := t.enter(ctx, true); err != nil {
		return err
	}
	defer t.mu.Unlock()
	e, ok := t.db.recs[k]
	if !ok {
		return store.ErrNotFound
	}
	t.undo = append(t.undo, undo{key: k, had: true, prev: e})
	t.db.remove(k)
	return nil
}

// List implements store.Tx in O(log n + limit), plus any stale slots it
// steps over.
func (t *tx) List(ctx context.Context, q store.Query) ([]store.Record, error) {
	if err := t.enter(ctx, false); err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	db := t.db
	ix := db.scopes[q.Scope]
	if ix == nil {
		return nil, nil
	}
	var out []store.Record
	if q.Limit > 0 {
		out = make([]store.Record, 0, min(q.Limit, ix.live))
	}
	for _, sl := range ix.slots[ix.search(q.AfterSeq):] {
		if q.Limit > 0 && len(out) == q.Limit {
			break
		}
		k := store.Key{Kind: q.Kind, Account: q.Account, Region: q.Region, ID: sl.id}
		e, ok := db.recs[k]
		if !ok || e.seq != sl.seq {
			continue // stale
		}
		out = append(out, store.Record{Key: k, Seq: e.seq, Value: bytes.Clone(e.value)})
	}
	return out, nil
}

// Count implements store.Tx in O(1).
func (t *tx) Count(ctx context.Context, s store.Scope) (int, error) {
	if err := t.enter(ctx, false); err != nil {
		return 0, err
	}
	defer t.mu.Unlock()
	if ix := t.db.scopes[s]; ix != nil {
		return ix.live, nil
	}
	return 0, nil
}

// Scopes implements store.Tx in O(scopes log scopes): an empty scope's index
// is dropped by compact, so every index left holds a live record.
func (t *tx) Scopes(ctx context.Context) ([]store.Scope, error) {
	if err := t.enter(ctx, false); err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	out := make([]store.Scope, 0, len(t.db.scopes))
	for s, ix := range t.db.scopes {
		if ix.live > 0 {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, store.CompareScopes)
	return out, nil
}
