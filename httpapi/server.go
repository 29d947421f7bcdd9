// Package httpapi serves the Clients API over HTTP: the routes, the
// middleware (request ids, logging, panic recovery, path matching, content
// negotiation, authentication) and the one place errors become responses.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/token"
	"github.com/fatora-oss/fatora/webhook"
)

// DefaultRequestTimeout bounds the work of one request unless the Server
// sets another: past it the database call is abandoned and the caller gets
// 503.
const DefaultRequestTimeout = 10 * time.Second

// Server holds what the handlers need. Set the fields, then call Handler.
type Server struct {
	Clients fatora.ClientService
	// Credentials finds the API keys that requests and tokens name.
	Credentials fatora.CredentialFinder
	Signer      *token.Signer
	Logger      *slog.Logger
	// Ping reports whether the database answers, for /readyz.
	Ping func(context.Context) error
	// Now is the clock of the credential cache.
	Now fatora.Clock
	// RequestTimeout bounds each request (DefaultRequestTimeout if zero).
	RequestTimeout time.Duration
	// IdempotencyTTL is how long an Idempotency-Key is remembered
	// (fatora.DefaultIdempotencyTTL if zero).
	IdempotencyTTL time.Duration
	// Observe, if set, is told of every answered request (for metrics).
	Observe RequestObserver
	// Metrics, if set, is served at GET /metrics (`fatora serve` sets it
	// only with --public-metrics).
	Metrics http.Handler
	// Events and Webhooks serve /v1/events and /v1/webhook_endpoints.
	Events   fatora.EventService
	Webhooks fatora.WebhookService
	// WebhookTargets says which endpoint URLs are accepted.
	WebhookTargets webhook.Targets
	// WakeDeliveries, if set, is called when a delivery was made due now
	// (a test event, a resend), so the delivery loop need not wait.
	WakeDeliveries func()
	// TrustedProxies are the proxies whose X-Forwarded-For names the
	// client, in the access log and for the limits on failed API keys
	// (see TrustedProxies.ClientAddr).
	TrustedProxies TrustedProxies
	// RateLimit is each merchant and mode's request rate on this server
	// (no limit when PerSecond is 0); see DefaultRatePerSecond.
	RateLimit RateLimit
	// SearchTurns is how many keyword searches run at once, shared fairly
	// between merchants (DefaultSearchTurns if zero).
	SearchTurns int
	// ReloadSecrets, if set, reads the signing secrets anew and gives them
	// to Signer. It is called when a token names a secret the signer does
	// not know (at most once a second), so that a secret another server
	// rotated in is accepted at once.
	ReloadSecrets func(context.Context) error
	// RecordKeyUse, if set, is how FlushKeyUses writes down when keys were
	// last used (fatora.MerchantService.RecordKeyUse).
	RecordKeyUse func(ctx context.Context, lastUsed map[string]time.Time) error
	// Sandbox, if set, makes the server a sandbox for integrators' tests:
	// the controls under /sandbox/, failures on demand, the last requests.
	Sandbox *Sandbox
	// Dashboard, if set, serves the merchants' dashboard at /dashboard/
	// (see DashboardPath), and a browser asking for / is sent there.
	Dashboard http.Handler

	creds *credentialCache
	limits
	verifier *token.CachingVerifier
	draining atomic.Bool
	router   *router
	inflight inflight
	keyUses  keyUses
}

// Handler returns the HTTP handler of the API.
func (s *Server) Handler() http.Handler {
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.RequestTimeout <= 0 {
		s.RequestTimeout = DefaultRequestTimeout
	}
	if s.IdempotencyTTL <= 0 {
		s.IdempotencyTTL = fatora.DefaultIdempotencyTTL
	}
	s.creds = newCredentialCache(s.Now)
	s.makeLimits()
	s.verifier = &token.CachingVerifier{Signer: s.Signer}
	s.router = newRouter()
	s.router.handle(authorizeRoute, map[string]handlerFunc{
		http.MethodGet: s.authorize, http.MethodPost: s.authorize,
	}, acceptsJSON)
	s.registerClients(s.router)
	s.registerEvents(s.router)
	s.registerWebhooks(s.router)
	s.router.handle("/healthz", map[string]handlerFunc{http.MethodGet: s.healthz})
	s.router.handle("/readyz", map[string]handlerFunc{http.MethodGet: s.readyz})
	s.registerDocs(s.router)
	if s.Metrics != nil {
		s.router.handle("/metrics", map[string]handlerFunc{http.MethodGet: s.metrics})
	}
	h := withDeadline(s.RequestTimeout, s.router.mux)
	if s.Dashboard != nil {
		h = s.withDashboard(h)
	}
	h = withRecovery(withCanonicalPath(h))
	if s.Sandbox != nil {
		s.registerSandbox(s.router)
		h = s.withSandbox(h)
	}
	return withRequestLog(s.Logger, s.Observe, s.TrustedProxies, withFramingCheck(h))
}

// Routes lists every registered path with its methods, for tests that hold
// the router to the API description.
func (s *Server) Routes() map[string][]string {
	out := map[string][]string{}
	for _, r := range s.router.routes {
		for m := range r.methods {
			out[r.pattern] = append(out[r.pattern], m)
		}
	}
	return out
}

// Drain makes /readyz report not ready, so a load balancer stops sending
// new requests while the server shuts down.
func (s *Server) Drain() { s.draining.Store(true) }

type statusResponse struct {
	Status string `json:"status"`
}

// healthz handles GET /healthz: the process is alive.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, statusResponse{Status: "ok"})
	return nil
}

// metrics handles GET /metrics: the Prometheus exposition.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request) error {
	s.Metrics.ServeHTTP(w, r)
	return nil
}

// readyz handles GET /readyz: the server takes requests and its database
// answers.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if s.draining.Load() {
		return fatora.Errorf(fatora.CodeUnavailable, "The server is shutting down.")
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.Ping(ctx); err != nil {
		return &fatora.Error{Code: fatora.CodeUnavailable, Message: "The database does not answer.", Cause: err}
	}
	writeJSON(w, http.StatusOK, statusResponse{Status: "ready"})
	return nil
}

// readHeaderTimeout bounds the reading of a request head.
const readHeaderTimeout = 5 * time.Second

// NewHTTPServer returns an http.Server with every timeout and limit set.
// Serve it on a listener from GuardFraming (or GuardFramingTLS), so that
// requests with ambiguous framing are refused.
func NewHTTPServer(addr string, h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ConnContext:       framingConnContext,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
