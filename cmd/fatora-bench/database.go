package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// database is where the started server keeps its data.
type database struct {
	dsn  string
	name string       // for the report, without a password
	drop func() error // removes what the bench made; nil if nothing
}

// prepareDatabase resolves --db: "temp" is a SQLite file in dir (removed
// with dir), sqlite:PATH is used as it is, and a postgres:// URL gets a
// fresh schema, dropped at the end.
func prepareDatabase(ctx context.Context, spec, dir string) (*database, error) {
	switch {
	case spec == "" || spec == "temp":
		path := "sqlite:" + filepath.Join(dir, "bench.db")
		return &database{dsn: path, name: path + " (temporary)"}, nil
	case strings.HasPrefix(spec, "sqlite:"):
		return &database{dsn: spec, name: spec}, nil
	case strings.HasPrefix(spec, "postgres://") || strings.HasPrefix(spec, "postgresql://"):
		return postgresSchema(ctx, spec)
	}
	return nil, fmt.Errorf("--db %q: want temp, sqlite:PATH or a postgres:// URL", spec)
}

// postgresSchema creates the schema bench_<random> and returns a DSN whose
// search_path is that schema.
func postgresSchema(ctx context.Context, base string) (*database, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("--db: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	ident := pgx.Identifier{schema}.Sanitize()
	if err := pgExec(ctx, base, "CREATE SCHEMA "+ident); err != nil {
		return nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	drop := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return pgExec(ctx, base, "DROP SCHEMA "+ident+" CASCADE")
	}
	return &database{dsn: u.String(), name: u.Redacted() + " (schema " + schema + ")", drop: drop}, nil
}

// pgExec runs one statement on its own connection.
func pgExec(ctx context.Context, dsn, sql string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}
