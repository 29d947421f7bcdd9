package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/internal/apitest"
)

// newSandboxEnv is newEnv on SQLite with a sandbox whose Erase counts its
// calls in erased.
func newSandboxEnv(t testing.TB, erased *int) (*env, *httpapi.Sandbox) {
	t.Helper()
	sb := &httpapi.Sandbox{Erase: func(context.Context) error { *erased++; return nil }}
	return newEnvWith(t, apitest.Options{Configure: func(s *httpapi.Server) { s.Sandbox = sb }}), sb
}

// TestSandboxControlsOnlyInASandbox: a server that is no sandbox answers
// the controls' paths as any path it does not serve.
func TestSandboxControlsOnlyInASandbox(t *testing.T) {
	e := newEnv(t, apitest.SQLite())
	for _, r := range []request{
		{method: "POST", path: "/sandbox/reset"},
		{method: "POST", path: "/sandbox/fail", body: `{"status":503}`},
		{method: "GET", path: "/sandbox/requests"},
	} {
		if resp := e.do(r); resp.status != http.StatusNotFound || resp.code() != "not_found" {
			t.Errorf("%s %s on a server that is no sandbox: %d %s, want 404 not_found", r.method, r.path, resp.status, resp.body)
		}
	}
}

// TestSandboxFailRefusesWhatItCannotMake: each bad failure is refused with
// 400, naming the member at fault, and nothing is queued.
func TestSandboxFailRefusesWhatItCannotMake(t *testing.T) {
	var erased int
	e, _ := newSandboxEnv(t, &erased)
	for _, tc := range []struct{ body, code, field string }{
		{`{}`, "invalid_field", "status"},
		{`{"status":404}`, "invalid_field", "status"},
		{`{"status":"503"}`, "invalid_field", "status"},
		{`{"status":503,"count":-1}`, "invalid_field", "count"},
		{`{"status":503,"count":10001}`, "invalid_field", "count"},
		{`{"status":503,"every":1001}`, "invalid_field", "every"},
		{`{"status":503,"retry_after":-1}`, "invalid_field", "retry_after"},
		{`{"status":503,"retry_after":3601}`, "invalid_field", "retry_after"},
		{`{"status":503,"method":"FETCH"}`, "invalid_field", "method"},
		{`{"status":503,"path":"v1/clients"}`, "invalid_field", "path"},
		{`{"status":503,"path":"/v1/clients?page=2"}`, "invalid_field", "path"},
		{`{"status":503,"colour":"red"}`, "unknown_field", "colour"},
		{`{"status":503`, "malformed_json", ""},
	} {
		resp := e.do(request{method: "POST", path: "/sandbox/fail", body: tc.body})
		fields := fmt.Sprint(resp.json["error"])
		if resp.status != http.StatusBadRequest || resp.code() != tc.code || (tc.field != "" && !strings.Contains(fields, "field:"+tc.field)) {
			t.Errorf("POST /sandbox/fail %s: %d %s, want 400 %s naming %q", tc.body, resp.status, resp.body, tc.code, tc.field)
		}
	}
	if resp := e.do(request{method: "GET", path: "/v1/clients", as: e.alpha}); resp.status != http.StatusOK {
		t.Errorf("a request after refused failures: %d, want it served", resp.status)
	}
}

// TestSandboxFailAnswersTheFailureKept: the answer is the failure with its
// defaults, its method upper case and its path as requests are compared.
func TestSandboxFailAnswersTheFailureKept(t *testing.T) {
	var erased int
	e, _ := newSandboxEnv(t, &erased)
	resp := e.do(request{method: "POST", path: "/sandbox/fail", body: `{"STATUS":502,"Method":"post","path":"/V1/Clients/"}`})
	want := `{"status":"SUCCESS","failure":{"status":502,"count":1,"method":"POST","path":"/v1/clients","every":1,"retry_after":0}}`
	if resp.status != http.StatusOK || strings.TrimSpace(resp.body) != want {
		t.Errorf("POST /sandbox/fail: %d %s, want 200 %s", resp.status, resp.body, want)
	}
}

