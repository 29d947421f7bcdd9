package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestMetrics reads /metrics, served on the API's address with
// --public-metrics, after some requests: requests by route and status,
// latency histograms, pool and write-batch figures.
func TestMetrics(t *testing.T) {
	dsn, _ := testDB(t)
	key := createMerchant(t, dsn, "shop@example.com").key(t, "test").APIKey
	s, err := newTestServerWith(t, serverConfig{addr: "127.0.0.1:0", db: dsn, tokenTTL: time.Hour, publicMetrics: true})
	if err != nil {
		t.Fatal(err)
	}
	auth := "Bearer " + s.authorize(t, key)
	wantStatus(t, s.do(t, http.MethodPost, "/v1/clients", seedCurlBody, "Authorization", auth, "Content-Type", "application/json"), 201)
	wantStatus(t, s.do(t, http.MethodGet, "/v1/clients/987654", "", "Authorization", auth), 404)
	body := string(s.do(t, http.MethodGet, "/metrics", "", "Accept", "text/plain").body)
	for _, want := range []string{
		`fatora_http_requests_total{method="POST",route="/v1/clients",status="201"} 1`,
		`fatora_http_requests_total{method="GET",route="/v1/clients/{id}",status="404"} 1`,
		`fatora_http_request_duration_seconds_bucket{method="POST",route="/v1/clients",le="+Inf"} 1`,
		`fatora_db_write_batches_total`,
		`fatora_db_writes_total`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if !regexp.MustCompile(`(?m)^fatora_db_pool_max_connections [1-9][0-9]*$`).MatchString(body) {
		t.Error("/metrics lacks the read pool's size")
	}
}

// TestMetricsNotPublicByDefault: without --admin-addr or --public-metrics,
// API clients cannot read /metrics, and the log says how to serve it.
func TestMetricsNotPublicByDefault(t *testing.T) {
	dsn, _ := testDB(t)
	s := startTestServer(t, dsn)
	wantStatus(t, s.do(t, http.MethodGet, "/metrics", ""), http.StatusNotFound)
	if !strings.Contains(s.logs.String(), "/metrics is not served") {
		t.Errorf("the log does not say that /metrics is off:\n%s", s.logs.String())
	}
}

// TestMetricsOnAdminAddress serves /metrics and the profiler on --admin-addr
// only.
func TestMetricsOnAdminAddress(t *testing.T) {
	dsn, _ := testDB(t)
	s, err := startServer(context.Background(), serverConfig{addr: "127.0.0.1:0", adminAddr: "127.0.0.1:0", db: dsn, tokenTTL: time.Hour},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.shutdown(context.Background())
	resp, err := http.Get("http://" + s.addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the API address = %d, want 404 when --admin-addr is given", resp.StatusCode)
	}
	admin, err := http.Get("http://" + s.adminAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(admin.Body)
	admin.Body.Close()
	if admin.StatusCode != 200 || !strings.Contains(string(b), "fatora_db_pool_max_connections") {
		t.Errorf("/metrics on the admin address = %d %.200s", admin.StatusCode, b)
	}
	for addr, want := range map[string]int{s.addr(): http.StatusNotFound, s.adminAddr(): http.StatusOK} {
		resp, err := http.Get("http://" + addr + "/debug/pprof/goroutine?debug=1")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("/debug/pprof/ on %s = %d, want %d (the profiler is on the admin address only)", addr, resp.StatusCode, want)
		}
	}
}
