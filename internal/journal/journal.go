// Package journal keeps the last API calls the server answered, for tests
// that want to see which calls their code made (GET /_local/requests). It is
// a server.Observer over a fixed-size ring: recording costs one lock and one
// copy, and memory stays bounded however long the server runs.
//
// # One process or many
//
// With the memory and SQLite stores the ring is the journal. With a store
// that many replicas share (store/postgres), Share gives the journal a
// Shared backend that holds the calls of every replica: Observe then only
// appends to a bounded buffer in memory (no round trip on the request),
// and a background goroutine writes the buffer to the backend in batches,
// at most one write every FlushInterval unless FlushBatch calls are
// waiting. Entries and Clear first have every live replica write its
// buffer (Shared.Sync, which runs each replica's Flush), so Entries lists
// every call answered before it began, and Clear leaves none of them
// behind.
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

// FlushInterval and FlushBatch pace the writes of a shared journal: a
// batch goes out FlushInterval after the previous one, or as soon as
// FlushBatch calls wait.
const (
	FlushInterval = 10 * time.Millisecond
	FlushBatch    = 200
)

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
	mu   sync.Mutex
	buf  []Entry
	next int  // where the next entry goes
	full bool // buf has wrapped

	shared    Shared
	pending   []Answered // with shared: observed, not yet written (oldest first, at most len(buf))
	flushMu   sync.Mutex // held while a batch is written, so Flush returns after any batch in flight
	kick      chan struct{}
	stop      chan struct{}
	stopped   chan struct{}
	closeOnce sync.Once
}

var _ server.Observer = (*Ring)(nil)

// New returns a journal that keeps the last size calls (DefaultSize if size <= 0).
func New(size int) *Ring {
	if size <= 0 {
		size = DefaultSize
	}
	return &Ring{buf: make([]Entry, size)}
}

// Observe implements server.Observer.
func (j *Ring) Observe(e server.Exchange) {
	en := Entry{Time: e.Time.UTC(), RequestID: e.RequestID, Service: e.Service, Operation: e.Operation,
		Account: e.Account, Region: e.Region, Method: e.Method, Path: e.Path, Status: e.Status,
		ErrorCode: e.ErrorCode, DurationMs: float64(e.Duration.Microseconds()) / 1000}
	if j.shared != nil {
		j.mu.Lock()
		if len(j.pending) == len(j.buf) { // the backend is away: keep the newest, as it would
			j.pending = append(j.pending[:0], j.pending[1:]...)
		}
		j.pending = append(j.pending, Answered{Entry: en, At: time.Now()})
		n := len(j.pending)
		j.mu.Unlock()
		if n == 1 || n == FlushBatch {
			select {
			case j.kick <- struct{}{}:
			default:
			}
		}
		return
	}
	j.mu.Lock()
	j.buf[j.next] = en
	j.next++
	if j.next == len(j.buf) {
		j.next, j.full = 0, true
	}
	j.mu.Unlock()
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
	defer j.mu.Unlock()
	n := j.next
	if j.full {
		n = len(j.buf)
	}
	out := []Entry{}
	for i := 1; i <= n; i++ {
		e := j.buf[(j.next-i+len(j.buf))%len(j.buf)]
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
	j.next, j.full = 0, false
	return nil
}

// sync has every replica write its buffer: this one first, itself (so its
// own calls are in even while it cannot hear the backend's notices), then
// every other through the backend.
func (j *Ring) sync(ctx context.Context) error {
	if err := j.Flush(ctx); err != nil {
		return err
	}
	return j.shared.Sync(ctx)
}

// Share makes the journal keep its calls in b (see the package comment)
// and starts the goroutine that writes them; Close stops it.
func (j *Ring) Share(b Shared) {
	j.shared = b
	j.kick = make(chan struct{}, 1)
	j.stop = make(chan struct{})
	j.stopped = make(chan struct{})
	go j.writer()
}

// writer writes the buffer in batches until Close.
func (j *Ring) writer() {
	defer close(j.stopped)
	var last time.Time
	for {
		select {
		case <-j.kick:
		case <-j.stop:
			return
		}
		if wait := time.Until(last.Add(FlushInterval)); wait > 0 && j.waiting() < FlushBatch {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-j.stop:
				t.Stop()
				return
			}
		}
		last = time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = j.Flush(ctx) // a failed batch stays buffered for the next
		cancel()
		if j.waiting() > 0 {
			select {
			case j.kick <- struct{}{}:
			default:
			}
		}
	}
}

func (j *Ring) waiting() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.pending)
}

// Flush writes the buffered calls of a shared journal to its backend and
// returns once they, and any batch being written when it was called, are
// stored. A batch the backend refuses goes back to the buffer.
func (j *Ring) Flush(ctx context.Context) error {
	if j.shared == nil {
		return nil
	}
	j.flushMu.Lock()
	defer j.flushMu.Unlock()
	j.mu.Lock()
	batch := j.pending
	j.pending = nil
	j.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := j.shared.Append(ctx, batch)
	if err != nil {
		j.mu.Lock()
		j.pending = append(batch, j.pending...)
		if over := len(j.pending) - len(j.buf); over > 0 {
			j.pending = j.pending[over:]
		}
		j.mu.Unlock()
	}
	return err
}

// Close stops a shared journal's writer after one last Flush (bounded by
// ctx). It does nothing to a journal that is not shared.
func (j *Ring) Close(ctx context.Context) error {
	if j.shared == nil {
		return nil
	}
	j.closeOnce.Do(func() { close(j.stop) })
	<-j.stopped
	return j.Flush(ctx)
}
