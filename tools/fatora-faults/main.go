// Package main is command fatora-faults, a fault-injection check in the
// style of Jepsen's set test: it proves that a 201 from fatora is never lost,
// duplicated or leaked to another merchant while the server is killed with
// SIGKILL every few seconds (and, on PostgreSQL, the database is restarted
// with -m immediate).
//
//	fatora-faults --store sqlite|postgres [--duration 60s] [--workers 16]
//	    [--kill-every 3s] [--pg-restart-every 15s] [--bin PATH] [--pg URL] [--webhooks]
//
// Workers create uniquely named clients, each request with its own
// Idempotency-Key, and record every answer as acknowledged (201), refused (a
// definite 4xx) or indeterminate (no answer, 5xx, 408, 429, 409 in
// progress). After the run every indeterminate request is retried with its
// own key until it gets a definite answer; then every client of each
// merchant is read back and compared with what was acknowledged. On SQLite
// the database file must also pass PRAGMA integrity_check.
//
// It exits 0 when nothing is lost, duplicated, unexpected or unresolved, 1
// when something is, and 2 when the check could not run.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/fatora-oss/fatora/internal/testenv"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := parseConfig(os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(2)
	}
	res, err := run(ctx, cfg, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fatora-faults:", err)
		os.Exit(2)
	}
	if res.failed() {
		os.Exit(1)
	}
}

// parseConfig reads the command line.
func parseConfig(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("fatora-faults", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.store, "store", "sqlite", "the store under test: sqlite or postgres")
	fs.DurationVar(&c.duration, "duration", 60*time.Second, "how long workers create clients under faults")
	fs.IntVar(&c.workers, "workers", 16, "concurrent workers")
	fs.DurationVar(&c.killEvery, "kill-every", 3*time.Second, "SIGKILL and restart the server this often")
	fs.DurationVar(&c.pgRestartEvery, "pg-restart-every", 15*time.Second, "postgres: restart PostgreSQL with -m immediate this often (0: never)")
	fs.StringVar(&c.bin, "bin", "", "the fatora binary (default: build ./cmd/fatora)")
	fs.BoolVar(&c.webhooks, "webhooks", false, "also check webhooks: every committed client's event delivered, none for a client that is not")
	fs.StringVar(&c.pg, "pg", envOr(testenv.PostgresEnvVar, testenv.ExamplePostgresDSN), "postgres: the database to make a schema in")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if err := c.validate(); err != nil {
		fmt.Fprintln(stderr, "fatora-faults:", err)
		return c, err
	}
	return c, nil
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
