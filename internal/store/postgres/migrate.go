package postgres

import (
	"context"
	"embed"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/workspaces-local/workspaces-local/internal/store/migrate"
)

// migrationFiles holds the schema as numbered scripts, NNN_name.sql. Script N
// takes the database from schema version N-1 to N (the one row of
// wslocal_schema).
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrateLock is the session advisory lock held while the schema is brought
// up to date, so that replicas starting together migrate one at a time: the
// first applies the scripts, the others wait and then find nothing to do.
const migrateLock = 0x77736c6d6967 // "wslmig"

// loadMigrations returns the embedded scripts in version order.
func loadMigrations() ([]migrate.Script, error) {
	return migrate.Load(migrationFiles, "migrations", "postgres")
}

// migrateSchema applies the scripts the database has not seen yet, each in its own
// transaction together with the version bump that records it, holding
// migrateLock throughout.
func migrateSchema(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	c, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	if _, err := c.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(migrateLock)); err != nil {
		return err
	}
	defer c.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(migrateLock)) //nolint:errcheck // the session ends the lock anyway
	if _, err := c.Exec(ctx, `CREATE TABLE IF NOT EXISTS wslocal_schema (version integer NOT NULL)`); err != nil {
		return fmt.Errorf("postgres: schema table: %w", err)
	}
	var cur int
	if err := c.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM wslocal_schema`).Scan(&cur); err != nil {
		return err
	}
	if err := migrate.CheckCurrent("postgres", cur, len(ms)); err != nil {
		return err
	}
	for _, m := range ms[cur:] {
		tx, err := c.Begin(ctx)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			tx.Rollback(ctx) //nolint:errcheck // the migration error matters more
			return fmt.Errorf("postgres: migration %s: %w", m.Name, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM wslocal_schema; INSERT INTO wslocal_schema VALUES (`+strconv.Itoa(m.Version)+`)`); err != nil {
			tx.Rollback(ctx) //nolint:errcheck
			return err
		}
		if err := tx.Commit(ctx); err != nil {
			return err
		}
	}
	return nil
}
