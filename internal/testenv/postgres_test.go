package testenv

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestDecidePostgres holds the rule of every PostgreSQL test: skip without
// the DSN, fail without it where PostgreSQL is required, fail when the
// server does not answer, run otherwise.
func TestDecidePostgres(t *testing.T) {
	refused := errors.New("connection refused")
	tests := []struct {
		name     string
		env      map[string]string
		first    error
		wantDSN  string
		wantSkip bool
		wantWhy  []string // each must be in the message; none means no message
	}{
		{"no DSN: skip", nil, nil, "", true, []string{PostgresEnvVar + " is not set", "skipping"}},
		{"no DSN, not required (0): skip", map[string]string{RequirePostgresEnvVar: "0"}, nil, "", true, []string{PostgresEnvVar}},
		{"no DSN, required: fail", map[string]string{RequirePostgresEnvVar: "1"}, nil, "", false,
			[]string{RequirePostgresEnvVar + "=1", PostgresEnvVar + " is not set", "must run"}},
		{"DSN, server down, required: fail", map[string]string{PostgresEnvVar: "postgres://x", RequirePostgresEnvVar: "1"}, refused, "", false,
			[]string{"does not answer", "connection refused"}},
		{"DSN, server down, not required: fail", map[string]string{PostgresEnvVar: "postgres://x"}, refused, "", false,
			[]string{PostgresEnvVar, "connection refused"}},
		{"DSN, server up: run", map[string]string{PostgresEnvVar: "postgres://x", RequirePostgresEnvVar: "1"}, nil, "postgres://x", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var used string
			v := decidePostgres(func(k string) string { return tt.env[k] }, func(dsn string) error { used = dsn; return tt.first })
			if v.dsn != tt.wantDSN || v.skip != tt.wantSkip || (v.why == "") != (len(tt.wantWhy) == 0) {
				t.Fatalf("verdict %+v, want dsn %q, skip %v, a message %v", v, tt.wantDSN, tt.wantSkip, len(tt.wantWhy) > 0)
			}
			for _, want := range tt.wantWhy {
				if !strings.Contains(v.why, want) {
					t.Errorf("message %q lacks %q", v.why, want)
				}
			}
			if wantUsed := tt.env[PostgresEnvVar]; used != wantUsed {
				t.Errorf("the server was used at %q, want %q", used, wantUsed)
			}
		})
	}
}

// recordingTB is a testing.TB whose Skip and Fatal record the message and
// end the goroutine, as the real ones do.
type recordingTB struct {
	testing.TB
	skipped, failed string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Skip(args ...any) { r.skipped = fmt.Sprint(args...); runtime.Goexit() }

func (r *recordingTB) Fatal(args ...any) { r.failed = fmt.Sprint(args...); runtime.Goexit() }

// runHelper runs usePostgres on a recordingTB with env as the environment.
func runHelper(env map[string]string) (*recordingTB, string) {
	tb := &recordingTB{}
	var dsn string
	done := make(chan struct{})
	go func() {
		defer close(done)
		dsn = usePostgres(tb, func(k string) string { return env[k] }, func(string) error { return nil })
	}()
	<-done
	return tb, dsn
}

// TestUsePostgresSkipsOrFails checks that the verdict reaches the test:
// t.Skip on a laptop without PostgreSQL, t.Fatal in CI.
func TestUsePostgresSkipsOrFails(t *testing.T) {
	if tb, _ := runHelper(nil); tb.skipped == "" || tb.failed != "" || !strings.Contains(tb.skipped, PostgresEnvVar) {
		t.Errorf("without %s: skipped %q, failed %q; want a skip naming it", PostgresEnvVar, tb.skipped, tb.failed)
	}
	if tb, _ := runHelper(map[string]string{RequirePostgresEnvVar: "1"}); tb.failed == "" || tb.skipped != "" {
		t.Errorf("with %s=1 alone: skipped %q, failed %q; want a failure", RequirePostgresEnvVar, tb.skipped, tb.failed)
	}
	tb, dsn := runHelper(map[string]string{PostgresEnvVar: "postgres://x"})
	if tb.failed != "" || tb.skipped != "" || dsn != "postgres://x" {
		t.Errorf("with a server: skipped %q, failed %q, dsn %q; want the test to run on postgres://x", tb.skipped, tb.failed, dsn)
	}
}

// TestPostgresSchema checks that a test gets a schema of its own, as its
// search_path, and that the schema is gone once the test ends.
func TestPostgresSchema(t *testing.T) {
	base := PostgresURL(t)
	var schema string
	t.Run("inside", func(t *testing.T) {
		dsn := PostgresSchema(t)
		conn, err := pgx.Connect(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(t.Context())
		if err := conn.QueryRow(t.Context(), "SELECT current_schema()").Scan(&schema); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(schema, "fatora_test_") {
			t.Errorf("current_schema() = %q, want a fatora_test_ schema", schema)
		}
	})
	conn, err := pgx.Connect(t.Context(), base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var n int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if schema == "" || n != 0 {
		t.Errorf("schema %q: %d left after its test, want it dropped", schema, n)
	}
}

func TestWithParam(t *testing.T) {
	tests := []struct{ dsn, want string }{
		{"postgres://u@h:5432/db?sslmode=disable", "postgres://u@h:5432/db?search_path=s&sslmode=disable"},
		{"postgresql://u@h/db", "postgresql://u@h/db?search_path=s"},
		{"host=h user=u dbname=db", "host=h user=u dbname=db search_path=s"},
	}
	for _, tt := range tests {
		if got := WithParam(tt.dsn, "search_path", "s"); got != tt.want {
			t.Errorf("WithParam(%q) = %q, want %q", tt.dsn, got, tt.want)
		}
	}
}
