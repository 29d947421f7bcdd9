package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fatora-oss/fatora/api"
	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/internal/apitest"
	"github.com/fatora-oss/fatora/metrics"
)

// TestRoutesMatchDocument fails when the router has a path or method the
// document lacks, or the reverse. Paths compare in any letter case (the
// router's patterns are lower case, the document keeps Fatora's
// /v1/Authorization/Authorize) with parameter names ignored ({id} and
// {client_id} are the same segment); HEAD comes with GET on both sides.
func TestRoutesMatchDocument(t *testing.T) {
	doc := apitest.LoadOpenAPI(t)
	// Metrics and Sandbox set, so that every optional route is registered.
	s := &httpapi.Server{Metrics: http.NotFoundHandler(), Sandbox: &httpapi.Sandbox{}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	s.Handler()
	routed := map[string][]string{}
	for pattern, methods := range s.Routes() {
		if pattern != strings.ToLower(pattern) {
			t.Errorf("route %s has upper-case letters: paths are lower-cased before matching, so it can never match", pattern)
		}
		routed[routeKey(pattern)] = sortedMethods(methods)
	}
	documented := map[string][]string{}
	names := map[string]string{}
	for path, item := range doc.Paths.Map() {
		key := routeKey(path)
		if other, dup := names[key]; dup {
			t.Errorf("the document has both %s and %s, which the router cannot tell apart", other, path)
		}
		names[key] = path
		var methods []string
		for m := range item.Operations() {
			methods = append(methods, m)
		}
		documented[key] = sortedMethods(methods)
	}
	for key, methods := range routed {
		if want, ok := documented[key]; !ok {
			t.Errorf("the router serves %s %v, which api/openapi.json does not document", key, methods)
		} else if !slices.Equal(methods, want) {
			t.Errorf("%s: the router has methods %v, the document %v", names[key], methods, want)
		}
	}
	for key := range documented {
		if _, ok := routed[key]; !ok {
			t.Errorf("api/openapi.json documents %s, which the router does not serve", names[key])
		}
	}
}

// routeKey is a path template as both sides can be compared: lower case,
// every {parameter} written {}.
func routeKey(template string) string {
	segs := strings.Split(strings.ToLower(template), "/")
	for i, seg := range segs {
		if isParam(seg) {
			segs[i] = "{}"
		}
	}
	return strings.Join(segs, "/")
}

// sortedMethods returns methods upper case and sorted, without HEAD when
// GET is there (the router answers HEAD wherever it has GET).
func sortedMethods(methods []string) []string {
	out := make([]string, 0, len(methods))
	for _, m := range methods {
		out = append(out, strings.ToUpper(m))
	}
	if slices.Contains(out, http.MethodGet) {
		out = slices.DeleteFunc(out, func(m string) bool { return m == http.MethodHead })
	}
	slices.Sort(out)
	return out
}

// TestDocumentIsCanonicalJSON keeps api/openapi.json as people edit it:
// one member a line, indented by two spaces.
func TestDocumentIsCanonicalJSON(t *testing.T) {
	raw := api.OpenAPI()
	var compact, indented bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		t.Fatalf("api/openapi.json is not JSON: %v", err)
	}
	if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	indented.WriteByte('\n')
	if !bytes.Equal(indented.Bytes(), raw) {
		t.Errorf("api/openapi.json is not indented by two spaces, one member a line (as json.Indent writes it)")
	}
}

// TestDocumentedCodesFollowStatusTable holds the document's error codes to
// the server's one table: each response lists only codes the table answers
// with its status, every code of the table is documented, and every
// documented code can be answered.
func TestDocumentedCodesFollowStatusTable(t *testing.T) {
	doc := apitest.LoadOpenAPI(t)
	enum := doc.Components.Schemas["ErrorCode"].Value
	descriptions, _ := enum.Extensions["x-enum-descriptions"].([]any)
	if len(descriptions) != len(enum.Enum) {
		t.Errorf("ErrorCode has %d codes but %d x-enum-descriptions", len(enum.Enum), len(descriptions))
	}
	documented := map[string]bool{}
	for _, c := range enum.Enum {
		documented[c.(string)] = true
	}
	answered := map[string]bool{}
	check := func(where string, status int, ref *openapi3.ResponseRef) {
		for _, code := range responseCodes(ref) {
			answered[code] = true
			if !documented[code] {
				t.Errorf("%s %d lists %s, which ErrorCode lacks", where, status, code)
			}
			if got := httpapi.StatusOfCode(code); got != status {
				t.Errorf("%s %d lists %s, which the server answers with %d", where, status, code, got)
			}
		}
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" || op.Summary == "" {
				t.Errorf("%s %s has no operationId or summary", method, path)
			}
			if op.Responses.Default() != nil {
				t.Errorf("%s %s has a default response: list each status instead", method, path)
			}
			for status, ref := range op.Responses.Map() {
				n, _ := strconv.Atoi(status)
				if ref.Value.Headers["X-Request-Id"] == nil {
					t.Errorf("%s %s %s: X-Request-Id is not documented", method, path, status)
				}
				check(method+" "+path, n, ref)
			}
		}
	}
	check("NotFound", http.StatusNotFound, doc.Components.Responses["NotFound"])
	check("MethodNotAllowed", http.StatusMethodNotAllowed, doc.Components.Responses["MethodNotAllowed"])
	check("MalformedRequest", http.StatusBadRequest, doc.Components.Responses["MalformedRequest"])
	for code := range documented {
		if !answered[code] {
			t.Errorf("ErrorCode lists %s, but no response carries it", code)
		}
	}
	// conflict is a merchant or key the commands of cmd/fatora refuse to
	// register twice; no HTTP request can meet it.
	notOverHTTP := map[string]bool{"conflict": true}
	for _, code := range httpapi.TableCodes() {
		if !documented[code] && !notOverHTTP[code] {
			t.Errorf("the status table has %s, which ErrorCode lacks", code)
		}
	}
}

