package sqlite

import (
	"context"
	"fmt"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	exportSQL = `SELECT seq, kind, account, region, id, value FROM records ORDER BY seq`
	importSQL = `INSERT INTO records (seq, kind, account, region, id, value) VALUES (?, ?, ?, ?, ?, ?)`
	// deleteScopeSQL: an empty argument matches any account (region).
	deleteScopeSQL = `DELETE FROM records WHERE (?1 = '' OR account = ?1) AND (?2 = '' OR region = ?2)`
	// resetSeqSQL makes the next AUTOINCREMENT Seq follow the largest
	// imported one (sqlite_sequence otherwise remembers the old maximum).
	resetSeqSQL = `UPDATE sqlite_sequence SET seq = ? WHERE name = 'records'`
)

// Export implements store.Store with one read transaction, so it sees one
// snapshot however many Updates commit while it runs.
func (db *DB) Export(ctx context.Context, fn func(store.Record) error) error {
	return db.View(ctx, func(stx store.Tx) error {
		t := stx.(*tx)
		rows, err := t.conn.QueryContext(ctx, exportSQL)
		if err != nil {
			return fmt.Errorf("sqlite: export: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r store.Record
			var value []byte
			if err := rows.Scan(&r.Seq, &r.Key.Kind, &r.Key.Account, &r.Key.Region, &r.Key.ID, &value); err != nil {
				return fmt.Errorf("sqlite: export: %w", err)
			}
			r.Value = value
			if err := fn(r); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// Import implements store.Store in one write transaction: every record is
// deleted, recs are inserted with their Seqs, and the AUTOINCREMENT counter
// is set to the largest of them.
func (db *DB) Import(ctx context.Context, recs []store.Record) error {
	if err := store.CheckImport(recs); err != nil {
		return err
	}
	return db.Update(ctx, func(stx store.Tx) error {
		t := stx.(*tx)
		if _, err := t.conn.ExecContext(ctx, `DELETE FROM records`); err != nil {
			return fmt.Errorf("sqlite: import: %w", err)
		}
		ins, err := t.conn.PrepareContext(ctx, importSQL)
		if err != nil {
			return fmt.Errorf("sqlite: import: %w", err)
		}
		defer ins.Close()
		var top int64
		for _, r := range recs {
			if _, err := ins.ExecContext(ctx, r.Seq, r.Key.Kind, r.Key.Account, r.Key.Region, r.Key.ID, []byte(r.Value)); err != nil {
				return fmt.Errorf("sqlite: import %s %s: %w", r.Key.Kind, r.Key.ID, err)
			}
			top = max(top, r.Seq)
		}
		if _, err := t.conn.ExecContext(ctx, resetSeqSQL, top); err != nil {
			return fmt.Errorf("sqlite: import: %w", err)
		}
		return nil
	})
}

// DeleteScope implements store.Tx.
func (t *tx) DeleteScope(ctx context.Context, account, region string) (int, error) {
	if err := t.check(true); err != nil {
		return 0, err
	}
	res, err := t.conn.ExecContext(ctx, deleteScopeSQL, account, region)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
