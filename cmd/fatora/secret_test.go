package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// getClients calls GET /v1/clients with a bearer token and returns the
// status.
func (ts *testServer) getClients(t testing.TB, bearer string) int {
	t.Helper()
	return ts.do(t, http.MethodGet, "/v1/clients", "", "Authorization", "Bearer "+bearer).status
}

// TestSecretRotate: after fatora secret rotate, a server started since
// signs with the new secret and one started before accepts its tokens at
// once (it reads the secrets when a token names one it does not know);
// tokens of the previous secret still work on both until fatora secret
// revoke-previous.
func TestSecretRotate(t *testing.T) {
	dsn, _ := testDB(t)
	key := createMerchant(t, dsn, "shop@example.com").key(t, "test").APIKey
	before := startTestServer(t, dsn)
	old := before.authorize(t, key)

	out := mustRun(t, "secret", "rotate", "--db", dsn)
	if !strings.Contains(out, "New signing secret") {
		t.Errorf("secret rotate printed %q", out)
	}
	after := startTestServer(t, dsn)
	fresh := after.authorize(t, key)
	if kid(t, fresh) == kid(t, old) {
		t.Fatal("the server started after the rotation signs with the old secret")
	}
	for _, s := range []*testServer{before, after} {
		for name, bearer := range map[string]string{"previous secret's": old, "new secret's": fresh} {
			if got := s.getClients(t, bearer); got != http.StatusOK {
				t.Errorf("%s token on a server: %d, want 200", name, got)
			}
		}
	}

	mustRun(t, "secret", "revoke-previous", "--db", dsn)
	for _, s := range []*testServer{before, after} {
		if err := s.reloadSecrets(context.Background()); err != nil { // what the servers do every 10s
			t.Fatal(err)
		}
		if got := s.getClients(t, old); got != http.StatusUnauthorized {
			t.Errorf("the revoked secret's token: %d, want 401", got)
		}
		if got := s.getClients(t, fresh); got != http.StatusOK {
			t.Errorf("the current secret's token: %d, want 200", got)
		}
	}
}

// kid returns the kid of a token's header.
func kid(t testing.TB, raw string) string {
	t.Helper()
	header, _, _ := strings.Cut(raw, ".")
	var h struct{ Kid string }
	decodeSegment(t, header, &h)
	return h.Kid
}

// TestSigningSecretFile: with --signing-secret-file the server signs with
// the file's first line and accepts the others; fatora secret rotate and
// revoke-previous edit the file, which stays 0600.
func TestSigningSecretFile(t *testing.T) {
	dsn, _ := testDB(t)
	key := createMerchant(t, dsn, "shop@example.com").key(t, "test").APIKey
	file := filepath.Join(t.TempDir(), "secrets")
	mustRun(t, "secret", "rotate", "--signing-secret-file", file)
	s, err := newTestServerWith(t, serverConfig{addr: "127.0.0.1:0", db: dsn, tokenTTL: time.Hour, secretFile: file})
	if err != nil {
		t.Fatal(err)
	}
	old := s.authorize(t, key)
	if !strings.HasPrefix(kid(t, old), "file-") {
		t.Errorf("kid %q: the token is not signed with the file's secret", kid(t, old))
	}

	mustRun(t, "secret", "rotate", "--signing-secret-file", file)
	if err := s.reloadSecrets(context.Background()); err != nil {
		t.Fatal(err)
	}
	fresh := s.authorize(t, key)
	if kid(t, fresh) == kid(t, old) || s.getClients(t, old) != http.StatusOK || s.getClients(t, fresh) != http.StatusOK {
		t.Fatalf("after rotating the file: kids %s and %s; want both tokens accepted", kid(t, old), kid(t, fresh))
	}

	mustRun(t, "secret", "revoke-previous", "--signing-secret-file", file)
	if err := s.reloadSecrets(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s.getClients(t, old) != http.StatusUnauthorized || s.getClients(t, fresh) != http.StatusOK {
		t.Error("after revoke-previous: want the old token refused and the new one accepted")
	}
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("secret file mode %v (%v), want 600", info.Mode(), err)
	}
	if err := os.WriteFile(file, []byte("too short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.reloadSecrets(context.Background()); err == nil || s.getClients(t, fresh) != http.StatusOK {
		t.Errorf("a file with a short secret: %v; want an error and the secrets in use kept", err)
	}
}