// responseCodes returns the error codes a response allows: the enum its
// schema puts on error.code next to the Error schema.
func responseCodes(ref *openapi3.ResponseRef) []string {
	media := ref.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		return nil
	}
	var codes []string
	for _, part := range media.Schema.Value.AllOf {
		if part.Ref != "" {
			continue // the Error schema itself, with every code
		}
		code := part.Value.Properties["code"] // Authorize's shape: code beside error
		if errRef := part.Value.Properties["error"]; errRef != nil {
			code = errRef.Value.Properties["code"]
		}
		if code == nil {
			continue
		}
		for _, c := range code.Value.Enum {
			codes = append(codes, c.(string))
		}
	}
	return codes
}

// TestResponseValidationCatchesMistakes shows that validateResponse is no
// formality: each answer here breaks the document and is refused, while
// the controls pass.
func TestResponseValidationCatchesMistakes(t *testing.T) {
	id := http.Header{"X-Request-Id": {"req-1"}, "Content-Type": {"application/json; charset=utf-8"}}
	with := func(kv ...string) http.Header {
		h := id.Clone()
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				h.Del(kv[i])
			} else {
				h.Set(kv[i], kv[i+1])
			}
		}
		return h
	}
	client := `{"id":7,"name":"A","phone":"","email":"","address":"","note":"","notes":"","created_at":"2026-11-27T12:00:00.000Z","updated_at":"2026-11-27T12:00:00.000Z","metadata":{}}`
	errBody := func(code string) string {
		return `{"status":"ERROR","error":{"code":"` + code + `","message":"m","request_id":"req-1"}}`
	}
	tests := []struct {
		name, method, path string
		status             int
		header             http.Header
		body               string
		ok                 bool
	}{
		{"control: healthz", "GET", "/healthz", 200, id, `{"status":"ok"}`, true},
		{"control: created", "POST", "/V1/Clients/", 201, with("Location", "/v1/clients/7"), `{"status":"SUCCESS","client":` + client + `}`, true},
		{"control: unknown path", "GET", "/v2/clients", 404, id, errBody("not_found"), true},
		{"control: 405", "DELETE", "/v1/clients", 405, with("Allow", "GET, POST"), errBody("method_not_allowed"), true},
		{"control: metrics", "GET", "/metrics", 200, with("Content-Type", "text/plain; version=0.0.4; charset=utf-8; escaping=underscores"), "# HELP x\n", true},
		{"undocumented status", "GET", "/healthz", 418, id, `{"status":"ok"}`, false},
		{"no X-Request-Id", "GET", "/healthz", 200, with("X-Request-Id", ""), `{"status":"ok"}`, false},
		{"extra member", "GET", "/healthz", 200, id, `{"status":"ok","extra":1}`, false},
		{"wrong constant", "GET", "/healthz", 200, id, `{"status":"fine"}`, false},
		{"wrong media type", "GET", "/healthz", 200, with("Content-Type", "text/plain"), `{"status":"ok"}`, false},
		{"201 without Location", "POST", "/v1/clients", 201, id, `{"status":"SUCCESS","client":` + client + `}`, false},
		{"id as a string", "GET", "/v1/clients/7", 200, id, `{"status":"SUCCESS","client":` + strings.Replace(client, `"id":7`, `"id":"7"`, 1) + `}`, false},
		{"time not RFC 3339", "GET", "/v1/clients/7", 200, id, `{"status":"SUCCESS","client":` + strings.Replace(client, `"2026-11-27T12:00:00.000Z"`, `"27/11/2026"`, 1) + `}`, false},
		{"client member missing", "GET", "/v1/clients/7", 200, id, `{"status":"SUCCESS","client":` + strings.Replace(client, `"note":"",`, ``, 1) + `}`, false},
		{"code of another status", "GET", "/v1/clients", 400, id, errBody("malformed_json"), false},
		{"code the list cannot answer", "GET", "/v1/clients", 409, id, errBody("duplicate_client"), false},
		{"unknown code", "GET", "/v1/clients", 400, id, errBody("bad_thing"), false},
		{"error without request_id", "GET", "/v1/clients", 400, id, `{"status":"ERROR","error":{"code":"invalid_query","message":"m"}}`, false},
		{"401 without challenge", "GET", "/v1/clients", 401, id, errBody("unauthorized"), false},
		{"503 without Retry-After", "GET", "/readyz", 503, id, errBody("unavailable"), false},
		{"204 with a body", "DELETE", "/v1/clients/7", 204, id, `{}`, false},
		{"unknown path answered 200", "GET", "/v1/nothing", 200, id, `{"status":"ok"}`, false},
		{"405 without Allow", "DELETE", "/v1/clients", 405, id, errBody("method_not_allowed"), false},
		{"control: unclean path", "POST", "/v1//clients", 307, with("Location", "/v1/clients", "Content-Type", ""), "", true},
		{"unclean path answered", "POST", "/v1//clients", 201, with("Location", "/v1/clients/7"), `{"status":"SUCCESS","client":` + client + `}`, false},
		{"metrics of another version", "GET", "/metrics", 200, with("Content-Type", "text/plain; version=1.0.0"), "# HELP x\n", false},
	}
	for _, tt := range tests {
		err := checkResponse(tt.method, tt.path, tt.status, tt.header, []byte(tt.body))
		if tt.ok && err != nil {
			t.Errorf("%s: refused: %v", tt.name, err)
		}
		if !tt.ok && err == nil {
			t.Errorf("%s: accepted, want it refused", tt.name)
		}
	}
}

