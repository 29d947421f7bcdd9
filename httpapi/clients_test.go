package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/apitest"
)

func TestClientLifecycle(t *testing.T) { apitest.EachStore(t, testClientLifecycle) }

func testClientLifecycle(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	id := e.create(e.alpha, `{"name":"Client Name","phone":"Client Phone","email":"client@example.com","address":"Client Address","notes":"Additional notes"}`)
	path := fmt.Sprintf("/v1/clients/%d", id)

	got := e.do(request{method: "GET", path: path, as: e.alpha})
	if got.status != 200 || got.json["status"] != "SUCCESS" || got.client()["name"] != "Client Name" || got.client()["id"] != float64(id) {
		t.Fatalf("GET = %d %s", got.status, got.body)
	}
	e.Clock.Advance(1500000000) // 1.5s, so updated_at moves
	put := e.do(request{method: "PUT", path: path, body: `{"phone":"+974 5555 1234","notes":""}`, as: e.alpha})
	c := put.client()
	if put.status != 200 || c["phone"] != "+974 5555 1234" || c["notes"] != "" || c["note"] != "" || c["name"] != "Client Name" || c["address"] != "Client Address" {
		t.Fatalf("PUT = %d %s", put.status, put.body)
	}
	if c["updated_at"] == c["created_at"] {
		t.Errorf("updated_at did not move: %s", put.body)
	}
	patch := e.do(request{method: "PATCH", path: path, body: `{"Email":null,"Note":"via patch"}`, as: e.alpha})
	if c := patch.client(); patch.status != 200 || c["email"] != "" || c["notes"] != "via patch" || c["phone"] != "+974 5555 1234" {
		t.Fatalf("PATCH = %d %s", patch.status, patch.body)
	}
	for _, body := range []string{`{"name":""}`, `{"name":null}`, `{"name":"  "}`} {
		if r := e.do(request{method: "PUT", path: path, body: body, as: e.alpha}); r.status != 400 || r.code() != "invalid_field" {
			t.Errorf("PUT %s = %d %s, want 400 invalid_field", body, r.status, r.body)
		}
	}
	if r := e.do(request{method: "PUT", path: path, body: `{"id":7}`, as: e.alpha}); r.status != 400 || r.code() != "invalid_field" {
		t.Errorf("PUT with another id = %d %s, want 400 invalid_field", r.status, r.body)
	}
	if r := e.do(request{method: "PUT", path: path, body: `{"name":"x"}`, header: http.Header{"Content-Type": {"text/plain"}}, as: e.alpha}); r.status != 415 {
		t.Errorf("PUT text/plain = %d, want 415", r.status)
	}
	del := e.do(request{method: "DELETE", path: path, as: e.alpha})
	if del.status != 204 || del.body != "" || del.header.Get("X-Request-Id") == "" {
		t.Fatalf("DELETE = %d %q", del.status, del.body)
	}
	for _, method := range []string{"GET", "DELETE"} {
		if r := e.do(request{method: method, path: path, as: e.alpha}); r.status != 404 {
			t.Errorf("%s after delete = %d, want 404", method, r.status)
		}
	}
	if r := e.do(request{method: "PUT", path: path, body: `{"name":"x"}`, as: e.alpha}); r.status != 404 {
		t.Errorf("PUT after delete = %d, want 404", r.status)
	}
}

func TestUpdateToDuplicateIs409(t *testing.T) { apitest.EachStore(t, testUpdateToDuplicateIs409) }

func testUpdateToDuplicateIs409(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	first := e.create(e.alpha, `{"name":"One","email":"one@example.com"}`)
	second := e.create(e.alpha, `{"name":"Two","email":"two@example.com"}`)
	r := e.do(request{method: "PATCH", path: fmt.Sprintf("/v1/clients/%d", second), body: `{"name":"One","email":"ONE@example.com"}`, as: e.alpha})
	if r.status != 409 || r.code() != "duplicate_client" || r.json["error"].(map[string]any)["existing_client_id"] != float64(first) {
		t.Fatalf("PATCH to a duplicate = %d %s", r.status, r.body)
	}
}

func TestList(t *testing.T) { apitest.EachStore(t, testList) }

