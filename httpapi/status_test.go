package httpapi_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/apitest"
)

func TestStatusCodes(t *testing.T) { apitest.EachStore(t, testStatusCodes) }

func testStatusCodes(t *testing.T, st apitest.Store) {
	runScenarios(t, st, []scenario{
		{name: "401 without credentials", req: request{method: "GET", path: "/v1/clients"}, wantStatus: 401, wantCode: "unauthorized",
			check: wantChallenge(`Bearer realm="fatora"`)},
		{name: "401 for a bad token", req: request{method: "GET", path: "/v1/clients", header: http.Header{"Authorization": {"Bearer abc.def.ghi"}}},
			wantStatus: 401, wantCode: "invalid_token", check: wantChallenge(`Bearer realm="fatora", error="invalid_token"`)},
		{name: "401 for Basic auth", req: request{method: "GET", path: "/v1/clients", header: http.Header{"Authorization": {"Basic dXNlcjpwYXNz"}}},
			wantStatus: 401, wantCode: "invalid_token"},
		{name: "401 for a bad api_key", req: request{method: "GET", path: "/v1/clients", header: http.Header{"api_key": {"E4B73FEE-F492-4607-A38D-852B0EBC91C9"}}},
			wantStatus: 401, wantCode: "invalid_api_key", check: wantChallenge(`Bearer realm="fatora"`)},
		{name: "403 for a revoked key", build: func(e *env) request {
			e.revoke(e.alpha, fatora.ModeTest)
			return request{method: "GET", path: "/v1/Authorization/Authorize", header: http.Header{"api_key": {e.alpha.Keys[fatora.ModeTest]}}}
		}, wantStatus: 403, wantCode: "key_revoked"},
		{name: "403 for a disabled merchant", build: func(e *env) request {
			e.disable(e.alpha)
			return request{method: "POST", path: "/v1/Authorization/Authorize", header: http.Header{"api_key": {e.alpha.Keys[fatora.ModeLive]}}}
		}, wantStatus: 403, wantCode: "merchant_disabled"},
		{name: "404 unknown id", req: request{method: "GET", path: "/v1/clients/999999"}, build: func(e *env) request {
			return request{method: "GET", path: "/v1/clients/999999", as: e.alpha}
		}, wantStatus: 404, wantCode: "not_found"},
		{name: "404 non-numeric id", build: func(e *env) request {
			return request{method: "GET", path: "/v1/clients/1;DROP", as: e.alpha}
		}, wantStatus: 404, wantCode: "not_found"},
		{name: "404 huge id", build: func(e *env) request {
			return request{method: "DELETE", path: "/v1/clients/" + strings.Repeat("9", 30), as: e.alpha}
		}, wantStatus: 404, wantCode: "not_found"},
		{name: "404 unknown path", req: request{method: "GET", path: "/v2/clients"}, wantStatus: 404, wantCode: "not_found"},
		{name: "405 with Allow", build: func(e *env) request { return request{method: "DELETE", path: "/v1/clients", as: e.alpha} },
			wantStatus: 405, wantCode: "method_not_allowed", check: func(t *testing.T, e *env, resp response) {
				if got := resp.header.Get("Allow"); got != "GET, POST" {
					t.Errorf("Allow = %q, want \"GET, POST\"", got)
				}
			}},
		{name: "406 for XML only", build: func(e *env) request {
			return request{method: "GET", path: "/v1/clients", header: http.Header{"Accept": {"application/xml"}}, as: e.alpha}
		}, wantStatus: 406, wantCode: "not_acceptable"},
		{name: "406 for JSON with q=0", build: func(e *env) request {
			return request{method: "GET", path: "/v1/clients", header: http.Header{"Accept": {"application/json;q=0, text/html"}}, as: e.alpha}
		}, wantStatus: 406, wantCode: "not_acceptable"},
		{name: "200 for a browser Accept", build: func(e *env) request {
			return request{method: "GET", path: "/v1/clients", header: http.Header{"Accept": {"text/html,application/xhtml+xml,*/*;q=0.8"}}, as: e.alpha}
		}, wantStatus: 200},
		{name: "409 same data", build: func(e *env) request {
			e.create(e.alpha, `{"name":"Noura","email":"noura@example.com","phone":"+974 5555 1234"}`)
			return request{method: "POST", path: "/v1/clients", body: `{"name":"Noura","email":"NOURA@example.com","phone":"0097455551234","notes":"again"}`, as: e.alpha}
		}, wantStatus: 409, wantCode: "duplicate_client", check: func(t *testing.T, e *env, resp response) {
			if id, _ := resp.json["error"].(map[string]any)["existing_client_id"].(float64); id < 1 {
				t.Errorf("409 does not name the existing client: %s", resp.body)
			}
		}},
		{name: "413 by Content-Length", build: func(e *env) request {
			return request{method: "POST", path: "/v1/clients", body: `{"name":"` + strings.Repeat("a", 70<<10) + `"}`, as: e.alpha}
		}, wantStatus: 413, wantCode: "payload_too_large", check: unchanged(0)},
		{name: "415 text/plain", build: func(e *env) request {
			return request{method: "POST", path: "/v1/clients", body: `{"name":"a"}`, header: http.Header{"Content-Type": {"text/plain"}}, as: e.alpha}
		}, wantStatus: 415, wantCode: "unsupported_media_type", check: unchanged(0)},
		{name: "415 missing Content-Type", build: func(e *env) request {
			return request{method: "POST", path: "/v1/clients", body: `{"name":"a"}`, header: http.Header{"Content-Type": {""}}, as: e.alpha}
		}, wantStatus: 415, wantCode: "unsupported_media_type"},
		{name: "415 form", build: func(e *env) request {
			return request{method: "POST", path: "/v1/clients", body: `name=a`, header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, as: e.alpha}
		}, wantStatus: 415, wantCode: "unsupported_media_type"},
		{name: "415 xml", build: func(e *env) request {
			return request{method: "POST", path: "/v1/clients", body: `<client/>`, header: http.Header{"Content-Type": {"application/xml"}}, as: e.alpha}
		}, wantStatus: 415, wantCode: "unsupported_media_type"},
		{name: "201 with media type in any case and charset", build: func(e *env) request {
			return request{method: "POST", path: "/v1/clients", body: `{"name":"a"}`, header: http.Header{"Content-Type": {"Application/JSON; charset=UTF-8"}}, as: e.alpha}
		}, wantStatus: 201},
		{name: "400 invalid query", build: func(e *env) request {
			return request{method: "GET", path: "/v1/clients?page=0", as: e.alpha}
		}, wantStatus: 400, wantCode: "invalid_query"},
	})
}

