package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/internal/apitest"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/metrics"
	"github.com/fatora-oss/fatora/token"
)

// sampleKey is the API key the samples send: the sample key of Fatora's
// documentation, kept by a migrating merchant.
const sampleKey = "E4B73FEE-F492-4607-A38D-852B0EBC91C9"

// sampleClient is client 1 of every sample server, the client the samples
// read, change and delete. It differs from the one the create sample sends,
// which would otherwise be a duplicate.
const sampleClient = `{"name":"Client Name","email":"client@example.com","phone":"+974 7777 7777","address":"Doha"}`

// exchange is one request a sample server answered.
type exchange struct {
	route, method string
	status        int
}

// sampleServer is a real API server on a loopback port and a fresh SQLite
// database, with the sample merchant and client 1. It records the requests
// it answers after its set-up.
type sampleServer struct {
	*httptest.Server
	token string
	// eventID and endpointID name the event of client 1's creation and a
	// webhook endpoint.
	eventID, endpointID string
	// answers receives each request as the server finishes it, which may
	// be after the client has read the answer.
	answers chan exchange
}

// setupRequests is how many requests newSampleServer makes itself.
const setupRequests = 6

// The ids of the event and webhook endpoint the samples name; rewrite
// replaces them with those of the sample server's own.
const (
	sampleEventID    = "evt_019ac5a1b2c37d4e8f90a1b2c3d4e5f6"
	sampleEndpointID = "we_019ac5a1b2c37d4e8f90a1b2c3d4e5f7"
)

func newSampleServer(t *testing.T) *sampleServer {
	t.Helper()
	s := &sampleServer{answers: make(chan exchange, 100)}
	m := metrics.New()
	e := apitest.New(t, apitest.Options{Configure: func(api *httpapi.Server) {
		api.Metrics = m.Handler()
		api.Sandbox = &httpapi.Sandbox{} // so that the sandbox's samples are answered
		api.Observe = func(route, method string, status int, took time.Duration) {
			m.ObserveRequest(route, method, status, took)
			s.answers <- exchange{route, method, status}
		}
	}})
	key := &fatora.APIKey{ID: token.NewID(), Mode: fatora.ModeLive, Prefix: token.DisplayPrefix(sampleKey), Hash: token.HashAPIKey(sampleKey)}
	if err := e.Services.Merchants.CreateMerchant(context.Background(), &fatora.Merchant{Name: "My Shop", Email: "shop@example.com"}, []*fatora.APIKey{key}); err != nil {
		t.Fatal(err)
	}
	s.Server = e.Serve()
	s.token = s.authorize(t)
	s.call(t, http.MethodPost, "/v1/clients", sampleClient, http.StatusCreated)
	// Client 2 is deleted, for the restore's samples.
	s.call(t, http.MethodPost, "/v1/clients", `{"name":"Deleted Client","email":"deleted@example.com"}`, http.StatusCreated)
	s.call(t, http.MethodDelete, "/v1/clients/2", "", http.StatusNoContent)
	s.eventID = jsonMember(t, s.call(t, http.MethodGet, "/v1/events", "", http.StatusOK), "events", "0", "id")
	s.endpointID = jsonMember(t, s.call(t, http.MethodPost, "/v1/webhook_endpoints", `{"url":"https://crm.example.com/hooks"}`,
		http.StatusCreated), "webhook_endpoint", "id")
	for range setupRequests {
		select {
		case <-s.answers:
		case <-time.After(10 * time.Second):
			t.Fatal("the server did not finish its set-up requests")
		}
	}
	return s
}

// authorize returns a bearer token for the sample key.
func (s *sampleServer) authorize(t *testing.T) string {
	t.Helper()
	body := s.call(t, http.MethodGet, "/v1/Authorization/Authorize", "", http.StatusOK)
	var answer struct {
		BearerToken string `json:"bearer_token"`
	}
	if err := json.Unmarshal(body, &answer); err != nil || answer.BearerToken == "" {
		t.Fatalf("Authorize answered %s", body)
	}
	return answer.BearerToken
}

