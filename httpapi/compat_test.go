package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/apitest"
	"github.com/fatora-oss/fatora/token"
)

// These tests hold the server to what Fatora integrations send as real
// integrators write them (see API-CONTRACT.md, "Decisions").

func TestWriteBackUnchanged(t *testing.T) { apitest.EachStore(t, testWriteBackUnchanged) }

// testWriteBackUnchanged: every client object the API answers with (create,
// get, list item, update) can be PUT (and PATCHed) back as it is: 200, and
// nothing changes, updated_at included.
func testWriteBackUnchanged(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	created := e.do(request{method: "POST", path: "/v1/clients", as: e.alpha,
		body: `{"name":"أحمد الكعبي","phone":"+974 5512 3456","email":"ahmed@example.qa","address":"Doha","notes":"VIP"}`})
	id := int64(created.client()["id"].(float64))
	path := fmt.Sprintf("/v1/clients/%d", id)
	e.Clock.Advance(2e9) // an update that changed something would move updated_at
	answers := map[string]func() map[string]any{
		"create": func() map[string]any { return created.client() },
		"get":    func() map[string]any { return e.do(request{method: "GET", path: path, as: e.alpha}).client() },
		"list item": func() map[string]any {
			return e.do(request{method: "GET", path: "/v1/clients", as: e.alpha}).json["clients"].([]any)[0].(map[string]any)
		},
		"update": func() map[string]any {
			return e.do(request{method: "PATCH", path: path, body: `{"notes":"VIP"}`, as: e.alpha}).client()
		},
	}
	for name, answer := range answers {
		for _, method := range []string{"PUT", "PATCH"} {
			obj := answer()
			body, _ := json.Marshal(obj)
			resp := e.do(request{method: method, path: path, body: string(body), as: e.alpha})
			if resp.status != http.StatusOK {
				t.Fatalf("%s of the %s answer = %d %s", method, name, resp.status, resp.body)
			}
			if diff := cmp.Diff(created.client(), resp.client()); diff != "" {
				t.Errorf("%s of the %s answer changed the client (-before +after):\n%s", method, name, diff)
			}
		}
	}
	if got := e.do(request{method: "GET", path: path, as: e.alpha}).client(); !cmp.Equal(created.client(), got) {
		t.Errorf("stored client changed: %v, want %v", got, created.client())
	}
}

func TestClientObjectMembers(t *testing.T) { apitest.EachStore(t, testClientObjectMembers) }

// testClientObjectMembers: id, created_at, updated_at and note beside notes
// are accepted in any letter case; id must name the client of the path.
func testClientObjectMembers(t *testing.T, st apitest.Store) {
	post := func(body string) func(e *env) request {
		return func(e *env) request { return request{method: "POST", path: "/v1/clients", body: body, as: e.alpha} }
	}
	update := func(method, body string) func(e *env) request {
		return func(e *env) request {
			id := e.create(e.alpha, `{"name":"Client Name","notes":"old"}`)
			return request{method: method, path: fmt.Sprintf("/v1/clients/%d", id), body: strings.ReplaceAll(body, "{ID}", fmt.Sprint(id)), as: e.alpha}
		}
	}
	clientIs := func(want map[string]any) func(t *testing.T, e *env, resp response) {
		return func(t *testing.T, e *env, resp response) {
			t.Helper()
			for k, v := range want {
				if got := resp.client()[k]; got != v {
					t.Errorf("%s = %#v, want %#v; body %s", k, got, v, resp.body)
				}
			}
		}
	}
	runScenarios(t, st, []scenario{
		{name: "C-sharp class with Id 0 on create", build: post(`{"Id":0,"Name":"Client Name","Phone":"Client Phone","Email":"client@example.com","Address":"Client Address","Note":"Additional notes"}`),
			wantStatus: 201, check: clientIs(map[string]any{"id": float64(1), "name": "Client Name", "notes": "Additional notes"})},
		{name: "id ignored on create", build: post(`{"id":777,"name":"a"}`), wantStatus: 201, check: clientIs(map[string]any{"id": float64(1)})},
		{name: "times ignored on create", build: post(`{"name":"a","CREATED_AT":"2001-01-01T00:00:00.000Z","updated_at":null}`), wantStatus: 201,
			check: clientIs(map[string]any{"created_at": "2026-11-27T12:00:00.000Z", "updated_at": "2026-11-27T12:00:00.000Z"})},
		{name: "note and notes that agree", build: post(`{"name":"a","note":"x","notes":"x"}`), wantStatus: 201, check: clientIs(map[string]any{"note": "x", "notes": "x"})},
		{name: "note null and notes empty agree", build: post(`{"name":"a","note":null,"Notes":""}`), wantStatus: 201, check: clientIs(map[string]any{"notes": ""})},
		{name: "a member of no client object", build: post(`{"name":"a","merchant_id":1}`), wantStatus: 400, wantCode: "unknown_field",
			check: both(fieldNamed("merchant_id"), unchanged(0))},
		{name: "PUT with its own id", build: update("PUT", `{"id":{ID},"name":"New"}`), wantStatus: 200, check: clientIs(map[string]any{"name": "New"})},
		{name: "PATCH with its own id as text", build: update("PATCH", `{"ID":"{ID}","name":"New"}`), wantStatus: 200, check: clientIs(map[string]any{"name": "New"})},
		{name: "PUT with Id 0 (a .NET default)", build: update("PUT", `{"Id":0,"Name":"New"}`), wantStatus: 200, check: clientIs(map[string]any{"name": "New"})},
		{name: "PUT with another client's id", build: update("PUT", `{"id":{ID}9,"name":"New"}`), wantStatus: 400, wantCode: "invalid_field",
			check: both(fieldNamed("id"), nameStays("Client Name"))},
		{name: "PATCH with a negative id", build: update("PATCH", `{"id":-1,"name":"New"}`), wantStatus: 400, wantCode: "invalid_field",
			check: both(fieldNamed("id"), nameStays("Client Name"))},
		{name: "PUT with note and notes that differ", build: update("PUT", `{"note":"a","notes":"b"}`), wantStatus: 400, wantCode: "invalid_field",
			check: both(fieldNamed("note"), fieldNamed("notes"), nameStays("Client Name"))},
	})
}

