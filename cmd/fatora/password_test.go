package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora/internal/testenv"
)

// TestDatabasePasswordNeverLogged serves on PostgreSQL (trust auth: any
// password is let in) with a password in the user part and in the query,
// and checks no log line holds either; an unreachable server's error
// holds none either.
func TestDatabasePasswordNeverLogged(t *testing.T) {
	base := testenv.PostgresSchema(t)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "s3cret-user-pw")
	inUser := u.String()
	inQuery := testenv.WithParam(base, "password", "s3cret-query-pw")
	for i, dsn := range []string{inUser, inQuery} {
		email := fmt.Sprintf("shop%d@example.com", i)
		m := createMerchant(t, dsn, email)
		key := m.key(t, "test").APIKey
		ts, logs, stop := startServeCommand(t, "--db", dsn, "--drain", "0s")
		ts.authorize(t, key)
		wantStatus(t, ts.do(t, http.MethodGet, "/readyz", ""), http.StatusOK)
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		if got := logs.String(); strings.Contains(got, "s3cret") || !strings.Contains(got, `"msg":"listening"`) {
			t.Errorf("the log holds a password (or no listening line):\n%s", got)
		}
		if _, _, err := runFatora(t, "merchant", "create", "--name", "Other", "--email", email, "--db", dsn); err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("a refused merchant create: %v; want an error without the password", err)
		}
	}
	var errOut bytes.Buffer
	err = run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--db",
		"postgres://app:s3cret-unreachable@127.0.0.1:1/fatora?connect_timeout=2"}, &bytes.Buffer{}, &errOut)
	if err == nil || strings.Contains(err.Error()+errOut.String(), "s3cret") {
		t.Errorf("serve on an unreachable database: %v\n%s\nwant an error without the password", err, errOut.String())
	}
}
