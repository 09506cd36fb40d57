package postgres

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// beginView opens a View's snapshot.
const beginView = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

// View runs fn in a read-only snapshot. The snapshot's BEGIN goes out with
// fn's first statement, and its ROLLBACK with the BEGIN of the next View on
// the same connection: a View of one keyed read is one round trip.
func (db *DB) View(ctx context.Context, fn func(store.Tx) error) error {
	if db.closed.Load() {
		return errClosed
	}
	r, err := db.readers.get(ctx)
	if err != nil {
		return db.classify(err)
	}
	s := &session{db: db, conn: r.conn}
	if r.open {
		s.queue("ROLLBACK")
	}
	s.queue(beginView)
	t := &tx{db: db, s: s}
	defer func() {
		t.end()
		r.open = r.open || s.flushes > 0
		db.readers.put(r, s.err != nil || r.conn.Conn().IsClosed())
	}()
	return fn(t)
}

// A reader is a connection kept for Views, in its last View's transaction
// (open) until the next View sends the ROLLBACK, or until it has been idle
// for idleRollback, when the sweeper sends it: a snapshot held by an idle
// connection keeps PostgreSQL from cleaning up behind it.
type reader struct {
	conn *pgxpool.Conn
	open bool
	last time.Time
}

const (
	// maxIdleReaders bounds the connections kept for Views (the pool
	// has defaultMaxConns; Updates need one at a time).
	maxIdleReaders = defaultMaxConns - 4
	idleRollback   = 100 * time.Millisecond
	// idleRelease: a reader unused this long goes back to the pool, whose
	// health checks then look after it (a reader is never checked: after a
	// database restart its first View would fail).
	idleRelease = time.Second
)

// readers are the idle reader connections of a DB.
type readers struct {
	pool   *pgxpool.Pool
	idle   chan *reader
	stop   chan struct{}
	wg     sync.WaitGroup
	closed atomic.Bool // a reader put back after close goes to the pool
}

func newReaders(pool *pgxpool.Pool) *readers {
	rs := &readers{pool: pool, idle: make(chan *reader, min(maxIdleReaders, int(pool.Config().MaxConns)-1)), stop: make(chan struct{})}
	rs.wg.Go(rs.sweep)
	return rs
}

// get returns an idle reader, or a new one from the pool.
func (rs *readers) get(ctx context.Context) (*reader, error) {
	select {
	case r := <-rs.idle:
		return r, nil
	default:
	}
	c, err := rs.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	return &reader{conn: c}, nil
}

// put keeps r for the next View, or gives its connection back to the pool
// (closed when broken).
func (rs *readers) put(r *reader, broken bool) {
	if !broken {
		r.last = time.Now()
	}
	rs.keep(r, broken)
}

// keep is put without the time of use.
func (rs *readers) keep(r *reader, broken bool) {
	if !broken && !rs.closed.Load() {
		select {
		case rs.idle <- r:
			return
		default:
		}
	}
	rs.drop(r, broken)
}

// drop ends r's transaction and gives its connection back.
func (rs *readers) drop(r *reader, broken bool) {
	if r.open && !broken {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := r.conn.Exec(ctx, "ROLLBACK")
		cancel()
		broken = err != nil
	}
	release(r.conn, broken)
}

// sweep rolls back the snapshots of readers idle for idleRollback, and
// gives back to the pool those idle for idleRelease.
func (rs *readers) sweep() {
	tick := time.NewTicker(idleRollback / 2)
	defer tick.Stop()
	for {
		select {
		case <-rs.stop:
			return
		case <-tick.C:
		}
		for range len(rs.idle) {
			var r *reader
			select {
			case r = <-rs.idle:
			default:
			}
			if r == nil {
				break
			}
			switch idle := time.Since(r.last); {
			case idle >= idleRelease:
				rs.drop(r, false)
				continue
			case !r.open || idle < idleRollback:
				rs.keep(r, false)
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_, err := r.conn.Exec(ctx, "ROLLBACK")
			cancel()
			if err != nil {
				release(r.conn, true)
				continue
			}
			r.open = false
			rs.keep(r, false)
		}
	}
}

// close stops the sweeper and gives every idle reader back (before the
// pool closes, which waits for the connections it lent).
func (rs *readers) close() {
	rs.closed.Store(true)
	close(rs.stop)
	rs.wg.Wait()
	for {
		select {
		case r := <-rs.idle:
			release(r.conn, false)
		default:
			return
		}
	}
}
