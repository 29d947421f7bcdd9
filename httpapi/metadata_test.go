package httpapi_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fatora-oss/fatora/internal/apitest"
)

func TestMetadata(t *testing.T) { apitest.EachStore(t, testMetadata) }

// testMetadata: metadata in, merged, out ({} when empty), filtered, and in
// the update event's previous values.
func testMetadata(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	plain := e.do(request{method: "GET", path: fmt.Sprint("/v1/clients/", e.create(e.alpha, `{"name":"Plain"}`)), as: e.alpha})
	if m, ok := plain.client()["metadata"].(map[string]any); !ok || len(m) != 0 {
		t.Errorf("a client without metadata shows %s", plain.body)
	}
	id := e.create(e.alpha, `{"name":"Meta Musa","Metadata":{"crm_id":42,"tier":"gold","gone":null}}`)
	path := fmt.Sprint("/v1/clients/", id)
	got := e.want(request{method: "GET", path: path, as: e.alpha}, http.StatusOK, "").client()["metadata"]
	if want := map[string]any{"crm_id": "42", "tier": "gold"}; !cmp.Equal(got, want) {
		t.Errorf("metadata = %v, want %v", got, want)
	}
	upd := e.want(request{method: "PATCH", path: path, body: `{"metadata":{"tier":"","erp":"E-1"}}`, as: e.alpha}, http.StatusOK, "")
	if want := map[string]any{"crm_id": "42", "erp": "E-1"}; !cmp.Equal(upd.client()["metadata"], want) {
		t.Errorf("after the update %v, want %v", upd.client()["metadata"], want)
	}
	list := e.want(request{method: "GET", path: "/v1/clients?metadata[crm_id]=42&METADATA[erp]=E-1", as: e.alpha}, http.StatusOK, "")
	if clients, _ := list.json["clients"].([]any); len(clients) != 1 || list.json["total_count"] != 1.0 {
		t.Errorf("the filtered list: %s", list.body)
	}
	for _, q := range []string{"metadata[crm_id]=43", "metadata[CRM_ID]=42", "metadata[crm_id]=42&metadata[tier]=gold"} {
		if l := e.do(request{method: "GET", path: "/v1/clients?" + q, as: e.alpha}); l.json["total_count"] != 0.0 {
			t.Errorf("%s matched: %s", q, l.body)
		}
	}
	if l := e.do(request{method: "GET", path: "/v1/clients?metadata[crm_id]=42", as: e.beta}); l.json["total_count"] != 0.0 {
		t.Errorf("another merchant's filter matched: %s", l.body)
	}
	events := e.want(request{method: "GET", path: fmt.Sprint("/v1/events?type=client.updated&client_id=", id), as: e.alpha}, http.StatusOK, "")
	if !strings.Contains(events.body, `"metadata":{"erp":null,"tier":"gold"}`) {
		t.Errorf("the update event's previous metadata: %s", events.body)
	}
}

func TestMetadataRefusals(t *testing.T) { apitest.EachStore(t, testMetadataRefusals) }

// testMetadataRefusals: metadata that breaks a rule is a 400 naming it,
// never dropped.
func testMetadataRefusals(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	many := make([]string, 51)
	for i := range many {
		many[i] = fmt.Sprintf(`"k%d":"v"`, i)
	}
	for body, code := range map[string]string{
		`{"name":"A","metadata":null}`:                                     "invalid_field",
		`{"name":"A","metadata":"crm=1"}`:                                  "invalid_field",
		`{"name":"A","metadata":{"crm id":"1"}}`:                           "invalid_field",
		`{"name":"A","metadata":{"k":"` + strings.Repeat("v", 501) + `"}}`: "invalid_field",
		`{"name":"A","metadata":{"k":["1"]}}`:                              "invalid_field",
		`{"name":"A","metadata":{"k":"1","k":"2"}}`:                        "duplicate_field",
		`{"name":"A","metadata":{` + strings.Join(many, ",") + `}}`:        "invalid_field",
	} {
		e.want(request{method: "POST", path: "/v1/clients", body: body, as: e.alpha}, http.StatusBadRequest, code)
	}
	for _, q := range []string{"metadata[bad key]=1", "metadata[k]=", "metadata[k]=1&metadata[k]=2", "metadata[]=1"} {
		e.want(request{method: "GET", path: "/v1/clients?" + url.PathEscape(q), as: e.alpha}, http.StatusBadRequest, "invalid_query")
	}
}
