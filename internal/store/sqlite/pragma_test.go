package sqlite

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestConnectionSettings checks the durability and locking settings that the
// DSNs ask for actually reach the connections.
func TestConnectionSettings(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	reader := <-db.readers
	defer func() { db.readers <- reader }()
	for _, c := range []struct {
		pool   string
		pragma string
		want   string
	}{
		{"writer", "journal_mode", "wal"},
		{"writer", "synchronous", "2"}, // FULL
		{"writer", "busy_timeout", "10000"},
		{"writer", "user_version", strconv.Itoa(len(ms))},
		{"reader", "journal_mode", "wal"},
		{"reader", "query_only", "1"},
		{"reader", "busy_timeout", "10000"},
		{"reader", "mmap_size", strconv.Itoa(readerMmapBytes)},
	} {
		pool := db.w.conn
		if c.pool == "reader" {
			pool = reader.conn
		}
		var got string
		if err := pool.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Errorf("%s PRAGMA %s: %v", c.pool, c.pragma, err)
		} else if !strings.EqualFold(got, c.want) {
			t.Errorf("%s PRAGMA %s = %s, want %s", c.pool, c.pragma, got, c.want)
		}
	}
	if _, err := reader.conn.ExecContext(ctx, "DELETE FROM records"); err == nil {
		t.Error("a reader connection accepted a write")
	}
}

// TestNewerSchemaRefused checks that a database migrated by a newer binary is
// not opened.
func TestNewerSchemaRefused(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.conn.ExecContext(ctx, "PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if db, err := Open(ctx, path); err == nil {
		db.Close()
		t.Fatal("Open of a newer schema succeeded")
	} else if !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open error = %v, want one about a newer schema", err)
	}
}
