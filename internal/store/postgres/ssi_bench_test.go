package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/postgres"
	"github.com/workspaces-local/workspaces-local/internal/store/postgres/pgtest"
)

// benchKeys is how many resources the CreateTags-shaped benchmarks spread over.
const benchKeys = 300

// BenchmarkTagWrite is a CreateTags-shaped Update (Get the resource, Get
// its tags, Put them) from 16 goroutines, through the store: one write lock,
// group commit.
func BenchmarkTagWrite(b *testing.B) {
	db := open(b)
	defer db.Close()
	ctx := context.Background()
	seedTagBench(b, db)
	var n atomic.Int64
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			id := fmt.Sprintf("ws-%05d", (i*7919)%benchKeys)
			err := db.Update(ctx, func(tx store.Tx) error {
				var v map[string]any
				if err := tx.Get(ctx, key("ws", "a", "r", id), &v); err != nil {
					return err
				}
				if err := tx.Get(ctx, key("tags", "a", "r", id), &v); err != nil {
					return err
				}
				return tx.Put(ctx, key("tags", "a", "r", id), map[string]any{"t": i})
			})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkTagWriteSerializable is the alternative the package comment
// weighs: the same transaction at SERIALIZABLE, one connection each, no
// lock; it reports the share of attempts PostgreSQL aborted (40001/40P01),
// which a real implementation would have to retry by re-running fn.
func BenchmarkTagWriteSerializable(b *testing.B) {
	u := pgtest.Schema(b)
	db, err := postgres.Open(b.Context(), u)
	if err != nil {
		b.Fatal(err)
	}
	seedTagBench(b, db)
	db.Close()
	pool, err := pgxpool.New(b.Context(), u)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	ctx := context.Background()
	var n, aborts atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			id := []byte(fmt.Sprintf("ws-%05d", (i*7919)%benchKeys))
			for {
				err := pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{IsoLevel: pgx.Serializable}, func(tx pgx.Tx) error {
					var v []byte
					if err := tx.QueryRow(ctx, `SELECT value FROM records WHERE kind = 'ws' AND account = 'a' AND region = 'r' AND id = $1`, id).Scan(&v); err != nil {
						return err
					}
					if err := tx.QueryRow(ctx, `SELECT value FROM records WHERE kind = 'tags' AND account = 'a' AND region = 'r' AND id = $1`, id).Scan(&v); err != nil {
						return err
					}
					_, err := tx.Exec(ctx, `INSERT INTO records (kind, account, region, id, value) VALUES ('tags', 'a', 'r', $1, $2)
						ON CONFLICT (kind, account, region, id) DO UPDATE SET value = excluded.value`, id, []byte(fmt.Sprintf(`{"t":%d}`, i)))
					return err
				})
				var pe *pgconn.PgError
				if errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01") {
					aborts.Add(1)
					continue
				}
				if err != nil {
					b.Error(err)
					return
				}
				break
			}
		}
	})
	b.ReportMetric(100*float64(aborts.Load())/float64(n.Load()+aborts.Load()), "%aborted")
}

func seedTagBench(b *testing.B, db *postgres.DB) {
	ctx := context.Background()
	err := db.Update(ctx, func(tx store.Tx) error {
		for i := range benchKeys {
			id := fmt.Sprintf("ws-%05d", i)
			if err := tx.Create(ctx, key("ws", "a", "r", id), map[string]any{"x": 1}); err != nil {
				return err
			}
			if err := tx.Create(ctx, key("tags", "a", "r", id), map[string]any{"t": 0}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
