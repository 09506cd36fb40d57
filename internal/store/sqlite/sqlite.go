// Package sqlite is the durable store.Store: one SQLite database file in WAL
// mode with synchronous=FULL, through the pure-Go modernc.org/sqlite driver.
//
// Updates run on a single writer connection, so they queue rather than fail
// with SQLITE_BUSY, and begin IMMEDIATE so that another process writing the
// same file is waited for (busy_timeout) up front; concurrent Updates share
// one transaction and one commit (group commit, see DB.Update). Views run on
// a pool of query-only connections and, thanks to WAL, do not wait for the
// writer.
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
	"sync/atomic"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// busyTimeoutMillis bounds how long a connection waits for a lock held by
// another process before failing with SQLITE_BUSY.
const busyTimeoutMillis = 10000

// readerMmapBytes is how much of the database file each reader maps: all of
// it up to SQLite's compile-time maximum (SQLITE_MAX_MMAP_SIZE, just under
// 2 GiB); pages past it are read as before.
const readerMmapBytes = 0x7fff0000

// DB is a store.Store backed by one SQLite file.
type DB struct {
	path   string
	writer *sql.DB // one connection, pinned in w: every Update
	reader *sql.DB // query-only pool, pinned in readers: every View

	w       *pinned      // the writer connection and its statements
	readers chan *pinned // idle reader connections

	// Group commit (see Update). wmu is held while an Update's fn runs and
	// while a transaction commits; waiting counts Updates queued for it.
	wmu     sync.Mutex
	waiting atomic.Int32
	group   *group       // the open write transaction's group; nil when none is open
	commits atomic.Int64 // transactions committed (for tests)

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

// pinned is one connection held for the store's whole life, with the
// statements prepared on it (no per-call rebinding through database/sql's
// pool).
type pinned struct {
	conn *sql.Conn
	st   *statements
}

// group is the set of Updates that share one SQLite transaction and so one
// commit (one fsync).
type group struct {
	done    chan struct{} // closed once the commit has finished
	err     error         // the commit's error, if it failed
	members int           // Updates whose writes it holds
}

// maxGroup bounds how many Updates share one commit, which bounds how long
// the first of them waits for its answer.
const maxGroup = 512

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
	if err := migrateSchema(ctx, db.writer); err != nil {
		return err
	}

	// Readers open after the writer has put the file in WAL mode.
	// Readers map the database file (mmap_size) instead of copying pages
	// through pread into a 2 MB page cache of their own: with a large
	// database a keyed read otherwise pays a system call per B-tree page
	// missing from that cache, so lookups got slower as the database grew
	// (docs/benchmarks.md). The mapped pages are the kernel's page cache,
	// shared and reclaimable; they show in RSS as file-backed pages.
	db.reader, err = sql.Open("sqlite", dsn(db.path, url.Values{
		"_query_only": {"1"},
		"_pragma":     {fmt.Sprintf("mmap_size(%d)", readerMmapBytes)},
	}))
	if err != nil {
		return err
	}
	n := max(4, runtime.GOMAXPROCS(0))
	db.reader.SetMaxOpenConns(n)
	db.reader.SetMaxIdleConns(n)
	db.reader.SetConnMaxIdleTime(0)
	db.reader.SetConnMaxLifetime(0)

	if db.w, err = pin(ctx, db.writer, true); err != nil {
		return err
	}
	db.readers = make(chan *pinned, n)
	for range n {
		p, err := pin(ctx, db.reader, false)
		if err != nil {
			return err
		}
		db.readers <- p
	}
	return nil
}

// pin takes a connection out of pool for good and prepares the statements
// on it; write says whether it is the writer.
func pin(ctx context.Context, pool *sql.DB, write bool) (*pinned, error) {
	c, err := pool.Conn(ctx)
	if err != nil {
		return nil, err
	}
	st, err := prepare(ctx, c, write)
	if err != nil {
		c.Close()
		return nil, err
	}
	return &pinned{conn: c, st: st}, nil
}

func (p *pinned) close() error {
	return errors.Join(p.st.close(), p.conn.Close())
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
// the database file. Close may be called more than once; it must not be
// called while transactions run.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.closed.Store(true)
		var errs []error
		// Readers first, so that the writer is the last connection.
		if db.readers != nil {
			for len(db.readers) > 0 {
				errs = append(errs, (<-db.readers).close())
			}
		}
		if db.reader != nil {
			errs = append(errs, db.reader.Close())
		}
		if db.w != nil {
			errs = append(errs, db.w.close())
		}
		if db.writer != nil {
			errs = append(errs, db.writer.Close())
		}
		db.closeErr = errors.Join(errs...)
	})
	return db.closeErr
}

