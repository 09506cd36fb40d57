// Package postgres is the store.Store that many replicas share: every
// record in one table of a PostgreSQL database, through pgx v5.
//
// # How Update stays serialisable across processes
//
// Every Update runs in a READ COMMITTED transaction that first takes one
// transaction-scoped advisory lock, pg_advisory_xact_lock(writeLock), held
// until it commits. So Updates of every replica run strictly one after the
// other, each seeing every write committed before it: a check-then-write
// (count a scope, then create in it) is race-free, as it is in the
// single-writer SQLite store. PostgreSQL's SERIALIZABLE level with retries
// was the alternative; it was not chosen because
//   - a retry re-runs fn, and fns are written for a store that runs them
//     once (the memory and SQLite stores never retry): CreateWorkspaces,
//     for one, appends to its output inside its fn, so a re-run would
//     answer every WorkSpace twice;
//   - the hot check-then-writes of this emulator (quota counts, unique
//     names, tallies) all touch the same few rows and index pages of one
//     scope, so under SSI concurrent writers would mostly abort each other
//     (and predicate locks on index pages abort unrelated ones too): a lock
//     hand-off is cheaper than an abort and a retry;
//   - Updates are short (a few keyed statements), so one writer at a time
//     costs little, and group commit (below) shares each lock hand-off and
//     WAL flush among the Updates waiting for it.
//
// Measured (BenchmarkTagWrite vs BenchmarkTagWriteSerializable, a
// CreateTags-shaped Update from 16 goroutines over 300 resources): this
// store ran it in about 0.4 ms per Update; the same transaction at
// SERIALIZABLE on 16 connections, retried until it committed, took about
// 4.7 ms, 72% of its attempts aborted by PostgreSQL (docs/benchmarks.md).
//
// The cost: writes do not scale out. Replicas take turns on the lock, and
// each hand-off between processes costs a round of wake-ups, so three
// replicas write less than one (docs/benchmarks.md); they add availability
// and read capacity.
//
// No transaction can fail with a serialization failure (40001) or a
// deadlock (40P01) under this scheme: there is one lock, and READ COMMITTED
// never raises 40001. Stats counts any that PostgreSQL reports anyway, so
// that the claim is measured (go run ./bench shows it).
//
// Seq comes from a sequence. Because writers are serialised, Seqs are also
// handed out in commit order: a lister that has seen Seq s never later
// meets a committed record with a smaller Seq, on any replica.
//
// # Group commit
//
// As in store/sqlite, concurrent Updates of one replica share one
// transaction (each fn in its own SAVEPOINT, rolled back alone when it
// fails) and so one lock hand-off and one commit; every Update returns only
// after that COMMIT, which with synchronous_commit=on (set on every
// connection) means after its WAL is flushed: durable on return.
//
// # Views
//
// A View is a REPEATABLE READ READ ONLY transaction on a pooled connection:
// one snapshot, never waiting for writers.
//
// # Losing the database
//
// Errors that mean the database cannot be reached (connection refused or
// lost, server shutting down or starting) wrap store.ErrUnavailable, which
// the protocols answer with their "service unavailable" error. Nothing is
// cached: every call reads the database, so a replica never serves data it
// has not read from it. The pool reconnects by itself once the server is
// back.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// writeLock is the advisory lock every Update holds until it commits
// (advisory locks are per database, so databases on one server do not
// share it).
const writeLock = 0x77736c777269 // "wslwri"

// maxGroup bounds how many Updates share one commit.
const maxGroup = 256

// opTimeout bounds every statement the store runs on its own behalf or
// inside an Update (an Update's statements do not follow the caller's
// cancellation: they share a transaction with other Updates).
const opTimeout = 30 * time.Second

// defaultMaxConns is the pool size unless the URL sets pool_max_conns.
const defaultMaxConns = 16

// DB is a store.Store on one PostgreSQL database.
type DB struct {
	pool *pgxpool.Pool

	wmu     sync.Mutex // held while an Update's fn runs and while its group commits
	waiting atomic.Int32
	group   *group

	stats struct {
		updates, commits, failures atomic.Int64
	}

	closed    atomic.Bool
	closeOnce sync.Once
}

