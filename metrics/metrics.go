// Package metrics exposes the server's figures in the Prometheus text
// format, through the Prometheus Go client: requests by route, method and
// status, their latency, and the store's connection pool and group commit.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the server's collectors in a registry of its own.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// New returns the collectors of the HTTP layer, of the Go runtime and of
// the process, registered in a new registry.
func New() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "fatora_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "fatora_http_request_duration_seconds",
			Help:    "Time from a request's arrival to its answer, by route pattern and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
	}
	m.registry.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveRequest records one answered request. route is the pattern the
// router matched (never the raw path, so ids do not multiply the series).
func (m *Metrics) ObserveRequest(route, method string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(d.Seconds())
}

// ObserveStore registers the figures of a store, read at each scrape.
func (m *Metrics) ObserveStore(stats func() fatora.StoreStats) {
	gauge := func(name, help string, v func(fatora.StoreStats) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return v(stats()) })
	}
	counter := func(name, help string, v func(fatora.StoreStats) float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return v(stats()) })
	}
	m.registry.MustRegister(
		gauge("fatora_db_pool_max_connections", "Most connections the database pool may open.",
			func(s fatora.StoreStats) float64 { return float64(s.MaxConns) }),
		gauge("fatora_db_pool_open_connections", "Connections the database pool has open.",
			func(s fatora.StoreStats) float64 { return float64(s.OpenConns) }),
		gauge("fatora_db_pool_in_use_connections", "Connections of the pool in use.",
			func(s fatora.StoreStats) float64 { return float64(s.InUse) }),
		gauge("fatora_db_pool_idle_connections", "Idle connections of the pool.",
			func(s fatora.StoreStats) float64 { return float64(s.Idle) }),
		counter("fatora_db_pool_waits_total", "Times a query waited for a free connection (SQLite: for its turn at the read pool).",
			func(s fatora.StoreStats) float64 { return float64(s.WaitCount) }),
		counter("fatora_db_pool_wait_seconds_total", "Time spent waiting for a free connection (SQLite: for a turn).",
			func(s fatora.StoreStats) float64 { return s.WaitDuration.Seconds() }),
		counter("fatora_db_write_batches_total", "Write transactions committed or tried (group commit).",
			func(s fatora.StoreStats) float64 { return float64(s.Batches) }),
		counter("fatora_db_writes_total", "Writes carried by those transactions; writes/batches is the average batch.",
			func(s fatora.StoreStats) float64 { return float64(s.Writes) }),
	)
}

// Handler serves the figures in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}
