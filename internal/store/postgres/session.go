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
	err     error // a queued statement failed: the transaction is lost
}

type queued struct {
	sql  string
	args []any
}

func (s *session) queue(sql string, args ...any) {
	s.pending = append(s.pending, queued{sql, args})
}

// execOnly reads the result of a statement that returns no rows.
func execOnly(br pgx.BatchResults) error {
	_, err := br.Exec()
	return err
}

// send sends the queued statements, then sql (unless ""), in one pipeline
// and hands sql's result to read. A failing queued statement fails the
// session (classified); read's error is returned as it is (pgx.ErrNoRows,
// a PgError...), for the caller to classify.
func (s *session) send(ctx context.Context, sql string, args []any, read func(pgx.BatchResults) error) error {
	if s.err != nil {
		return s.err
	}
	b := &pgx.Batch{}
	for _, q := range s.pending {
		b.Queue(q.sql, q.args...)
	}
	n := len(s.pending)
	s.pending = nil
	if sql != "" {
		b.Queue(sql, args...)
	}
	if b.Len() == 0 {
		return nil
	}
	s.flushes++
	br := s.conn.SendBatch(ctx, b)
	for range n {
		if _, err := br.Exec(); err != nil {
			br.Close() //nolint:errcheck // err matters more
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