// TestDocsEndpoints: /openapi.json is the embedded document byte for byte,
// and /docs is the embedded page, which loads nothing from other sites.
func TestDocsEndpoints(t *testing.T) {
	e := newEnv(t, apitest.SQLite())
	r := e.do(request{method: "GET", path: "/openapi.json"})
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") || r.body != string(api.OpenAPI()) {
		t.Fatalf("GET /openapi.json = %d %s, want the embedded document", r.status, r.header.Get("Content-Type"))
	}
	if v, _ := r.json["openapi"].(string); !strings.HasPrefix(v, "3.1.") {
		t.Errorf("openapi = %q, want 3.1.x", r.json["openapi"])
	}
	if r := e.do(request{method: "HEAD", path: "/OpenAPI.json"}); r.status != 200 || r.header.Get("Content-Length") != strconv.Itoa(len(api.OpenAPI())) {
		t.Errorf("HEAD /OpenAPI.json = %d, Content-Length %s", r.status, r.header.Get("Content-Length"))
	}
	page := e.do(request{method: "GET", path: "/docs/"})
	if page.status != 200 || !strings.HasPrefix(page.header.Get("Content-Type"), "text/html") || page.body != string(api.DocsPage()) {
		t.Fatalf("GET /docs/ = %d %s, want the embedded page", page.status, page.header.Get("Content-Type"))
	}
	external := []*regexp.Regexp{
		regexp.MustCompile(`(?i)\b(src|href|action|formaction|poster|srcset)\s*=\s*["']?\s*(https?:|//)`),
		regexp.MustCompile(`(?i)(url\(|@import)\s*["']?\s*(https?:|//)`),
		regexp.MustCompile(`(?i)https?://`),
	}
	for _, re := range external {
		if m := re.FindString(page.body); m != "" {
			t.Errorf("the docs page refers to another site: %q", m)
		}
	}
	if !strings.Contains(page.body, `"/openapi.json"`) {
		t.Errorf("the docs page does not read /openapi.json")
	}
	csp := page.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("Content-Security-Policy = %q, want loads confined to this server", csp)
	}
	if r := e.do(request{method: "POST", path: "/docs"}); r.status != 405 || r.header.Get("Allow") != "GET" {
		t.Errorf("POST /docs = %d Allow %q, want 405 with Allow: GET", r.status, r.header.Get("Allow"))
	}
}

// TestMetricsAnswerMatchesDocument sends GET /metrics to a server with the
// real metrics handler (the test environment runs without one).
func TestMetricsAnswerMatchesDocument(t *testing.T) {
	m := metrics.New()
	s := &httpapi.Server{Metrics: m.Handler(), Observe: m.ObserveRequest, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h := s.Handler()
	for _, path := range []string{"/healthz", "/metrics"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 {
			t.Fatalf("GET %s = %d %s", path, rec.Code, rec.Body)
		}
		if err := checkResponse("GET", path, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			t.Errorf("GET %s: %v (Content-Type %q)", path, err, rec.Header().Get("Content-Type"))
		}
	}
}
