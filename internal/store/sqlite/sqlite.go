// Package sqlite is the durable store.Store: one SQLite database file in WAL
// mode with synchronous=FULL, through the pure-Go modernc.org/sqlite driver.
//
// Updates run on a single writer connection, so they queue in database/sql
// rather than fail with SQLITE_BUSY, and begin IMMEDIATE so that another
// process writing the same file is waited for (busy_timeout) up front.
// Views run on a pool of query-only connections and, thanks to WAL, do not
// wait for the writer.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// busyTimeoutMillis bounds how long a connection waits for a lock held by
// another process before failing with SQLITE_BUSY.
const busyTimeoutMillis = 10000

// DB is a store.Store backed by one SQLite file.
type DB struct {
	path   string
	writer *sql.DB // one connection: every Update
	reader *sql.DB // query-only pool: every View
	w, r   *statements

	closeOnce sync.Once
	closeErr  error
}

var _ store.Store = (*DB)(nil)

// Open opens the database at path, creating it and its parent directory if
// missing, and brings its schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	db := &DB{path: abs}
	if err := db.open(ctx); err != nil {
		db.Close() //nolint:errcheck // the open error matters more
		return nil, err
	}
	return db, nil
}

// open connects, migrates and prepares, leaving whatever it opened in db for
// Close to release on failure.
func (db *DB) open(ctx context.Context) error {
	var err error
	db.writer, err = sql.Open("sqlite", dsn(db.path, url.Values{
		"_txlock":       {"immediate"},
		"_journal_mode": {"WAL"},
		"_synchronous":  {"FULL"},
	}))
	if err != nil {
		return err
	}
	db.writer.SetMaxOpenConns(1)
	db.writer.SetMaxIdleConns(1)
	db.writer.SetConnMaxIdleTime(0)
	db.writer.SetConnMaxLifetime(0)

	var mode string
	if err := db.writer.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("sqlite: open %s: %w", db.path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("sqlite: open %s: journal_mode is %q, want wal", db.path, mode)
	}
	if err := migrate(ctx, db.writer); err != nil {
		return err
	}

	// Readers open after the writer has put the file in WAL mode.
	db.reader, err = sql.Open("sqlite", dsn(db.path, url.Values{
		"_query_only": {"1"},
	}))
	if err != nil {
		return err
	}
	n := max(4, runtime.GOMAXPROCS(0))
	db.reader.SetMaxOpenConns(n)
	db.reader.SetMaxIdleConns(n)
	db.reader.SetConnMaxIdleTime(0)
	db.reader.SetConnMaxLifetime(0)

	if db.w, err = prepare(ctx, db.writer, true); err != nil {
		return err
	}
	if db.r, err = prepare(ctx, db.reader, false); err != nil {
		return err
	}
	return nil
}

// dsn returns the driver's name for the file at abs with the given
// connection parameters (applied to every connection of the pool).
func dsn(abs string, params url.Values) string {
	params.Set("_busy_timeout", fmt.Sprint(busyTimeoutMillis))
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: params.Encode()}
	return u.String()
}

// Name returns "sqlite".
func (db *DB) Name() string { return "sqlite" }

// Path returns the absolute path of the database file.
func (db *DB) Path() string { return db.path }

// Close closes every connection; the last one to go checkpoints the WAL into
// the database file. Close may be called more than once.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		var errs []error
		for _, s := range []*statements{db.r, db.w} {
			if s != nil {
				errs = append(errs, s.close())
			}
		}
		// Readers first, so that the writer is the last connection.
		for _, d := range []*sql.DB{db.reader, db.writer} {
			if d != nil {
				errs = append(errs, d.Close())
			}
		}
		db.closeErr = errors.Join(errs...)
	})
	return db.closeErr
}

// View runs fn in a read-only transaction on a reader connection. It sees
// the Updates committed before it began, and none committed while it runs.
func (db *DB) View(ctx context.Context, fn func(store.Tx) error) error {
	sqlTx, err := db.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: begin view: %w", err)
	}
	t := &tx{tx: sqlTx, st: db.r}
	defer func() {
		t.end()
		_ = sqlTx.Rollback() // nothing to keep; ends the read snapshot
	}()
	return fn(t)
}

// Update runs fn in a write transaction on the writer connection, so Updates
// never overlap. It commits when fn returns nil and rolls back when fn
// returns an error (returned unchanged) or panics (re-raised as it unwinds).
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	sqlTx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin update: %w", err)
	}
	t := &tx{tx: sqlTx, st: db.w, writable: true}
	done := false
	defer func() {
		// Runs on return, panic and runtime.Goexit alike.
		t.end()
		if !done {
			_ = sqlTx.Rollback()
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	done = true
	t.end()
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}
