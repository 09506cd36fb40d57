package sqlite

import (
	"context"
	"database/sql"
	"errors"
)

// SQL of every statement a Tx runs. The scope columns come first in every
// WHERE clause so that the UNIQUE and scope indexes serve them.
const (
	getSQL   = `SELECT value FROM records WHERE kind = ? AND account = ? AND region = ? AND id = ?`
	listSQL  = `SELECT seq, id, value FROM records WHERE kind = ? AND account = ? AND region = ? AND seq > ? ORDER BY seq LIMIT ?`
	countSQL = `SELECT count(*) FROM records WHERE kind = ? AND account = ? AND region = ?`
	// createSQL inserts nothing, rather than failing, when the key exists.
	createSQL = `INSERT INTO records (kind, account, region, id, value) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, account, region, id) DO NOTHING`
	// putSQL keeps seq when it overwrites.
	putSQL = `INSERT INTO records (kind, account, region, id, value) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, account, region, id) DO UPDATE SET value = excluded.value`
	deleteSQL = `DELETE FROM records WHERE kind = ? AND account = ? AND region = ? AND id = ?`
	// firstScopeSQL and nextScopeSQL walk the distinct scopes by skipping
	// along the scope index: one index seek per scope, not a scan of every
	// record.
	firstScopeSQL = `SELECT kind, account, region FROM records ORDER BY kind, account, region LIMIT 1`
	nextScopeSQL  = `SELECT kind, account, region FROM records WHERE (kind, account, region) > (?, ?, ?) ORDER BY kind, account, region LIMIT 1`
)

// statements are the prepared statements of one pinned connection. The
// write statements are nil for a reader.
type statements struct {
	get, list, count      *sql.Stmt
	firstScope, nextScope *sql.Stmt
	create, put, delete   *sql.Stmt
	// Transaction control, prepared once rather than parsed on every call.
	begin, rollback                                  *sql.Stmt // reader: BEGIN (deferred); both: ROLLBACK
	beginImmediate, savepoint, release, undo, commit *sql.Stmt // writer
}

// prepare prepares the statements on a connection; write says whether it is
// the writer.
func prepare(ctx context.Context, db *sql.Conn, write bool) (*statements, error) {
	s := &statements{}
	todo := []struct {
		dst **sql.Stmt
		sql string
	}{{&s.get, getSQL}, {&s.list, listSQL}, {&s.count, countSQL},
		{&s.firstScope, firstScopeSQL}, {&s.nextScope, nextScopeSQL}, {&s.rollback, "ROLLBACK"}}
	if write {
		todo = append(todo, []struct {
			dst **sql.Stmt
			sql string
		}{{&s.create, createSQL}, {&s.put, putSQL}, {&s.delete, deleteSQL},
			{&s.beginImmediate, "BEGIN IMMEDIATE"}, {&s.savepoint, "SAVEPOINT u"}, {&s.release, "RELEASE u"},
			{&s.undo, "ROLLBACK TO u"}, {&s.commit, "COMMIT"}}...)
	} else {
		todo = append(todo, struct {
			dst **sql.Stmt
			sql string
		}{&s.begin, "BEGIN"})
	}
	for _, p := range todo {
		st, err := db.PrepareContext(ctx, p.sql)
		if err != nil {
			s.close() //nolint:errcheck // the prepare error matters more
			return nil, err
		}
		*p.dst = st
	}
	return s, nil
}

// close closes the statements that were prepared.
func (s *statements) close() error {
	var errs []error
	for _, st := range []*sql.Stmt{s.get, s.list, s.count, s.firstScope, s.nextScope, s.create, s.put, s.delete, s.begin, s.rollback,
		s.beginImmediate, s.savepoint, s.release, s.undo, s.commit} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}