// call sends a request with the sample credentials and requires status.
func (s *sampleServer) call(t *testing.T, method, path, body string, status int) []byte {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("api_key", sampleKey)
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != status {
		t.Fatalf("%s %s = %d %s (%v), want %d", method, path, resp.StatusCode, answer, err, status)
	}
	return answer
}

// answered waits until the server has finished every request, then returns
// what it answered since its set-up.
func (s *sampleServer) answered() []exchange {
	s.Close()
	var out []exchange
	for {
		select {
		case e := <-s.answers:
			out = append(out, e)
		default:
			return out
		}
	}
}

// rewrite points a sample at the server: the base URL changes, and the
// example ids of an event and a webhook endpoint become the server's.
func (s *sampleServer) rewrite(source string) string {
	return strings.NewReplacer(sampleBaseURL, s.URL, sampleEventID, s.eventID, sampleEndpointID, s.endpointID).Replace(source)
}

// jsonMember returns the text at path (object members, array indexes) in
// a JSON body.
func jsonMember(t *testing.T, body []byte, path ...string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i := 0
			fmt.Sscan(p, &i)
			if i >= len(x) {
				t.Fatalf("no %v in %s", path, body)
			}
			v = x[i]
		}
	}
	s, ok := v.(string)
	if !ok {
		t.Fatalf("no text at %v in %s", path, body)
	}
	return s
}

// environ is the environment a sample runs in: TOKEN holds the bearer
// token, and no proxy or personal curl configuration is used.
func (s *sampleServer) environ(t *testing.T) []string {
	return append(os.Environ(), "TOKEN="+s.token, "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1", "CURL_HOME="+t.TempDir())
}

// runSample runs a program for a sample, with a deadline, and returns what
// it printed.
func runSample(t *testing.T, cmd *exec.Cmd) []byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s: %v\nstdout: %s\nstderr: %s", cmd.Args[0], err, stdout.Bytes(), stderr.Bytes())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("%s did not finish in 30 s", cmd.Args[0])
	}
	return stdout.Bytes()
}

// TestCurlSamples runs every curl sample of the document, as written but
// for the base URL, with the real curl against a real server, and checks
// that it made its operation's one request, answered with the documented
// success, and (when the answer is JSON) a body of the documented schema.
func TestCurlSamples(t *testing.T) {
	bash := requireTool(t, "bash")
	requireTool(t, "curl") // bash runs it
	doc := apitest.LoadOpenAPI(t)
	for _, o := range operations(doc) {
		t.Run(o.op.OperationID, func(t *testing.T) {
			sample := sampleIn(t, o, "curl")
			s := newSampleServer(t)
			cmd := exec.Command(bash, "-c", s.rewrite(sample.Source))
			cmd.Env = s.environ(t)
			out := runSample(t, cmd)
			status, response := successStatus(t, o)
			want := exchange{o.path, o.method, status}
			if got := s.answered(); !onlyExchange(got, want) {
				t.Fatalf("the sample made %v, want only %v", got, want)
			}
			if media := response.Content.Get("application/json"); media != nil {
				var body any
				if err := json.Unmarshal(out, &body); err != nil {
					t.Fatalf("the sample printed no JSON: %v\n%s", err, out)
				}
				if err := validateValue(media.Schema.Value, body); err != nil {
					t.Errorf("the answer breaks its schema: %v\n%s", err, out)
				}
			}
		})
	}
}