func testList(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	for i := range 25 {
		e.create(e.alpha, fmt.Sprintf(`{"name":"Client %02d","email":"c%02d@example.com","phone":"+974 5000 %04d"}`, i, i, i))
	}
	e.create(e.alpha, `{"name":"مؤسسة النور","email":"Info@AlNoor.example"}`)
	e.create(e.beta, `{"name":"Client of beta"}`)
	tests := []struct {
		query                     string
		wantLen, wantTotal, pages int
		page, size                int
	}{
		{"", 20, 26, 2, 1, 20},
		{"?page=2", 6, 26, 2, 2, 20},
		{"?page=3", 0, 26, 2, 3, 20},
		{"?page_size=5&page=5", 5, 26, 6, 5, 5},
		{"?Page_Size=100", 26, 26, 1, 1, 100},
		{"?keyword=client%201", 10, 10, 1, 1, 20},
		{"?keyword=CLIENT+0", 10, 10, 1, 1, 20},
		{"?keyword=5000%200007", 1, 1, 1, 1, 20},
		{"?keyword=%D8%A7%D9%84%D9%86%D9%88%D8%B1", 1, 1, 1, 1, 20},
		{"?email=INFO@alnoor.EXAMPLE", 1, 1, 1, 1, 20},
		{"?email=info@alnoor", 0, 0, 0, 1, 20},
		{"?keyword=&email=&page=&page_size=", 20, 26, 2, 1, 20},
		{"?keyword=%25", 0, 0, 0, 1, 20},
	}
	for _, tt := range tests {
		for _, prefix := range []string{"/v1/clients", "/v1/clients/", "/V1/CLIENTS/"} {
			r := e.do(request{method: "GET", path: prefix + tt.query, as: e.alpha})
			if r.status != 200 {
				t.Fatalf("GET %s%s = %d %s", prefix, tt.query, r.status, r.body)
			}
			clients, _ := r.json["clients"].([]any)
			if len(clients) != tt.wantLen || r.json["total_count"] != float64(tt.wantTotal) || r.json["total_pages"] != float64(tt.pages) ||
				r.json["page"] != float64(tt.page) || r.json["page_size"] != float64(tt.size) || r.json["status"] != "SUCCESS" {
				t.Errorf("GET %s%s = %d clients, page %v size %v total %v pages %v", prefix, tt.query, len(clients),
					r.json["page"], r.json["page_size"], r.json["total_count"], r.json["total_pages"])
			}
		}
	}
	for _, q := range []string{"?page=0", "?page=-1", "?page=abc", "?page=1.5", "?page_size=0", "?page_size=1e2", "?page_size=101",
		"?page=1&page=2", "?page=1&PAGE=2", "?page_size=1000000", "?page=9223372036854775807", "?page=99999999999999999999",
		"?sort=name;DROP%20TABLE%20clients", "?api_key=x", "?keyword=%00", "?keyword=%ff", "?bad=%zz"} {
		r := e.do(request{method: "GET", path: "/v1/clients" + q, as: e.alpha})
		if r.status != 400 || r.code() != "invalid_query" {
			t.Errorf("GET /v1/clients%s = %d %s, want 400 invalid_query", q, r.status, r.body)
		}
	}
}

func TestPathsMatchLikeASPNET(t *testing.T) { apitest.EachStore(t, testPathsMatchLikeASPNET) }

func testPathsMatchLikeASPNET(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	id := e.create(e.alpha, `{"name":"Path"}`)
	for _, path := range []string{"/v1/clients/%d", "/V1/Clients/%d", "/v1/clients/%d/", "/V1/CLIENTS/%d/"} {
		if r := e.do(request{method: "GET", path: fmt.Sprintf(path, id), as: e.alpha}); r.status != 200 {
			t.Errorf("GET %s = %d", fmt.Sprintf(path, id), r.status)
		}
	}
	for _, path := range []string{"/v1/Authorization/Authorize", "/v1/authorization/authorize/", "/V1/AUTHORIZATION/AUTHORIZE"} {
		for _, method := range []string{"GET", "POST"} {
			r := e.do(request{method: method, path: path, header: http.Header{"api_key": {e.alpha.Keys[fatora.ModeTest]}}})
			if r.status != 200 || r.json["success"] != true || r.json["bearer_token"] == "" || r.json["expires_at"] == "" {
				t.Errorf("%s %s = %d %s", method, path, r.status, r.body)
			}
		}
	}
	if r := e.do(request{method: "POST", path: "/v1/clients/", body: `{"name":"Slash"}`, as: e.alpha}); r.status != 201 {
		t.Errorf("POST /v1/clients/ = %d %s", r.status, r.body)
	}
}

func TestRequestID(t *testing.T) { apitest.EachStore(t, testRequestID) }

func testRequestID(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	r := e.do(request{method: "GET", path: "/healthz", header: http.Header{"X-Request-Id": {"abc-123_x.y:z"}}})
	if got := r.header.Get("X-Request-Id"); got != "abc-123_x.y:z" {
		t.Errorf("sane X-Request-Id not echoed: %q", got)
	}
	for _, bad := range []string{"has space", "<script>", string(make([]byte, 200))} {
		r := e.do(request{method: "GET", path: "/v1/clients", header: http.Header{"X-Request-Id": {bad}}})
		got := r.header.Get("X-Request-Id")
		if got == bad || len(got) != 32 {
			t.Errorf("X-Request-Id %q answered with %q, want a new id", bad, got)
		}
		if r.json["error"].(map[string]any)["request_id"] != got {
			t.Errorf("error.request_id differs from the header: %s", r.body)
		}
	}
}

func TestListWithCursor(t *testing.T) { apitest.EachStore(t, testListWithCursor) }

func testListWithCursor(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	for i := range 7 {
		e.create(e.alpha, fmt.Sprintf(`{"name":"Cursor %d"}`, i))
	}
	var names []string
	path := "/v1/clients?page_size=3"
	for range 5 {
		r := e.do(request{method: "GET", path: path, as: e.alpha})
		if r.status != 200 || r.json["total_count"] != float64(7) {
			t.Fatalf("GET %s = %d %s", path, r.status, r.body)
		}
		for _, c := range r.json["clients"].([]any) {
			names = append(names, c.(map[string]any)["name"].(string))
		}
		next, _ := r.json["next_cursor"].(string)
		if next == "" {
			break
		}
		path = "/v1/clients?page_size=3&cursor=" + next
	}
	if fmt.Sprint(names) != "[Cursor 0 Cursor 1 Cursor 2 Cursor 3 Cursor 4 Cursor 5 Cursor 6]" {
		t.Errorf("following next_cursor gave %v", names)
	}
	for _, bad := range []string{"?cursor=abc", "?cursor=" + "YWZ0ZXI6LTE", "?cursor=MTIz", "?page=2&cursor=YWZ0ZXI6MQ"} {
		if r := e.do(request{method: "GET", path: "/v1/clients" + bad, as: e.alpha}); r.status != 400 || r.code() != "invalid_query" {
			t.Errorf("GET /v1/clients%s = %d %s, want 400 invalid_query", bad, r.status, r.body)
		}
	}
}
