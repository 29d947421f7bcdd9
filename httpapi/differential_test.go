package httpapi_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fatora-oss/fatora/internal/apitest"
	"github.com/fatora-oss/fatora/internal/testenv"
)

// differentialScript is a sequence of requests whose answers must be the
// same, byte for byte apart from ids, times and request ids, on every
// store. "{cN}" in a path or body stands for the id of the N-th client
// created in the run.
var differentialScript = []request{
	{method: "POST", path: "/v1/clients", body: seedCurlBody},
	{method: "POST", path: "/v1/clients", body: seedCSharpBody},
	{method: "POST", path: "/v1/clients", body: `{"name":"مريم الكواري 🌙","phone":"+٩٧٤ ٥٥٥٥ ١٢٣٤","email":"Maryam@Example.QA","address":"الدوحة\nقطر","notes":"VIP ⭐"}`},
	{method: "POST", path: "/v1/clients", body: `{"name":"Maryam dup","phone":"0097455551234","email":"maryam@example.qa"}`},
	{method: "POST", path: "/v1/clients", body: `{"name":"مريم الكواري 🌙","phone":"0097455551234","email":"MARYAM@example.qa","address":"الدوحة\nقطر"}`},
	{method: "POST", path: "/v1/clients", body: `{"name":"a\u0000b"}`},
	{method: "POST", path: "/v1/clients", body: `{"name":"ok","notes":"nul \u0000 inside"}`},
	{method: "POST", path: "/v1/clients", body: `{"name":"` + strings.Repeat("😀", 200) + `"}`},
	{method: "POST", path: "/v1/clients", body: `{"name":"` + strings.Repeat("😀", 201) + `"}`},
	{method: "POST", path: "/v1/clients", body: `{"name":"x","notes":"` + strings.Repeat("ن", 5000) + `"}`},
	{method: "POST", path: "/v1/clients", body: `{"name":"x","email":"` + strings.Repeat("a", 243) + `@example.com"}`},
	{method: "POST", path: "/v1/clients", body: `{"name":"École Française","email":"office@ecole.example","phone":"+33 1 23 45 67 89"}`},
	{method: "POST", path: "/v1/clients", body: `{"name":"100% Cotton_Shop","phone":"4455"}`},
	{method: "POST", path: "/v1/clients", body: "{\"name\":\"\xff\"}"},
	{method: "GET", path: "/v1/clients"},
	{method: "GET", path: "/v1/clients?page_size=2&page=2"},
	{method: "GET", path: "/v1/clients?keyword=%C3%A9cole"},
	{method: "GET", path: "/v1/clients?keyword=%25"},
	{method: "GET", path: "/v1/clients?keyword=_"},
	{method: "GET", path: "/v1/clients?keyword=5555%201234"},
	{method: "GET", path: "/v1/clients?email=MARYAM@EXAMPLE.QA"},
	{method: "GET", path: "/v1/clients?keyword=%00"},
	{method: "GET", path: "/v1/clients/{c2}"},
	{method: "PATCH", path: "/v1/clients/{c2}", body: `{"notes":null,"Phone":"+974 5555 9999"}`},
	{method: "PUT", path: "/v1/clients/{c0}", body: `{"name":"Maryam dup","phone":"+97455559999","email":"MARYAM@example.qa","address":"","notes":""}`},
	{method: "PUT", path: "/v1/clients/{c0}", body: `{"name":"\t"}`},
	{method: "DELETE", path: "/v1/clients/{c1}"},
	{method: "GET", path: "/v1/clients/{c1}"},
	{method: "GET", path: "/v1/clients/999999999"},
	{method: "GET", path: "/v1/clients?page=3&page_size=100"},
	// Arabic variants and phone forms (issue 12): the merchant's region is QA.
	{method: "POST", path: "/v1/clients", body: `{"name":"أحمد الكعبي","phone":"5512 3456","address":"Doha"}`},
	{method: "POST", path: "/v1/clients", body: `{"name":"احمد الكعبى","phone":"+974 5512 3456","address":"DOHA"}`},
	{method: "POST", path: "/v1/clients", body: `{"name":"فاطمة مُحَمَّد","phone":"٠٠٩٧٤٦٦١٢٣٤٥٦"}`},
	{method: "GET", path: "/v1/clients?keyword=" + url.QueryEscape("احمد")},
	{method: "GET", path: "/v1/clients?keyword=" + url.QueryEscape("فاطمه")},
	{method: "GET", path: "/v1/clients?keyword=" + url.QueryEscape("محمد")},
	{method: "GET", path: "/v1/clients?keyword=Doha"},
	{method: "GET", path: "/v1/clients?keyword=" + url.QueryEscape("+974 5512 3456")},
	{method: "GET", path: "/v1/clients?keyword=0097455123456"},
	{method: "GET", path: "/v1/clients?keyword=" + url.QueryEscape("٥٥١٢٣٤٥٦")},
	{method: "GET", path: "/v1/clients?keyword=66123456"},
	{method: "GET", path: "/v1/clients?keyword=" + url.QueryEscape("ف")},
	{method: "GET", path: "/v1/clients?keyword=d"},
	{method: "GET", path: "/v1/clients?keyword=%25"},
	// The lifecycle: deleted clients listed, created again, restored.
	{method: "GET", path: "/v1/clients?status=deleted"},
	{method: "POST", path: "/v1/clients", body: seedCSharpBody},
	{method: "POST", path: "/v1/clients/{c1}/restore"},
	{method: "DELETE", path: "/v1/clients/{c2}"},
	{method: "GET", path: "/v1/clients?status=deleted&keyword=%D9%85%D8%B1%D9%8A%D9%85"},
	{method: "GET", path: "/v1/clients?keyword=%D9%85%D8%B1%D9%8A%D9%85"},
	{method: "POST", path: "/v1/clients/{c2}/restore"},
	{method: "POST", path: "/v1/clients/{c2}/restore"},
	{method: "DELETE", path: "/v1/clients/{c1}?permanent=true"},
	{method: "POST", path: "/v1/clients/{c1}/restore"},
	{method: "GET", path: "/v1/clients?status=deleted"},
	{method: "GET", path: "/v1/clients"},
	// Metadata: kept, merged, filtered, refused.
	{method: "POST", path: "/v1/clients", body: `{"name":"Meta","metadata":{"crm_id":"42","z":"٤٢","a.b-c_d":"x"}}`},
	{method: "POST", path: "/v1/clients", body: `{"name":"Meta bad","metadata":{"bad key":"1"}}`},
	{method: "GET", path: "/v1/clients?metadata[crm_id]=42"},
	{method: "GET", path: "/v1/clients?metadata[z]=%D9%A4%D9%A2&metadata[crm_id]=42"},
	{method: "PATCH", path: "/v1/clients/{c2}", body: `{"metadata":{"crm_id":"42","x":null}}`},
	{method: "GET", path: "/v1/clients?metadata[crm_id]=42"},
	{method: "GET", path: "/v1/clients?metadata[crm_id]=4"},
}

