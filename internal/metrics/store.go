package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// timedStore times every View and Update of the store it wraps. Embedding
// the interface passes every other method (Name, Close and any added later)
// straight through.
type timedStore struct {
	store.Store
	viewOK, viewErr, updateOK, updateErr prometheus.Observer
}

// Store returns st with its View and Update transactions timed in
// workspaces_local_store_transaction_duration_seconds.
func (m *Metrics) Store(st store.Store) store.Store {
	return &timedStore{Store: st,
		viewOK: m.tx.WithLabelValues("view", "ok"), viewErr: m.tx.WithLabelValues("view", "error"),
		updateOK: m.tx.WithLabelValues("update", "ok"), updateErr: m.tx.WithLabelValues("update", "error")}
}

// View implements store.Store.
func (s *timedStore) View(ctx context.Context, fn func(store.Tx) error) error {
	start := time.Now()
	err := s.Store.View(ctx, fn)
	observe(s.viewOK, s.viewErr, start, err)
	return err
}

// Update implements store.Store.
func (s *timedStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	start := time.Now()
	err := s.Store.Update(ctx, fn)
	observe(s.updateOK, s.updateErr, start, err)
	return err
}

func observe(ok, failed prometheus.Observer, start time.Time, err error) {
	d := time.Since(start).Seconds()
	if err != nil {
		failed.Observe(d)
		return
	}
	ok.Observe(d)
}