// nameStays checks that alpha's first client still has the given name.
func nameStays(name string) func(t *testing.T, e *env, resp response) {
	return func(t *testing.T, e *env, resp response) {
		t.Helper()
		if got := e.do(request{method: "GET", path: "/v1/clients/1", as: e.alpha}).client()["name"]; got != name {
			t.Errorf("after a refused update the name is %v, want %q", got, name)
		}
	}
}

func TestNumbersForText(t *testing.T) { apitest.EachStore(t, testNumbersForText) }

// testNumbersForText: a JSON number sent for a text member is kept as its
// literal text, as Newtonsoft reads it; booleans, arrays and objects are
// refused.
func testNumbersForText(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	resp := e.do(request{method: "POST", path: "/v1/clients", as: e.alpha,
		body: `{"name":1.5e3,"phone":97455123456,"address":-0.10,"notes":12345678901234567890123}`})
	want := map[string]any{"name": "1.5e3", "phone": "97455123456", "address": "-0.10", "notes": "12345678901234567890123"}
	if resp.status != http.StatusCreated {
		t.Fatalf("create with numbers = %d %s", resp.status, resp.body)
	}
	for k, v := range want {
		if resp.client()[k] != v {
			t.Errorf("%s = %#v, want %#v", k, resp.client()[k], v)
		}
	}
	path := fmt.Sprintf("/v1/clients/%.0f", resp.client()["id"])
	if got := e.do(request{method: "PATCH", path: path, body: `{"phone":55123456}`, as: e.alpha}).client()["phone"]; got != "55123456" {
		t.Errorf("PATCH phone 55123456: phone = %#v", got)
	}
	for _, body := range []string{`{"phone":true}`, `{"phone":{"n":1}}`, `{"phone":[1]}`, `{"phone":01}`} {
		r := e.do(request{method: "PATCH", path: path, body: body, as: e.alpha})
		if r.status != http.StatusBadRequest {
			t.Errorf("PATCH %s = %d %s, want 400", body, r.status, r.body)
		}
	}
}

func TestJSONContentTypes(t *testing.T) { apitest.EachStore(t, testJSONContentTypes) }

// testJSONContentTypes: the JSON media types ASP.NET reads are accepted,
// with no charset or UTF-8; anything else is 415.
func testJSONContentTypes(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	types := map[string]int{
		"application/json": 201, "text/json": 201, "Text/JSON; charset=utf-8": 201, "application/json; charset=UTF-8": 201,
		"application/problem+json": 201, "application/vnd.fatora.client+json": 201,
		"text/plain": 415, "application/xml": 415, "text/json; charset=latin1": 415, "application/+json": 415,
		"text/jsonx": 415, "application/x-www-form-urlencoded": 415, "": 415,
	}
	for ct, want := range types {
		r := e.do(request{method: "POST", path: "/v1/clients", body: `{"name":"` + ct + `"}`, header: http.Header{"Content-Type": {ct}}, as: e.alpha})
		if r.status != want {
			t.Errorf("Content-Type %q: %d %s, want %d", ct, r.status, r.body, want)
		}
	}
}

func TestAPIKeyForms(t *testing.T) { apitest.EachStore(t, testAPIKeyForms) }