func TestStoresAnswerAlike(t *testing.T) {
	testenv.PostgresURL(t) // skips (or fails, where PostgreSQL is required) before the SQLite half runs
	sqliteRun := runScript(t, newEnv(t, apitest.SQLite()))
	postgresRun := runScript(t, newEnv(t, apitest.PostgreSQL()))
	if diff := cmp.Diff(sqliteRun, postgresRun); diff != "" {
		t.Errorf("SQLite and PostgreSQL answer differently (-sqlite +postgres):\n%s", diff)
	}
}

var (
	idMember   = regexp.MustCompile(`"(id|existing_client_id)":(\d+)`)
	timeMember = regexp.MustCompile(`"(created_at|updated_at|deleted_at)":"[^"]+"`)
	reqID      = regexp.MustCompile(`"request_id":"[^"]+"`)
	cursor     = regexp.MustCompile(`"next_cursor":"[^"]+"`)
)

// runScript sends the script as alpha and returns each answer as
// "status body", with ids replaced by their order of creation.
func runScript(t *testing.T, e *env) []string {
	var ids []string
	ordinal := map[string]string{}
	var out []string
	for _, req := range differentialScript {
		template := req.path
		for i, id := range ids {
			req.path = strings.ReplaceAll(req.path, fmt.Sprintf("{c%d}", i), id)
		}
		req.as = e.alpha
		resp := e.do(req)
		if id, ok := resp.client()["id"].(float64); ok && resp.status == 201 {
			s := fmt.Sprintf("%.0f", id)
			ids, ordinal[s] = append(ids, s), fmt.Sprintf("c%d", len(ids))
		}
		body := idMember.ReplaceAllStringFunc(resp.body, func(m string) string {
			parts := idMember.FindStringSubmatch(m)
			return `"` + parts[1] + `":"` + ordinal[parts[2]] + `"`
		})
		body = reqID.ReplaceAllString(timeMember.ReplaceAllString(body, `"$1":"T"`), `"request_id":"R"`)
		body = cursor.ReplaceAllString(body, `"next_cursor":"C"`)
		out = append(out, fmt.Sprintf("%s %s -> %d %s", req.method, template, resp.status, body))
	}
	return out
}
