// Package journal keeps the last API calls the server answered, for tests
// that want to see which calls their code made (GET /_local/requests). It is
// a server.Observer over a fixed-size ring: recording costs one lock and one
// copy, and memory stays bounded however long the server runs.
//
// # One process or many
//
// With the memory and SQLite stores the ring is the journal. With a store
// that many replicas share (store/postgres), Share gives the journal a
// Shared backend that holds the calls of every replica. Observe still only
// writes the ring (no round trip, no database write on the request): the
// ring's newest calls not yet written go to the backend only when a
// journal is read or cleared, on any replica — Entries and Clear first
// have every live replica write them (Shared.Sync, which runs each
// replica's Flush) — and when the server closes. So Entries lists every
// call answered before it began, Clear leaves none of them behind, and a
// server under load writes at most one ring's worth per read of the
// journal, not one row per call.
package journal

import (
	"context"
	"sync"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/server"
)

// DefaultSize is how many calls the journal keeps.
const DefaultSize = 1000

// Entry is one answered API call as GET /_local/requests lists it.
type Entry struct {
	Time       time.Time `json:"time"`
	RequestID  string    `json:"requestId"`
	Service    string    `json:"service"`
	Operation  string    `json:"operation"`
	Account    string    `json:"account"`
	Region     string    `json:"region"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Status     int       `json:"status"`
	ErrorCode  string    `json:"errorCode,omitempty"`
	DurationMs float64   `json:"durationMs"`
}

// Filter selects entries; zero fields match anything.
type Filter struct {
	Operation string
	Account   string
	Status    int
	// Limit caps the number returned (0: all kept).
	Limit int
}

// Shared keeps the calls of every replica of one shared store.
type Shared interface {
	// Append stores calls in the order given (oldest first), keeping only
	// the newest DefaultSize of all replicas (it may trim now and then).
	Append(ctx context.Context, es []Answered) error
	// Entries returns the kept calls that match f, newest first, among
	// the newest DefaultSize of all replicas.
	Entries(ctx context.Context, f Filter) ([]Entry, error)
	// Clear forgets every stored call.
	Clear(ctx context.Context) error
	// Sync returns once every live replica has written its buffer (each
	// through its journal's Flush), or a bounded wait has passed.
	Sync(ctx context.Context) error
}

// Answered is an entry with the wall-clock time its call was answered,
// which orders the entries of many replicas as one journal orders its own.
type Answered struct {
	Entry
	At time.Time
}

// Ring is the journal. It is safe for concurrent use.
type Ring struct {
	mu    sync.Mutex
	buf   []Answered
	total int64 // calls observed: the newest is at (total-1) % len(buf)

	shared  Shared
	written int64      // with shared: calls before this one are in the backend (or lost to the ring)
	flushMu sync.Mutex // held while a batch is written, so Flush returns after any batch in flight
}

var _ server.Observer = (*Ring)(nil)

// New returns a journal that keeps the last size calls (DefaultSize if size <= 0).
func New(size int) *Ring {
	if size <= 0 {
		size = DefaultSize
	}
	return &Ring{buf: make([]Answered, size)}
}

// Observe implements server.Observer.
func (j *Ring) Observe(e server.Exchange) {
	en := Entry{Time: e.Time.UTC(), RequestID: e.RequestID, Service: e.Service, Operation: e.Operation,
		Account: e.Account, Region: e.Region, Method: e.Method, Path: e.Path, Status: e.Status,
		ErrorCode: e.ErrorCode, DurationMs: float64(e.Duration.Microseconds()) / 1000}
	a := Answered{Entry: en}
	if j.shared != nil {
		a.At = time.Now()
	}
	j.mu.Lock()
	j.buf[j.total%int64(len(j.buf))] = a
	j.total++
	j.mu.Unlock()
}

// since returns the kept calls from the one numbered from on, oldest first.
// j.mu is held.
func (j *Ring) since(from int64) []Answered {
	from = max(from, j.total-int64(len(j.buf)), 0)
	out := make([]Answered, 0, j.total-from)
	for n := from; n < j.total; n++ {
		out = append(out, j.buf[n%int64(len(j.buf))])
	}
	return out
}

// Entries returns the kept calls that match f, newest first.
func (j *Ring) Entries(ctx context.Context, f Filter) ([]Entry, error) {
	if j.shared != nil {
		if err := j.sync(ctx); err != nil {
			return nil, err
		}
		return j.shared.Entries(ctx, f)
	}
	j.mu.Lock()
	kept := j.since(0)
	j.mu.Unlock()
	out := []Entry{}
	for i := len(kept) - 1; i >= 0; i-- {
		e := kept[i].Entry
		if (f.Operation != "" && e.Operation != f.Operation) || (f.Account != "" && e.Account != f.Account) ||
			(f.Status != 0 && e.Status != f.Status) {
			continue
		}
		out = append(out, e)
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out, nil
}

// Clear forgets every call.
func (j *Ring) Clear(ctx context.Context) error {
	if j.shared != nil {
		if err := j.sync(ctx); err != nil {
			return err
		}
		return j.shared.Clear(ctx)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.buf)
	j.total = 0
	return nil
}

// sync has every replica write its calls: this one first, itself (so its
// own calls are in even while it cannot hear the backend's notices), then
// every other through the backend.
func (j *Ring) sync(ctx context.Context) error {
	if err := j.Flush(ctx); err != nil {
		return err
	}
	return j.shared.Sync(ctx)
}

// Share makes the journal keep its calls in b as well (see the package
// comment).
func (j *Ring) Share(b Shared) { j.shared = b }

// Flush writes the calls of a shared journal that the backend does not
// have yet (the newest the ring holds) and returns once they, and any
// batch being written when it was called, are stored. After a refusal the
// same calls are written by the next Flush.
func (j *Ring) Flush(ctx context.Context) error {
	if j.shared == nil {
		return nil
	}
	j.flushMu.Lock()
	defer j.flushMu.Unlock()
	j.mu.Lock()
	batch, upTo := j.since(j.written), j.total
	j.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	if err := j.shared.Append(ctx, batch); err != nil {
		return err
	}
	j.mu.Lock()
	j.written = upTo
	j.mu.Unlock()
	return nil
}

// Close writes the calls of a shared journal the backend does not have
// yet (bounded by ctx). It does nothing to a journal that is not shared.
func (j *Ring) Close(ctx context.Context) error { return j.Flush(ctx) }
