package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/fatora-oss/fatora/internal/apitest"
)

func TestBulk(t *testing.T) { apitest.EachStore(t, testBulk) }

// testBulk: POST /v1/clients/bulk answers one result per id, in order,
// with each client's own status; a retry with the key replays it; a body
// out of the rules is refused whole.
func testBulk(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	one, two := e.create(e.alpha, `{"name":"Bulk A"}`), e.create(e.alpha, `{"name":"Bulk B"}`)
	body := fmt.Sprintf(`{"action":"delete","ids":[%d,999999,%d]}`, one, two)
	del := e.want(request{method: "POST", path: "/v1/clients/bulk", body: body, header: key("bulk-1"), as: e.alpha}, http.StatusOK, "")
	want := fmt.Sprintf(`{"status":"SUCCESS","results":[{"id":%d,"status":204},{"id":999999,"status":404,"error":`+
		`{"code":"not_found","message":"No client with this id exists."}},{"id":%d,"status":204}]}`, one, two)
	if del.body != want+"\n" && del.body != want {
		t.Errorf("bulk delete = %s\nwant %s", del.body, want)
	}
	replay := e.want(request{method: "POST", path: "/v1/clients/bulk", body: body, header: key("bulk-1"), as: e.alpha}, http.StatusOK, "")
	if replay.body != del.body || replay.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("a retried bulk = %s %v", replay.body, replay.header)
	}
	e.create(e.alpha, `{"name":"Bulk A"}`)
	res := e.want(request{method: "POST", path: "/v1/clients/bulk", body: fmt.Sprintf(`{"action":"restore","ids":[%d,%d]}`, one, two),
		as: e.alpha}, http.StatusOK, "")
	results := res.json["results"].([]any)
	first, second := results[0].(map[string]any), results[1].(map[string]any)
	if first["status"] != 409.0 || first["error"].(map[string]any)["code"] != "duplicate_client" ||
		second["status"] != 200.0 || second["client"] != nil {
		t.Errorf("bulk restore = %s", res.body)
	}
	for b, code := range map[string]string{
		`{"action":"archive","ids":[1]}`:           "invalid_field",
		`{"action":"delete","ids":[]}`:             "invalid_field",
		`{"action":"delete","ids":[1,1]}`:          "invalid_field",
		`{"action":"delete","ids":["1"]}`:          "invalid_field",
		`{"action":"delete"}`:                      "invalid_field",
		`{"action":"delete","ids":[1],"all":true}`: "unknown_field",
	} {
		e.want(request{method: "POST", path: "/v1/clients/bulk", body: b, as: e.alpha}, http.StatusBadRequest, code)
	}
}
