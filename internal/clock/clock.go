// Package clock is the server's notion of time. Asynchronous states are
// derived from stored timestamps and this clock, so tests can freeze time and
// advance it on demand instead of sleeping.
package clock

import (
	"context"
	"sync"
	"time"
)

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// Real is the wall clock.
type Real struct{}

// Now returns the current UTC time.
func (Real) Now() time.Time { return time.Now().UTC() }

// Manual is a frozen clock that moves only when told.
type Manual struct {
	mu  sync.Mutex
	now time.Time
}

// NewManual returns a manual clock set to start.
func NewManual(start time.Time) *Manual { return &Manual{now: start.UTC()} }

// Now returns the clock's time.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

// Advance moves the clock forward by d (d < 0 is ignored: time never goes back).
func (m *Manual) Advance(d time.Duration) time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	if d > 0 {
		m.now = m.now.Add(d)
	}
	return m.now
}

// Set moves the clock to t if t is later than now.
func (m *Manual) Set(t time.Time) time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t.After(m.now) {
		m.now = t.UTC()
	}
	return m.now
}

// Mover is a clock that tests move through POST /_local/clock: Manual, and
// Shared for replicas on one store.
type Mover interface {
	Clock
	// Move advances the clock by advance (when positive), then moves it to
	// set (when later than the clock), and returns the new time.
	Move(ctx context.Context, advance time.Duration, set time.Time) (time.Time, error)
}

// Move implements Mover; it never fails.
func (m *Manual) Move(_ context.Context, advance time.Duration, set time.Time) (time.Time, error) {
	m.Advance(advance)
	return m.Set(set), nil
}
