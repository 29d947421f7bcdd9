package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"testing"

	"github.com/fatora-oss/fatora/internal/apitest"
)

// These tests close what an attack run found exposed (issue 13, points 5,
// 6 and 10).

// TestPathsFoldASCIIOnly: paths match in any ASCII letter case, and no
// other letter stands in for an ASCII one.
func TestPathsFoldASCIIOnly(t *testing.T) {
	e := newEnv(t, apitest.SQLite())
	for path, want := range map[string]int{
		"/v1/clients": 200, "/V1/CLIENTS": 200, "/v1/Clients/": 200,
		"/v1/CL\u0130ENTS": 404, // dotted capital I, which Unicode lowers to i
		"/v1/\u212Alients": 404, // the Kelvin sign, which Unicode lowers to k
		"/v1/cl\u0131ents": 404, // dotless i
	} {
		if r := e.do(request{method: "GET", path: path, as: e.alpha}); r.status != want {
			t.Errorf("GET %s = %d, want %d", path, r.status, want)
		}
	}
}

// TestEveryAnswerIsNosniff: every answer carries nosniff, and a redirect to
// a clean path has no body.
func TestEveryAnswerIsNosniff(t *testing.T) {
	e := newEnv(t, apitest.SQLite())
	id := e.create(e.alpha, `{"name":"a"}`)
	for _, req := range []request{
		{method: "GET", path: "/v1/clients", as: e.alpha},
		{method: "DELETE", path: fmt.Sprintf("/v1/clients/%d", id), as: e.alpha},
		{method: "GET", path: "/nowhere"},
		{method: "PUT", path: "/v1/clients"},
		{method: "GET", path: "/docs"},
		{method: "GET", path: "/openapi.json"},
		{method: "GET", path: "/v1//clients?page=2", as: e.alpha},
		{method: "GET", path: "/v1/clients/./1", as: e.alpha},
	} {
		r := e.do(req)
		if r.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s (%d) has no nosniff", req.method, req.path, r.status)
		}
		if r.status == http.StatusTemporaryRedirect && (r.body != "" || r.header.Get("Content-Type") != "") {
			t.Errorf("%s %s: a redirect with a body: %q (%s)", req.method, req.path, r.body, r.header.Get("Content-Type"))
		}
	}
	if r := e.do(request{method: "GET", path: "/v1//clients?page=2", as: e.alpha}); r.status != 307 || r.header.Get("Location") != "/v1/clients?page=2" {
		t.Errorf("an unclean path: %d to %q, want 307 to /v1/clients?page=2", r.status, r.header.Get("Location"))
	}
}

// TestContentEncodingRefused: a compressed body, or one only labelled so,
// is refused with 415 and stores nothing.
func TestContentEncodingRefused(t *testing.T) { apitest.EachStore(t, testContentEncodingRefused) }

func testContentEncodingRefused(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(`{"name":"zipped"}`))
	zw.Close()
	for _, tt := range []struct {
		encoding, body string
		want           int
	}{
		{"gzip", zipped.String(), 415},
		{"gzip", `{"name":"labelled gzip"}`, 415},
		{"br", `{"name":"labelled br"}`, 415},
		{"identity, gzip", `{"name":"two codings"}`, 415},
		{"identity", `{"name":"identity"}`, 201},
	} {
		r := e.do(request{method: "POST", path: "/v1/clients", body: tt.body, as: e.alpha,
			header: http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {tt.encoding}}})
		if r.status != tt.want || (tt.want == 415 && r.code() != "unsupported_media_type") {
			t.Errorf("Content-Encoding %s: %d %s, want %d", tt.encoding, r.status, r.body, tt.want)
		}
	}
	unchanged(1)(t, e, response{})
}

// TestBearerSpacing: RFC 9110 allows one or more spaces after the scheme.
func TestBearerSpacing(t *testing.T) {
	e := newEnv(t, apitest.SQLite())
	tok := e.alpha.Tokens["test"]
	for header, want := range map[string]int{
		"Bearer " + tok: 200, "Bearer   " + tok: 200, "bearer  " + tok: 200,
		"Bearer\t" + tok: 401, "Bearer " + tok + " x": 401, "Bearer": 401,
	} {
		if r := e.do(request{method: "GET", path: "/v1/clients", header: http.Header{"Authorization": {header}}}); r.status != want {
			t.Errorf("Authorization %.20q…: %d, want %d", header, r.status, want)
		}
	}
}
