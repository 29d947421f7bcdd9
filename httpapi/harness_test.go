package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/postgres"
	"github.com/fatora-oss/fatora/postgres/pgtest"
	"github.com/fatora-oss/fatora/sqlite"
	"github.com/fatora-oss/fatora/token"
)

// clock is a settable time source shared by the signer and the server.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// merchant is a merchant of the test environment with its keys and tokens.
type merchant struct {
	fatora.Merchant
	keys   map[fatora.Mode]string
	keyIDs map[fatora.Mode]string
	tokens map[fatora.Mode]string
}

// env is an API server on a fresh SQLite database, with two merchants.
type env struct {
	t         testing.TB
	handler   http.Handler
	server    *httpapi.Server
	merchants fatora.MerchantService
	clock     *clock
	signer    *token.Signer
	logs      *syncBuffer
	alpha     *merchant
	beta      *merchant
}

// syncBuffer is a log sink safe for concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

// services lets a test replace the client service (to inject failures).
type services struct {
	clients fatora.ClientService
	ping    func(context.Context) error
	timeout time.Duration
}

// testStore opens a fresh store of one kind for a test.
type testStore struct {
	name string
	open func(t testing.TB, now fatora.Clock) (fatora.ClientService, fatora.MerchantService, func(context.Context) error)
}

// eachStore runs test on SQLite and, when FATORA_TEST_POSTGRES names a
// server, on PostgreSQL: the same requests must get the same answers.
func eachStore(t *testing.T, test func(t *testing.T, st testStore)) {
	t.Helper()
	stores := []testStore{{"sqlite", openSQLite}, {"postgres", openPostgres}}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) { test(t, st) })
	}
}

func openSQLite(t testing.TB, now fatora.Clock) (fatora.ClientService, fatora.MerchantService, func(context.Context) error) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = now
	return sqlite.NewClientService(db), sqlite.NewMerchantService(db), db.Ping
}

func openPostgres(t testing.TB, now fatora.Clock) (fatora.ClientService, fatora.MerchantService, func(context.Context) error) {
	db, err := postgres.Open(context.Background(), pgtest.DSN(t), postgres.Options{MaxConns: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = now
	return postgres.NewClientService(db), postgres.NewMerchantService(db), db.Ping
}

func newEnv(t testing.TB, st testStore, wrap ...func(*services)) *env {
	t.Helper()
	e := &env{t: t, logs: &syncBuffer{}, clock: &clock{now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}}
	svc := &services{}
	svc.clients, e.merchants, svc.ping = st.open(t, e.clock.Now)
	for _, w := range wrap {
		w(svc)
	}
	e.signer = &token.Signer{SecretID: "secret-1", Secret: token.NewSecret(), Issuer: "fatora",
		Audience: "fatora-clients-api", TTL: 24 * time.Hour, Now: e.clock.Now}
	e.server = &httpapi.Server{Clients: svc.clients, Merchants: e.merchants, Signer: e.signer, Ping: svc.ping,
		Now: e.clock.Now, Logger: slog.New(slog.NewJSONHandler(e.logs, nil)), RequestTimeout: svc.timeout}
	e.handler = e.server.Handler()
	e.alpha, e.beta = e.newMerchant("alpha"), e.newMerchant("beta")
	return e
}

// newMerchant creates a merchant with a test and a live key and a token
// for each.
func (e *env) newMerchant(name string) *merchant {
	e.t.Helper()
	m := &merchant{Merchant: fatora.Merchant{Name: name, Email: name + "@example.com"},
		keys: map[fatora.Mode]string{}, keyIDs: map[fatora.Mode]string{}, tokens: map[fatora.Mode]string{}}
	var keys []*fatora.APIKey
	for _, mode := range []fatora.Mode{fatora.ModeTest, fatora.ModeLive} {
		m.keys[mode] = token.GenerateAPIKey(string(mode))
		k := &fatora.APIKey{ID: token.NewID(), Mode: mode, Prefix: token.DisplayPrefix(m.keys[mode]), Hash: token.HashAPIKey(m.keys[mode])}
		m.keyIDs[mode] = k.ID
		keys = append(keys, k)
	}
	if err := e.merchants.CreateMerchant(context.Background(), &m.Merchant, keys); err != nil {
		e.t.Fatal(err)
	}
	for mode, key := range m.keys {
		resp := e.do(request{method: "GET", path: "/v1/Authorization/Authorize", header: http.Header{"api_key": {key}}})
		if resp.status != http.StatusOK {
			e.t.Fatalf("authorize %s: %d %s", name, resp.status, resp.body)
		}
		m.tokens[mode] = resp.json["bearer_token"].(string)
	}
	return m
}

// request is one HTTP request of a test.
type request struct {
	method string
	path   string
	header http.Header
	body   string
	// as, when set, sends that merchant's bearer token for mode (test if empty).
	as   *merchant
	mode fatora.Mode
}

// response is a recorded answer, with its body parsed when it is JSON.
type response struct {
	status int
	header http.Header
	body   string
	json   map[string]any
}

// code returns error.code of an error body, or the code beside error in
// Authorize's shape.
func (r response) code() string {
	if e, ok := r.json["error"].(map[string]any); ok {
		s, _ := e["code"].(string)
		return s
	}
	s, _ := r.json["code"].(string)
	return s
}

// client returns the client member of a body.
func (r response) client() map[string]any {
	c, _ := r.json["client"].(map[string]any)
	return c
}

func (e *env) do(req request) response {
	e.t.Helper()
	var body io.Reader
	if req.body != "" {
		body = strings.NewReader(req.body)
	}
	r := httptest.NewRequest(req.method, req.path, body)
	if req.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range req.header {
		r.Header.Del(k)
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	if req.as != nil {
		mode := req.mode
		if mode == "" {
			mode = fatora.ModeTest
		}
		r.Header.Set("Authorization", "Bearer "+req.as.tokens[mode])
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, r)
	resp := response{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(rec.Body.Bytes(), &resp.json); err != nil {
			e.t.Fatalf("%s %s: body is not JSON: %v\n%s", req.method, req.path, err, rec.Body)
		}
	}
	validateResponse(e.t, req, resp)
	return resp
}

// create makes a client as m (test mode) and returns its id.
func (e *env) create(m *merchant, body string) int64 {
	e.t.Helper()
	resp := e.do(request{method: "POST", path: "/v1/clients", body: body, as: m})
	if resp.status != http.StatusCreated {
		e.t.Fatalf("create %s: %d %s", body, resp.status, resp.body)
	}
	return int64(resp.client()["id"].(float64))
}

// ctxT is a short name for the context type in test doubles.
type ctxT = context.Context

var t0ctx = context.Background()
