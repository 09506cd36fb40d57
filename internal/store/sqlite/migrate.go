package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"

	"github.com/workspaces-local/workspaces-local/internal/store/migrate"
)

// migrationFiles holds the schema as numbered scripts, NNN_name.sql. Script N
// takes the database from PRAGMA user_version N-1 to N.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// loadMigrations returns the embedded scripts in version order.
func loadMigrations() ([]migrate.Script, error) {
	return migrate.Load(migrationFiles, "migrations", "sqlite")
}

// migrateSchema applies the scripts db has not seen yet, each in its own
// transaction together with the user_version bump that records it.
func migrateSchema(ctx context.Context, db *sql.DB) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := apply(ctx, db, m, len(ms)); err != nil {
			return err
		}
	}
	return nil
}

// apply runs m unless the database is already at or past its version. latest
// is the newest version this binary knows.
func apply(ctx context.Context, db *sql.DB, m migrate.Script, latest int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var cur int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
		return err
	}
	if err := migrate.CheckCurrent("sqlite", cur, latest); err != nil || cur >= m.Version {
		return err
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
	}
	// PRAGMA takes no bound parameters; m.Version is an int.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.Version)); err != nil {
		return err
	}
	return tx.Commit()
}
