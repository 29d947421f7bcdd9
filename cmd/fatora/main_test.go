package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fatora-oss/fatora/internal/apitest"
)

// seedCurlBody is the body of the seed's curl sample, with the obfuscated
// e-mail placeholder read as an ordinary address.
const seedCurlBody = `{
    "name": "Client Name",
    "address": "Client Address",
    "phone": "Client Phone",
    "email": "client@example.com",
    "notes": "Additional notes"
}`

// TestServeWalkthrough boots the program on :0 with a new database and walks
// the seed end to end over real HTTP: Authorize, create, get, list, update,
// delete.
func TestServeWalkthrough(t *testing.T) {
	t.Parallel()
	dsn, _ := testDB(t)
	m := createMerchant(t, dsn, "shop@example.com")
	ts := startTestServer(t, dsn)
	bearer := "Bearer " + ts.authorize(t, m.key(t, "test").APIKey)

	created := ts.do(t, http.MethodPost, "/v1/clients", seedCurlBody, "Authorization", bearer, "Content-Type", "application/json")
	wantStatus(t, created, http.StatusCreated)
	c := clientOf(t, created)
	id := c.id(t)
	want := map[string]string{"name": "Client Name", "address": "Client Address", "phone": "Client Phone",
		"email": "client@example.com", "note": "Additional notes", "notes": "Additional notes"}
	c.check(t, want)
	if got, wantLoc := created.header.Get("Location"), "/v1/clients/"+id; got != wantLoc {
		t.Errorf("Location = %q, want %q", got, wantLoc)
	}

	got := ts.do(t, http.MethodGet, "/v1/clients/"+id, "", "Authorization", bearer)
	wantStatus(t, got, http.StatusOK)
	if diff := cmp.Diff(c.fields, clientOf(t, got).fields); diff != "" {
		t.Errorf("GET /v1/clients/%s differs from the created client (-created +got):\n%s", id, diff)
	}

	list := ts.do(t, http.MethodGet, "/v1/clients/?keyword=client", "", "Authorization", bearer)
	wantStatus(t, list, http.StatusOK)
	var page struct {
		Status     string            `json:"status"`
		Clients    []json.RawMessage `json:"clients"`
		Page       int               `json:"page"`
		PageSize   int               `json:"page_size"`
		TotalCount int               `json:"total_count"`
		TotalPages int               `json:"total_pages"`
		NextCursor string            `json:"next_cursor"`
		TotalExact bool              `json:"total_count_exact"`
	}
	decodeJSON(t, list.body, &page)
	if page.Status != "SUCCESS" || page.TotalCount != 1 || len(page.Clients) != 1 || page.Page != 1 || page.PageSize != 20 || page.TotalPages != 1 {
		t.Fatalf("list: %s\nwant status SUCCESS, one client, page 1, page_size 20, total_count 1, total_pages 1", list.body)
	}
	if listed := clientFrom(t, page.Clients[0]); listed.id(t) != id {
		t.Errorf("list: client id %s, want %s", listed.id(t), id)
	}

	updated := ts.do(t, http.MethodPut, "/v1/clients/"+id, `{"phone":"+974 5555 1234"}`, "Authorization", bearer, "Content-Type", "application/json")
	wantStatus(t, updated, http.StatusOK)
	want["phone"] = "+974 5555 1234"
	u := clientOf(t, updated)
	u.check(t, want)
	if u.id(t) != id {
		t.Errorf("PUT: client id %s, want %s", u.id(t), id)
	}

	deleted := ts.do(t, http.MethodDelete, "/v1/clients/"+id, "", "Authorization", bearer)
	wantStatus(t, deleted, http.StatusNoContent)
	if len(deleted.body) != 0 {
		t.Errorf("DELETE: body %q, want none", deleted.body)
	}
	gone := ts.do(t, http.MethodGet, "/v1/clients/"+id, "", "Authorization", bearer)
	wantError(t, gone, http.StatusNotFound, "not_found")

	if err := ts.stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	ts.checkLogsHide(t, m.key(t, "test").APIKey, strings.TrimPrefix(bearer, "Bearer "), "Client Address")
}

