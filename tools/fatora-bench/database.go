package main

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/fatora-oss/fatora/internal/testenv"
)

// database is where the started server keeps its data.
type database struct {
	dsn  string
	name string       // for the report, without a password
	drop func() error // removes what the bench made; nil if nothing
}

// prepareDatabase resolves --db: "temp" is a SQLite file in dir (removed
// with dir), sqlite:PATH is used as it is, and a postgres:// URL gets a
// fresh schema, dropped at the end, unless it names a schema already
// (search_path, as a kept run prints it).
func prepareDatabase(ctx context.Context, spec, dir string) (*database, error) {
	switch {
	case spec == "" || spec == "temp":
		path := "sqlite:" + filepath.Join(dir, "bench.db")
		return &database{dsn: path, name: path + " (temporary)"}, nil
	case strings.HasPrefix(spec, "sqlite:"):
		return &database{dsn: spec, name: spec}, nil
	case (strings.HasPrefix(spec, "postgres://") || strings.HasPrefix(spec, "postgresql://")) && strings.Contains(spec, "search_path="):
		return &database{dsn: spec, name: spec}, nil // a schema kept by an earlier run (--keep)
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
	s, err := testenv.NewSchema(ctx, base, "bench_")
	if err != nil {
		return nil, err
	}
	drop := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return s.Drop(ctx)
	}
	return &database{dsn: s.DSN, name: u.Redacted() + " (schema " + s.Name + ", --db " + testenv.WithParam(u.Redacted(), "search_path", s.Name) + ")", drop: drop}, nil
}
