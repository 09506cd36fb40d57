package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
)

type readOnly struct{ store.Store }

func (readOnly) Update(context.Context, func(store.Tx) error) error {
	return errors.New("attempt to write a readonly database")
}

func TestCheckWritable(t *testing.T) {
	ctx := context.Background()
	if err := checkWritable(ctx, memory.New(), "memory"); err != nil {
		t.Fatalf("memory store: %v", err)
	}
	err := checkWritable(ctx, readOnly{memory.New()}, "/data/state.db")
	if err == nil || !strings.Contains(err.Error(), "/data/state.db is not writable") || !strings.Contains(err.Error(), "--data-dir") {
		t.Fatalf("err = %v, want one naming the file and --data-dir", err)
	}
}

func TestReadOnlyStateDBRefusesToStart(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: file permissions do not stop writes (TestCheckWritable covers the check)")
	}
	dir := t.TempDir()
	a, err := New(context.Background(), Config{Addr: "127.0.0.1:0", DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	a.store.Close()
	for _, f := range []string{"state.db", "state.db-wal", "state.db-shm"} {
		_ = os.Chmod(filepath.Join(dir, f), 0o444)
	}
	_ = os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	if _, err := New(context.Background(), Config{Addr: "127.0.0.1:0", DataDir: dir}); err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("err = %v, want a refusal naming the data dir", err)
	}
}
