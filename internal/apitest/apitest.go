// Package apitest starts the real Clients API for tests: an httpapi.Server
// with a real token.Signer, on a fresh SQLite database (or, when asked,
// PostgreSQL), under a clock the test sets, with merchants holding test and
// live keys and tokens, and served over HTTP when a test needs a URL.
//
// It is for this module's tests only (Example functions, which have no
// testing.TB, use the public package fatoratest): it calls testing.TB's
// Fatal on any failure and nothing in the program imports it. Everything it
// makes is released by the test's Cleanup.
package apitest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/token"
	"github.com/fatora-oss/fatora/webhook"
)

// TokenTTL is how long the bearer tokens of an Env live.
const TokenTTL = 24 * time.Hour

// Options shape an Env; the zero value is an API on SQLite whose clock
// starts at the current time.
type Options struct {
	// Store is the database the API runs on (SQLite when unset).
	Store Store
	// Start is the clock's first reading (the current time when zero).
	// Clients that compare the server's expiry times with their own clock,
	// such as the SDK, want the current time.
	Start time.Time
	// Replace, when set, may swap the services before the server is made
	// on them: a test double that fails, say.
	Replace func(*Services)
	// RequestTimeout bounds each request (httpapi's default when zero).
	RequestTimeout time.Duration
	// Configure, when set, may set further fields of the server (Observe,
	// Metrics) before its handler is made.
	Configure func(*httpapi.Server)
}

// Env is one API server on its own database.
type Env struct {
	// Clock is the time of the server, its signer and its store.
	Clock *Clock
	// Signer issues and checks the server's bearer tokens.
	Signer *token.Signer
	// Services are what Server runs on (after Options.Replace).
	Services Services
	// Server is the real API server; Handler is its handler.
	Server  *httpapi.Server
	Handler http.Handler
	// Logs holds the server's log, JSON lines.
	Logs *LogBuffer

	t testing.TB
}

// New opens a fresh database of opts.Store and makes the API server on it.
// The database is closed when t ends.
func New(t testing.TB, opts Options) *Env {
	t.Helper()
	if opts.Store.Open == nil {
		opts.Store = SQLite()
	}
	start := opts.Start
	if start.IsZero() {
		start = time.Now().UTC()
	}
	e := &Env{t: t, Clock: NewClock(start), Logs: &LogBuffer{}}
	e.Services = opts.Store.Open(t, e.Clock.Now)
	if opts.Replace != nil {
		opts.Replace(&e.Services)
	}
	e.Signer = &token.Signer{SecretID: "secret-1", Secret: token.NewSecret(), Issuer: "fatora",
		Audience: "fatora-clients-api", TTL: TokenTTL, Now: e.Clock.Now}
	e.Server = &httpapi.Server{Clients: e.Services.Clients, Credentials: e.Services.Merchants, Signer: e.Signer,
		Ping: e.Services.Ping, Now: e.Clock.Now, Logger: slog.New(slog.NewJSONHandler(e.Logs, nil)),
		RequestTimeout: opts.RequestTimeout, Events: e.Services.Events, Webhooks: e.Services.Webhooks,
		WebhookTargets: webhook.Targets{AllowInsecure: true, AllowPrivate: true}}
	if opts.Configure != nil {
		opts.Configure(e.Server)
	}
	e.Handler = e.Server.Handler()
	return e
}

// Serve serves the API over HTTP on a loopback port until the test ends
// (or the returned server is closed). fronts wrap the handler, the first
// outermost: test doubles that see or fail requests before the server does.
func (e *Env) Serve(fronts ...func(http.Handler) http.Handler) *httptest.Server {
	h := e.Handler
	for i := len(fronts) - 1; i >= 0; i-- {
		h = fronts[i](h)
	}
	srv := httptest.NewServer(h)
	e.t.Cleanup(srv.Close)
	return srv
}

// Services are what an API server is built on.
type Services struct {
	Clients   fatora.ClientService
	Merchants fatora.MerchantService
	// Ping reports whether the database answers, for /readyz.
	Ping func(context.Context) error
	// Events, Webhooks and Deliveries serve events and their delivery.
	Events     fatora.EventService
	Webhooks   fatora.WebhookService
	Deliveries fatora.DeliveryQueue
	// Sessions are the dashboard's.
	Sessions fatora.SessionService
}