// TestGracefulShutdownFinishesInFlight sends a request, starts shutting the
// server down while the request's body is half sent, sends the rest, and
// expects the request to be answered 201 and its client to be stored.
func TestGracefulShutdownFinishesInFlight(t *testing.T) {
	t.Parallel()
	dsn, _ := testDB(t)
	key := createMerchant(t, dsn, "shop@example.com").key(t, "test").APIKey
	ts := startTestServer(t, dsn)
	tok := ts.authorize(t, key)

	conn, err := net.Dial("tcp", ts.addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(30 * time.Second)) // a bound against a hang, not a synchronisation
	body := `{"name":"In Flight","email":"inflight@example.com","notes":"sent across a shutdown"}`
	half := len(body) / 2
	// Expect: 100-continue makes the server say when the handler starts
	// reading the body: from then on the request is in flight for certain.
	writeAll(t, conn, fmt.Sprintf("POST /v1/clients HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", ts.addr(), tok, len(body)))
	br := bufio.NewReader(conn)
	cont, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("reading the interim response: %v", err)
	}
	if cont.StatusCode != http.StatusContinue {
		b, _ := io.ReadAll(cont.Body)
		t.Fatalf("interim response %d, want 100 Continue: %s", cont.StatusCode, b)
	}
	writeAll(t, conn, body[:half])

	stopped := make(chan error, 1)
	go func() { stopped <- ts.stop() }()
	waitListenerClosed(t, ts.addr())
	select {
	case err := <-stopped:
		t.Fatalf("shutdown returned (%v) while a request was in flight", err)
	default:
	}

	writeAll(t, conn, body[half:])
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("the in-flight request got no response: %v", err)
	}
	respBody, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: respBody}
	wantStatus(t, r, http.StatusCreated)
	id := clientOf(t, r).id(t)
	if err := <-stopped; err != nil {
		t.Fatalf("shutdown: %v", err)
	}

	again := startTestServer(t, dsn)
	got := again.do(t, http.MethodGet, "/v1/clients/"+id, "", "Authorization", "Bearer "+again.authorize(t, key))
	wantStatus(t, got, http.StatusOK)
	clientOf(t, got).check(t, map[string]string{"name": "In Flight", "email": "inflight@example.com", "notes": "sent across a shutdown"})
}

// TestTwoServersOneDatabase checks that the signing secret lives in the
// database: a token one server issued is accepted by another.
func TestTwoServersOneDatabase(t *testing.T) {
	t.Parallel()
	dsn, _ := testDB(t)
	key := createMerchant(t, dsn, "shop@example.com").key(t, "live").APIKey
	a, b := startTestServer(t, dsn), startTestServer(t, dsn)
	if a.addr() == b.addr() {
		t.Fatalf("both servers listen on %s", a.addr())
	}
	fromA := "Bearer " + a.authorize(t, key)
	created := b.do(t, http.MethodPost, "/v1/clients", seedCurlBody, "Authorization", fromA, "Content-Type", "application/json")
	wantStatus(t, created, http.StatusCreated)
	id := clientOf(t, created).id(t)
	wantStatus(t, a.do(t, http.MethodGet, "/v1/clients/"+id, "", "Authorization", fromA), http.StatusOK)
	fromB := "Bearer " + b.authorize(t, key)
	wantStatus(t, a.do(t, http.MethodGet, "/v1/clients/"+id, "", "Authorization", fromB), http.StatusOK)
}

// TestServersStartTogether starts several servers at once on a database
// that does not exist yet: all must come up and share one signing secret.
// A race is involved, so it is run on several new databases: 40 in full,
// 4 under -short.
func TestServersStartTogether(t *testing.T) {
	t.Parallel()
	const together = 4
	rounds := 40
	if testing.Short() {
		rounds = 4
	}
	for round := range rounds {
		dsn, _ := testDB(t)
		servers := make([]*testServer, together)
		errs := make([]error, together)
		var wg sync.WaitGroup
		for i := range servers {
			wg.Go(func() { servers[i], errs[i] = newTestServer(t, dsn) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d: server %d of %d started together on a new database: %v", round, i, together, err)
			}
		}
		key := createMerchant(t, dsn, "shop@example.com").key(t, "test").APIKey
		tok := "Bearer " + servers[0].authorize(t, key)
		for _, s := range servers[1:] {
			wantStatus(t, s.do(t, http.MethodGet, "/v1/clients", "", "Authorization", tok), http.StatusOK)
		}
		for _, s := range servers {
			if err := s.stop(); err != nil {
				t.Fatalf("shutdown: %v", err)
			}
		}
	}
}

// testServer is a server started by a test, with its own HTTP client and
// captured log.
type testServer struct {
	*server
	base     string
	client   *http.Client
	logs     *apitest.LogBuffer
	stopOnce sync.Once
	stopErr  error
}

// startTestServer starts a server on 127.0.0.1:0 on dsn; it is shut down
// when the test ends, if the test has not done it.
func startTestServer(t testing.TB, dsn string) *testServer {
	t.Helper()
	ts, err := newTestServer(t, dsn)
	if err != nil {
		t.Fatalf("startServer: %v", err)
	}
	return ts
}

func newTestServer(t testing.TB, dsn string) (*testServer, error) {
	t.Helper()
	return newTestServerWith(t, serverConfig{addr: "127.0.0.1:0", db: dsn, tokenTTL: time.Hour})
}

// newTestServerWith starts the server configured by cfg.
func newTestServerWith(t testing.TB, cfg serverConfig) (*testServer, error) {
	t.Helper()
	logs := &apitest.LogBuffer{}
	s, err := startServer(context.Background(), cfg, slog.New(slog.NewJSONHandler(logs, nil)))
	if err != nil {
		return nil, err
	}
	ts := &testServer{server: s, base: "http://" + s.addr(), client: &http.Client{Timeout: 30 * time.Second}, logs: logs}
	t.Cleanup(func() {
		if err := ts.stop(); err != nil {
			t.Errorf("shutdown of %s: %v", ts.addr(), err)
		}
	})
	return ts, nil
}

// stop shuts the server down once; later calls return the first result.
func (ts *testServer) stop() error {
	ts.stopOnce.Do(func() {
		ts.client.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		ts.stopErr = ts.shutdown(ctx)
	})
	return ts.stopErr
}

// checkLogsHide fails the test if the server's log contains any of secrets.
func (ts *testServer) checkLogsHide(t testing.TB, secrets ...string) {
	t.Helper()
	logs := ts.logs.String()
	if !strings.Contains(logs, `"msg":"request"`) {
		t.Errorf("the log has no request line:\n%s", logs)
	}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the log contains %q:\n%s", s, logs)
		}
	}
}

