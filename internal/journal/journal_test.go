package journal

import (
	"context"
	"fmt"
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
