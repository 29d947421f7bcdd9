package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/internal/apitest"
)

// sandboxServer is a sandbox on SQLite served over HTTP, with a merchant.
type sandboxServer struct {
	url    string
	key    string
	sb     *httpapi.Sandbox
	client *http.Client
}

func newSandboxServer(t testing.TB) *sandboxServer {
	t.Helper()
	sb := &httpapi.Sandbox{}
	e := apitest.New(t, apitest.Options{Configure: func(s *httpapi.Server) { s.Sandbox = sb }})
	m := e.NewMerchant("shop")
	// A new connection each request: Go's transport silently sends a GET
	// again when a kept-alive connection closes without an answer.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	return &sandboxServer{url: e.Serve().URL, key: m.Keys["test"], sb: sb, client: client}
}

// answer is what a request got: a status and body, or an error.
type answer struct {
	status int
	header http.Header
	body   string
	err    error
}

// send makes a request with the merchant's key.
func (s *sandboxServer) send(t testing.TB, method, path, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("api_key", s.key)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(b), err: err}
}

// fail queues f, failing the test if it is refused.
func (s *sandboxServer) fail(t testing.TB, f httpapi.Failure) {
	t.Helper()
	if _, err := s.sb.Fail(f); err != nil {
		t.Fatal(err)
	}
}

// clients counts the merchant's clients.
func (s *sandboxServer) clients(t testing.TB) int {
	t.Helper()
	a := s.send(t, "GET", "/v1/clients", "")
	var list struct {
		TotalCount int `json:"total_count"`
	}
	if a.err != nil || a.status != http.StatusOK || json.Unmarshal([]byte(a.body), &list) != nil {
		t.Fatalf("GET /v1/clients: %d %s %v", a.status, a.body, a.err)
	}
	return list.TotalCount
}

// TestSandboxFailsMatchingRequests: the next Count matching requests get
// the failure, in the API's error shape (or a proxy's page for 502), and
// nothing of them is done; a request of another method is served
// meanwhile, and the one after the last failure too.
func TestSandboxFailsMatchingRequests(t *testing.T) {
	for _, tc := range []struct {
		failure    httpapi.Failure
		check      func(a answer) bool
		retryAfter string
	}{
		{httpapi.Failure{Status: 500}, func(a answer) bool { return strings.Contains(a.body, `"code":"internal"`) }, ""},
		{httpapi.Failure{Status: 503, RetryAfter: 7}, func(a answer) bool { return strings.Contains(a.body, `"code":"unavailable"`) }, "7"},
		{httpapi.Failure{Status: 503}, func(a answer) bool { return strings.Contains(a.body, "POST /sandbox/fail") }, "0"},
		{httpapi.Failure{Status: 429, RetryAfter: 3}, func(a answer) bool { return strings.Contains(a.body, `"code":"rate_limited"`) }, "3"},
		{httpapi.Failure{Status: 502}, func(a answer) bool {
			return a.header.Get("Content-Type") == "text/html" && strings.Contains(a.body, "<title>502 Bad Gateway</title>")
		}, ""},
	} {
		s := newSandboxServer(t)
		f := tc.failure
		f.Count, f.Method, f.Path = 2, "post", "/v1/clients"
		s.fail(t, f)
		for i := range 2 {
			a := s.send(t, "POST", "/v1/clients", `{"name":"Layla Hassan"}`)
			if a.err != nil || a.status != f.Status || !tc.check(a) || a.header.Get("Retry-After") != tc.retryAfter {
				t.Errorf("%+v, request %d: %d %v %s (Retry-After %q); want the failure, Retry-After %q",
					f, i+1, a.status, a.err, a.body, a.header.Get("Retry-After"), tc.retryAfter)
			}
			if n := s.clients(t); n != 0 {
				t.Errorf("%+v: %d clients after a failed create, want 0", f, n)
			}
		}
		if a := s.send(t, "POST", "/v1/clients", `{"name":"Layla Hassan"}`); a.status != http.StatusCreated {
			t.Errorf("%+v: the third create answered %d %s, want 201", f, a.status, a.body)
		}
	}
}

// TestSandboxDropsTheConnection: status 0 closes the connection without an
// answer, and the request is remembered with status 0.
func TestSandboxDropsTheConnection(t *testing.T) {
	s := newSandboxServer(t)
	s.fail(t, httpapi.Failure{Status: 0, Path: "/v1/clients"})
	if a := s.send(t, "POST", "/v1/clients", `{"name":"Layla Hassan"}`); a.err == nil {
		t.Fatalf("the dropped request got an answer: %d %s", a.status, a.body)
	}
	if n := s.clients(t); n != 0 {
		t.Errorf("%d clients after the dropped create, want 0", n)
	}
	got := s.sb.Requests()
	i := slices.IndexFunc(got, func(r httpapi.RecordedRequest) bool { return r.Method == "POST" })
	if i < 0 || got[i].Status != 0 || !got[i].Injected {
		t.Errorf("the requests remembered are %+v, want the POST with status 0, injected", got)
	}
}

// TestSandboxFailsNowAndThen: with Every 3, one matching request in three
// fails until Count have failed.
func TestSandboxFailsNowAndThen(t *testing.T) {
	s := newSandboxServer(t)
	s.fail(t, httpapi.Failure{Status: 503, Count: 2, Every: 3, Method: "GET"})
	var got []int
	for range 9 {
		got = append(got, s.send(t, "GET", "/v1/clients", "").status)
	}
	want := []int{200, 200, 503, 200, 200, 503, 200, 200, 200}
	if !slices.Equal(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
}

// TestSandboxFailurePaths: paths compare as the router compares them, a
// final * matches any rest, and the controls never fail.
func TestSandboxFailurePaths(t *testing.T) {
	for _, tc := range []struct {
		path   string
		fails  []string
		passes []string
	}{
		{"/v1/clients", []string{"/v1/clients/", "/V1/Clients"}, []string{"/v1/clients/1", "/healthz"}},
		{"/v1/clients/*", []string{"/v1/clients/1", "/V1/CLIENTS/2/"}, []string{"/v1/clients", "/healthz"}},
		{"", []string{"/healthz", "/v1/clients"}, []string{"/sandbox/requests"}},
	} {
		s := newSandboxServer(t)
		s.fail(t, httpapi.Failure{Status: 502, Path: tc.path, Count: len(tc.fails)})
		for _, p := range tc.passes {
			if a := s.send(t, "GET", p, ""); a.status == http.StatusBadGateway {
				t.Errorf("failure on %q: GET %s failed, want it served", tc.path, p)
			}
		}
		for _, p := range tc.fails {
			if a := s.send(t, "GET", p, ""); a.status != http.StatusBadGateway {
				t.Errorf("failure on %q: GET %s answered %d, want 502", tc.path, p, a.status)
			}
		}
	}
}
