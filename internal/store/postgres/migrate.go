package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
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

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations returns the embedded scripts in version order, checking that
// the versions run 1, 2, 3... without gaps or duplicates.
func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("postgres: migration %q is not named NNN_name.sql", base)
		}
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("postgres: migration %q: want version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// migrate applies the scripts the database has not seen yet, each in its own
// transaction together with the version bump that records it, holding
// migrateLock throughout.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
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
	if cur > len(ms) {
		return fmt.Errorf("postgres: schema version %d is newer than this binary knows (%d)", cur, len(ms))
	}
	for _, m := range ms[cur:] {
		tx, err := c.Begin(ctx)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			tx.Rollback(ctx) //nolint:errcheck // the migration error matters more
			return fmt.Errorf("postgres: migration %s: %w", m.name, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM wslocal_schema; INSERT INTO wslocal_schema VALUES (`+strconv.Itoa(m.version)+`)`); err != nil {
			tx.Rollback(ctx) //nolint:errcheck
			return err
		}
		if err := tx.Commit(ctx); err != nil {
			return err
		}
	}
	return nil
}
