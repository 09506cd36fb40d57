package metrics_test

import (
	"context"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/metrics"
	"github.com/workspaces-local/workspaces-local/internal/server"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
)

// BenchmarkObserve is what the metrics add to every API call.
func BenchmarkObserve(b *testing.B) {
	m := metrics.New(memory.New())
	e := server.Exchange{Service: "workspaces", Operation: "DescribeWorkspaces", Status: 200, Duration: 300 * time.Microsecond}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Observe(e)
		}
	})
}

// BenchmarkView compares an empty View on the memory store with and without
// the timing decorator.
func BenchmarkView(b *testing.B) {
	raw := memory.New()
	ctx := context.Background()
	fn := func(store.Tx) error { return nil }
	for _, c := range []struct {
		name string
		st   store.Store
	}{{"plain", raw}, {"timed", metrics.New(raw).Store(raw)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = c.st.View(ctx, fn)
			}
		})
	}
}
