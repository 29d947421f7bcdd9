package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresEnvVar names the environment variable that holds the DSN of the
// PostgreSQL server tests run against, such as
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const PostgresEnvVar = "FATORA_TEST_POSTGRES"

// RequirePostgresEnvVar names the environment variable that makes a test
// needing PostgreSQL fail, instead of skip, when PostgresEnvVar is unset.
// CI sets it to 1, so that its PostgreSQL tests cannot skip unnoticed.
const RequirePostgresEnvVar = "FATORA_REQUIRE_POSTGRES"

// PostgresSchema creates a fresh, empty schema on the test server, drops it
// when t ends, and returns a DSN whose search_path is that schema. Without
// PostgresEnvVar it skips t (fails it under RequirePostgresEnvVar); a
// server that does not answer fails t. Anything opened on the DSN must be
// closed before t's cleanup runs.
func PostgresSchema(t testing.TB) string {
	t.Helper()
	var s *Schema
	usePostgres(t, os.Getenv, func(base string) (err error) {
		s, err = NewSchema(context.Background(), base, "fatora_test_")
		return err
	})
	t.Cleanup(func() {
		if err := s.Drop(context.Background()); err != nil {
			t.Errorf("dropping the test schema: %v", err)
		}
	})
	return s.DSN
}

// PostgresURL returns the DSN of the test server itself, once it has
// answered. It skips or fails t as PostgresSchema does. A test that writes
// through it must keep to a schema of its own.
func PostgresURL(t testing.TB) string {
	t.Helper()
	return usePostgres(t, os.Getenv, func(base string) error {
		return Exec(context.Background(), base, "SELECT 1")
	})
}

// usePostgres runs first, the test's first use of the server named by
// PostgresEnvVar, and returns the server's DSN, or skips or fails t as
// decidePostgres says.
func usePostgres(t testing.TB, getenv func(string) string, first func(dsn string) error) string {
	t.Helper()
	v := decidePostgres(getenv, first)
	switch {
	case v.skip:
		t.Skip(v.why)
	case v.why != "":
		t.Fatal(v.why)
	}
	return v.dsn
}

// postgresVerdict is what a test needing PostgreSQL does: run on dsn, or
// skip or fail for the reason why.
type postgresVerdict struct {
	dsn  string
	skip bool
	why  string
}

// decidePostgres is the one rule for tests needing PostgreSQL: without
// PostgresEnvVar they skip, unless RequirePostgresEnvVar asks for them, in
// which case they fail; with it, they fail when first (their first use of
// the server) does.
func decidePostgres(getenv func(string) string, first func(dsn string) error) postgresVerdict {
	dsn := getenv(PostgresEnvVar)
	switch {
	case dsn == "" && required(getenv(RequirePostgresEnvVar)):
		return postgresVerdict{why: fmt.Sprintf("%s=%s but %s is not set: PostgreSQL tests must run here; set it to a server's DSN, such as %s",
			RequirePostgresEnvVar, getenv(RequirePostgresEnvVar), PostgresEnvVar, ExamplePostgresDSN)}
	case dsn == "":
		return postgresVerdict{skip: true, why: fmt.Sprintf("%s is not set: skipping this PostgreSQL test (set it to a server's DSN, such as %s, to run it)",
			PostgresEnvVar, ExamplePostgresDSN)}
	}
	if err := first(dsn); err != nil {
		return postgresVerdict{why: fmt.Sprintf("the PostgreSQL server of %s does not answer as it should: %v", PostgresEnvVar, err)}
	}
	return postgresVerdict{dsn: dsn}
}

// ExamplePostgresDSN is the test server of the development machine and CI.
const ExamplePostgresDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// required reads RequirePostgresEnvVar: set to anything but "", "0" or
// "false" asks for the PostgreSQL tests.
func required(v string) bool {
	return v != "" && v != "0" && !strings.EqualFold(v, "false")
}

// Schema is a throwaway schema on a PostgreSQL server, for a test or a
// tool's run.
type Schema struct {
	// Name is the schema's name.
	Name string
	// DSN is the server's DSN with search_path set to the schema.
	DSN  string
	base string
}

// NewSchema creates a schema named prefix followed by 16 random hex digits
// on the server at base.
func NewSchema(ctx context.Context, base, prefix string) (*Schema, error) {
	s := &Schema{Name: prefix + randomHex(8), base: base}
	if err := Exec(ctx, base, "CREATE SCHEMA "+pgx.Identifier{s.Name}.Sanitize()); err != nil {
		return nil, err
	}
	s.DSN = WithParam(base, "search_path", s.Name)
	return s, nil
}

// Drop drops the schema and everything in it.
func (s *Schema) Drop(ctx context.Context) error {
	return Exec(ctx, s.base, "DROP SCHEMA "+pgx.Identifier{s.Name}.Sanitize()+" CASCADE")
}

// Exec runs sql on a connection of its own to the server at dsn, within
// 30 seconds.
func Exec(ctx context.Context, dsn, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
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

// WithParam returns dsn with the connection parameter key set to value. It
// handles both DSN forms: a postgres:// URL gets a query parameter, a
// keyword=value string another pair. value must need no quoting.
func WithParam(dsn, key, value string) string {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return dsn + " " + key + "=" + value
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// randomHex returns 2n random lowercase hex digits.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails
	return hex.EncodeToString(b)
}
