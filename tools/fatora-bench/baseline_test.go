package main

import (
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBaselineIsTheAPI checks that the baseline is the real API over a
// store that keeps nothing: it refuses what the API refuses (no token, an
// unknown key, a blank name, a bad page size) with the API's error shape,
// and answers the rest as if it had stored the clients.
func TestBaselineIsTheAPI(t *testing.T) {
	base, err := startBaseline(defaultAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	defer base.close()
	ctx := context.Background()
	c := &http.Client{Timeout: 10 * time.Second}
	if _, err := authorize(ctx, c, base.url(), "NOT-THE-BENCH-KEY"); err == nil {
		t.Error("an unknown API key was authorized")
	}
	tok, err := authorize(ctx, c, base.url(), defaultAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path, bearer, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, base.url()+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+bearer)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &out); err != nil {
				t.Fatalf("%s %s: %v in %s", method, path, err, raw)
			}
		}
		return resp.StatusCode, out
	}
	errorCode := func(out map[string]any) any { e, _ := out["error"].(map[string]any); return e["code"] }
	clientOf := func(out map[string]any) map[string]any { c, _ := out["client"].(map[string]any); return c }

	if status, out := call("GET", "/v1/clients", "not-a-token", ""); status != 401 || errorCode(out) != "invalid_token" {
		t.Errorf("a bad token: %d %v, want 401 invalid_token", status, out)
	}
	if status, out := call("POST", "/v1/clients", tok, `{"name":" "}`); status != 400 || errorCode(out) != "invalid_field" {
		t.Errorf("a blank name: %d %v, want 400 invalid_field", status, out)
	}
	if status, out := call("GET", "/v1/clients?page_size=101", tok, ""); status != 400 || errorCode(out) != "invalid_query" {
		t.Errorf("page_size 101: %d %v, want 400 invalid_query", status, out)
	}
	_, first := call("POST", "/v1/clients", tok, `{"name":"Layla","email":" Layla@Example.com "}`)
	status, second := call("POST", "/v1/clients", tok, `{"name":"Omar"}`)
	if c1, c2 := clientOf(first), clientOf(second); status != 201 || c1["email"] != "Layla@Example.com" || c1["id"] == c2["id"] || c2["created_at"] == "" {
		t.Errorf("creates answered %v then %d %v; want 201s with new ids, times and the fields as normalized", first, status, second)
	}
	if status, out := call("PATCH", "/v1/clients/7", tok, `{"notes":"changed"}`); status != 200 || clientOf(out)["notes"] != "changed" || clientOf(out)["id"] != float64(7) {
		t.Errorf("update: %d %v, want 200 with client 7's notes changed", status, out)
	}
	status, out := call("GET", "/v1/clients?page_size=5", tok, "")
	if clients, _ := out["clients"].([]any); status != 200 || len(clients) != 5 || out["total_count"] != float64(nullTotal) {
		t.Errorf("list: %d %v, want 200 with a page of 5 of %d", status, out, nullTotal)
	}
	if status, _ := call("DELETE", "/v1/clients/7", tok, ""); status != 204 {
		t.Errorf("delete: %d, want 204", status)
	}
}

// TestMain lets the test binary serve the baseline when started as the
// benchmark starts itself.
func TestMain(m *testing.M) {
	if len(os.Args) == 3 && os.Args[1] == serveBaselineCommand {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		defer stop()
		if err := serveBaseline(ctx, os.Args[2], os.Stdout); err != nil {
			os.Exit(1)
		}
		return
	}
	os.Exit(m.Run())
}

// TestBaselineProcess starts the baseline in a child process, as
// --baseline does, and reads its CPU as a run reads the server's.
func TestBaselineProcess(t *testing.T) {
	p, err := startBaselineProcess(defaultAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	if p.Pid() == os.Getpid() {
		t.Fatal("the baseline runs in this process")
	}
	before := readCPU(p.Pid())
	c := &http.Client{Timeout: 10 * time.Second}
	for range 3000 {
		if _, err := authorize(context.Background(), c, p.base, defaultAPIKey); err != nil {
			t.Fatal(err)
		}
	}
	if after := readCPU(p.Pid()); after.server <= before.server {
		t.Errorf("the baseline process's CPU did not grow over 3,000 authorizations: %v then %v", before.server, after.server)
	}
}

// TestLoadKnownClients reads clients the server holds (the baseline's list
// answers 1,000) instead of creating them.
func TestLoadKnownClients(t *testing.T) {
	base, err := startBaseline(defaultAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	defer base.close()
	b := &bench{cfg: config{concurrency: 2, apiKey: defaultAPIKey}}
	tgt, err := b.authorizedTarget(context.Background(), "baseline", base.url())
	if err != nil {
		t.Fatal(err)
	}
	added, err := loadKnownClients(context.Background(), tgt)
	if err != nil || added != preseedCount || tgt.pool.len() != preseedCount {
		t.Fatalf("loaded %d clients (pool %d), %v; want %d", added, tgt.pool.len(), err, preseedCount)
	}
	if c, ok := tgt.pool.pick(rand.New(rand.NewPCG(1, 2))); !ok || c.id <= 0 || c.name == "" {
		t.Errorf("a loaded client: %+v", c)
	}
}
