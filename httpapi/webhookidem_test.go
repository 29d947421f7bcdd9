package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/fatora-oss/fatora/internal/apitest"
)

func TestWebhookEndpointIdempotency(t *testing.T) {
	apitest.EachStore(t, testWebhookEndpointIdempotency)
}

// testWebhookEndpointIdempotency: a create, update or delete of a webhook
// endpoint retried with its Idempotency-Key gets the first answer again
// and changes nothing; the key with another body is refused.
func testWebhookEndpointIdempotency(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	const body = `{"url":"https://crm.example.com/hooks"}`
	first := e.want(request{method: "POST", path: "/v1/webhook_endpoints", body: body, header: key("we-1"), as: e.alpha}, http.StatusCreated, "")
	again := e.want(request{method: "POST", path: "/v1/webhook_endpoints", body: body, header: key("we-1"), as: e.alpha}, http.StatusCreated, "")
	if again.body != first.body || again.header.Get("Idempotent-Replayed") != "true" || again.header.Get("Location") != first.header.Get("Location") {
		t.Errorf("a retried create = %s %v\nwant %s", again.body, again.header, first.body)
	}
	if list := e.do(request{method: "GET", path: "/v1/webhook_endpoints", as: e.alpha}); len(list.json["webhook_endpoints"].([]any)) != 1 {
		t.Errorf("after a retried create: %s", list.body)
	}
	e.want(request{method: "POST", path: "/v1/webhook_endpoints", body: `{"url":"https://other.example.com/h"}`, header: key("we-1"), as: e.alpha},
		http.StatusUnprocessableEntity, "idempotency_key_reused")
	path := first.header.Get("Location")
	upd := e.want(request{method: "PATCH", path: path, body: `{"description":"CRM"}`, header: key("we-2"), as: e.alpha}, http.StatusOK, "")
	if again := e.want(request{method: "PATCH", path: path, body: `{"description":"CRM"}`, header: key("we-2"), as: e.alpha},
		http.StatusOK, ""); again.body != upd.body || again.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("a retried update = %s %v", again.body, again.header)
	}
	e.want(request{method: "DELETE", path: path, header: key("we-3"), as: e.alpha}, http.StatusNoContent, "")
	if again := e.want(request{method: "DELETE", path: path, header: key("we-3"), as: e.alpha}, http.StatusNoContent, ""); again.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("a retried delete was not replayed: %v", again.header)
	}
	e.want(request{method: "DELETE", path: path, as: e.alpha}, http.StatusNotFound, "not_found")
}
