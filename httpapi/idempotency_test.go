package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/fatora-oss/fatora/internal/apitest"
)

func key(k string) http.Header { return http.Header{"Idempotency-Key": {k}} }

func TestIdempotentRetries(t *testing.T) { apitest.EachStore(t, testIdempotentRetries) }

func testIdempotentRetries(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	first := e.do(request{method: "POST", path: "/v1/clients", body: seedCurlBody, header: key("order-42"), as: e.alpha})
	if first.status != 201 || first.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first = %d %v %s", first.status, first.header, first.body)
	}
	e.Clock.Advance(3e9)
	retries := map[string]string{
		"same bytes":               seedCurlBody,
		"other case, order, space": `{ "NOTES":"Additional notes", "Email":"client@example.com","phone":"Client Phone","address":"Client Address","Name":"Client Name"}`,
	}
	for name, body := range retries {
		r := e.do(request{method: "POST", path: "/v1/clients/", body: body, header: key("order-42"), as: e.alpha})
		if r.status != 201 || r.body != first.body || r.header.Get("Idempotent-Replayed") != "true" || r.header.Get("Location") != first.header.Get("Location") {
			t.Errorf("%s: replay = %d %v %s\nwant the first answer %s", name, r.status, r.header, r.body, first.body)
		}
	}
	reused := e.do(request{method: "POST", path: "/v1/clients", body: `{"name":"Someone else"}`, header: key("order-42"), as: e.alpha})
	if reused.status != 422 || reused.code() != "idempotency_key_reused" {
		t.Errorf("same key, other body = %d %s, want 422 idempotency_key_reused", reused.status, reused.body)
	}
	other := e.do(request{method: "POST", path: "/v1/clients", body: seedCurlBody, header: key("order-42"), as: e.beta})
	if other.status != 201 || other.header.Get("Idempotent-Replayed") != "" {
		t.Errorf("another merchant's use of the key = %d %s, want its own 201", other.status, other.body)
	}
	if list := e.do(request{method: "GET", path: "/v1/clients", header: key("order-42"), as: e.alpha}); list.json["total_count"] != float64(1) {
		t.Errorf("alpha has %v clients, want 1: %s", list.json["total_count"], list.body)
	}
}

func TestIdempotencyRefusalsAreNotKept(t *testing.T) {
	apitest.EachStore(t, testIdempotencyRefusalsAreNotKept)
}

func testIdempotencyRefusalsAreNotKept(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	for _, bad := range []request{
		{body: `{"name":""}`},
		{body: `{"name":"a","bogus":1}`},
		{body: `{"name":`},
		{body: `{"name":"a"}`, header: http.Header{"Content-Type": {"text/plain"}}},
		{body: `{"name":"` + strings.Repeat("a", 70<<10) + `"}`},
	} {
		bad.method, bad.path, bad.as = "POST", "/v1/clients", e.alpha
		bad.header = http.Header{"Idempotency-Key": {"fix-me"}, "Content-Type": bad.header.Values("Content-Type")}
		if len(bad.header.Values("Content-Type")) == 0 {
			bad.header.Set("Content-Type", "application/json")
		}
		if r := e.do(bad); r.status < 400 || r.status >= 500 {
			t.Fatalf("bad request = %d %s", r.status, r.body)
		}
	}
	fixed := e.do(request{method: "POST", path: "/v1/clients", body: `{"name":"Fixed"}`, header: key("fix-me"), as: e.alpha})
	if fixed.status != 201 {
		t.Fatalf("the corrected retry = %d %s, want 201", fixed.status, fixed.body)
	}
	unauthorized := e.do(request{method: "POST", path: "/v1/clients", body: `{"name":"Fixed"}`, header: key("fix-me")})
	if unauthorized.status != 401 {
		t.Errorf("without credentials = %d, want 401 before any replay", unauthorized.status)
	}
}

func TestIdempotencyKeyValidation(t *testing.T) { apitest.EachStore(t, testIdempotencyKeyValidation) }

