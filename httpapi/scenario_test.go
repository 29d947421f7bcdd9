package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora/internal/apitest"
)

// scenario is one request through the real router on a real database and
// what must come back. build, when set, makes the request from the
// environment (for ids made in setup).
type scenario struct {
	name       string
	req        request
	build      func(e *env) request
	wantStatus int
	wantCode   string
	check      func(t *testing.T, e *env, resp response)
}

func runScenarios(t *testing.T, st apitest.Store, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			e := newEnv(t, st)
			req := sc.req
			if sc.build != nil {
				req = sc.build(e)
			}
			resp := e.do(req)
			if resp.status != sc.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", resp.status, sc.wantStatus, resp.body)
			}
			if sc.wantCode != "" {
				checkErrorShape(t, resp, sc.wantCode)
			}
			if sc.check != nil {
				sc.check(t, e, resp)
			}
		})
	}
}

// checkErrorShape holds an error answer to the contract's one shape.
func checkErrorShape(t *testing.T, resp response, code string) {
	t.Helper()
	if resp.json["status"] != "ERROR" || resp.code() != code {
		t.Fatalf("body = %s, want status ERROR and code %s", resp.body, code)
	}
	e, ok := resp.json["error"].(map[string]any)
	if !ok { // Authorize's shape: error is the message, the rest beside it
		e = map[string]any{"message": resp.json["error"], "request_id": resp.json["request_id"]}
	}
	if msg, _ := e["message"].(string); msg == "" {
		t.Errorf("error has no message: %s", resp.body)
	}
	if id, _ := e["request_id"].(string); id == "" || id != resp.header.Get("X-Request-Id") {
		t.Errorf("error.request_id = %v, X-Request-Id = %q", e["request_id"], resp.header.Get("X-Request-Id"))
	}
}

// fieldNamed checks that the error's fields name field.
func fieldNamed(field string) func(t *testing.T, e *env, resp response) {
	return func(t *testing.T, e *env, resp response) {
		t.Helper()
		fields, _ := resp.json["error"].(map[string]any)["fields"].([]any)
		for _, f := range fields {
			if f.(map[string]any)["field"] == field {
				return
			}
		}
		t.Errorf("error fields do not name %q: %s", field, resp.body)
	}
}

// unchanged checks that alpha still has exactly want clients.
func unchanged(want int) func(t *testing.T, e *env, resp response) {
	return func(t *testing.T, e *env, resp response) {
		t.Helper()
		list := e.do(request{method: "GET", path: "/v1/clients", as: e.alpha})
		if got := list.json["total_count"]; got != float64(want) {
			t.Errorf("alpha has %v clients after the request, want %d", got, want)
		}
	}
}

func both(checks ...func(t *testing.T, e *env, resp response)) func(t *testing.T, e *env, resp response) {
	return func(t *testing.T, e *env, resp response) {
		for _, c := range checks {
			c(t, e, resp)
		}
	}
}

func TestStrictJSON(t *testing.T) { apitest.EachStore(t, testStrictJSON) }

func testStrictJSON(t *testing.T, st apitest.Store) {
	post := func(body string) func(e *env) request {
		return func(e *env) request { return request{method: "POST", path: "/v1/clients", body: body, as: e.alpha} }
	}
	runScenarios(t, st, []scenario{
		{name: "truncated", build: post(`{"name":`), wantStatus: 400, wantCode: "malformed_json", check: unchanged(0)},
		{name: "empty body", build: func(e *env) request {
			return request{method: "POST", path: "/v1/clients", header: http.Header{"Content-Type": {"application/json"}}, as: e.alpha}
		}, wantStatus: 400, wantCode: "malformed_json", check: unchanged(0)},
		{name: "top-level null", build: post(`null`), wantStatus: 400, wantCode: "malformed_json", check: unchanged(0)},
		{name: "top-level array", build: post(`[{"name":"a"}]`), wantStatus: 400, wantCode: "malformed_json", check: unchanged(0)},
		{name: "trailing data", build: post(`{"name":"a"} x`), wantStatus: 400, wantCode: "malformed_json", check: unchanged(0)},
		{name: "two objects", build: post(`{"name":"a"}{"name":"b"}`), wantStatus: 400, wantCode: "malformed_json", check: unchanged(0)},
		{name: "deep nesting", build: post(`{"name":` + strings.Repeat("[", 20000)), wantStatus: 400, wantCode: "malformed_json", check: unchanged(0)},
		{name: "duplicate key", build: post(`{"name":"a","name":"b"}`), wantStatus: 400, wantCode: "duplicate_field", check: both(fieldNamed("name"), unchanged(0))},
		{name: "duplicate key in other case", build: post(`{"name":"a","Name":"b"}`), wantStatus: 400, wantCode: "duplicate_field", check: unchanged(0)},
		{name: "note and notes that differ", build: post(`{"name":"a","notes":"x","note":"y"}`), wantStatus: 400, wantCode: "invalid_field", check: both(fieldNamed("note"), fieldNamed("notes"), unchanged(0))},
		{name: "note and note in other case", build: post(`{"name":"a","note":"x","NOTE":"x"}`), wantStatus: 400, wantCode: "duplicate_field", check: unchanged(0)},
		{name: "unknown field", build: post(`{"name":"a","merchant_id":"B"}`), wantStatus: 400, wantCode: "unknown_field", check: both(fieldNamed("merchant_id"), unchanged(0))},
		{name: "id that is no number", build: post(`{"name":"a","id":"five"}`), wantStatus: 400, wantCode: "invalid_field", check: both(fieldNamed("id"), unchanged(0))},
		{name: "id that is a boolean", build: post(`{"name":"a","id":true}`), wantStatus: 400, wantCode: "invalid_field", check: both(fieldNamed("id"), unchanged(0))},
		{name: "null name", build: post(`{"name":null}`), wantStatus: 400, wantCode: "invalid_field", check: both(fieldNamed("name"), unchanged(0))},
		{name: "boolean name", build: post(`{"name":true}`), wantStatus: 400, wantCode: "invalid_field", check: both(fieldNamed("name"), unchanged(0))},
		{name: "array phone", build: post(`{"name":"a","phone":["1"]}`), wantStatus: 400, wantCode: "invalid_field", check: both(fieldNamed("phone"), unchanged(0))},
		{name: "object name", build: post(`{"name":{}}`), wantStatus: 400, wantCode: "invalid_field", check: fieldNamed("name")},
		{name: "raw invalid UTF-8", build: post("{\"name\":\"\xff\xfe\"}"), wantStatus: 400, wantCode: "invalid_field", check: both(fieldNamed("name"), unchanged(0))},
		{name: "lone surrogate", build: post(`{"name":"\ud800"}`), wantStatus: 400, wantCode: "invalid_field", check: unchanged(0)},
		{name: "NUL in name", build: post(`{"name":"a\u0000b"}`), wantStatus: 400, wantCode: "invalid_field", check: unchanged(0)},
		{name: "null optional field is no value", build: post(`{"name":"a","phone":null}`), wantStatus: 201,
			check: func(t *testing.T, e *env, resp response) {
				if resp.client()["phone"] != "" {
					t.Errorf("phone = %v, want empty", resp.client()["phone"])
				}
			}},
		{name: "keys in any case", build: post(`{"NAME":"Upper","eMail":"u@example.com"}`), wantStatus: 201,
			check: func(t *testing.T, e *env, resp response) {
				if c := resp.client(); c["name"] != "Upper" || c["email"] != "u@example.com" {
					t.Errorf("client = %v", c)
				}
			}},
	})
}