// testAPIKeyForms: a GUID key matches in any letter case, other keys only
// exactly; api-key is the same header as api_key.
func testAPIKeyForms(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	const guid = "E4B73FEE-F492-4607-A38D-852B0EBC91C9"
	e.addKey(e.alpha, fatora.ModeLive, guid)
	generated := e.alpha.Keys[fatora.ModeTest]
	tests := []struct {
		name   string
		header http.Header
		want   int
	}{
		{"GUID as documented", http.Header{"api_key": {guid}}, 200},
		{"GUID in lower case", http.Header{"api_key": {strings.ToLower(guid)}}, 200},
		{"GUID in mixed case", http.Header{"api_key": {"e4B73fee-F492-4607-a38D-852b0EBC91C9"}}, 200},
		{"generated key in other case", http.Header{"api_key": {strings.ToUpper(generated)}}, 401},
		{"api-key header", http.Header{"api-key": {generated}}, 200},
		{"API-KEY header with a lower-case GUID", http.Header{"API-KEY": {strings.ToLower(guid)}}, 200},
		{"both headers", http.Header{"api-key": {generated}, "api_key": {generated}}, 401},
	}
	for _, tt := range tests {
		for _, path := range []string{"/v1/Authorization/Authorize", "/v1/clients"} {
			if r := e.do(request{method: "GET", path: path, header: tt.header}); r.status != tt.want {
				t.Errorf("%s, GET %s: %d %s, want %d", tt.name, path, r.status, r.body, tt.want)
			}
		}
	}
	if r := e.do(request{method: "GET", path: "/v1/clients", header: http.Header{"api_key": {strings.ToLower(guid)}}}); r.json["clients"] == nil {
		t.Errorf("a lower-case GUID key did not list the live clients: %s", r.body)
	}
}

// addKey gives m a key of its own value for mode, as `fatora key create
// --api-key` does.
func (e *env) addKey(m *apitest.Merchant, mode fatora.Mode, value string) {
	e.t.Helper()
	k := &fatora.APIKey{ID: token.NewID(), MerchantID: m.ID, Mode: mode, Prefix: token.DisplayPrefix(value),
		Hash: token.HashAPIKey(token.CanonicalAPIKey(value))}
	if err := e.Services.Merchants.CreateAPIKey(t0ctx, k); err != nil {
		e.t.Fatal(err)
	}
}

func TestAuthorizeErrorShape(t *testing.T) { apitest.EachStore(t, testAuthorizeErrorShape) }

// testAuthorizeErrorShape: every failure of Authorize has error as a string,
// Fatora's wording for an unknown key, and code and request_id beside it;
// other endpoints keep the object shape.
func testAuthorizeErrorShape(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	e.revoke(e.beta, fatora.ModeTest)
	const authorize = "/v1/Authorization/Authorize"
	tests := []struct {
		name    string
		req     request
		status  int
		code    string
		message string
	}{
		{"unknown key", request{method: "GET", path: authorize, header: http.Header{"api_key": {"E4B73FEE-0000-4607-A38D-852B0EBC91C9"}}}, 401, "invalid_api_key", "Invalid API Key"},
		{"unknown key by POST", request{method: "POST", path: authorize, header: http.Header{"api_key": {"nope"}}}, 401, "invalid_api_key", "Invalid API Key"},
		{"no key", request{method: "GET", path: authorize}, 401, "unauthorized", ""},
		{"revoked key", request{method: "GET", path: authorize, header: http.Header{"api_key": {e.beta.Keys[fatora.ModeTest]}}}, 403, "key_revoked", ""},
		{"Accept excludes JSON", request{method: "GET", path: authorize, header: http.Header{"api_key": {"x"}, "Accept": {"application/xml"}}}, 406, "not_acceptable", ""},
	}
	for _, tt := range tests {
		r := e.do(tt.req)
		var body struct {
			Status    string `json:"status"`
			Error     string `json:"error"`
			Code      string `json:"code"`
			RequestID string `json:"request_id"`
		}
		if err := json.Unmarshal([]byte(r.body), &body); err != nil || r.status != tt.status {
			t.Errorf("%s: %d %s (%v), want %d with error as a string", tt.name, r.status, r.body, err, tt.status)
			continue
		}
		if body.Status != "ERROR" || body.Code != tt.code || body.Error == "" || body.RequestID != r.header.Get("X-Request-Id") ||
			(tt.message != "" && body.Error != tt.message) {
			t.Errorf("%s: body %s, want status ERROR, code %s, error %q and the request id", tt.name, r.body, tt.code, tt.message)
		}
	}
	r := e.do(request{method: "GET", path: "/v1/clients", header: http.Header{"api_key": {"nope"}}})
	if r.status != 401 || r.code() != "invalid_api_key" {
		t.Errorf("an unknown api_key on /v1/clients: %d %s, want the object shape", r.status, r.body)
	}
}
