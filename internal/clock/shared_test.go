package clock_test

import (
	"sync"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/clock"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
)

// Two Shared clocks on one store are one clock: the first sets the start,
// a move through either is seen by both, concurrent moves all count.
func TestSharedIsOneClock(t *testing.T) {
	st := rerun.Wrap(memory.New())
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	a, err := clock.NewShared(t.Context(), st, start)
	if err != nil {
		t.Fatal(err)
	}
	b, err := clock.NewShared(t.Context(), st, start.Add(time.Hour)) // a later replica: start ignored
	if err != nil {
		t.Fatal(err)
	}
	if !a.Now().Equal(start) || !b.Now().Equal(start) {
		t.Fatalf("start: %v, %v; want %v", a.Now(), b.Now(), start)
	}
	var wg sync.WaitGroup
	for i := range 10 {
		c := a
		if i%2 == 1 {
			c = b
		}
		wg.Go(func() {
			if _, err := c.Move(t.Context(), time.Second, time.Time{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if want := start.Add(10 * time.Second); !a.Now().Equal(want) || !b.Now().Equal(want) {
		t.Errorf("after 10 moves of 1s: %v, %v; want %v", a.Now(), b.Now(), want)
	}
	// Set moves forward only.
	if now, _ := b.Move(t.Context(), 0, start); !now.Equal(start.Add(10 * time.Second)) {
		t.Errorf("Set to the past moved the clock to %v", now)
	}
	later := start.Add(48 * time.Hour)
	if now, _ := b.Move(t.Context(), 0, later); !now.Equal(later) || !a.Now().Equal(later) {
		t.Errorf("Set: %v, a shows %v; want %v", now, a.Now(), later)
	}
	// A store emptied under the clock: it goes on from the time it last read.
	if err := st.Update(t.Context(), func(tx store.Tx) error {
		return tx.Delete(t.Context(), store.Key{Kind: "server.meta", ID: "manual-clock"})
	}); err != nil {
		t.Fatal(err)
	}
	if now, err := a.Move(t.Context(), time.Minute, time.Time{}); err != nil || !now.Equal(later.Add(time.Minute)) || !b.Now().Equal(now) {
		t.Errorf("after the record was deleted: %v, %v; b shows %v", now, err, b.Now())
	}
	var _ clock.Mover = a
	var _ clock.Mover = clock.NewManual(start)
}