func TestValidation(t *testing.T) { apitest.EachStore(t, testValidation) }

func testValidation(t *testing.T, st apitest.Store) {
	post := func(body string) func(e *env) request {
		return func(e *env) request { return request{method: "POST", path: "/v1/clients", body: body, as: e.alpha} }
	}
	runScenarios(t, st, []scenario{
		{name: "missing name", build: post(`{"email":"a@example.com"}`), wantStatus: 400, wantCode: "invalid_field", check: both(fieldNamed("name"), unchanged(0))},
		{name: "blank name", build: post(`{"name":" \t\n\u00a0\u200b"}`), wantStatus: 400, wantCode: "invalid_field", check: fieldNamed("name")},
		{name: "name too long", build: post(`{"name":"` + strings.Repeat("😀", 201) + `"}`), wantStatus: 400, wantCode: "invalid_field", check: fieldNamed("name")},
		{name: "name at the limit", build: post(`{"name":"` + strings.Repeat("😀", 200) + `"}`), wantStatus: 201},
		{name: "bad email", build: post(`{"name":"a","email":"not an address"}`), wantStatus: 400, wantCode: "invalid_field", check: fieldNamed("email")},
		{name: "email too long", build: post(`{"name":"a","email":"` + strings.Repeat("a", 1000) + `@example.com"}`), wantStatus: 400, wantCode: "invalid_field", check: fieldNamed("email")},
		{name: "notes too long", build: post(`{"name":"a","notes":"` + strings.Repeat("n", 20000) + `"}`), wantStatus: 400, wantCode: "invalid_field", check: fieldNamed("notes")},
		{name: "control character", build: post(`{"name":"a","phone":"12\u00073"}`), wantStatus: 400, wantCode: "invalid_field", check: fieldNamed("phone")},
		{name: "several problems at once", build: post(`{"name":"","email":"x"}`), wantStatus: 400, wantCode: "invalid_field", check: both(fieldNamed("name"), fieldNamed("email"))},
		{name: "arabic and emoji round-trip", build: post(`{"name":"مريم الكواري 🌙","phone":"+٩٧٤ ٥٥٥٥ ١٢٣٤","address":"الدوحة\nقطر","notes":"VIP ⭐"}`), wantStatus: 201,
			check: func(t *testing.T, e *env, resp response) {
				got := e.do(request{method: "GET", path: fmt.Sprintf("/v1/clients/%.0f", resp.client()["id"]), as: e.alpha}).client()
				want := map[string]string{"name": "مريم الكواري 🌙", "phone": "+٩٧٤ ٥٥٥٥ ١٢٣٤", "address": "الدوحة\nقطر", "notes": "VIP ⭐"}
				for k, v := range want {
					if got[k] != v {
						t.Errorf("%s = %q, want %q", k, got[k], v)
					}
				}
			}},
		{name: "decomposed text stored as NFC", build: post(`{"name":"Jose\u0301"}`), wantStatus: 201,
			check: func(t *testing.T, e *env, resp response) {
				if resp.client()["name"] != "Jos\u00e9" {
					t.Errorf("name = %+q, want NFC", resp.client()["name"])
				}
			}},
	})
}