func wantChallenge(want string) func(t *testing.T, e *env, resp response) {
	return func(t *testing.T, e *env, resp response) {
		t.Helper()
		if got := resp.header.Get("WWW-Authenticate"); got != want {
			t.Errorf("WWW-Authenticate = %q, want %q", got, want)
		}
	}
}

func (e *env) revoke(m *apitest.Merchant, mode fatora.Mode) {
	e.t.Helper()
	if err := e.Services.Merchants.RevokeAPIKey(t0ctx, m.ID, m.KeyIDs[mode]); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) disable(m *apitest.Merchant) {
	e.t.Helper()
	if err := e.Services.Merchants.SetMerchantDisabled(t0ctx, m.ID, true); err != nil {
		e.t.Fatal(err)
	}
}

func TestChunkedBodyTooLarge(t *testing.T) { apitest.EachStore(t, testChunkedBodyTooLarge) }

func testChunkedBodyTooLarge(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	body := io.MultiReader(strings.NewReader(`{"name":"`), strings.NewReader(strings.Repeat("a", 10<<20)), strings.NewReader(`"}`))
	r := httptest.NewRequest("POST", "/v1/clients", body)
	r.ContentLength = -1
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer "+e.alpha.Tokens[fatora.ModeTest])
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, r)
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), `"payload_too_large"`) {
		t.Fatalf("chunked 10 MiB body: %d %s", rec.Code, rec.Body)
	}
}

// TestOtherTenantIs404 shows that another merchant's client, and the other
// mode's, answer exactly as an id that never existed, and stay unchanged.
func TestOtherTenantIs404(t *testing.T) { apitest.EachStore(t, testOtherTenantIs404) }

