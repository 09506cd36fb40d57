// Package storecount is a store.Store decorator that counts the records its
// transactions read, so tests can hold a call to the rule of
// docs/architecture.md: a call reads O(ids named + page size) records,
// never O(what the account or region holds).
package storecount

import (
	"context"
	"sync/atomic"

	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
)

// Store counts the reads of the store it wraps: a Get (found or not) and a
// Count are one read each, a List is one read per record it returns. Over a
// store/rerun store it counts the run of an Update that persists, not the
// rehearsal.
type Store struct {
	store.Store
	reads atomic.Int64
}

// New wraps st.
func New(st store.Store) *Store { return &Store{Store: st} }

// Reads returns the records read since the last Reset.
func (s *Store) Reads() int64 { return s.reads.Load() }

// Reset sets the count to zero.
func (s *Store) Reset() { s.reads.Store(0) }

// View implements store.Store.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	return s.Store.View(ctx, func(t store.Tx) error { return fn(&tx{Tx: t, s: s}) })
}

// Update implements store.Store.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.Store.Update(ctx, func(t store.Tx) error { return fn(&tx{Tx: t, s: s, rehearsal: rerun.Rehearsal(t)}) })
}

type tx struct {
	store.Tx
	s *Store
	// rehearsal: the first, rolled-back run of a store/rerun Update, whose
	// reads are not counted (the run that persists is).
	rehearsal bool
}

func (t *tx) count(n int64) {
	if !t.rehearsal {
		t.s.reads.Add(n)
	}
}

func (t *tx) Get(ctx context.Context, k store.Key, v any) error {
	t.count(1)
	return t.Tx.Get(ctx, k, v)
}

func (t *tx) List(ctx context.Context, q store.Query) ([]store.Record, error) {
	recs, err := t.Tx.List(ctx, q)
	t.count(int64(len(recs)))
	return recs, err
}

func (t *tx) Count(ctx context.Context, sc store.Scope) (int, error) {
	t.count(1)
	return t.Tx.Count(ctx, sc)
}