var errClosed = errors.New("sqlite: store is closed")

// View runs fn in a read-only transaction on a reader connection. It sees
// the Updates committed before it began, and none committed while it runs.
func (db *DB) View(ctx context.Context, fn func(store.Tx) error) error {
	if db.closed.Load() {
		return errClosed
	}
	var p *pinned
	select {
	case p = <-db.readers:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { db.readers <- p }()
	if _, err := p.st.begin.ExecContext(ctx); err != nil {
		return fmt.Errorf("sqlite: begin view: %w", err)
	}
	t := &tx{conn: p.conn, st: p.st}
	defer func() {
		t.end()
		// Nothing to keep; ends the read snapshot. Not cancellable: the
		// connection goes back to the pool.
		_, _ = p.st.rollback.ExecContext(context.Background())
	}()
	return fn(t)
}

// Update runs fn in a write transaction. It commits when fn returns nil and
// rolls back fn's writes when fn returns an error (returned unchanged) or
// panics (re-raised as it unwinds).
//
// Group commit: fns run one at a time on the writer connection, each in its
// own SAVEPOINT inside a transaction that Updates share. An fn that fails is
// rolled back to its savepoint, so only its own writes go. The transaction
// commits (one fsync with synchronous=FULL) when no other Update is waiting
// to run, or when maxGroup fns share it; every Update whose fn succeeded
// returns only after that commit, with its error if the commit failed. So
// under concurrent load many Updates share one fsync, while each answer
// still means the write is on disk.
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if db.closed.Load() {
		return errClosed
	}
	db.waiting.Add(1)
	db.wmu.Lock()
	db.waiting.Add(-1)
	g, err := db.join()
	if err != nil {
		db.wmu.Unlock()
		return err
	}
	ok := false
	var fnErr error
	func() {
		t := &tx{conn: db.w.conn, st: db.w.st, writable: true}
		defer func() {
			// Runs on return, panic and runtime.Goexit alike.
			t.end()
			db.leave(g, ok)
			db.wmu.Unlock()
		}()
		if _, err := db.w.st.savepoint.ExecContext(context.Background()); err != nil {
			fnErr = fmt.Errorf("sqlite: savepoint: %w", err)
			return
		}
		fnErr = fn(t)
		ok = fnErr == nil
	}()
	if !ok {
		return fnErr
	}
	<-g.done
	if g.err != nil {
		return fmt.Errorf("sqlite: commit: %w", g.err)
	}
	return nil
}

// join returns the open transaction's group, beginning a transaction if none
// is open. wmu is held.
func (db *DB) join() (*group, error) {
	if db.group == nil {
		if _, err := db.w.st.beginImmediate.ExecContext(context.Background()); err != nil {
			return nil, fmt.Errorf("sqlite: begin update: %w", err)
		}
		db.group = &group{done: make(chan struct{})}
	}
	return db.group, nil
}

// leave ends one fn's part of g: its savepoint is released when it
// succeeded and rolled back otherwise. Then the transaction commits unless
// another Update is about to join it. wmu is held.
func (db *DB) leave(g *group, ok bool) {
	ctx := context.Background()
	var err error
	if ok {
		_, err = db.w.st.release.ExecContext(ctx)
		g.members++
	} else if _, err = db.w.st.undo.ExecContext(ctx); err == nil {
		_, err = db.w.st.release.ExecContext(ctx)
	}
	if err != nil {
		// The savepoint could not be ended (or was never made): the shared
		// transaction's state is unknown, so none of it is kept.
		db.finish(g, err, true)
		return
	}
	if db.waiting.Load() > 0 && g.members < maxGroup {
		return // the next Update joins; the last one commits
	}
	if g.members == 0 {
		db.finish(g, nil, true) // nothing to keep: no fsync
		return
	}
	_, err = db.w.st.commit.ExecContext(ctx)
	if err != nil {
		db.finish(g, err, true)
		return
	}
	db.commits.Add(1)
	db.finish(g, nil, false)
}

// finish closes g with err, after rolling the transaction back if asked,
// so that the next Update begins a new transaction. wmu is held.
func (db *DB) finish(g *group, err error, rollback bool) {
	if rollback {
		_, _ = db.w.st.rollback.ExecContext(context.Background()) // fails harmlessly if SQLite already rolled back
	}
	g.err = err
	close(g.done)
	db.group = nil
}