func testIdempotencyKeyValidation(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	for name, h := range map[string]http.Header{
		"empty":     key(""),
		"256 chars": key(strings.Repeat("k", 256)),
		"non-ASCII": key("ключ"),
		"control":   key("a\tb"),
		"two":       {"Idempotency-Key": {"a", "b"}},
	} {
		r := e.do(request{method: "POST", path: "/v1/clients", body: `{"name":"x"}`, header: h, as: e.alpha})
		if r.status != 400 || r.code() != "idempotency_key_invalid" {
			t.Errorf("%s key: %d %s, want 400 idempotency_key_invalid", name, r.status, r.body)
		}
	}
	if r := e.do(request{method: "POST", path: "/v1/clients", body: `{"name":"x"}`, header: key(strings.Repeat("k", 255)), as: e.alpha}); r.status != 201 {
		t.Errorf("255-character key: %d %s", r.status, r.body)
	}
}

func TestIdempotentUpdateAndDelete(t *testing.T) { apitest.EachStore(t, testIdempotentUpdateAndDelete) }

func testIdempotentUpdateAndDelete(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	id := e.create(e.alpha, `{"name":"Target"}`)
	path := fmt.Sprintf("/v1/clients/%d", id)
	put := e.do(request{method: "PUT", path: path, body: `{"notes":"v1"}`, header: key("u1"), as: e.alpha})
	e.do(request{method: "PUT", path: path, body: `{"notes":"v2"}`, as: e.alpha})
	again := e.do(request{method: "PUT", path: path, body: `{"notes":"v1"}`, header: key("u1"), as: e.alpha})
	if again.body != put.body || again.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replayed PUT = %s, want %s", again.body, put.body)
	}
	if got := e.do(request{method: "GET", path: path, as: e.alpha}).client()["notes"]; got != "v2" {
		t.Errorf("notes = %v after a replayed PUT, want v2 (the replay must not apply again)", got)
	}
	if r := e.do(request{method: "PATCH", path: path, body: `{"notes":"v1"}`, header: key("u1"), as: e.alpha}); r.status != 422 {
		t.Errorf("the key with PATCH instead of PUT = %d, want 422", r.status)
	}
	del := e.do(request{method: "DELETE", path: path, header: key("d1"), as: e.alpha})
	delAgain := e.do(request{method: "DELETE", path: path, header: key("d1"), as: e.alpha})
	if del.status != 204 || delAgain.status != 204 || delAgain.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("DELETE then its retry = %d, %d %v; want 204 twice, the second replayed", del.status, delAgain.status, delAgain.header)
	}
}

// TestConcurrentIdempotentCreates sends 50 identical requests with one key
// at once: exactly one client is made, and every answer is its 201 or a
// 409 idempotency_in_progress with Retry-After.
func TestConcurrentIdempotentCreates(t *testing.T) {
	apitest.EachStore(t, testConcurrentIdempotentCreates)
}

func testConcurrentIdempotentCreates(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	const n = 50
	answers := make([]response, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			answers[i] = e.do(request{method: "POST", path: "/v1/clients", body: seedCSharpBody, header: key("checkout-7"), as: e.alpha})
		})
	}
	wg.Wait()
	var created string
	for _, a := range answers {
		switch {
		case a.status == 201 && (created == "" || a.body == created):
			created = a.body
		case a.status == 409 && a.code() == "idempotency_in_progress" && a.header.Get("Retry-After") != "":
		default:
			t.Errorf("answer %d %s; want the one client's 201 or 409 in progress", a.status, a.body)
		}
	}
	if list := e.do(request{method: "GET", path: "/v1/clients", as: e.alpha}); created == "" || list.json["total_count"] != float64(1) {
		t.Fatalf("%d concurrent requests with one key made %v clients, want 1", n, list.json["total_count"])
	}
	if r := e.do(request{method: "POST", path: "/v1/clients", body: seedCSharpBody, header: key("checkout-7"), as: e.alpha}); r.body != created {
		t.Errorf("a later retry = %d %s, want the 201 %s", r.status, r.body, created)
	}
}
