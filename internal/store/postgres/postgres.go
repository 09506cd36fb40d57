// Package postgres is the store.Store that many replicas share: every
// record in one table of a PostgreSQL database, through pgx v5.
//
// # How Update stays serialisable across processes
//
// Strict two-phase locking on advisory locks. Every Update runs in a READ
// COMMITTED transaction that locks what it touches before it touches it,
// with transaction-scoped advisory locks held until it commits:
//   - a keyed call (Get, Create, Put, Delete) locks its key exclusively and
//     its scope shared; a Get locks like a write because most Gets of an
//     Update read what it then writes, and a read lock raised for writing
//     lets two replicas wait on each other;
//   - a List or Count locks its scope exclusively: no record enters or
//     leaves the scope until the Update commits (a quota count, then a
//     create, is race-free);
//   - every Update holds the database lock shared; DeleteScope, Scopes and
//     Import take it exclusively, so they run alone.
//
// Each statement runs after its locks are granted and (READ COMMITTED)
// reads what was committed before it, so every Update sees the writes of
// each Update it conflicts with that committed first: the same outcome as
// running them one after the other, as in the single-writer SQLite store.
// Updates that touch different keys (two CreateTags on two WorkSpaces) run
// at once on different replicas.
//
// A lock another replica holds is waited for up to lockWait (20 ms; the
// holder is a few keyed statements away from its commit). A longer wait is
// nearly always two replicas waiting on each other; the waiter then rolls
// back its attempt (its savepoint: the Updates before it in its group keep
// theirs), its group commits what it holds, and fn runs again, in an
// exclusive group (the database lock alone), where no wait can form again;
// so do DeleteScope and Scopes, which need the whole database. So fn may
// run more than once, as store.Store.Update allows; Stats.Retries counts
// the re-runs. Measured: over 300 WorkSpaces and 16 clients, 0–3 retries
// per 10,000 CreateTags (go run ./bench -postgres URL); two hot keys bumped
// by 16 goroutines on three replicas, 0.06 % in one order and, the worst
// case, 15 % in opposite orders, at a third of the throughput
// (go test -bench HotKeys ./internal/store/postgres/).
//
// PostgreSQL's SERIALIZABLE level with retries was the alternative; it was
// not chosen because its predicate locks are per B-tree page: small records
// of one scope share pages, so concurrent writers of one account abort each
// other. Measured (BenchmarkTagWrite vs BenchmarkTagWriteSerializable, a
// CreateTags-shaped Update from 16 goroutines over 300 resources): the
// same transaction at SERIALIZABLE, retried until it committed, saw 72% of
// its attempts aborted (docs/benchmarks.md).
//
// Seq comes from a sequence: unique, and growing within each Update. Two
// replicas writing one scope at once may commit out of Seq order, so a
// paging walk may miss a record created while it runs (inferred: AWS
// promises nothing for resources created during a paged listing either).
//
// # Group commit
//
// As in store/sqlite, concurrent Updates of one replica share one
// transaction (each fn in its own SAVEPOINT, rolled back alone when it
// fails) and so one commit; every Update returns only after that COMMIT,
// which with synchronous_commit=on (set on every connection) means after
// its WAL is flushed: durable on return. The group holds the locks of all
// its members until it commits.
//
// # Views
//
// A View is a REPEATABLE READ READ ONLY transaction: one snapshot, taking
// no lock, never waiting for writers. Its BEGIN travels with its first
// statement and its ROLLBACK with the next View's BEGIN on the same
// connection (view.go), so a View of one keyed read is one round trip.
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
	pool  *pgxpool.Pool
	space string // the schema the records table is in, for lockID

	readers *readers // connections kept for Views

	wmu     sync.Mutex // held while an Update's fn runs and while its group commits
	waiting atomic.Int32
	group   *group

	stats struct {
		updates, commits, failures, retries, lockWaits atomic.Int64
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
	// exclusive: the group holds the database lock alone, so it takes no
	// other lock; locks is what a shared group holds.
	exclusive bool
	locks     locks
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
	var space string
	if err := pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&space); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %s: %w", Redact(url), classify(err))
	}
	return &DB{pool: pool, space: space, readers: newReaders(pool)}, nil
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
		db.readers.close()
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
	// Updates is how many Updates were called.
	Updates int64 `json:"updates"`
	// Commits is how many transactions committed (groups of Updates).
	Commits int64 `json:"commits"`
	// Retries is how many times an Update ran its fn again: after a lock
	// wait that gave up, or to run alone (DeleteScope, Scopes).
	Retries int64 `json:"retries"`
	// LockWaits is how many attempts gave up waiting for another
	// replica's lock (lockWait).
	LockWaits int64 `json:"lockWaits"`
	// SerializationFailures counts statements PostgreSQL failed with 40001
	// (which READ COMMITTED never raises) or 40P01 outside a lock wait.
	SerializationFailures int64 `json:"serializationFailures"`
}

