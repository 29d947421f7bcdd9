package postgres

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fatora-oss/fatora/migration"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLock is the first key of the transaction-level advisory lock
// that makes servers starting at once apply migrations in turn. The second
// key is the oid of the schema the tables are created in, so stores in
// different schemas of one database (as in tests) do not wait for each
// other.
const migrationLock int32 = 0x6661746f // "fato"

// migrate applies, in order, every migration not yet recorded, each in its
// own transaction.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return apply(ctx, tx, m) }); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// apply runs m in tx unless it is recorded. It first takes the advisory
// lock, held until tx ends, so that the check below sees every migration
// another server committed before this one got the lock (each statement of
// a READ COMMITTED transaction reads a new snapshot). The configured
// statement timeout does not apply: waiting for another server's migration
// or building an index may take longer; ctx bounds the wait.
func apply(ctx context.Context, tx pgx.Tx, m migration.Migration) error {
	if _, err := tx.Exec(ctx, "SET LOCAL statement_timeout = 0"); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1,
		coalesce((SELECT oid::int FROM pg_namespace WHERE nspname = current_schema()), 0))`, migrationLock)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return err
	}
	var done bool
	err = tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)", m.Version).Scan(&done)
	if err != nil || done {
		return err
	}
	if _, err := tx.Exec(ctx, m.SQL); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.Version, m.Name)
	return err
}

// loadMigrations reads the embedded migration files in version order.
func loadMigrations() ([]migration.Migration, error) {
	return migration.Load(migrationFiles, "migrations")
}