// group is the set of Updates that share one transaction and one commit.
type group struct {
	session
	done    chan struct{} // closed once the group has committed or failed
	err     error         // the group's outcome, for its members
	members int           // Updates whose writes it holds
}

// Open connects to the database at url (postgres://user:pass@host:port/db),
// and creates or migrates the schema. Replicas may open the same database
// at once: migrations run under an advisory lock.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: database URL: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = defaultMaxConns
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 3 * time.Second
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = "workspaces-local"
	}
	// Durable on return whatever the server's default: COMMIT waits for the
	// WAL flush (a server running with fsync=off is beyond our reach).
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "on"
	// A replica that stops (SIGSTOP, a frozen VM) while its group holds the
	// write lock would stall every replica's writes: PostgreSQL ends such a
	// session, and so frees the lock, after a minute of silence.
	if _, ok := cfg.ConnConfig.RuntimeParams["idle_in_transaction_session_timeout"]; !ok {
		cfg.ConnConfig.RuntimeParams["idle_in_transaction_session_timeout"] = "60s"
	}
	cfg.HealthCheckPeriod = 5 * time.Second
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := waitReachable(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %s: %w", Redact(url), err)
	}
	if err := migrateSchema(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %s: %w", Redact(url), err)
	}
	return &DB{pool: pool}, nil
}

// startWait bounds how long Open waits for a database that does not answer
// yet (a replica started together with its database).
const startWait = 15 * time.Second

// waitReachable pings until the database answers, for up to startWait while
// the failure is one of reaching it (a refused password fails at once).
func waitReachable(ctx context.Context, pool *pgxpool.Pool) error {
	deadline := time.Now().Add(startWait)
	for {
		err := classify(pool.Ping(ctx))
		if err == nil || !errors.Is(err, store.ErrUnavailable) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			// Both: why the database was not reached, and that the wait ended.
			return fmt.Errorf("%w (%w)", err, ctx.Err())
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Redact returns url with its password replaced, for messages.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Name returns "postgres".
func (db *DB) Name() string { return "postgres" }

// Close closes every connection. It must not be called while transactions run.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.closed.Store(true)
		db.pool.Close()
	})
	return nil
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return classify(db.pool.Ping(ctx))
}

// Stats are counters since Open, for /_local/health and the benchmarks.
type Stats struct {
	// Updates is how many Updates ran their fn.
	Updates int64 `json:"updates"`
	// Commits is how many transactions committed (groups of Updates).
	Commits int64 `json:"commits"`
	// SerializationFailures counts statements PostgreSQL failed with 40001
	// or 40P01; the write lock makes them impossible, so it stays 0.
	SerializationFailures int64 `json:"serializationFailures"`
}

// Stats returns the counters.
func (db *DB) Stats() Stats {
	return Stats{
		Updates: db.stats.updates.Load(), Commits: db.stats.commits.Load(),
		SerializationFailures: db.stats.failures.Load(),
	}
}

var errClosed = errors.New("postgres: store is closed")

// classify wraps err in store.ErrUnavailable when it means the database
// cannot be reached, and counts serialization failures.
func (db *DB) classify(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01") {
		db.stats.failures.Add(1)
	}
	return classify(err)
}

func classify(err error) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "08"), // connection exception
			pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03", // shutting down, crashed, starting up
			pe.Code == "53300": // too many connections
			return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
		}
		return fmt.Errorf("postgres: %w", err)
	}
	// Anything else from pgx is the connection failing: refused, reset,
	// closed, timed out.
	return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
}

// opCtx is the context of a statement the store runs on its own behalf.
func opCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), opTimeout)
}

// release gives c back to the pool, closing it first when its state is not
// known to be clean (the pool then drops it).
func release(c *pgxpool.Conn, broken bool) {
	if broken {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_ = c.Conn().Close(ctx)
		cancel()
	}
	c.Release()
}