// Stats returns the counters.
func (db *DB) Stats() Stats {
	return Stats{
		Updates: db.stats.updates.Load(), Commits: db.stats.commits.Load(),
		Retries: db.stats.retries.Load(), LockWaits: db.stats.lockWaits.Load(),
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
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, errRetry) || errors.Is(err, errExclusive) {
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

// Update runs fn in a write transaction shared with the Updates running
// concurrently on this replica (see the package comment). It returns fn's
// error unchanged (fn's writes rolled back), re-raises fn's panic, and
// returns nil only once the writes are committed. fn may run more than once
// (store.Store): an attempt that met another replica's lock is rolled back
// and run again.
//
// Round trips: the transaction control (BEGIN, the locks, SAVEPOINT,
// RELEASE) and the Puts, which answer nothing, are queued and go out in one
// pipeline with the next statement that must answer (a Get, a Create, a
// List...) or with the COMMIT. A CreateTags (Get, Get, Put) costs two round
// trips.
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	return db.update(ctx, fn, false)
}

// outcome is how one attempt of an Update ended.
type outcome int

const (
	committing outcome = iota // fn succeeded: wait for the group's commit
	failed                    // fn failed: return its error
	again                     // met another replica's lock: run fn again
	againAlone                // needs the whole database: run fn again, exclusively
)

func (db *DB) update(ctx context.Context, fn func(store.Tx) error, alone bool) error {
	db.stats.updates.Add(1)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if db.closed.Load() {
			return errClosed
		}
		g, out, err := db.attempt(fn, alone)
		switch out {
		case committing:
			<-g.done
			return g.err
		case failed:
			return err
		case again, againAlone:
			// A wait given up is nearly always groups of two replicas
			// waiting on each other: run fn where no wait can form.
			alone = true
		}
		db.stats.retries.Add(1)
	}
}

// attempt runs fn once in the open group (or a new one) and ends its part.
func (db *DB) attempt(fn func(store.Tx) error, alone bool) (*group, outcome, error) {
	db.waiting.Add(1)
	db.wmu.Lock()
	db.waiting.Add(-1)
	g, err := db.join(alone)
	if err != nil {
		db.wmu.Unlock()
		return nil, failed, err
	}
	returned := false
	out := failed
	var fnErr error
	func() {
		t := &tx{db: db, s: &g.session, writable: true, g: g}
		mark, flushes := len(g.pending), g.flushes
		defer func() {
			t.end()
			out = db.leave(g, t, returned && fnErr == nil, mark, flushes)
			db.wmu.Unlock()
		}()
		fnErr = fn(t)
		if fnErr == nil && g.unsentLock && g.conflict == nil {
			// A Put's lock must be granted before fn's part is done.
			ctx, cancel := opCtx()
			defer cancel()
			_ = g.send(ctx, "", nil, nil) // its outcome is in g.err or g.conflict
		}
		returned = true
	}()
	if out == failed && fnErr == nil {
		fnErr = g.err // the transaction was lost
	}
	return g, out, fnErr
}

// join returns the open group, or a new one on a pooled connection with
// BEGIN, the database lock and the first savepoint queued. An Update that
// needs the whole database ends an open shared group first. wmu is held.
func (db *DB) join(alone bool) (*group, error) {
	if g := db.group; g != nil {
		if !alone || g.exclusive {
			return g, nil
		}
		db.end(g)
	}
	ctx, cancel := opCtx()
	defer cancel()
	c, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, db.classify(err)
	}
	g := &group{session: session{db: db, conn: c}, done: make(chan struct{}), exclusive: alone, locks: newLocks(db.space)}
	g.queue("BEGIN ISOLATION LEVEL READ COMMITTED")
	if alone {
		g.queue(lockAllSQL, allLock(db.space))
	} else {
		g.queue(shareAllSQL, allLock(db.space), lockWait)
	}
	g.queue("SAVEPOINT u")
	db.group = g
	return g, nil
}

// leave ends one fn's part of g and tells how its attempt ended. mark and
// flushes are g's queue length and flush count when fn began. A successful
// fn's savepoint is released (and the next one made) in the queue when
// another Update is waiting to join; a failed fn's writes are dropped from
// the queue when none was sent, else rolled back to its savepoint, which
// also releases the locks it took. An attempt that met another replica's
// lock ends the group at once: the group may hold what that replica waits
// for. With nobody waiting the transaction commits, or rolls back when it
// holds nothing. wmu is held.
func (db *DB) leave(g *group, t *tx, ok bool, mark, flushes int) outcome {
	if err := g.session.err; err != nil {
		// A statement failed: the transaction is lost, for every member.
		db.finish(g, err, true)
		return failed
	}
	out := failed
	switch {
	case g.conflict != nil:
		out = again
		db.stats.lockWaits.Add(1)
	case t.needsAll:
		out = againAlone
	case ok:
		out = committing
	}
	more := db.waiting.Load() > 0 && g.members < maxGroup && (out == committing || out == failed)
	switch {
	case out == committing:
		g.members++
		if more {
			g.queue("RELEASE u")
			g.queue("SAVEPOINT u")
		}
	case g.flushes == flushes:
		g.pending = g.pending[:mark] // nothing of fn reached the server
		g.unsentLock = false
		g.locks.undo(t.taken)
	default:
		// What fn queued since its last statement went out would be rolled
		// back, or, after an aborted statement, fail: drop it.
		g.pending, g.conflict, g.unsentLock = nil, nil, false
		g.queue("ROLLBACK TO u") // u stays, clean, for the next fn
		g.locks.undo(t.taken)
	}
	if !more {
		db.end(g)
	}
	return out
}

// end commits g, or rolls it back when it holds nothing, and gives its
// connection back. wmu is held.
func (db *DB) end(g *group) {
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
