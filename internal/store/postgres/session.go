package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// session is a connection in a transaction, with the statements queued to
// go out before the next one that must answer.
type session struct {
	db      *DB
	conn    *pgxpool.Conn
	pending []queued
	flushes int   // pipelines sent
	err     error // a statement failed: the transaction is lost
	// conflict is set when a lock statement of the running fn gave up its
	// wait: the fn's savepoint is aborted (not the transaction), and every
	// later call of the fn answers errRetry without reaching the server.
	conflict error
	// unsentLock: a lock statement is queued (a Put's), so the fn must send
	// it before it ends, to learn whether it got the lock.
	unsentLock bool
}

type queued struct {
	sql  string
	args []any
	lock bool // a lock statement of the running fn
}

func (s *session) queue(sql string, args ...any) {
	s.pending = append(s.pending, queued{sql: sql, args: args})
}

// queueLock queues a lock statement of the running fn ("" queues nothing).
func (s *session) queueLock(sql string, args []any) {
	if sql != "" {
		s.pending = append(s.pending, queued{sql: sql, args: args, lock: true})
	}
}

// execOnly reads the result of a statement that returns no rows.
func execOnly(br pgx.BatchResults) error {
	_, err := br.Exec()
	return err
}

// send sends the queued statements, then sql (unless ""), in one pipeline
// and hands sql's result to read. A failing queued statement fails the
// session (classified), or, when it is a lock wait of the running fn that
// gave up, sets conflict and answers errRetry; read's error is returned as
// it is (pgx.ErrNoRows, a PgError...), for the caller to classify.
func (s *session) send(ctx context.Context, sql string, args []any, read func(pgx.BatchResults) error) error {
	switch {
	case s.err != nil:
		return s.err
	case s.conflict != nil:
		return errRetry
	}
	b := &pgx.Batch{}
	for _, q := range s.pending {
		b.Queue(q.sql, q.args...)
	}
	sent := s.pending
	s.pending, s.unsentLock = nil, false
	if sql != "" {
		b.Queue(sql, args...)
	}
	if b.Len() == 0 {
		return nil
	}
	s.flushes++
	br := s.conn.SendBatch(ctx, b)
	for _, q := range sent {
		if _, err := br.Exec(); err != nil {
			br.Close() //nolint:errcheck // err matters more
			if q.lock && isLockWait(err) {
				s.conflict = err
				return errRetry
			}
			s.err = s.db.classify(err)
			return s.err
		}
	}
	var err error
	if sql != "" {
		err = read(br)
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return err
}
