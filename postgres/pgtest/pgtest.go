// Package pgtest gives tests a fresh PostgreSQL schema on the server named
// by the FATORA_TEST_POSTGRES environment variable, and skips them when it
// is unset. It is kept apart from package postgres so that the program does
// not link the testing package.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvVar names the environment variable that holds the DSN of the
// PostgreSQL server tests run against, such as
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const EnvVar = "FATORA_TEST_POSTGRES"

// DSN creates a fresh, empty schema on the test server, drops it when
// t ends, and returns a DSN whose search_path is that schema. It skips t
// when EnvVar is unset. Anything opened on the DSN must be closed
// before t's cleanup runs.
func DSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvVar)
	if base == "" {
		t.Skip(EnvVar + " is not set; skipping PostgreSQL tests")
	}
	schema := "fatora_test_" + randomHex()
	ident := pgx.Identifier{schema}.Sanitize()
	adminExec(t, base, "CREATE SCHEMA "+ident)
	t.Cleanup(func() { adminExec(t, base, "DROP SCHEMA "+ident+" CASCADE") })
	return WithParam(base, "search_path", schema)
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

// adminExec runs sql on its own connection to the server at dsn.
func adminExec(t testing.TB, dsn, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvVar, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// randomHex returns 16 random lowercase hex digits.
func randomHex() string {
	b := make([]byte, 8)
	rand.Read(b) // never fails
	return hex.EncodeToString(b)
}
