// Package fatoratest runs a Fatora sandbox inside a Go test, in the style
// of net/http/httptest: a real Clients API on a loopback port, with a
// throwaway database (SQLite, in a memory file system where there is one)
// and a test-mode merchant whose API key is Fatora's documented sample
// key.
//
//	func TestSync(t *testing.T) {
//		srv := fatoratest.NewServer(t)
//		srv.Fail(fatoratest.Failure{Status: 503, Method: "POST", Path: "/v1/clients"})
//		err := mysync.Run(srv.URL, srv.APIKey) // the code under test
//		...
//	}
//
// The server is the one `fatora serve` runs, so code tested against it
// meets the answers, errors and rules of production; it has no rate
// limits, delivers webhooks to any URL (a local receiver over http://
// included) with retries seconds apart, and can fail requests on demand
// (Fail) to test retry paths. Requests lists what it received, for
// assertions; Reset starts it again from nothing. The same sandbox runs
// outside Go with `fatora sandbox`.
package fatoratest

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/sandbox"
	"github.com/fatora-oss/fatora/sdk"
)

// SampleAPIKey is the merchant's test key unless WithAPIKey gives another:
// the sample key of Fatora's documentation.
const SampleAPIKey = sandbox.SampleAPIKey

// Failure tells the server to fail requests instead of serving them: the
// next Count requests matching Method and Path (one in Every of them) get
// Status (500, 502, 503, or 0 to close the connection without an answer).
type Failure = sandbox.Failure

// Request is a request the server received: method, path, query,
// headers (credentials redacted), the status of its answer (0 for none),
// and whether the answer was a Failure.
type Request = sandbox.RecordedRequest

// Option changes how NewServer or Start makes a server.
type Option func(*config)

type config struct {
	sandbox  sandbox.Options
	seed     int
	seedRand uint64
}

// WithAPIKey makes key the merchant's test key instead of SampleAPIKey: 8
// to 200 printable ASCII characters without spaces.
func WithAPIKey(key string) Option { return func(c *config) { c.sandbox.APIKey = key } }

// WithSeed fills the server with n realistic clients (see Server.Seed),
// the same ones for the same rand.
func WithSeed(n int, rand uint64) Option {
	return func(c *config) { c.seed, c.seedRand = n, rand }
}

// WithLogger sends the server's log (a JSON line a request) to log; it is
// discarded otherwise.
func WithLogger(log *slog.Logger) Option { return func(c *config) { c.sandbox.Logger = log } }

// Server is a sandbox serving on a loopback port.
type Server struct {
	// URL is the server's base URL, http://127.0.0.1:port, without /v1:
	// both forms work with the SDK.
	URL string
	// APIKey is the merchant's test key.
	APIKey string

	t    testing.TB // nil for a server made by Start
	sb   *sandbox.Sandbox
	http *httptest.Server
}

// NewServer starts a server for the test t and stops it, removing its
// database, when t ends. A failure to start fails t.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := start(opts)
	if err != nil {
		t.Fatalf("fatoratest: %v", err)
	}
	s.t = t
	t.Cleanup(s.Close)
	return s
}

// Start starts a server where there is no testing.TB: in an Example, or
// in TestMain for a whole package. Close it when done. Its methods panic
// where a server of NewServer would fail the test, as httptest.NewServer
// panics when it cannot listen.
func Start(opts ...Option) (*Server, error) { return start(opts) }

func start(opts []Option) (*Server, error) {
	var c config
	for _, opt := range opts {
		opt(&c)
	}
	ctx := context.Background()
	sb, err := sandbox.New(ctx, c.sandbox)
	if err != nil {
		return nil, err
	}
	if err := sb.Seed(ctx, c.seed, c.seedRand); err != nil {
		sb.Close()
		return nil, err
	}
	srv := httptest.NewServer(sb.Handler())
	return &Server{URL: srv.URL, APIKey: sb.APIKey, sb: sb, http: srv}, nil
}

// Client returns an SDK client for the merchant's key, which reaches the
// server through the server's own http.Client and retries after a few
// milliseconds instead of the SDK's half second (opts may change both).
func (s *Server) Client(opts ...sdk.Option) *sdk.Client {
	base := []sdk.Option{sdk.WithHTTPClient(s.http.Client()), sdk.WithBackoff(time.Millisecond, 20*time.Millisecond)}
	c, err := sdk.New(s.URL, s.APIKey, append(base, opts...)...)
	if err != nil {
		s.failed(err)
	}
	return c
}

// Fail makes the next requests matching f fail as f says; failures asked
// for one after another are made in that order. A failure that cannot be
// made (a status not listed in Failure, say) fails the test.
func (s *Server) Fail(f Failure) {
	if s.t != nil {
		s.t.Helper()
	}
	if _, err := s.sb.Fail(f); err != nil {
		s.failed(err)
	}
}

// Requests returns the last requests the server received (up to 1,000),
// oldest first.
func (s *Server) Requests() []Request { return s.sb.Requests() }

// Reset deletes every client, event and webhook endpoint, forgets the
// failures not yet made and the requests received, and makes the next
// client id 1 again. The key, and tokens issued for it, keep working.
func (s *Server) Reset() {
	if err := s.sb.Reset(context.Background()); err != nil {
		s.failed(err)
	}
}

// Seed adds n realistic clients, ids in order: Arabic and Latin names,
// Gulf mobile numbers written in the ways people write them, e-mail
// addresses at domains reserved for examples, Gulf addresses, some notes,
// some fields empty. The same rand gives the same clients.
func (s *Server) Seed(n int, rand uint64) {
	if err := s.sb.Seed(context.Background(), n, rand); err != nil {
		s.failed(err)
	}
}

// Close stops the server and removes its database. NewServer's servers
// are closed when their test ends; closing again does nothing.
func (s *Server) Close() {
	s.http.Close()
	if err := s.sb.Close(); err != nil {
		s.failed(err)
	}
}

// failed reports err to the test, or panics without one.
func (s *Server) failed(err error) {
	if s.t == nil {
		panic(fmt.Sprintf("fatoratest: %v", err))
	}
	s.t.Helper()
	s.t.Fatalf("fatoratest: %v", err)
}