// response is an HTTP response read in full.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends one request; header is name, value pairs.
func (ts *testServer) do(t testing.TB, method, path, body string, header ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := ts.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	if resp.Header.Get("X-Request-Id") == "" {
		t.Errorf("%s %s: no X-Request-Id", method, path)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// authorize exchanges an API key for a bearer token, expecting success.
func (ts *testServer) authorize(t testing.TB, key string) string {
	t.Helper()
	r := ts.do(t, http.MethodGet, "/v1/Authorization/Authorize", "", "api_key", key)
	wantStatus(t, r, http.StatusOK)
	var got struct {
		Success     bool   `json:"success"`
		BearerToken string `json:"bearer_token"`
		ExpiresAt   string `json:"expires_at"`
	}
	decodeJSON(t, r.body, &got)
	exp, err := time.Parse(time.RFC3339, got.ExpiresAt)
	if !got.Success || got.BearerToken == "" || err != nil || !exp.After(time.Now()) {
		t.Fatalf("Authorize answered %s; want success, a token and a future expires_at", r.body)
	}
	return got.BearerToken
}

func wantStatus(t testing.TB, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body: %s", r.status, status, r.body)
	}
}

// wantError checks a response in the contract's error shape.
func wantError(t testing.TB, r response, status int, code string) {
	t.Helper()
	wantStatus(t, r, status)
	var e struct {
		Status string          `json:"status"`
		Error  json.RawMessage `json:"error"`
		// Authorize's shape has code and request_id beside error, a string.
		Code      string `json:"code"`
		RequestID string `json:"request_id"`
	}
	decodeJSON(t, r.body, &e)
	var d struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		RequestID string `json:"request_id"`
	}
	if json.Unmarshal(e.Error, &d.Message) == nil {
		d.Code, d.RequestID = e.Code, e.RequestID
	} else if err := json.Unmarshal(e.Error, &d); err != nil {
		t.Fatalf("error body %s: %v", r.body, err)
	}
	if e.Status != "ERROR" || d.Code != code || d.Message == "" || d.RequestID != r.header.Get("X-Request-Id") {
		t.Errorf("error body %s; want status ERROR, code %q, a message and the request id %q", r.body, code, r.header.Get("X-Request-Id"))
	}
}

// apiClient is a client object as the API returns it, numbers kept as
// json.Number so that a quoted id is told from a number.
type apiClient struct {
	fields map[string]any
}

// clientOf returns the client of a {"status":"SUCCESS","client":{...}} body.
func clientOf(t testing.TB, r response) apiClient {
	t.Helper()
	var body struct {
		Status string          `json:"status"`
		Client json.RawMessage `json:"client"`
	}
	decodeJSON(t, r.body, &body)
	if body.Status != "SUCCESS" {
		t.Fatalf("status %q, want SUCCESS: %s", body.Status, r.body)
	}
	return clientFrom(t, body.Client)
}

func clientFrom(t testing.TB, raw json.RawMessage) apiClient {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var c apiClient
	if err := dec.Decode(&c.fields); err != nil {
		t.Fatalf("client %s: %v", raw, err)
	}
	return c
}

// id returns the client's id, which must be a positive JSON integer.
func (c apiClient) id(t testing.TB) string {
	t.Helper()
	n, ok := c.fields["id"].(json.Number)
	if v, err := n.Int64(); !ok || err != nil || v <= 0 {
		t.Fatalf("client id %#v, want a positive JSON integer", c.fields["id"])
	}
	return n.String()
}

// check compares the client's text members with want and checks its
// timestamps.
func (c apiClient) check(t testing.TB, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for name := range want {
		s, _ := c.fields[name].(string)
		got[name] = s
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("client (-want +got):\n%s", diff)
	}
	for _, name := range []string{"created_at", "updated_at"} {
		if s, _ := c.fields[name].(string); s == "" {
			t.Errorf("client %s missing", name)
		} else if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Errorf("client %s: %v", name, err)
		}
	}
}

// decodeJSON decodes data into v, refusing members v does not have, so the
// test notices a changed shape.
func decodeJSON(t testing.TB, data []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decoding %s: %v", data, err)
	}
}

func writeAll(t testing.TB, w io.Writer, s string) {
	t.Helper()
	if _, err := io.WriteString(w, s); err != nil {
		t.Fatalf("write: %v", err)
	}
}

// waitListenerClosed returns once addr refuses connections, that is once
// Shutdown has closed the listener.
func waitListenerClosed(t testing.TB, addr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatalf("%s still accepts connections", addr)
		}
		runtime.Gosched()
	}
}
