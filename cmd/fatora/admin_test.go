package main

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMissingDatabase: merchant create makes a new SQLite database and
// says where; every other admin command refuses one that does not exist,
// naming the path it looked for, and makes nothing.
func TestMissingDatabase(t *testing.T) {
	for _, args := range [][]string{
		{"merchant", "list"}, {"merchant", "disable", "--merchant", "10001"}, {"merchant", "enable", "--merchant", "10001"},
		{"key", "list"}, {"key", "create", "--merchant", "10001", "--mode", "test"},
		{"key", "revoke", "--merchant", "10001", "--id", "x"}, {"key", "rotate", "--merchant", "10001", "--id", "x"},
	} {
		dsn, path := testDB(t)
		_, _, err := runFatora(t, append(args, "--db", dsn)...)
		if err == nil || !strings.Contains(err.Error(), "no database at "+path) {
			t.Errorf("fatora %s on a missing database: %v; want an error naming %s", strings.Join(args, " "), err, path)
		}
		if _, serr := os.Stat(path); !errors.Is(serr, os.ErrNotExist) {
			t.Errorf("fatora %s made the database", strings.Join(args, " "))
		}
	}

	dir := t.TempDir()
	t.Chdir(dir) // a relative --db is reported by its absolute path
	out, stderr, err := runFatora(t, "merchant", "create", "--name", "Shop", "--email", "shop@example.com", "--db", "sqlite:new.db")
	want := "Created a new database at " + filepath.Join(dir, "new.db") + ".\n"
	if err != nil || stderr != want || !strings.Contains(out, "Merchant 10001 created") {
		t.Fatalf("merchant create on a new database: %v\nstderr %q, want %q\nstdout %s", err, stderr, want, out)
	}
	_, stderr, err = runFatora(t, "merchant", "create", "--name", "Shop 2", "--email", "shop2@example.com", "--db", "sqlite:new.db")
	if err != nil || stderr != "" {
		t.Errorf("merchant create on the existing database: %v, stderr %q; want no word of a new one", err, stderr)
	}
}

// TestDatabaseNameSuggestions: a --db that is neither sqlite: nor
// postgres:// gets the likely intent, never repeating a password.
func TestDatabaseNameSuggestions(t *testing.T) {
	t.Parallel()
	tests := []struct{ db, want string }{
		{"fatora2.db", "did you mean sqlite:fatora2.db?"},
		{"/var/lib/fatora/fatora.db", "did you mean sqlite:/var/lib/fatora/fatora.db?"},
		{"sqlite3:fatora.db", "did you mean sqlite:fatora.db?"},
		{"sqlite://data/fatora.db", "did you mean sqlite:data/fatora.db?"},
		{"sqlite:", "sqlite:PATH"},
		{"host=db user=app password=s3cret-pw dbname=fatora", "did you mean a PostgreSQL URL"},
		{"postgres:app:s3cret-pw@db/fatora", "did you mean a PostgreSQL URL"},
		{"mysql://app:s3cret-pw@db/fatora", "did you mean a PostgreSQL URL"},
	}
	for _, tt := range tests {
		_, _, err := runFatora(t, "merchant", "list", "--db", tt.db)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "s3cret-pw") {
			t.Errorf("--db %q: %v; want %q and no password", tt.db, err, tt.want)
		}
	}
}

// TestRedactDSN: a password never leaves redactDSN or scrubPasswords, in
// any of the forms a DSN carries it.
func TestRedactDSN(t *testing.T) {
	for _, dsn := range []string{
		"postgres://app:s3cret-pw@db:5432/fatora?sslmode=require",
		"postgres://app@db:5432/fatora?password=s3cret-pw&sslmode=require",
		"postgresql://app@db/fatora?sslpassword=s3cret-pw",
		"postgres://app:s3cret%2Dpw@db/fatora",
		"host=db password='s3cret-pw' dbname=fatora",
	} {
		if got := redactDSN(dsn); strings.Contains(got, "s3cret") {
			t.Errorf("redactDSN(%q) = %q", dsn, got)
		}
		err := scrubPasswords(errors.New("cannot connect with "+dsn+" (password s3cret-pw)"), dsn)
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("scrubPasswords kept the password: %v", err)
		}
	}
	if got := redactDSN("postgres://app@db/fatora?sslmode=require"); got != "postgres://app@db/fatora?sslmode=require" {
		t.Errorf("a DSN without a password became %q", got)
	}
}

