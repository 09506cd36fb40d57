package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// Export calls fn with every record, of every kind, account and region, in
// Seq order, from one snapshot. It stops at fn's first error and returns it.
func (db *DB) Export(ctx context.Context, fn func(store.Record) error) error {
	return db.View(ctx, func(stx store.Tx) error {
		var fnErr error
		err := stx.(*tx).run(ctx, false, `SELECT kind, account, region, id, seq, value FROM records ORDER BY seq`, nil, func(br pgx.BatchResults) error {
			rows, err := br.Query()
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var kind, account, region, id, value []byte
				var r store.Record
				if err := rows.Scan(&kind, &account, &region, &id, &r.Seq, &value); err != nil {
					return err
				}
				r.Key = store.Key{Kind: string(kind), Account: string(account), Region: string(region), ID: string(id)}
				r.Value = value
				if fnErr = fn(r); fnErr != nil {
					return nil
				}
			}
			return rows.Err()
		})
		if fnErr != nil {
			return fnErr
		}
		return db.classify(err)
	})
}

// Import replaces the whole content of the database with recs, atomically
// (one Update: every replica sees the old content or the new). Each record
// keeps its Key, Seq and Value; later Creates get Seqs above the largest
// imported. Two records with one key, or one Seq, are refused.
func (db *DB) Import(ctx context.Context, recs []store.Record) error {
	if err := store.CheckImport(recs); err != nil {
		return err
	}
	return db.update(ctx, func(stx store.Tx) error {
		t := stx.(*tx)
		if _, err := t.exec(ctx, `DELETE FROM records`); err != nil {
			return err
		}
		ctx, cancel, err := t.begin(ctx, true)
		if err != nil {
			return err
		}
		defer cancel()
		var top int64
		seqs := make(map[int64]bool, len(recs))
		for _, r := range recs {
			if r.Seq <= 0 || seqs[r.Seq] {
				return fmt.Errorf("postgres: import: record %v has Seq %d, which is not positive or not unique", r.Key, r.Seq)
			}
			seqs[r.Seq] = true
			top = max(top, r.Seq)
		}
		cols := []string{"kind", "account", "region", "id", "seq", "value"}
		_, err = t.s.conn.CopyFrom(ctx, pgx.Identifier{"records"}, cols, pgx.CopyFromSlice(len(recs), func(i int) ([]any, error) {
			r := recs[i]
			return []any{bs(r.Key.Kind), bs(r.Key.Account), bs(r.Key.Region), bs(r.Key.ID), r.Seq, bs(string(r.Value))}, nil
		}))
		if err != nil {
			return fmt.Errorf("postgres: import: %w", db.classify(err))
		}
		// The sequence only moves forward (it is not transactional: an
		// Import that fails later leaves it higher, which is harmless).
		_, err = t.exec(ctx, `SELECT setval('records_seq', GREATEST($1::bigint, (SELECT last_value FROM records_seq)))`, top)
		return err
	}, true) // alone: it replaces every record
}
