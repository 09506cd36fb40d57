package clock

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// Shared is a manual clock kept as a record of a store, so that every
// replica of one shared store (store/postgres) shows the same time and
// POST /_local/clock on any replica moves them all. Now reads the record
// each time it is called; the server calls it once per request, so that is
// one keyed read per request, and a move on one replica is seen by the
// next request on every other. The memory and SQLite stores keep using
// Manual: one process, nothing to share.
type Shared struct {
	st store.Store

	mu   sync.Mutex
	last time.Time // the last time read: Now's answer while the store cannot be read
}

// sharedKey is where the time lives.
var sharedKey = store.Key{Kind: "server.meta", ID: "manual-clock"}

type sharedRecord struct {
	Now time.Time `json:"now"`
}

// readTimeout bounds Now's read.
const readTimeout = 2 * time.Second

// NewShared returns the clock of st, setting it to start unless another
// replica already did (the first replica to start sets the time).
func NewShared(ctx context.Context, st store.Store, start time.Time) (*Shared, error) {
	var rec sharedRecord
	err := st.Update(ctx, func(tx store.Tx) error {
		rec = sharedRecord{} // Update may run fn more than once: start from the store every time
		err := tx.Get(ctx, sharedKey, &rec)
		if errors.Is(err, store.ErrNotFound) {
			rec.Now = start.UTC()
			return tx.Create(ctx, sharedKey, rec)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &Shared{st: st, last: rec.Now}, nil
}

// Now returns the stored time. When the store cannot be read it returns the
// last time it read (the request that asked fails on the store anyway).
func (s *Shared) Now() time.Time {
	ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	var rec sharedRecord
	err := s.st.View(ctx, func(tx store.Tx) error { return tx.Get(ctx, sharedKey, &rec) })
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil && rec.Now.After(s.last) {
		s.last = rec.Now
	}
	return s.last
}

// Move implements Mover in one Update, so that moves made at once on
// several replicas all count.
func (s *Shared) Move(ctx context.Context, advance time.Duration, set time.Time) (time.Time, error) {
	var rec sharedRecord
	s.mu.Lock()
	last := s.last
	s.mu.Unlock()
	err := s.st.Update(ctx, func(tx store.Tx) error {
		rec = sharedRecord{} // Update may run fn more than once: start from the store every time
		err := tx.Get(ctx, sharedKey, &rec)
		if errors.Is(err, store.ErrNotFound) {
			rec.Now = last // the record was deleted (a reset of the store): go on from here
		} else if err != nil {
			return err
		}
		if advance > 0 {
			rec.Now = rec.Now.Add(advance)
		}
		if set.After(rec.Now) {
			rec.Now = set.UTC()
		}
		return tx.Put(ctx, sharedKey, rec)
	})
	if err != nil {
		return time.Time{}, err
	}
	s.mu.Lock()
	if rec.Now.After(s.last) {
		s.last = rec.Now
	}
	s.mu.Unlock()
	return rec.Now, nil
}