// TestMerchantAndKeyLists: merchant list (status, active keys), key list
// without --merchant (every merchant's keys, last use), --json for both.
func TestMerchantAndKeyLists(t *testing.T) {
	t.Parallel()
	dsn, _ := testDB(t)
	a := createMerchant(t, dsn, "a@example.com")
	b := createMerchant(t, dsn, "b@example.com")
	mustRun(t, "merchant", "disable", "--merchant", b.Number, "--db", dsn)
	mustRun(t, "key", "revoke", "--merchant", a.Number, "--id", a.key(t, "live").ID, "--db", dsn)

	ts := startTestServer(t, dsn)
	ts.authorize(t, a.key(t, "test").APIKey)
	if err := ts.stop(); err != nil { // writes down when the key was used
		t.Fatal(err)
	}

	var ms []merchantRow
	decodeJSON(t, []byte(mustRun(t, "merchant", "list", "--db", dsn, "--json")), &ms)
	if len(ms) != 2 || ms[0].Number != a.Number || ms[0].Status != "active" || ms[0].ActiveKeys != 1 ||
		ms[1].Email != "b@example.com" || ms[1].Status != "disabled" || ms[1].ActiveKeys != 2 {
		t.Errorf("merchant list --json: %+v", ms)
	}
	text := mustRun(t, "merchant", "list", "--db", dsn)
	if !strings.Contains(text, "NUMBER") || !strings.Contains(text, "disabled") || !strings.Contains(text, "a@example.com") {
		t.Errorf("merchant list:\n%s", text)
	}

	var keys []keyJSON
	decodeJSON(t, []byte(mustRun(t, "key", "list", "--db", dsn, "--json")), &keys)
	if len(keys) != 4 {
		t.Fatalf("key list of every merchant: %d keys, want 4: %+v", len(keys), keys)
	}
	for _, k := range keys {
		wantUsed := k.ID == a.key(t, "test").ID
		if (k.LastUsedAt != "") != wantUsed || k.APIKey != "" || k.Merchant == "" {
			t.Errorf("key %+v: want a merchant number, no value, and a last use only for the key that was used", k)
		}
	}
	if text := mustRun(t, "key", "list", "--db", dsn); !strings.Contains(text, "MERCHANT") || !strings.Contains(text, "LAST USED") {
		t.Errorf("key list:\n%s", text)
	}
}

// TestKeyRotate: the new key works at once; the old one is revoked at
// once, or works until the grace period ends.
func TestKeyRotate(t *testing.T) {
	t.Parallel()
	dsn, _ := testDB(t)
	m := createMerchant(t, dsn, "shop@example.com")
	ts := startTestServer(t, dsn)

	var rot struct {
		New          keyJSON `json:"new_key"`
		OldID        string  `json:"old_key_id"`
		OldRevokedAt string  `json:"old_key_revoked_at"`
	}
	decodeJSON(t, []byte(mustRun(t, "key", "rotate", "--merchant", m.Number, "--api-key", m.key(t, "live").APIKey,
		"--grace", "2d", "--db", dsn, "--json")), &rot)
	until, err := time.Parse(time.RFC3339, rot.OldRevokedAt)
	if err != nil || rot.OldID != m.key(t, "live").ID || rot.New.Mode != "live" || !strings.HasPrefix(rot.New.APIKey, "ftr_live_") ||
		until.Before(time.Now().Add(47*time.Hour)) {
		t.Fatalf("key rotate --grace 2d: %+v", rot)
	}
	ts.authorize(t, rot.New.APIKey)
	ts.authorize(t, m.key(t, "live").APIKey) // still in its grace period

	out := mustRun(t, "key", "rotate", "--merchant", m.Number, "--id", m.key(t, "test").ID, "--db", dsn)
	if !strings.Contains(out, "is revoked") || strings.Count(out, "ftr_test_") != 1 {
		t.Errorf("key rotate without --grace printed:\n%s", out)
	}
	fresh := startTestServer(t, dsn) // no cached credential
	wantError(t, fresh.do(t, http.MethodGet, "/v1/Authorization/Authorize", "", "api_key", m.key(t, "test").APIKey), http.StatusForbidden, "key_revoked")
	if _, _, err := runFatora(t, "key", "rotate", "--merchant", m.Number, "--id", m.key(t, "test").ID, "--db", dsn); err == nil {
		t.Error("rotating a revoked key succeeded")
	}
	var keys []keyJSON
	decodeJSON(t, []byte(mustRun(t, "key", "list", "--merchant", m.Number, "--db", dsn, "--json")), &keys)
	if len(keys) != 4 {
		t.Errorf("after two rotations the merchant has %d keys, want 4", len(keys))
	}
}