// TestSandboxRequestsListsWhatCameWithoutCredentials: the requests come
// back oldest first with their statuses, every credential redacted (the
// scheme of Authorization kept), other headers and the query as sent, and
// no request to the controls.
func TestSandboxRequestsListsWhatCameWithoutCredentials(t *testing.T) {
	var erased int
	e, sb := newSandboxEnv(t, &erased)
	sb.Reset(context.Background()) // forget the Authorize requests that made the merchants
	e.do(request{method: "GET", path: "/v1/clients?keyword=doha&api_key=E4B73FEE-F492-4607-A38D-852B0EBC91C9",
		header: http.Header{"Api_key": {e.alpha.Keys["test"]}, "Cookie": {"session=s3cret"}}})
	e.do(request{method: "POST", path: "/v1/clients", body: `{"name":"Layla"}`, as: e.alpha,
		header: http.Header{"Idempotency-Key": {"order-1"}}})
	e.do(request{method: "POST", path: "/sandbox/fail", body: `{"status":503}`})
	resp := e.do(request{method: "GET", path: "/sandbox/requests"})
	requests, _ := resp.json["requests"].([]any)
	if len(requests) != 2 {
		t.Fatalf("GET /sandbox/requests: %d requests, want the 2 outside /sandbox/:\n%s", len(requests), resp.body)
	}
	first, second := requests[0].(map[string]any), requests[1].(map[string]any)
	checks := map[string][2]any{
		"first method":         {first["method"], "GET"},
		"first status":         {first["status"], 400.0}, // a key in the query is refused
		"first query":          {first["query"], "keyword=doha&api_key=[redacted]"},
		"first api_key":        {fmt.Sprint(first["headers"].(map[string]any)["Api_key"]), "[[redacted]]"},
		"first cookie":         {fmt.Sprint(first["headers"].(map[string]any)["Cookie"]), "[[redacted]]"},
		"second status":        {second["status"], 201.0},
		"second injected":      {second["injected"], false},
		"second authorization": {fmt.Sprint(second["headers"].(map[string]any)["Authorization"]), "[Bearer [redacted]]"},
		"second key":           {fmt.Sprint(second["headers"].(map[string]any)["Idempotency-Key"]), "[order-1]"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s: %v, want %v", name, c[0], c[1])
		}
	}
	if strings.Contains(resp.body, e.alpha.Keys["test"]) || strings.Contains(resp.body, e.alpha.Tokens["test"]) ||
		strings.Contains(resp.body, "s3cret") || strings.Contains(resp.body, "E4B73FEE") {
		t.Errorf("GET /sandbox/requests shows a credential:\n%s", resp.body)
	}
}

// TestSandboxResetForgetsEverything: reset erases the data and forgets the
// failures not yet made and the requests remembered.
func TestSandboxResetForgetsEverything(t *testing.T) {
	var erased int
	e, sb := newSandboxEnv(t, &erased)
	e.do(request{method: "POST", path: "/sandbox/fail", body: `{"status":503,"path":"/v1/clients"}`})
	if resp := e.do(request{method: "POST", path: "/sandbox/reset"}); resp.status != http.StatusOK || erased != 1 {
		t.Fatalf("POST /sandbox/reset: %d %s, erased %d times; want 200 and one erase", resp.status, resp.body, erased)
	}
	if n := len(sb.Requests()); n != 0 {
		t.Errorf("%d requests remembered after the reset, want 0", n)
	}
	if resp := e.do(request{method: "GET", path: "/v1/clients", as: e.alpha}); resp.status != http.StatusOK {
		t.Errorf("GET /v1/clients after the reset: %d, want 200 (the failure asked for before is forgotten)", resp.status)
	}
}

// TestSandboxRemembersTheLastRequests: past MaxRecordedRequests, the
// oldest are forgotten.
func TestSandboxRemembersTheLastRequests(t *testing.T) {
	var erased int
	e, sb := newSandboxEnv(t, &erased)
	for i := range httpapi.MaxRecordedRequests + 5 {
		e.do(request{method: "GET", path: fmt.Sprintf("/healthz?n=%d", i)})
	}
	got := sb.Requests()
	if len(got) != httpapi.MaxRecordedRequests || got[0].Query != "n=5" || got[len(got)-1].Query != fmt.Sprintf("n=%d", httpapi.MaxRecordedRequests+4) {
		t.Errorf("%d requests from %q to %q; want the last %d", len(got), got[0].Query, got[len(got)-1].Query, httpapi.MaxRecordedRequests)
	}
}

// listedOnWrite is a ResponseWriter that notes, when the status is
// written, how many requests the sandbox lists.
type listedOnWrite struct {
	*httptest.ResponseRecorder
	sb     *httpapi.Sandbox
	listed int
}

func (w *listedOnWrite) WriteHeader(status int) {
	w.listed = len(w.sb.Requests())
	w.ResponseRecorder.WriteHeader(status)
}

// TestSandboxListsARequestBeforeAnswering: a request is listed before any
// of its answer is written, so a client that has its answer finds it in
// GET /sandbox/requests.
func TestSandboxListsARequestBeforeAnswering(t *testing.T) {
	var erased int
	e, sb := newSandboxEnv(t, &erased)
	sb.Reset(context.Background())
	for i, r := range []*http.Request{httptest.NewRequest("GET", "/healthz", nil), httptest.NewRequest("GET", "/v1/clients", nil)} {
		w := &listedOnWrite{ResponseRecorder: httptest.NewRecorder(), sb: sb}
		e.Handler.ServeHTTP(w, r)
		if w.listed != i+1 {
			t.Errorf("%s %s: %d requests listed when its status was written, want %d", r.Method, r.URL.Path, w.listed, i+1)
		}
	}
}
