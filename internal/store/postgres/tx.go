package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

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
	conn     *pgxpool.Conn
	writable bool
	done     atomic.Bool
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

// Get implements store.Tx.
func (t *tx) Get(ctx context.Context, k store.Key, v any) error {
	ctx, cancel, err := t.begin(ctx, false)
	if err != nil {
		return err
	}
	defer cancel()
	var b []byte
	err = t.conn.QueryRow(ctx, getSQL, args(k)...).Scan(&b)
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
	n, err := t.write(ctx, createSQL, k, v)
	if err == nil && n == 0 {
		return store.ErrConflict
	}
	return err
}

// Put implements store.Tx.
func (t *tx) Put(ctx context.Context, k store.Key, v any) error {
	_, err := t.write(ctx, putSQL, k, v)
	return err
}

// write runs an insert of v at k and returns the number of rows it changed.
func (t *tx) write(ctx context.Context, sql string, k store.Key, v any) (int64, error) {
	ctx, cancel, err := t.begin(ctx, true)
	if err != nil {
		return 0, err
	}
	defer cancel()
	b, err := json.Marshal(v)
	if err != nil {
		return 0, err
	}
	tag, err := t.conn.Exec(ctx, sql, append(args(k), b)...)
	if err != nil {
		return 0, t.db.classify(err)
	}
	return tag.RowsAffected(), nil
}

// Delete implements store.Tx.
func (t *tx) Delete(ctx context.Context, k store.Key) error {
	ctx, cancel, err := t.begin(ctx, true)
	if err != nil {
		return err
	}
	defer cancel()
	tag, err := t.conn.Exec(ctx, deleteSQL, args(k)...)
	if err != nil {
		return t.db.classify(err)
	}
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	return nil
}

// List implements store.Tx with one range scan of the scope index.
func (t *tx) List(ctx context.Context, q store.Query) ([]store.Record, error) {
	ctx, cancel, err := t.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer cancel()
	var limit *int64 // NULL: no limit
	if q.Limit > 0 {
		l := int64(q.Limit)
		limit = &l
	}
	rows, err := t.conn.Query(ctx, listSQL, bs(q.Kind), bs(q.Account), bs(q.Region), q.AfterSeq, limit)
	if err != nil {
		return nil, t.db.classify(err)
	}
	defer rows.Close()
	var out []store.Record
	for rows.Next() {
		r := store.Record{Key: store.Key{Kind: q.Kind, Account: q.Account, Region: q.Region}}
		var id, value []byte
		if err := rows.Scan(&r.Seq, &id, &value); err != nil {
			return nil, t.db.classify(err)
		}
		r.Key.ID = string(id)
		r.Value = value
		out = append(out, r)
	}
	return out, t.db.classify(rows.Err())
}

// Count implements store.Tx.
func (t *tx) Count(ctx context.Context, s store.Scope) (int, error) {
	ctx, cancel, err := t.begin(ctx, false)
	if err != nil {
		return 0, err
	}
	defer cancel()
	var n int
	err = t.conn.QueryRow(ctx, countSQL, bs(s.Kind), bs(s.Account), bs(s.Region)).Scan(&n)
	return n, t.db.classify(err)
}

// DeleteScope deletes every record of account and region, of any kind; an
// empty account or region matches any. It returns how many it deleted.
func (t *tx) DeleteScope(ctx context.Context, account, region string) (int, error) {
	ctx, cancel, err := t.begin(ctx, true)
	if err != nil {
		return 0, err
	}
	defer cancel()
	tag, err := t.conn.Exec(ctx, deleteScopeSQL, bs(account), bs(region))
	if err != nil {
		return 0, t.db.classify(err)
	}
	return int(tag.RowsAffected()), nil
}

// Scopes returns every distinct (kind, account, region) holding at least
// one record, sorted by kind, then account, then region (byte order).
func (t *tx) Scopes(ctx context.Context) ([]store.Scope, error) {
	ctx, cancel, err := t.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer cancel()
	rows, err := t.conn.Query(ctx, scopesSQL)
	if err != nil {
		return nil, t.db.classify(err)
	}
	defer rows.Close()
	var out []store.Scope
	for rows.Next() {
		var kind, account, region []byte
		if err := rows.Scan(&kind, &account, &region); err != nil {
			return nil, t.db.classify(err)
		}
		out = append(out, store.Scope{Kind: string(kind), Account: string(account), Region: string(region)})
	}
	return out, t.db.classify(rows.Err())
}
