package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/apitest"
	"github.com/fatora-oss/fatora/sqlite"
)

// fatoraSampleKey is the API key of Fatora's documentation.
const fatoraSampleKey = "E4B73FEE-F492-4607-A38D-852B0EBC91C9"

// TestKeyCommands rotates keys and disables a merchant with the commands
// while a server runs on the same database, and checks Authorize follows.
func TestKeyCommands(t *testing.T) {
	t.Parallel()
	dsn, _ := testDB(t)
	m := createMerchant(t, dsn, "shop@example.com")
	ts := startTestServer(t, dsn)

	var k keyJSON
	decodeJSON(t, []byte(mustRun(t, "key", "create", "--merchant", m.Number, "--mode", "live", "--db", dsn, "--json")), &k)
	if k.Mode != "live" || k.ID == "" || !strings.HasPrefix(k.APIKey, "ftr_live_") || !strings.HasPrefix(k.APIKey, k.Prefix) || k.Prefix == "" {
		t.Fatalf("key create printed %+v; want a live key with an id, its value and its prefix", k)
	}
	newTok := ts.authorize(t, k.APIKey)

	var listed []keyJSON
	decodeJSON(t, []byte(mustRun(t, "key", "list", "--merchant", m.Number, "--db", dsn, "--json")), &listed)
	want := []keyJSON{m.key(t, "test"), m.key(t, "live"), k}
	for i := range want {
		want[i].APIKey = "" // never shown again
	}
	// The merchant's first two keys are as old as each other; the new one is last.
	byID := cmpopts.SortSlices(func(a, b keyJSON) bool { return a.ID < b.ID })
	if diff := cmp.Diff(want, listed, byID); diff != "" {
		t.Fatalf("key list (-want +got):\n%s", diff)
	}
	if listed[2].ID != k.ID {
		t.Errorf("key list ends with %s, want the newest key %s", listed[2].ID, k.ID)
	}

	mustRun(t, "key", "revoke", "--merchant", m.Number, "--id", k.ID, "--db", dsn)
	wantError(t, ts.do(t, http.MethodGet, "/v1/Authorization/Authorize", "", "api_key", k.APIKey), http.StatusForbidden, "key_revoked")
	// A server that has not cached the key refuses tokens issued from it at once.
	fresh := startTestServer(t, dsn)
	wantError(t, fresh.do(t, http.MethodGet, "/v1/clients", "", "Authorization", "Bearer "+newTok), http.StatusForbidden, "key_revoked")
	decodeJSON(t, []byte(mustRun(t, "key", "list", "--merchant", m.Number, "--db", dsn, "--json")), &listed)
	if len(listed) != 3 || listed[2].RevokedAt == "" || listed[0].RevokedAt != "" || listed[1].RevokedAt != "" {
		t.Errorf("key list after revoking %s: %+v; want only that key revoked", k.ID, listed)
	}

	live := m.key(t, "live").APIKey
	mustRun(t, "key", "revoke", "--merchant", m.Number, "--api-key", live, "--db", dsn)
	wantError(t, ts.do(t, http.MethodGet, "/v1/Authorization/Authorize", "", "api_key", live), http.StatusForbidden, "key_revoked")

	test := m.key(t, "test").APIKey
	mustRun(t, "merchant", "disable", "--merchant", m.Number, "--db", dsn)
	wantError(t, ts.do(t, http.MethodGet, "/v1/Authorization/Authorize", "", "api_key", test), http.StatusForbidden, "merchant_disabled")
	mustRun(t, "merchant", "enable", "--merchant", m.Number, "--db", dsn)
	ts.authorize(t, test)
}

// TestKeyCommandsStayWithinTheMerchant checks that one merchant's number
// cannot revoke, list or duplicate another merchant's keys.
func TestKeyCommandsStayWithinTheMerchant(t *testing.T) {
	t.Parallel()
	dsn, _ := testDB(t)
	a := createMerchant(t, dsn, "a@example.com")
	b := createMerchant(t, dsn, "b@example.com", "--api-key", fatoraSampleKey, "--mode", "test")
	bKey := b.key(t, "test")
	refused := [][]string{
		{"key", "revoke", "--merchant", a.Number, "--id", bKey.ID},
		{"key", "revoke", "--merchant", a.Number, "--api-key", fatoraSampleKey},
		{"key", "create", "--merchant", a.Number, "--mode", "live", "--api-key", fatoraSampleKey},
		{"key", "create", "--merchant", "99999", "--mode", "live"},
		{"key", "list", "--merchant", "99999"},
		{"merchant", "disable", "--merchant", "99999"},
	}
	for _, args := range refused {
		if out, _, err := runFatora(t, append(args, "--db", dsn)...); err == nil {
			t.Errorf("fatora %s succeeded: %s", strings.Join(args, " "), out)
		}
	}
	var listed []keyJSON
	decodeJSON(t, []byte(mustRun(t, "key", "list", "--merchant", a.Number, "--db", dsn, "--json")), &listed)
	for _, k := range listed {
		if k.ID == bKey.ID {
			t.Errorf("merchant %s lists merchant %s's key %s", a.Number, b.Number, k.ID)
		}
	}
	if len(listed) != 2 {
		t.Errorf("merchant %s has %d keys, want 2: %+v", a.Number, len(listed), listed)
	}
	startTestServer(t, dsn).authorize(t, fatoraSampleKey)
}

