// Package memory is an in-process store.Store for tests and --in-memory mode.
// Records are kept as JSON bytes, so callers never share memory with the
// store, and nothing survives the process.
package memory

import (
	"context"
	"errors"
	"sync"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

var (
	errClosed   = errors.New("memory: store is closed")
	errReadOnly = errors.New("memory: write in a read-only transaction")
	errTxDone   = errors.New("memory: transaction used after it ended")
)

// DB is an in-memory store.Store. Views run concurrently with each other;
// an Update excludes every other transaction while it runs.
type DB struct {
	mu     sync.RWMutex
	seq    int64                       // last Seq handed out
	recs   map[store.Key]entry         // every live record
	scopes map[store.Scope]*scopeIndex // records of each scope in Seq order
	closed bool
}

var _ store.Store = (*DB)(nil)

// entry is one stored record.
type entry struct {
	seq   int64
	value []byte // JSON; never modified in place once stored
}

// New returns an empty store.
func New() *DB {
	return &DB{
		recs:   make(map[store.Key]entry),
		scopes: make(map[store.Scope]*scopeIndex),
	}
}

// Name returns "memory".
func (db *DB) Name() string { return "memory" }

// Close discards every record. Later transactions fail; Close itself may be
// called more than once.
func (db *DB) Close() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.closed = true
	db.recs, db.scopes = nil, nil
	return nil
}

// View runs fn in a read-only transaction under the read lock.
func (db *DB) View(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.closed {
		return errClosed
	}
	t := &tx{db: db}
	defer t.end()
	return fn(t)
}

// Update runs fn under the write lock. Writes are applied as fn makes them
// and undone, newest first, if fn returns an error or panics; the error is
// returned unchanged and the panic keeps unwinding after the rollback.
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.closed {
		return errClosed
	}
	t := &tx{db: db, writable: true}
	committed := false
	defer func() {
		// Runs on return, panic and runtime.Goexit alike.
		t.end()
		if !committed {
			t.rollback()
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	committed = true
	return nil
}
