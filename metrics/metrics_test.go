package metrics

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

func TestExposition(t *testing.T) {
	m := New()
	m.ObserveRequest("/v1/clients/{id}", "GET", 200, 3*time.Millisecond)
	m.ObserveRequest("/v1/clients/{id}", "GET", 404, time.Millisecond)
	m.ObserveStore(func() fatora.StoreStats { return fatora.StoreStats{MaxConns: 8, Batches: 10, Writes: 250} })
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`fatora_http_requests_total{method="GET",route="/v1/clients/{id}",status="200"} 1`,
		`fatora_http_requests_total{method="GET",route="/v1/clients/{id}",status="404"} 1`,
		`fatora_http_request_duration_seconds_count{method="GET",route="/v1/clients/{id}"} 2`,
		`fatora_db_pool_max_connections 8`,
		`fatora_db_write_batches_total 10`,
		`fatora_db_writes_total 250`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the exposition lacks %s", want)
		}
	}
}