// TestMerchantCreateWithFatoraKey brings Fatora's sample key over and checks
// the token it is exchanged for, and that the key is stored only hashed.
func TestMerchantCreateWithFatoraKey(t *testing.T) {
	t.Parallel()
	dsn, path := testDB(t)
	m := createMerchant(t, dsn, "shop@example.com", "--api-key", fatoraSampleKey, "--mode", "live")
	if got := m.key(t, "live").APIKey; got != fatoraSampleKey {
		t.Fatalf("live key printed as %q, want %q", got, fatoraSampleKey)
	}
	if got := m.key(t, "test").APIKey; !strings.HasPrefix(got, "ftr_test_") {
		t.Errorf("test key %q, want a generated ftr_test_ key", got)
	}
	ts := startTestServer(t, dsn)
	tok := ts.authorize(t, fatoraSampleKey)

	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q has %d segments, want 3", tok, len(parts))
	}
	var header map[string]any
	decodeSegment(t, parts[0], &header)
	if header["alg"] != "HS256" || header["kid"] == nil || header["kid"] == "" {
		t.Errorf("token header %v, want alg HS256 and a kid", header)
	}
	var claims map[string]any
	decodeSegment(t, parts[1], &claims)
	wantText := map[string]string{"unique_name": m.Number + "-:shop@example.com", "merchant": m.Number, "mode": "live",
		"iss": tokenIssuer, "aud": tokenAudience}
	for name, want := range wantText {
		if got := claims[name]; got != want && !(name == "aud" && cmp.Equal(got, []any{want})) {
			t.Errorf("claim %s = %#v, want %q", name, got, want)
		}
	}
	guid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	if h, _ := claims["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/hash"].(string); !guid.MatchString(h) {
		t.Errorf("hash claim %#v, want a GUID", claims["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/hash"])
	}
	iat, _ := claims["iat"].(json.Number).Int64()
	nbf, _ := claims["nbf"].(json.Number).Int64()
	exp, _ := claims["exp"].(json.Number).Int64()
	if iat == 0 || nbf != iat || exp-iat != int64(time.Hour/time.Second) {
		t.Errorf("iat %d, nbf %d, exp %d; want nbf = iat and exp = iat + the 1h TTL", iat, nbf, exp)
	}

	create := ts.do(t, http.MethodPost, "/v1/clients", seedCurlBody, "Authorization", "Bearer "+tok, "Content-Type", "application/json")
	wantStatus(t, create, http.StatusCreated)
	// The api_key header alone works too, as on Fatora's older pages.
	wantStatus(t, ts.do(t, http.MethodGet, "/v1/clients", "", "api_key", fatoraSampleKey), http.StatusOK)

	files, err := filepath.Glob(path + "*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no database files at %s: %v", path, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, form := range []string{fatoraSampleKey, strings.ToLower(fatoraSampleKey), m.key(t, "test").APIKey} {
			if bytes.Contains(b, []byte(form)) {
				t.Errorf("%s contains the API key %q in plain text", filepath.Base(f), form)
			}
		}
	}
	ts.checkLogsHide(t, fatoraSampleKey, tok)
}

