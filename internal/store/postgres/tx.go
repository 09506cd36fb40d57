package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"

	"github.com/jackc/pgx/v5"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// SQL of every statement a Tx runs (pgx prepares and caches each on every
// connection). The scope columns come first so that the primary key and the
// scope index serve them.
const (
	getSQL   = `SELECT value FROM records WHERE kind = $1 AND account = $2 AND region = $3 AND id = $4`
	listSQL  = `SELECT seq, id, value FROM records WHERE kind = $1 AND account = $2 AND region = $3 AND seq > $4 ORDER BY seq LIMIT $5`
	countSQL = `SELECT count(*) FROM records WHERE kind = $1 AND account = $2 AND region = $3`
	// createSQL inserts nothing, rather than failing, when the key exists.
	createSQL = `INSERT INTO records (kind, account, region, id, value) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (kind, account, region, id) DO NOTHING`
	// putSQL keeps seq when it overwrites.
	putSQL = `INSERT INTO records (kind, account, region, id, value) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (kind, account, region, id) DO UPDATE SET value = excluded.value`
	deleteSQL = `DELETE FROM records WHERE kind = $1 AND account = $2 AND region = $3 AND id = $4`
	// deleteScopeSQL: an empty account or region matches any.
	deleteScopeSQL = `DELETE FROM records WHERE ($1 = ''::bytea OR account = $1) AND ($2 = ''::bytea OR region = $2)`
	// scopesSQL walks the primary key from one distinct scope to the next
	// (a loose index scan): one index probe per scope, not a read of every
	// record.
	scopesSQL = `WITH RECURSIVE s AS (
		(SELECT kind, account, region FROM records ORDER BY kind, account, region LIMIT 1)
		UNION ALL
		SELECT n.kind, n.account, n.region FROM s, LATERAL (
			SELECT r.kind, r.account, r.region FROM records r
			WHERE (r.kind, r.account, r.region) > (s.kind, s.account, s.region)
			ORDER BY r.kind, r.account, r.region LIMIT 1) n
	) SELECT kind, account, region FROM s`
)

var (
	errReadOnly = errors.New("postgres: write in a read-only transaction")
	errTxDone   = errors.New("postgres: transaction used after it ended")
)

// tx is the store.Tx of one View or Update.
type tx struct {
	db       *DB
	s        *session
	writable bool
	done     atomic.Bool
	// g is the group of an Update (nil in a View); taken logs the locks
	// this fn took, and needsAll that it called for the whole database.
	g        *group
	taken    []taken
	needsAll bool
}

// lockKey queues what a keyed call of an Update needs to hold (nothing in a
// View, or in an exclusive group, which holds the whole database).
func (t *tx) lockKey(k store.Key) {
	if t.g != nil && !t.g.exclusive && !t.done.Load() {
		t.s.queueLock(t.g.locks.forKey(k, &t.taken))
	}
}

// lockScope queues what a List or Count of an Update needs to hold.
func (t *tx) lockScope(sc store.Scope) {
	if t.g != nil && !t.g.exclusive && !t.done.Load() {
		t.s.queueLock(t.g.locks.forScope(sc, &t.taken))
	}
}

// whole answers errExclusive when the call needs the database to itself
// and this Update does not hold it yet.
func (t *tx) whole() error {
	if t.g != nil && !t.g.exclusive {
		t.needsAll = true
		return errExclusive
	}
	return nil
}

func (t *tx) end() { t.done.Store(true) }

// begin checks that the call may run and returns the context its statement
// runs under: the caller's in a View (the connection is the View's alone),
// a detached one with a timeout in an Update (the transaction is shared
// with other Updates, which one caller's cancellation must not break).
func (t *tx) begin(ctx context.Context, write bool) (context.Context, context.CancelFunc, error) {
	switch {
	case t.done.Load():
		return nil, nil, errTxDone
	case write && !t.writable:
		return nil, nil, errReadOnly
	case !t.writable:
		return ctx, func() {}, nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opTimeout)
	return ctx, cancel, nil
}

// run sends sql (after whatever is queued) and hands its result to read.
func (t *tx) run(ctx context.Context, write bool, sql string, args []any, read func(pgx.BatchResults) error) error {
	ctx, cancel, err := t.begin(ctx, write)
	if err != nil {
		return err
	}
	defer cancel()
	return t.s.send(ctx, sql, args, read)
}

// exec runs a statement that returns no rows and returns the rows it changed.
func (t *tx) exec(ctx context.Context, sql string, args ...any) (int64, error) {
	var n int64
	err := t.run(ctx, true, sql, args, func(br pgx.BatchResults) error {
		tag, err := br.Exec()
		n = tag.RowsAffected()
		return err
	})
	return n, t.db.classify(err)
}

// bs is s as a bytea argument: never nil, which pgx would send as NULL.
func bs(s string) []byte {
	if s == "" {
		return []byte{}
	}
	return []byte(s)
}