// TestFirstRunSaysHowToCreateAMerchant: serve on an empty database logs,
// once, the command that makes a merchant, with the database's absolute
// path; with a merchant it says nothing of it.
func TestFirstRunSaysHowToCreateAMerchant(t *testing.T) {
	t.Parallel()
	dsn, path := testDB(t)
	ts, logs, stop := startServeCommand(t, "--db", dsn, "--drain", "0s")
	wantStatus(t, ts.do(t, http.MethodGet, "/readyz", ""), http.StatusOK)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	want := "fatora merchant create --db 'sqlite:" + path + "' --name NAME --email EMAIL"
	if got := logs.String(); strings.Count(got, "no merchant yet") != 1 || !strings.Contains(got, want) ||
		!strings.Contains(got, `"msg":"created a new database","path":"`+path+`"`) {
		t.Errorf("the first run's log lacks the hint %q once, or the new database:\n%s", want, got)
	}
	if strings.Contains(logs.String(), `"error"`) {
		t.Errorf("a clean run logged an error member:\n%s", logs.String())
	}
	createMerchant(t, dsn, "shop@example.com")
	_, logs, stop = startServeCommand(t, "--db", dsn, "--drain", "0s")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "no merchant yet") || strings.Contains(logs.String(), "created a new database") {
		t.Errorf("with a merchant the log still hints:\n%s", logs.String())
	}
}

// TestServeDefaultAddress: without --addr the server takes connections
// from this machine only.
func TestServeDefaultAddress(t *testing.T) {
	fs := newFlagSet("serve")
	serveFlags(fs)
	if got := fs.Lookup("addr").DefValue; got != "127.0.0.1:8080" {
		t.Errorf("serve --addr defaults to %q, want 127.0.0.1:8080", got)
	}
	t.Setenv("FATORA_ADDR", ":9999")
	fs = newFlagSet("serve")
	serveFlags(fs)
	if _, err := fs.parse(nil); err != nil || fs.Lookup("addr").Value.String() != ":9999" {
		t.Errorf("FATORA_ADDR=:9999 gives --addr %q (%v)", fs.Lookup("addr").Value, err)
	}
}

// TestMerchantRegion: merchant create --region, merchant update --region,
// the region in merchant list; unknown regions refused.
func TestMerchantRegion(t *testing.T) {
	t.Parallel()
	dsn, _ := testDB(t)
	if m := createMerchant(t, dsn, "qa@example.com"); m.Region != "QA" {
		t.Errorf("a merchant created without --region has region %q, want QA", m.Region)
	}
	jo := createMerchant(t, dsn, "jo@example.com", "--region", "jo")
	if jo.Region != "JO" {
		t.Errorf("merchant create --region jo: region %q, want JO", jo.Region)
	}
	mustRun(t, "merchant", "update", "--merchant", jo.Number, "--region", "SA", "--db", dsn)
	if _, _, err := runFatora(t, "merchant", "update", "--merchant", jo.Number, "--region", "ZZ", "--db", dsn); err == nil {
		t.Error("merchant update --region ZZ succeeded")
	}
	var ms []merchantRow
	decodeJSON(t, []byte(mustRun(t, "merchant", "list", "--db", dsn, "--json")), &ms)
	if len(ms) != 2 || ms[0].Region != "QA" || ms[1].Region != "SA" {
		t.Errorf("merchant list --json: %+v, want regions QA and SA", ms)
	}
}
