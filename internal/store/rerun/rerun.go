// Package rerun is a store.Store decorator that runs every Update function
// twice: first in a transaction it rolls back, then for real. The store
// contract allows an implementation to run fn more than once (store/postgres
// retries an attempt that lost a lock wait or a deadlock), so fn must be
// re-runnable; the tests run on this decorator to prove that every fn is.
// Production never uses it.
package rerun

import (
	"context"
	"errors"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// errRehearsal is what the rehearsal run returns to the store so that its
// writes are rolled back. No fn can return it: it is private.
var errRehearsal = errors.New("rerun: rehearsal rolled back")

// Store runs each Update's fn twice; everything else passes through to the
// embedded store.
type Store struct {
	store.Store
}

// Wrap returns st with every Update rehearsed once before it runs.
func Wrap(st store.Store) *Store { return &Store{Store: st} }

// Update implements store.Store: fn runs once in a transaction that is
// rolled back, then (if that run succeeded) once more for real. An error of
// the rehearsal is returned as it is, without a second run.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		if err := fn(rehearsal{tx}); err != nil {
			return err
		}
		return errRehearsal
	})
	switch {
	case err == nil:
		// A store whose Update ignores fn's error breaks the contract that
		// this decorator relies on: say so rather than run fn twice for real.
		return errors.New("rerun: the wrapped store committed the rehearsal although fn returned an error")
	case !errors.Is(err, errRehearsal):
		return err
	}
	return s.Store.Update(ctx, fn)
}

// rehearsal is the Tx of the rolled-back first run.
type rehearsal struct{ store.Tx }

// Rehearsal reports whether tx is the Tx of the first, rolled-back run of
// fn, so that a decorator that counts work (store/storecount) can count the
// run that persists only.
func Rehearsal(tx store.Tx) bool {
	_, ok := tx.(rehearsal)
	return ok
}
