package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/apitest"
)

// env is the API (internal/apitest) with two merchants, called through its
// handler: every answer is held to the API description.
type env struct {
	*apitest.Env
	t     testing.TB
	alpha *apitest.Merchant
	beta  *apitest.Merchant
}

// newEnv starts the API on a fresh database of st, its clock at a fixed
// time.
func newEnv(t testing.TB, st apitest.Store) *env {
	t.Helper()
	return newEnvWith(t, apitest.Options{Store: st})
}

// newEnvWith is newEnv with the options of apitest (replaced services, a
// request timeout).
func newEnvWith(t testing.TB, o apitest.Options) *env {
	t.Helper()
	o.Start = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	e := &env{Env: apitest.New(t, o), t: t}
	e.alpha, e.beta = e.NewMerchant("alpha"), e.NewMerchant("beta")
	return e
}

// request is one HTTP request of a test.
type request struct {
	method string
	path   string
	header http.Header
	body   string
	// as, when set, sends that merchant's bearer token for mode (test if empty).
	as   *apitest.Merchant
	mode fatora.Mode
	// remote, when set, is the address the request comes from (ip:port).
	remote string
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
	if req.remote != "" {
		r.RemoteAddr = req.remote
	}
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
		r.Header.Set("Authorization", "Bearer "+req.as.Tokens[mode])
	}
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, r)
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
func (e *env) create(m *apitest.Merchant, body string) int64 {
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