// View runs fn in a read-only snapshot. BEGIN goes out with fn's first
// statement (one round trip), ROLLBACK after fn.
func (db *DB) View(ctx context.Context, fn func(store.Tx) error) error {
	if db.closed.Load() {
		return errClosed
	}
	c, err := db.pool.Acquire(ctx)
	if err != nil {
		return db.classify(err)
	}
	s := &session{db: db, conn: c}
	s.queue("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
	t := &tx{db: db, s: s}
	defer func() {
		t.end()
		broken := s.err != nil
		if s.flushes > 0 && !broken {
			rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			s.pending = nil
			broken = s.send(rctx, "ROLLBACK", nil, execOnly) != nil
			cancel()
		}
		release(c, broken)
	}()
	return fn(t)
}

// Update runs fn in a write transaction shared with the Updates running
// concurrently on this replica (see the package comment). It returns fn's
// error unchanged (fn's writes rolled back), re-raises fn's panic, and
// returns nil only once the writes are committed.
//
// Round trips: the transaction control (BEGIN, the lock, SAVEPOINT,
// RELEASE) and the Puts, which answer nothing, are queued and go out in one
// pipeline with the next statement that must answer (a Get, a Create, a
// List...) or with the COMMIT. A CreateTags (Get, Get, Put) costs two round
// trips inside the lock.
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
	db.stats.updates.Add(1)
	ok := false
	var fnErr error
	func() {
		t := &tx{db: db, s: &g.session, writable: true}
		mark, flushes := len(g.pending), g.flushes
		defer func() {
			t.end()
			db.leave(g, ok, mark, flushes)
			db.wmu.Unlock()
		}()
		fnErr = fn(t)
		ok = fnErr == nil
	}()
	if !ok {
		return fnErr
	}
	<-g.done
	return g.err
}

// join returns the open group, or a new one on a pooled connection with
// BEGIN, the lock and the first savepoint queued. wmu is held.
func (db *DB) join() (*group, error) {
	if db.group != nil {
		return db.group, nil
	}
	ctx, cancel := opCtx()
	defer cancel()
	c, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, db.classify(err)
	}
	g := &group{session: session{db: db, conn: c}, done: make(chan struct{})}
	g.queue("BEGIN ISOLATION LEVEL READ COMMITTED")
	g.queue("SELECT pg_advisory_xact_lock($1)", int64(writeLock))
	g.queue("SAVEPOINT u")
	db.group = g
	return g, nil
}

// leave ends one fn's part of g. mark and flushes are g's queue length and
// flush count when fn began. A successful fn's savepoint is released (and
// the next one made) in the queue when another Update is waiting to join;
// a failed fn's writes are dropped from the queue when none was sent, else
// rolled back to its savepoint. With nobody waiting the transaction
// commits, or rolls back when it holds nothing. wmu is held.
func (db *DB) leave(g *group, ok bool, mark, flushes int) {
	if err := g.session.err; err != nil {
		// A queued statement failed: the transaction is lost, for every member.
		db.finish(g, err, true)
		return
	}
	more := db.waiting.Load() > 0 && g.members < maxGroup
	switch {
	case ok:
		g.members++
		if more {
			g.queue("RELEASE u")
			g.queue("SAVEPOINT u")
		}
	case g.flushes == flushes:
		g.pending = g.pending[:mark] // nothing of fn reached the server
	default:
		g.queue("ROLLBACK TO u") // u stays, clean, for the next fn
	}
	if more {
		return
	}
	ctx, cancel := opCtx()
	defer cancel()
	switch {
	case g.members == 0 && g.flushes == 0:
		g.pending = nil // the transaction never began
		db.finish(g, nil, false)
	case g.members == 0:
		g.pending = nil
		err := g.send(ctx, "ROLLBACK", nil, execOnly)
		db.finish(g, err, err != nil)
	default:
		var tag pgconn.CommandTag
		err := g.send(ctx, "COMMIT", nil, func(br pgx.BatchResults) (err error) {
			tag, err = br.Exec()
			return err
		})
		switch {
		case err != nil:
			db.finish(g, db.classify(err), true)
		case tag.String() != "COMMIT":
			// PostgreSQL answers COMMIT of a failed transaction with ROLLBACK.
			db.finish(g, errors.New("postgres: commit: the transaction had failed and was rolled back"), false)
		default:
			db.stats.commits.Add(1)
			db.finish(g, nil, false)
		}
	}
}

// finish closes g with err and gives its connection back, so that the next
// Update begins a new transaction. wmu is held.
func (db *DB) finish(g *group, err error, broken bool) {
	release(g.conn, broken)
	g.err = err
	close(g.done)
	db.group = nil
}
