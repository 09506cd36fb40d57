// Package journal keeps the last API calls the server answered, for tests
// that want to see which calls their code made (GET /_local/requests). It is
// a server.Observer over a fixed-size ring: recording costs one lock and one
// copy, and memory stays bounded however long the server runs.
package journal

import (
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

// Ring is the journal. It is safe for concurrent use.
type Ring struct {
	mu   sync.Mutex
	buf  []Entry
	next int  // where the next entry goes
	full bool // buf has wrapped
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
	j.mu.Lock()
	j.buf[j.next] = en
	j.next++
	if j.next == len(j.buf) {
		j.next, j.full = 0, true
	}
	j.mu.Unlock()
}

// Entries returns the kept calls that match f, newest first.
func (j *Ring) Entries(f Filter) []Entry {
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
	return out
}

// Clear forgets every call.
func (j *Ring) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.buf)
	j.next, j.full = 0, false
}