// TestCommandErrors checks that wrong command lines fail and change nothing.
func TestCommandErrors(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel() // a serve that wrongly starts returns at once instead of hanging
	tests := []struct {
		name string
		args []string
	}{
		{"no command", nil},
		{"unknown command", []string{"frobnicate"}},
		{"unknown subcommand", []string{"merchant", "delete"}},
		{"merchant alone", []string{"merchant"}},
		{"unknown flag", []string{"key", "list", "--merchant", "10001", "--colour"}},
		{"stray argument", []string{"key", "list", "--merchant", "10001", "extra"}},
		{"serve with a nonsense db", []string{"serve", "--addr", "127.0.0.1:0", "--db", "nonsense"}},
		{"serve with an empty sqlite path", []string{"serve", "--addr", "127.0.0.1:0", "--db", "sqlite:"}},
		{"serve with a 1s token TTL", []string{"serve", "--addr", "127.0.0.1:0", "--token-ttl", "1s"}},
		{"serve with a negative rate limit", []string{"serve", "--addr", "127.0.0.1:0", "--rate-limit", "-1"}},
		{"serve with no burst", []string{"serve", "--addr", "127.0.0.1:0", "--rate-burst", "0"}},
		{"revoke with neither id nor key", []string{"key", "revoke", "--merchant", "10001"}},
		{"revoke with both id and key", []string{"key", "revoke", "--merchant", "10001", "--id", "x", "--api-key", fatoraSampleKey}},
		{"key create without mode", []string{"key", "create", "--merchant", "10001"}},
		{"key create with a short key", []string{"key", "create", "--merchant", "10001", "--mode", "live", "--api-key", "short"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dsn, path := testDB(t)
			args := tt.args
			if !strings.Contains(strings.Join(args, " "), "--db") && len(args) > 0 {
				args = append(args, "--db", dsn)
			}
			var out, errOut bytes.Buffer
			if err := run(cancelled, args, &out, &errOut); err == nil {
				t.Fatalf("fatora %s succeeded; stdout: %s", strings.Join(args, " "), out.String())
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a failed command created the database (%v)", err)
			}
		})
	}
	t.Run("no command asks for help", func(t *testing.T) {
		if err := run(context.Background(), nil, &bytes.Buffer{}, &bytes.Buffer{}); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("run with no arguments: %v, want flag.ErrHelp", err)
		}
	})
}

// TestMerchantCreateErrors checks that a refused merchant create leaves no
// merchant behind.
func TestMerchantCreateErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		args  []string
		first bool // a valid merchant exists before
	}{
		{name: "no email", args: []string{"--name", "Shop"}},
		{name: "no name", args: []string{"--email", "shop@example.com"}},
		{name: "bad email", args: []string{"--name", "Shop", "--email", "not an address"}},
		{name: "api key without mode", args: []string{"--name", "Shop", "--email", "shop@example.com", "--api-key", fatoraSampleKey}},
		{name: "api key with a bad mode", args: []string{"--name", "Shop", "--email", "shop@example.com", "--api-key", fatoraSampleKey, "--mode", "prod"}},
		{name: "api key with a space", args: []string{"--name", "Shop", "--email", "shop@example.com", "--api-key", "E4B73FEE F492 4607 A38D", "--mode", "live"}},
		{name: "api key that can be guessed", args: []string{"--name", "Shop", "--email", "shop@example.com", "--api-key", "aaaaaaaaaaaaaaaa", "--mode", "live"}},
		{name: "api key too short to be safe", args: []string{"--name", "Shop", "--email", "shop@example.com", "--api-key", "E4B73FEE-F492-46", "--mode", "live"}},
		{name: "unknown region", args: []string{"--name", "Shop", "--email", "shop@example.com", "--region", "XX"}},
		{name: "same email twice", args: []string{"--name", "Other", "--email", "SHOP@example.com"}, first: true},
		{name: "a key already registered", args: []string{"--name", "Other", "--email", "other@example.com", "--api-key", fatoraSampleKey, "--mode", "test"}, first: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dsn, _ := testDB(t)
			wantMerchants := 0
			if tt.first {
				createMerchant(t, dsn, "shop@example.com", "--api-key", fatoraSampleKey, "--mode", "live")
				wantMerchants = 1
			}
			args := append([]string{"merchant", "create", "--db", dsn, "--json"}, tt.args...)
			if out, _, err := runFatora(t, args...); err == nil {
				t.Fatalf("fatora %s succeeded: %s", strings.Join(args, " "), out)
			}
			if got := countMerchants(t, dsn); got != wantMerchants {
				t.Errorf("%d merchants in the database, want %d", got, wantMerchants)
			}
		})
	}
}

// TestMerchantCreateModeWithoutKey gives --mode without --api-key: the
// command must either refuse or still print two usable keys, never store a
// key whose value is empty.
func TestMerchantCreateModeWithoutKey(t *testing.T) {
	t.Parallel()
	dsn, _ := testDB(t)
	out, _, err := runFatora(t, "merchant", "create", "--name", "Shop", "--email", "shop@example.com", "--mode", "live", "--db", dsn, "--json")
	if err != nil { // refusing is right, if nothing is left behind
		if got := countMerchants(t, dsn); got != 0 {
			t.Errorf("the refused merchant create left %d merchants", got)
		}
		return
	}
	var m merchantJSON
	decodeJSON(t, []byte(out), &m)
	for _, k := range m.Keys {
		if k.APIKey == "" {
			t.Errorf("merchant create --mode live (no --api-key) made a %s key with an empty value: %+v", k.Mode, k)
		}
	}
}