func testOtherTenantIs404(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	id := e.create(e.alpha, `{"name":"Alpha's client","email":"a@example.com"}`)
	reqID := http.Header{"X-Request-Id": {"same-id"}}
	missing := e.do(request{method: "GET", path: "/v1/clients/987654321", header: reqID, as: e.beta})
	for _, probe := range []request{
		{method: "GET", as: e.beta}, {method: "GET", as: e.alpha, mode: fatora.ModeLive},
		{method: "PUT", as: e.beta, body: `{"name":"stolen"}`}, {method: "PATCH", as: e.alpha, mode: fatora.ModeLive, body: `{"name":"stolen"}`},
		{method: "DELETE", as: e.beta}, {method: "DELETE", as: e.alpha, mode: fatora.ModeLive},
	} {
		probe.path, probe.header = fmt.Sprintf("/v1/clients/%d", id), reqID
		got := e.do(probe)
		if got.status != 404 || got.body != missing.body {
			t.Errorf("%s as %s/%s: %d %s; want the body of a missing id: %s", probe.method, probe.as.Name, probe.mode, got.status, got.body, missing.body)
		}
	}
	list := e.do(request{method: "GET", path: "/v1/clients?keyword=Alpha", as: e.beta})
	if list.json["total_count"] != float64(0) {
		t.Errorf("beta's search finds alpha's client: %s", list.body)
	}
	own := e.do(request{method: "GET", path: fmt.Sprintf("/v1/clients/%d", id), as: e.alpha})
	if own.status != 200 || own.client()["name"] != "Alpha's client" {
		t.Errorf("alpha's client changed: %s", own.body)
	}
}

// failingClients is a client service whose every call fails with an
// internal error carrying details that must not reach the caller.
type failingClients struct{ fatora.ClientService }

var errSecretDetail = errors.New("disk sector 7 of /var/secret/path is corrupt")

func (failingClients) FindClients(ctxT, fatora.ClientFilter) (fatora.ClientPage, error) {
	return fatora.ClientPage{}, errSecretDetail
}

func (failingClients) FindClientByID(ctxT, int64) (fatora.Client, error) { panic("boom in handler") }

func TestInternalErrorsAreGeneric(t *testing.T) { apitest.EachStore(t, testInternalErrorsAreGeneric) }

func testInternalErrorsAreGeneric(t *testing.T, st apitest.Store) {
	e := newEnvWith(t, apitest.Options{Store: st, Replace: func(s *apitest.Services) { s.Clients = failingClients{s.Clients} }})
	for _, path := range []string{"/v1/clients", "/v1/clients/1"} {
		resp := e.do(request{method: "GET", path: path, as: e.alpha})
		if resp.status != 500 || resp.code() != "internal" {
			t.Fatalf("GET %s: %d %s, want 500 internal", path, resp.status, resp.body)
		}
		if strings.Contains(resp.body, "secret") || strings.Contains(resp.body, "boom") {
			t.Errorf("500 body leaks details: %s", resp.body)
		}
	}
	logs := e.Logs.String()
	if !strings.Contains(logs, errSecretDetail.Error()) || !strings.Contains(logs, "boom in handler") {
		t.Errorf("the log lacks the failure details:\n%s", logs)
	}
	if ok := e.do(request{method: "GET", path: "/healthz"}); ok.status != 200 {
		t.Errorf("server unhealthy after a panic: %d", ok.status)
	}
}

func TestReadiness(t *testing.T) { apitest.EachStore(t, testReadiness) }

func testReadiness(t *testing.T, st apitest.Store) {
	down := errors.New("database is down")
	e := newEnvWith(t, apitest.Options{Store: st, Replace: func(s *apitest.Services) { s.Ping = func(ctxT) error { return down } }})
	if resp := e.do(request{method: "GET", path: "/healthz"}); resp.status != 200 || resp.json["status"] != "ok" {
		t.Errorf("/healthz = %d %s", resp.status, resp.body)
	}
	resp := e.do(request{method: "GET", path: "/readyz"})
	if resp.status != 503 || resp.code() != "unavailable" || resp.header.Get("Retry-After") == "" {
		t.Errorf("/readyz with the database down = %d %s %v", resp.status, resp.body, resp.header)
	}
	up := newEnv(t, st)
	if resp := up.do(request{method: "GET", path: "/readyz"}); resp.status != 200 {
		t.Errorf("/readyz = %d %s", resp.status, resp.body)
	}
	up.Server.Drain()
	if resp := up.do(request{method: "GET", path: "/readyz"}); resp.status != 503 {
		t.Errorf("/readyz while draining = %d, want 503", resp.status)
	}
}
