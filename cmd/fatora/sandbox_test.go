package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/internal/apitest"
	"github.com/fatora-oss/fatora/sandbox"
)

// readyLine is the line `fatora sandbox` prints once it takes requests.
var readyLine = regexp.MustCompile(`^ready url=(http://127\.0\.0\.1:[0-9]+) api_key=(\S+)$`)

// runningSandbox is `fatora sandbox` run in this process.
type runningSandbox struct {
	url, key string
	logs     *apitest.LogBuffer
	cancel   context.CancelFunc
	done     chan error
	stopOnce sync.Once
	err      error
}

// stop stops the command and returns what it returned; later calls return
// the same.
func (rs *runningSandbox) stop() error {
	rs.stopOnce.Do(func() {
		rs.cancel()
		rs.err = <-rs.done
	})
	return rs.err
}

// startSandboxCommand runs `fatora sandbox args...` on a free port and
// returns once it has printed its ready line, which it checks.
func startSandboxCommand(t *testing.T, args ...string) *runningSandbox {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	rs := &runningSandbox{cancel: cancel, done: make(chan error, 1), logs: &apitest.LogBuffer{}}
	go func() {
		rs.done <- run(ctx, append([]string{"sandbox", "--addr", "127.0.0.1:0"}, args...), w, rs.logs)
		w.Close()
	}()
	t.Cleanup(func() { rs.stop() })
	line, err := bufio.NewReader(out).ReadString('\n')
	m := readyLine.FindStringSubmatch(strings.TrimSuffix(line, "\n"))
	if m == nil {
		t.Fatalf("the first line on standard output is %q (%v), want the ready line; log:\n%s", line, err, rs.logs)
	}
	go io.Copy(io.Discard, out)
	rs.url, rs.key = m[1], m[2]
	return rs
}

// call sends a request with the sandbox's key and returns the status and
// body.
func (rs *runningSandbox) call(t *testing.T, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, rs.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("api_key", rs.key)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestSandboxCommand: the ready line names a URL that answers and the
// sample key, which the API takes; the controls work; and the command
// ends without error when stopped, removing its database.
func TestSandboxCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rs := startSandboxCommand(t, "--dir", dir, "--seed", "12")
	if rs.key != sandbox.SampleAPIKey {
		t.Errorf("api_key=%s, want the sample key", rs.key)
	}
	if status, body := rs.call(t, "GET", "/v1/clients", ""); status != http.StatusOK || !strings.Contains(body, `"total_count":12`) {
		t.Errorf("GET /v1/clients: %d %s, want the 12 seeded clients", status, body)
	}
	if status, _ := rs.call(t, "POST", "/sandbox/fail", `{"status":503,"method":"POST","path":"/v1/clients"}`); status != http.StatusOK {
		t.Fatalf("POST /sandbox/fail: %d", status)
	}
	for _, want := range []int{http.StatusServiceUnavailable, http.StatusCreated} {
		if status, body := rs.call(t, "POST", "/v1/clients", `{"name":"Layla Hassan"}`); status != want {
			t.Errorf("POST /v1/clients: %d %s, want %d", status, body, want)
		}
	}
	if status, body := rs.call(t, "GET", "/sandbox/requests", ""); status != http.StatusOK || strings.Count(body, `"method":"POST"`) != 2 {
		t.Errorf("GET /sandbox/requests: %d %s, want the two creates", status, body)
	}
	if status, _ := rs.call(t, "POST", "/sandbox/reset", ""); status != http.StatusOK {
		t.Errorf("POST /sandbox/reset: %d", status)
	}
	if status, body := rs.call(t, "GET", "/v1/clients", ""); status != http.StatusOK || !strings.Contains(body, `"total_count":0`) {
		t.Errorf("GET /v1/clients after the reset: %d %s, want none", status, body)
	}
	if err := rs.stop(); err != nil {
		t.Errorf("the command ended with %v, want no error", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%v left in --dir after the sandbox stopped", entries)
	}
	if !strings.Contains(rs.logs.String(), `"msg":"request"`) {
		t.Errorf("no request in the log on standard error:\n%s", rs.logs)
	}
}

// TestSandboxCommandKeyAndErrors: --api-key replaces the sample key, and
// settings that cannot work are refused before anything listens.
func TestSandboxCommandKeyAndErrors(t *testing.T) {
	t.Parallel()
	rs := startSandboxCommand(t, "--api-key", "sk_test_from_ci_123")
	if rs.key != "sk_test_from_ci_123" {
		t.Errorf("api_key=%s, want the one given", rs.key)
	}
	if status, _ := rs.call(t, "GET", "/v1/clients", ""); status != http.StatusOK {
		t.Errorf("GET /v1/clients with the key given: %d", status)
	}
	for _, args := range [][]string{{"--seed", "-1"}, {"--api-key", "short"}, {"--addr", "127.0.0.1:bad"}} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		var out strings.Builder
		err := run(ctx, append([]string{"sandbox", "--dir", t.TempDir()}, args...), &out, io.Discard)
		cancel()
		if err == nil || out.Len() > 0 {
			t.Errorf("fatora sandbox %v: %v, printed %q; want an error and no ready line", args, err, out.String())
		}
	}
}