// TestMerchantCreateText checks the human output shows both keys once.
func TestMerchantCreateText(t *testing.T) {
	t.Parallel()
	dsn, _ := testDB(t)
	out := mustRun(t, "merchant", "create", "--name", "Shop", "--email", "shop@example.com", "--db", dsn)
	if !strings.Contains(out, "Merchant 10001 created") || strings.Count(out, "ftr_test_") != 1 || strings.Count(out, "ftr_live_") != 1 {
		t.Errorf("merchant create printed:\n%s\nwant the merchant number and one test and one live key", out)
	}
}

// TestDatabaseFromEnvironment checks that FATORA_DB is the default of --db.
func TestDatabaseFromEnvironment(t *testing.T) {
	dsn, path := testDB(t)
	t.Setenv("FATORA_DB", dsn)
	mustRun(t, "merchant", "create", "--name", "Shop", "--email", "shop@example.com")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("merchant create without --db did not use FATORA_DB: %v", err)
	}
	if got := countMerchants(t, dsn); got != 1 {
		t.Errorf("%d merchants in the FATORA_DB database, want 1", got)
	}
}

// TestServeCommand runs `fatora serve` as main does and stops it the way
// SIGTERM does, by cancelling its context.
func TestServeCommand(t *testing.T) {
	t.Parallel()
	dsn, _ := testDB(t)
	key := createMerchant(t, dsn, "shop@example.com").key(t, "test").APIKey
	ts, logs, stop := startServeCommand(t, "--db", dsn)
	tok := ts.authorize(t, key)
	if got := tokenLifetime(t, tok); got != 360*24*time.Hour {
		t.Errorf("a token lives %v by default, want 360 days", got)
	}
	wantStatus(t, ts.do(t, http.MethodGet, "/healthz", ""), http.StatusOK)
	wantStatus(t, ts.do(t, http.MethodGet, "/readyz", ""), http.StatusOK)
	wantStatus(t, ts.do(t, http.MethodPost, "/v1/clients", seedCurlBody, "Authorization", "Bearer "+tok, "Content-Type", "application/json"), http.StatusCreated)
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	logged := logs.String()
	for _, secret := range []string{key, tok, "Client Address"} {
		if strings.Contains(logged, secret) {
			t.Errorf("the log contains %q:\n%s", secret, logged)
		}
	}
	if !strings.Contains(logged, `"status":201`) || !strings.Contains(logged, `"msg":"stopped"`) {
		t.Errorf("the log lacks the create request or the stop:\n%s", logged)
	}
}

// TestTokenLifetimeSettings: FATORA_TOKEN_TTL sets the lifetime of tokens,
// in days or as a Go duration, and --token-ttl wins over it.
func TestTokenLifetimeSettings(t *testing.T) {
	dsn, _ := testDB(t)
	key := createMerchant(t, dsn, "shop@example.com").key(t, "test").APIKey
	t.Setenv("FATORA_TOKEN_TTL", "2d")
	for _, tt := range []struct {
		flags []string
		want  time.Duration
	}{
		{nil, 48 * time.Hour},
		{[]string{"--token-ttl", "90m"}, 90 * time.Minute},
	} {
		ts, _, stop := startServeCommand(t, append([]string{"--db", dsn}, tt.flags...)...)
		if got := tokenLifetime(t, ts.authorize(t, key)); got != tt.want {
			t.Errorf("with flags %v a token lives %v, want %v", tt.flags, got, tt.want)
		}
		if err := stop(); err != nil {
			t.Fatalf("serve: %v", err)
		}
	}
	t.Setenv("FATORA_TOKEN_TTL", "forever")
	if err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--db", dsn}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil ||
		!strings.Contains(err.Error(), "FATORA_TOKEN_TTL") {
		t.Errorf("serve with FATORA_TOKEN_TTL=forever: %v, want an error naming it", err)
	}
}

// startServeCommand runs `fatora serve --addr 127.0.0.1:0 flags...` as main
// does; stop ends it the way SIGTERM does, by cancelling its context, and
// returns what serve returned.
func startServeCommand(t *testing.T, flags ...string) (ts *testServer, logs *listenWatcher, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	logs = &listenWatcher{listening: make(chan string, 1)}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, flags...), &bytes.Buffer{}, logs)
	}()
	var addr string
	select {
	case addr = <-logs.listening:
	case err := <-done:
		t.Fatalf("serve returned before listening: %v\n%s", err, logs.String())
	}
	ts = &testServer{base: "http://" + addr, client: &http.Client{Timeout: 30 * time.Second}}
	return ts, logs, func() error {
		ts.client.CloseIdleConnections()
		cancel()
		return <-done
	}
}