// args are the statement arguments of k's scope columns and id.
func args(k store.Key) []any {
	return []any{bs(k.Kind), bs(k.Account), bs(k.Region), bs(k.ID)}
}

// Get implements store.Tx. In an Update it locks k as a write does: most
// Gets of an Update read what it then writes, and a lock taken for reading
// and raised for writing would let two replicas wait on each other.
func (t *tx) Get(ctx context.Context, k store.Key, v any) error {
	t.lockKey(k)
	var b []byte
	err := t.run(ctx, false, getSQL, args(k), func(br pgx.BatchResults) error { return br.QueryRow().Scan(&b) })
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}
	if err != nil {
		return t.db.classify(err)
	}
	return store.Unmarshal(b, v)
}

// Create implements store.Tx.
func (t *tx) Create(ctx context.Context, k store.Key, v any) error {
	b, err := t.marshal(v)
	if err != nil {
		return err
	}
	t.lockKey(k)
	n, err := t.exec(ctx, createSQL, append(args(k), b)...)
	if err == nil && n == 0 {
		return store.ErrConflict
	}
	return err
}

// Put implements store.Tx. It answers nothing, so it is queued: it goes out
// with the Update's next statement or its commit (in order), and a failure
// fails the Update.
func (t *tx) Put(ctx context.Context, k store.Key, v any) error {
	b, err := t.marshal(v)
	if err != nil {
		return err
	}
	if t.s.conflict != nil {
		return errRetry
	}
	n := len(t.s.pending)
	if t.lockKey(k); len(t.s.pending) > n {
		t.s.unsentLock = true // the fn sends it before it ends
	}
	t.s.queue(putSQL, append(args(k), b)...)
	return nil
}

func (t *tx) marshal(v any) ([]byte, error) {
	if err := t.writeCheck(); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// writeCheck is begin's check of a write, before anything is queued.
func (t *tx) writeCheck() error {
	switch {
	case t.done.Load():
		return errTxDone
	case !t.writable:
		return errReadOnly
	}
	return nil
}

// Delete implements store.Tx.
func (t *tx) Delete(ctx context.Context, k store.Key) error {
	if err := t.writeCheck(); err != nil {
		return err
	}
	t.lockKey(k)
	n, err := t.exec(ctx, deleteSQL, args(k)...)
	if err == nil && n == 0 {
		return store.ErrNotFound
	}
	return err
}

// List implements store.Tx with one range scan of the scope index.
func (t *tx) List(ctx context.Context, q store.Query) ([]store.Record, error) {
	var limit *int64 // NULL: no limit
	if q.Limit > 0 {
		l := int64(q.Limit)
		limit = &l
	}
	t.lockScope(q.Scope)
	var out []store.Record
	err := t.run(ctx, false, listSQL, []any{bs(q.Kind), bs(q.Account), bs(q.Region), q.AfterSeq, limit}, func(br pgx.BatchResults) error {
		rows, err := br.Query()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r := store.Record{Key: store.Key{Kind: q.Kind, Account: q.Account, Region: q.Region}}
			var id, value []byte
			if err := rows.Scan(&r.Seq, &id, &value); err != nil {
				return err
			}
			r.Key.ID = string(id)
			r.Value = value
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, t.db.classify(err)
	}
	return out, nil
}

// Count implements store.Tx.
func (t *tx) Count(ctx context.Context, s store.Scope) (int, error) {
	t.lockScope(s)
	var n int
	err := t.run(ctx, false, countSQL, []any{bs(s.Kind), bs(s.Account), bs(s.Region)}, func(br pgx.BatchResults) error {
		return br.QueryRow().Scan(&n)
	})
	return n, t.db.classify(err)
}

// DeleteScope deletes every record of account and region, of any kind; an
// empty account or region matches any. It returns how many it deleted.
func (t *tx) DeleteScope(ctx context.Context, account, region string) (int, error) {
	if err := t.writeCheck(); err != nil {
		return 0, err
	}
	if err := t.whole(); err != nil {
		return 0, err
	}
	n, err := t.exec(ctx, deleteScopeSQL, bs(account), bs(region))
	return int(n), err
}

// Scopes returns every distinct (kind, account, region) holding at least
// one record, sorted by kind, then account, then region (byte order).
func (t *tx) Scopes(ctx context.Context) ([]store.Scope, error) {
	if err := t.whole(); err != nil {
		return nil, err
	}
	var out []store.Scope
	err := t.run(ctx, false, scopesSQL, nil, func(br pgx.BatchResults) error {
		rows, err := br.Query()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var kind, account, region []byte
			if err := rows.Scan(&kind, &account, &region); err != nil {
				return err
			}
			out = append(out, store.Scope{Kind: string(kind), Account: string(account), Region: string(region)})
		}
		return rows.Err()
	})
	if err != nil {
		return nil, t.db.classify(err)
	}
	return out, nil
}
