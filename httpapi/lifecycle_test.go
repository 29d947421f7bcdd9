package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/fatora-oss/fatora/internal/apitest"
)

func TestDeleteAndRestore(t *testing.T) { apitest.EachStore(t, testDeleteAndRestore) }

// testDeleteAndRestore: a deleted client is gone from get and list, shows
// in the list of deleted clients, can be created again, and comes back by
// a restore unless a live client holds its data by then.
func testDeleteAndRestore(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	const body = `{"name":"Soft Salma","email":"salma@example.com"}`
	id := e.create(e.alpha, body)
	path := fmt.Sprint("/v1/clients/", id)
	e.want(request{method: "DELETE", path: path, as: e.alpha}, http.StatusNoContent, "")
	e.want(request{method: "GET", path: path, as: e.alpha}, http.StatusNotFound, "not_found")
	if list := e.do(request{method: "GET", path: "/v1/clients", as: e.alpha}); list.json["total_count"] != 0.0 {
		t.Errorf("the live list after a delete: %s", list.body)
	}
	gone := e.do(request{method: "GET", path: "/v1/clients?status=deleted", as: e.alpha})
	clients, _ := gone.json["clients"].([]any)
	if len(clients) != 1 || clients[0].(map[string]any)["deleted_at"] != "2026-11-27T12:00:00.000Z" {
		t.Fatalf("the deleted list: %s", gone.body)
	}
	again := e.create(e.alpha, body)
	dup := e.want(request{method: "POST", path: path + "/restore", as: e.alpha}, http.StatusConflict, "duplicate_client")
	if dup.json["error"].(map[string]any)["existing_client_id"] != float64(again) {
		t.Errorf("restore over a duplicate: %s, want it to name %d", dup.body, again)
	}
	e.want(request{method: "DELETE", path: fmt.Sprint("/v1/clients/", again), as: e.alpha}, http.StatusNoContent, "")
	e.want(request{method: "POST", path: path + "/restore", as: e.beta}, http.StatusNotFound, "not_found")
	back := e.want(request{method: "POST", path: path + "/restore", body: "{}", as: e.alpha}, http.StatusOK, "")
	if c := back.client(); c["id"] != float64(id) || c["name"] != "Soft Salma" || c["deleted_at"] != nil {
		t.Errorf("restore answered %s", back.body)
	}
	e.want(request{method: "POST", path: path + "/restore", as: e.alpha}, http.StatusNotFound, "not_found")
	e.want(request{method: "GET", path: path, as: e.alpha}, http.StatusOK, "")
}

func TestLifecycleRefusals(t *testing.T) { apitest.EachStore(t, testLifecycleRefusals) }

// testLifecycleRefusals: parameters and bodies of the lifecycle that are
// not understood are refused, not ignored; an idempotency key names one
// kind of delete.
func testLifecycleRefusals(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	id := e.create(e.alpha, `{"name":"Kept Karim"}`)
	path := fmt.Sprint("/v1/clients/", id)
	for _, q := range []string{"?permanent=maybe", "?colour=red", "?permanent=true&permanent=false"} {
		e.want(request{method: "DELETE", path: path + q, as: e.alpha}, http.StatusBadRequest, "invalid_query")
	}
	e.want(request{method: "GET", path: "/v1/clients?status=archived", as: e.alpha}, http.StatusBadRequest, "invalid_query")
	e.want(request{method: "POST", path: path + "/restore", body: `{"id":1}`, as: e.alpha}, http.StatusBadRequest, "unknown_field")
	e.want(request{method: "DELETE", path: path, header: key("del-1"), as: e.alpha}, http.StatusNoContent, "")
	e.want(request{method: "DELETE", path: path + "?permanent=true", header: key("del-1"), as: e.alpha},
		http.StatusUnprocessableEntity, "idempotency_key_reused")
	first := e.want(request{method: "POST", path: path + "/restore", header: key("res-1"), as: e.alpha}, http.StatusOK, "")
	replay := e.want(request{method: "POST", path: path + "/restore", header: key("res-1"), as: e.alpha}, http.StatusOK, "")
	if replay.body != first.body || replay.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("a retried restore = %s %v, want the first answer replayed", replay.body, replay.header)
	}
	e.want(request{method: "DELETE", path: path + "?permanent=true", as: e.alpha}, http.StatusNoContent, "")
	e.want(request{method: "POST", path: path + "/restore", as: e.alpha}, http.StatusNotFound, "not_found")
	if gone := e.do(request{method: "GET", path: "/v1/clients?status=deleted", as: e.alpha}); gone.json["total_count"] != 0.0 {
		t.Errorf("an erased client is listed as deleted: %s", gone.body)
	}
}

// want makes req and fails unless it answers status with the error code
// (none when code is "").
func (e *env) want(req request, status int, code string) response {
	e.t.Helper()
	r := e.do(req)
	if r.status != status || r.code() != code {
		e.t.Fatalf("%s %s = %d %s, want %d %s", req.method, req.path, r.status, r.body, status, code)
	}
	return r
}

func TestClientHistory(t *testing.T) { apitest.EachStore(t, testClientHistory) }

// testClientHistory: GET /v1/clients/{id}/events lists the client's events
// newest first, also once deleted, and follows its cursor to older ones.
func testClientHistory(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	id := e.create(e.alpha, `{"name":"History Hamad"}`)
	path := fmt.Sprint("/v1/clients/", id)
	e.want(request{method: "PATCH", path: path, body: `{"phone":"+974 5555 0000"}`, as: e.alpha}, http.StatusOK, "")
	e.want(request{method: "DELETE", path: path, as: e.alpha}, http.StatusNoContent, "")
	first := e.want(request{method: "GET", path: path + "/events?limit=2", as: e.alpha}, http.StatusOK, "")
	events, _ := first.json["events"].([]any)
	if len(events) != 2 || events[0].(map[string]any)["type"] != "client.deleted" || first.json["has_more"] != true {
		t.Fatalf("the first page: %s", first.body)
	}
	rest := e.want(request{method: "GET", path: path + "/events?limit=2&cursor=" + first.json["next_cursor"].(string), as: e.alpha},
		http.StatusOK, "")
	if events, _ := rest.json["events"].([]any); len(events) != 1 || events[0].(map[string]any)["type"] != "client.created" {
		t.Fatalf("the second page: %s", rest.body)
	}
	e.want(request{method: "GET", path: path + "/events", as: e.beta}, http.StatusNotFound, "not_found")
	e.want(request{method: "GET", path: path + "/events?client_id=1", as: e.alpha}, http.StatusBadRequest, "invalid_query")
}