// TestGoSamples builds every Go sample of the document, as written but for
// the base URL, and runs each against its own server: it must succeed, and
// the server must have answered its operation's path with the documented
// success and refused nothing. (The SDK changes a client with PUT, so a
// PATCH operation's Go sample is held to its path and status only.)
func TestGoSamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program a sample: skipped with -short")
	}
	goTool := requireTool(t, "go")
	doc := apitest.LoadOpenAPI(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	overlay := map[string]string{}
	servers := map[string]*sampleServer{}
	var packages []string
	for _, o := range operations(doc) {
		id := o.op.OperationID
		s := newSampleServer(t)
		servers[id] = s
		file := filepath.Join(dir, id+".go")
		if err := os.WriteFile(file, []byte(s.rewrite(sampleIn(t, o, "Go").Source)), 0o644); err != nil {
			t.Fatal(err)
		}
		// The sample builds as a package of this module that exists only
		// in the overlay, so it uses this module's SDK.
		overlay[filepath.Join(root, "api", "gosamples", id, "main.go")] = file
		packages = append(packages, "github.com/fatora-oss/fatora/api/gosamples/"+id)
	}
	overlayJSON, err := json.Marshal(map[string]any{"Replace": overlay})
	if err != nil {
		t.Fatal(err)
	}
	overlayFile := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlayFile, overlayJSON, 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "bin") + string(filepath.Separator)
	build := exec.Command(goTool, append([]string{"build", "-overlay", overlayFile, "-o", bin}, packages...)...)
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("the Go samples do not build: %v\n%s", err, out)
	}
	for _, o := range operations(doc) {
		t.Run(o.op.OperationID, func(t *testing.T) {
			s := servers[o.op.OperationID]
			runSample(t, exec.Command(filepath.Join(bin, o.op.OperationID)))
			got := s.answered()
			status, _ := successStatus(t, o)
			succeeded := false
			for _, e := range got {
				succeeded = succeeded || (strings.EqualFold(e.route, o.path) && e.status == status)
				if e.status >= 400 {
					t.Errorf("the server refused a request of the sample: %v", e)
				}
			}
			if !succeeded {
				t.Errorf("the sample made %v, want a %s %d", got, o.path, status)
			}
		})
	}
}

// onlyExchange reports whether a sample made exactly one request, the
// wanted one: the router's patterns are the document's paths in lower case.
func onlyExchange(got []exchange, want exchange) bool {
	return len(got) == 1 && strings.EqualFold(got[0].route, want.route) && got[0].method == want.method && got[0].status == want.status
}

// sampleIn returns the operation's sample in lang.
func sampleIn(t *testing.T, o operation, lang string) codeSample {
	t.Helper()
	for _, s := range codeSamples(t, o) {
		if s.Lang == lang {
			return s
		}
	}
	t.Fatalf("%s has no %s sample", o, lang)
	return codeSample{}
}

// TestPHPSamples runs every PHP sample of the document, as written but for
// the base URL, with PHP's curl extension, and checks that it made its
// operation's one request and got the documented success.
func TestPHPSamples(t *testing.T) {
	php := requireTool(t, "php")
	if out, err := exec.Command(php, "-m").Output(); err != nil || !strings.Contains(string(out), "\ncurl\n") {
		if os.Getenv("FATORA_REQUIRE_TOOLS") == "1" {
			t.Fatal("PHP has no curl extension, and FATORA_REQUIRE_TOOLS=1")
		}
		t.Skip("PHP has no curl extension (php-curl): skipped")
	}
	doc := apitest.LoadOpenAPI(t)
	for _, o := range operations(doc) {
		t.Run(o.op.OperationID, func(t *testing.T) {
			s := newSampleServer(t)
			script := filepath.Join(t.TempDir(), "sample.php")
			if err := os.WriteFile(script, []byte("<?php\n"+s.rewrite(sampleIn(t, o, "PHP").Source)+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(php, script)
			cmd.Env = s.environ(t)
			out := runSample(t, cmd)
			status, _ := successStatus(t, o)
			want := exchange{o.path, o.method, status}
			if got := s.answered(); !onlyExchange(got, want) {
				t.Fatalf("the sample made %v, want only %v; it printed %s", got, want, out)
			}
		})
	}
}