// tokenLifetime returns exp - iat of a bearer token.
func tokenLifetime(t testing.TB, tok string) time.Duration {
	t.Helper()
	parts := strings.Split(tok, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || len(parts) != 3 {
		t.Fatalf("token %q is not a JWT: %v", tok, err)
	}
	var claims struct{ Iat, Exp int64 }
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatalf("token payload %s: %v", payload, err)
	}
	return time.Duration(claims.Exp-claims.Iat) * time.Second
}

// listenWatcher collects the server's JSON log and sends the address of its
// "listening" line. A write may hold several lines (the log is buffered).
type listenWatcher struct {
	apitest.LogBuffer
	once      sync.Once
	listening chan string
}

func (w *listenWatcher) Write(p []byte) (int, error) {
	for _, raw := range bytes.Split(p, []byte("\n")) {
		var line struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal(raw, &line) == nil && line.Msg == "listening" {
			w.once.Do(func() { w.listening <- line.Addr })
		}
	}
	return w.LogBuffer.Write(p)
}

// testDB returns the --db value of a new SQLite database in a temporary
// directory, and the path of its file (not created yet).
func testDB(t testing.TB) (dsn, path string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "fatora.db")
	return "sqlite:" + path, path
}

// runFatora runs one command line and returns its output. A clients
// command retries without waiting (see quickRetries).
func runFatora(t testing.TB, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(quickRetries(context.Background()), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

// mustRun runs a command line that must succeed and returns its stdout.
func mustRun(t testing.TB, args ...string) string {
	t.Helper()
	out, errOut, err := runFatora(t, args...)
	if err != nil {
		t.Fatalf("fatora %s: %v\nstderr: %s", strings.Join(args, " "), err, errOut)
	}
	return out
}

// keyJSON and merchantJSON are the commands' --json output.
type keyJSON struct {
	ID         string `json:"id"`
	Merchant   string `json:"merchant"`
	Mode       string `json:"mode"`
	LastUsedAt string `json:"last_used_at"`
	APIKey     string `json:"api_key"`
	Prefix     string `json:"prefix"`
	CreatedAt  string `json:"created_at"`
	RevokedAt  string `json:"revoked_at"`
}

type merchantJSON struct {
	Number string    `json:"number"`
	Name   string    `json:"name"`
	Email  string    `json:"email"`
	Region string    `json:"region"`
	Keys   []keyJSON `json:"keys"`
}

// createMerchant runs `merchant create --json` for a merchant named Shop.
func createMerchant(t testing.TB, dsn, email string, extra ...string) merchantJSON {
	t.Helper()
	args := append([]string{"merchant", "create", "--name", "Shop", "--email", email, "--db", dsn, "--json"}, extra...)
	var m merchantJSON
	decodeJSON(t, []byte(mustRun(t, args...)), &m)
	if m.Number == "" || m.Email != email || len(m.Keys) != 2 {
		t.Fatalf("merchant create printed %+v; want a number, the e-mail and two keys", m)
	}
	return m
}

// key returns the merchant's one key of mode.
func (m merchantJSON) key(t testing.TB, mode string) keyJSON {
	t.Helper()
	var found []keyJSON
	for _, k := range m.Keys {
		if k.Mode == mode {
			found = append(found, k)
		}
	}
	if len(found) != 1 || found[0].APIKey == "" || found[0].ID == "" {
		t.Fatalf("merchant %s has keys %+v; want one %s key with a value and an id", m.Number, m.Keys, mode)
	}
	return found[0]
}

// countMerchants counts the merchants numbered from 10001 on in the
// database, opened directly.
func countMerchants(t testing.TB, dsn string) int {
	t.Helper()
	db, err := sqlite.Open(context.Background(), strings.TrimPrefix(dsn, "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms := sqlite.NewMerchantService(db)
	n := 0
	for ; ; n++ {
		_, err := ms.FindMerchantByNumber(context.Background(), strconv.Itoa(10001+n))
		if fatora.ErrorCode(err) == fatora.CodeNotFound {
			return n
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// decodeSegment decodes one base64url segment of a JWT.
func decodeSegment(t testing.TB, seg string, v any) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatalf("segment %q: %v", seg, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("segment %s: %v", b, err)
	}
}
