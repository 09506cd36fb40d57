package journal

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/server"
)

func TestRingKeepsTheNewest(t *testing.T) {
	j := New(0)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = DefaultSize + 5
	for i := range n {
		status := 200
		if i%2 == 1 {
			status = 400
		}
		j.Observe(server.Exchange{Time: t0.Add(time.Duration(i) * time.Second), RequestID: fmt.Sprint(i), Operation: "Op", Status: status, Duration: 1500 * time.Microsecond})
	}
	all, _ := j.Entries(context.Background(), Filter{})
	if len(all) != DefaultSize {
		t.Fatalf("%d entries kept, want %d", len(all), DefaultSize)
	}
	if all[0].RequestID != fmt.Sprint(n-1) || all[len(all)-1].RequestID != "5" || all[0].DurationMs != 1.5 {
		t.Errorf("newest %+v, oldest %+v", all[0], all[len(all)-1])
	}
	if got, _ := j.Entries(context.Background(), Filter{Status: 400, Limit: 3}); len(got) != 3 || got[0].RequestID != fmt.Sprint(n-2) || got[2].RequestID != fmt.Sprint(n-6) {
		t.Errorf("status 400, limit 3 = %+v", got)
	}
	j.Clear(context.Background())
	if got, _ := j.Entries(context.Background(), Filter{}); len(got) != 0 {
		t.Errorf("after Clear: %d entries", len(got))
	}
	j.Observe(server.Exchange{RequestID: "x"})
	if got, _ := j.Entries(context.Background(), Filter{}); len(got) != 1 || got[0].RequestID != "x" {
		t.Errorf("after Clear and one call: %+v", got)
	}
}

// fakeShared is a Shared backend in memory; Sync flushes the one ring.
type fakeShared struct {
	mu      sync.Mutex
	stored  []Answered
	appends int
	fail    bool
	ring    *Ring
}

func (f *fakeShared) Append(_ context.Context, es []Answered) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return errors.New("unreachable")
	}
	f.appends++
	f.stored = append(f.stored, es...)
	return nil
}

func (f *fakeShared) Entries(_ context.Context, _ Filter) ([]Entry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []Entry{}
	for i := len(f.stored) - 1; i >= 0; i-- {
		out = append(out, f.stored[i].Entry)
	}
	return out, nil
}

func (f *fakeShared) Clear(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stored = nil
	return nil
}

func (f *fakeShared) Sync(ctx context.Context) error { return f.ring.Flush(ctx) }

func (f *fakeShared) count() (stored, appends int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.stored), f.appends
}

// TestSharedRing: a shared journal writes its calls only when it is read
// (its Sync flushes), in one batch, lists every call observed before
// Entries, writes again what the backend refused, and at most its size.
func TestSharedRing(t *testing.T) {
	ctx := context.Background()
	b := &fakeShared{}
	j := New(600)
	b.ring = j
	j.Share(b)
	defer j.Close(ctx)
	for i := range 500 {
		j.Observe(server.Exchange{RequestID: fmt.Sprint(i)})
	}
	es, err := j.Entries(ctx, Filter{})
	if err != nil || len(es) != 500 || es[0].RequestID != "499" {
		t.Fatalf("Entries = %d entries (newest %+v), %v; want the 500 observed", len(es), es[:min(1, len(es))], err)
	}
	if _, appends := b.count(); appends != 1 {
		t.Errorf("500 calls observed, then read, took %d writes; want 1", appends)
	}
	b.mu.Lock()
	b.fail = true
	b.mu.Unlock()
	for i := range 700 {
		j.Observe(server.Exchange{RequestID: fmt.Sprint("late-", i)})
	}
	if err := j.Flush(ctx); err == nil {
		t.Error("Flush with the backend away did not fail")
	}
	b.mu.Lock()
	b.fail = false
	b.mu.Unlock()
	if err := j.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if stored, _ := b.count(); stored != 500+600 {
		t.Errorf("%d stored after the backend came back, want 500 + the newest 600 buffered", stored)
	}
	if err := j.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	_, before := b.count()
	for i := range 100 {
		j.Observe(server.Exchange{RequestID: fmt.Sprint("quiet-", i)})
	}
	time.Sleep(20 * time.Millisecond)
	if _, appends := b.count(); appends != before {
		t.Errorf("observing calls wrote to the backend %d times; want none until the journal is read", appends-before)
	}
	if es, err := j.Entries(ctx, Filter{}); err != nil || len(es) != 100 {
		t.Errorf("Entries after Clear = %d, %v; want the 100 observed since", len(es), err)
	}
}
