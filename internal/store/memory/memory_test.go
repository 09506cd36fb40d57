package memory_test

import (
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) store.Store { return memory.New() })
}

func BenchmarkMemory(b *testing.B) {
	storetest.RunBenchmarks(b, func(*testing.B) store.Store { return memory.New() })
}

func TestName(t *testing.T) {
	if got := memory.New().Name(); got != "memory" {
		t.Errorf("Name() = %q, want memory", got)
	}
}

func TestUseAfterClose(t *testing.T) {
	db := memory.New()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	ctx := t.Context()
	if err := db.View(ctx, func(store.Tx) error { return nil }); err == nil {
		t.Error("View after Close succeeded")
	}
	if err := db.Update(ctx, func(store.Tx) error { return nil }); err == nil {
		t.Error("Update after Close succeeded")
	}
}
