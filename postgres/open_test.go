package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/internal/testenv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/fatora-oss/fatora"
)

// TestConcurrentOpen starts several stores on one empty schema at once:
// the advisory lock must let every Open succeed and apply each migration
// exactly once.
func TestConcurrentOpen(t *testing.T) {
	dsn := testenv.PostgresSchema(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			db, err := Open(t.Context(), dsn, Options{})
			if err == nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
		}
	}
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	var rows, versions int
	queryOne(t, dsn, "SELECT count(*), count(DISTINCT version) FROM schema_migrations", &rows, &versions)
	if rows != len(ms) || versions != len(ms) {
		t.Errorf("schema_migrations has %d rows for %d versions, want %d of each", rows, versions, len(ms))
	}
}

// TestRefusesAsyncCommit checks that Open will not run where a commit could
// return before its WAL is flushed.
func TestRefusesAsyncCommit(t *testing.T) {
	dsn := testenv.PostgresSchema(t)
	for _, setting := range []string{"off", "local"} {
		db, err := Open(t.Context(), testenv.WithParam(dsn, "synchronous_commit", setting), Options{})
		if err == nil {
			db.Close()
			t.Errorf("Open with synchronous_commit=%s succeeded, want an error", setting)
		} else if !strings.Contains(err.Error(), "synchronous_commit") {
			t.Errorf("Open with synchronous_commit=%s: %v, want an error naming synchronous_commit", setting, err)
		}
	}
}

// TestOptions checks the runtime parameters and pool size Open sets, and
// that a statement the server cancels for running too long is unavailable.
func TestOptions(t *testing.T) {
	db, err := Open(t.Context(), testenv.PostgresSchema(t), Options{MaxConns: 2, StatementTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := db.pool.Config().MaxConns; got != 2 {
		t.Errorf("MaxConns = %d, want 2", got)
	}
	var sync, timeout, jit string
	err = db.pool.QueryRow(t.Context(), "SELECT current_setting('synchronous_commit'), current_setting('statement_timeout'), current_setting('jit')").
		Scan(&sync, &timeout, &jit)
	if err != nil || sync != "on" || timeout != "200ms" || jit != "off" {
		t.Errorf("synchronous_commit=%q statement_timeout=%q jit=%q (%v), want on, 200ms and off", sync, timeout, jit, err)
	}
	_, err = db.pool.Exec(t.Context(), "SELECT pg_sleep(2)")
	if code := fatora.ErrorCode(mapError(err)); code != fatora.CodeUnavailable {
		t.Errorf("statement timeout maps to %s (%v), want unavailable", code, err)
	}
}

// TestPoolMakesRoomForSearches: SearchConns adds to pgx's default pool;
// MaxConns or the DSN's pool_max_conns sets it instead.
func TestPoolMakesRoomForSearches(t *testing.T) {
	dsn := testenv.PostgresSchema(t)
	byDefault, err := poolConfig(dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dsn  string
		opts Options
		want int32
	}{
		{dsn, Options{SearchConns: 3}, byDefault.MaxConns + 3},
		{dsn, Options{SearchConns: 3, MaxConns: 2}, 2},
		{testenv.WithParam(dsn, "pool_max_conns", "5"), Options{SearchConns: 3}, 5},
	}
	for _, tt := range tests {
		db, err := Open(t.Context(), tt.dsn, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := db.pool.Config().MaxConns; got != tt.want {
			t.Errorf("%+v: MaxConns %d, want %d", tt.opts, got, tt.want)
		}
		db.Close()
	}
}

func TestMapError(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, refused := pgx.Connect(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=5")
	tests := []struct {
		err  error
		want string
	}{
		{pgx.ErrNoRows, fatora.CodeNotFound},
		{fmt.Errorf("scan: %w", pgx.ErrNoRows), fatora.CodeNotFound},
		{context.DeadlineExceeded, fatora.CodeUnavailable},
		{refused, fatora.CodeUnavailable},
		{io.ErrUnexpectedEOF, fatora.CodeUnavailable},
		{&pgconn.PgError{Code: "08006"}, fatora.CodeUnavailable},
		{&pgconn.PgError{Code: "53300"}, fatora.CodeUnavailable},
		{&pgconn.PgError{Code: "57P01"}, fatora.CodeUnavailable},
		{&pgconn.PgError{Code: "57P03"}, fatora.CodeUnavailable},
		{&pgconn.PgError{Code: "57014"}, fatora.CodeUnavailable},
		{&pgconn.PgError{Code: "40001"}, fatora.CodeUnavailable},
		{&pgconn.PgError{Code: "40P01"}, fatora.CodeUnavailable},
		{&pgconn.PgError{Code: "23505"}, fatora.CodeInternal},
		{&pgconn.PgError{Code: "42P01"}, fatora.CodeInternal},
		{errors.New("boom"), fatora.CodeInternal},
	}
	for _, tt := range tests {
		got := mapError(tt.err)
		if code := fatora.ErrorCode(got); code != tt.want {
			t.Errorf("mapError(%v) = %v, want code %s", tt.err, got, tt.want)
		}
		if !errors.Is(got, tt.err) && tt.want != fatora.CodeNotFound {
			t.Errorf("mapError(%v) = %v, which does not wrap the cause", tt.err, got)
		}
	}
	if mapError(nil) != nil {
		t.Error("mapError(nil) != nil")
	}
}

// queryOne scans the one row of query, run on its own connection to dsn.
func queryOne(t testing.TB, dsn, query string, dest ...any) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := conn.QueryRow(t.Context(), query).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
