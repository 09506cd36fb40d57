package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sync/atomic"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

var (
	errReadOnly = errors.New("sqlite: write in a read-only transaction")
	errTxDone   = errors.New("sqlite: transaction used after it ended")
)

// tx is the store.Tx of one View or Update.
type tx struct {
	conn     *sql.Conn   // the pinned connection in a transaction
	st       *statements // prepared on conn
	writable bool
	done     atomic.Bool
}

// end makes every later call on t fail. (database/sql would also refuse
// with sql.ErrTxDone; this gives the clearer error first.)
func (t *tx) end() { t.done.Store(true) }

// check returns why a call may not run, if it may not.
func (t *tx) check(write bool) error {
	switch {
	case t.done.Load():
		return errTxDone
	case write && !t.writable:
		return errReadOnly
	}
	return nil
}

// Get implements store.Tx.
func (t *tx) Get(ctx context.Context, k store.Key, v any) error {
	if err := t.check(false); err != nil {
		return err
	}
	var b []byte
	err := t.st.get.QueryRowContext(ctx, k.Kind, k.Account, k.Region, k.ID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	if err != nil {
		return err
	}
	return store.Unmarshal(b, v)
}

// Create implements store.Tx.
func (t *tx) Create(ctx context.Context, k store.Key, v any) error {
	n, err := t.write(ctx, t.st.create, k, v)
	if err == nil && n == 0 {
		return store.ErrConflict
	}
	return err
}

// Put implements store.Tx.
func (t *tx) Put(ctx context.Context, k store.Key, v any) error {
	_, err := t.write(ctx, t.st.put, k, v)
	return err
}

// write runs an insert of v at k and returns the number of rows it changed.
func (t *tx) write(ctx context.Context, s *sql.Stmt, k store.Key, v any) (int64, error) {
	if err := t.check(true); err != nil {
		return 0, err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return 0, err
	}
	res, err := s.ExecContext(ctx, k.Kind, k.Account, k.Region, k.ID, b)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Delete implements store.Tx.
func (t *tx) Delete(ctx context.Context, k store.Key) error {
	if err := t.check(true); err != nil {
		return err
	}
	res, err := t.st.delete.ExecContext(ctx, k.Kind, k.Account, k.Region, k.ID)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err == nil && n == 0 {
		return store.ErrNotFound
	}
	return err
}

// List implements store.Tx with one range scan of the scope index.
func (t *tx) List(ctx context.Context, q store.Query) ([]store.Record, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	limit := int64(-1) // SQLite: no limit
	if q.Limit > 0 {
		limit = int64(q.Limit)
	}
	rows, err := t.st.list.QueryContext(ctx, q.Kind, q.Account, q.Region, q.AfterSeq, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Record
	for rows.Next() {
		r := store.Record{Key: store.Key{Kind: q.Kind, Account: q.Account, Region: q.Region}}
		var value []byte // Scan copies into a *[]byte
		if err := rows.Scan(&r.Seq, &r.Key.ID, &value); err != nil {
			return nil, err
		}
		r.Value = value
		out = append(out, r)
	}
	return out, rows.Err()
}

// Count implements store.Tx.
func (t *tx) Count(ctx context.Context, s store.Scope) (int, error) {
	if err := t.check(false); err != nil {
		return 0, err
	}
	var n int
	err := t.st.count.QueryRowContext(ctx, s.Kind, s.Account, s.Region).Scan(&n)
	return n, err
}

// Scopes implements store.Tx with one index seek per distinct scope.
func (t *tx) Scopes(ctx context.Context) ([]store.Scope, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	var out []store.Scope
	var s store.Scope
	err := t.st.firstScope.QueryRowContext(ctx).Scan(&s.Kind, &s.Account, &s.Region)
	for err == nil {
		out = append(out, s)
		err = t.st.nextScope.QueryRowContext(ctx, s.Kind, s.Account, s.Region).Scan(&s.Kind, &s.Account, &s.Region)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return out, nil
	}
	return nil, err
}
