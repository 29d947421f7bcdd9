// Package sandbox runs a throwaway Fatora Clients API for integrators'
// tests: the real server (package httpapi) on a new SQLite database in a
// temporary directory, with one merchant whose test key is Fatora's
// documented sample key, no rate limits, webhooks delivered to any URL
// (loopback and http:// included), and the controls under /sandbox/
// (httpapi.Sandbox): start again from nothing, fail requests on demand,
// read back the requests received. Close removes everything.
//
// `fatora sandbox` serves one on an address; package fatoratest serves one
// inside a Go test. Like cmd/fatora, it wires the store, the API and the
// delivery loop together: it is the one package outside the binary that
// does, because fatoratest, a library, cannot import the binary.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/sqlite"
	"github.com/fatora-oss/fatora/token"
	"github.com/fatora-oss/fatora/webhook"
)

// SampleAPIKey is the API key of Fatora's documentation, the sandbox
// merchant's test key unless Options.APIKey names another: code written
// against the documentation runs unchanged.
const SampleAPIKey = "E4B73FEE-F492-4607-A38D-852B0EBC91C9"

// Failure tells the sandbox to fail requests (see httpapi.Failure).
type Failure = httpapi.Failure

// RecordedRequest is a request the sandbox received (see
// httpapi.RecordedRequest).
type RecordedRequest = httpapi.RecordedRequest

// The sandbox's merchant.
const (
	MerchantName  = "Sandbox"
	MerchantEmail = "sandbox@example.com"
)

// Options shape a sandbox; the zero value is ready to use.
type Options struct {
	// APIKey is the merchant's test key: SampleAPIKey when empty, else 8
	// to 200 printable ASCII characters without spaces.
	APIKey string
	// Dir is where the database's temporary directory is made: a memory
	// file system (/dev/shm) when there is one, so that writes cost no
	// disk sync, else the system's temporary directory.
	Dir string
	// Logger receives the server's log (discarded when nil).
	Logger *slog.Logger
}

// Sandbox is a running sandbox: serve Handler. It is safe for concurrent
// use.
type Sandbox struct {
	// APIKey is the merchant's test key.
	APIKey string

	dir      string
	db       *sqlite.DB
	clients  fatora.ClientService
	scope    fatora.Scope
	controls *httpapi.Sandbox
	handler  http.Handler

	stop       context.CancelFunc
	background sync.WaitGroup
	closeOnce  sync.Once
	closeErr   error
}

// New makes a sandbox: a temporary directory with a new database in it,
// the merchant and its key, and the API (webhook deliveries running until
// Close). Close it when done, or the directory stays.
func New(ctx context.Context, opts Options) (*Sandbox, error) {
	if opts.APIKey == "" {
		opts.APIKey = SampleAPIKey
	}
	if err := checkAPIKey(opts.APIKey); err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	dir, err := os.MkdirTemp(databaseParent(opts.Dir), "fatora-sandbox-")
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	s := &Sandbox{APIKey: opts.APIKey, dir: dir}
	if err := s.open(ctx, opts); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// checkAPIKey refuses a key that no header could carry.
func checkAPIKey(key string) error {
	if len(key) < 8 || len(key) > token.MaxAPIKeyLen || strings.IndexFunc(key, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0 {
		return fmt.Errorf("sandbox: the API key must be 8 to %d printable ASCII characters without spaces", token.MaxAPIKeyLen)
	}
	return nil
}

// databaseParent is where the database's directory goes: dir if set, else
// a memory file system if this machine has one we may write in, else the
// temporary directory.
func databaseParent(dir string) string {
	if dir != "" {
		return dir
	}
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if probe, err := os.MkdirTemp("/dev/shm", "fatora-probe-"); err == nil {
			os.Remove(probe)
			return "/dev/shm"
		}
	}
	return os.TempDir()
}

// open opens the database, registers the merchant and builds the API.
func (s *Sandbox) open(ctx context.Context, opts Options) error {
	db, err := sqlite.Open(ctx, filepath.Join(s.dir, "sandbox.db"))
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	s.db = db
	m := fatora.Merchant{Name: MerchantName, Email: MerchantEmail}
	key := &fatora.APIKey{ID: token.NewID(), Mode: fatora.ModeTest, Prefix: token.DisplayPrefix(s.APIKey),
		Hash: token.HashAPIKey(token.CanonicalAPIKey(s.APIKey))}
	if err := sqlite.NewMerchantService(db).CreateMerchant(ctx, &m, []*fatora.APIKey{key}); err != nil {
		db.Close()
		return fmt.Errorf("sandbox: %s", fatora.ErrorMessage(err))
	}
	s.scope = fatora.Scope{MerchantID: m.ID, Mode: fatora.ModeTest}
	s.clients = sqlite.NewClientService(db)
	s.serve(opts)
	return nil
}

// deliveryPoll is how often the delivery loop looks for due deliveries.
const deliveryPoll = 100 * time.Millisecond

// retrySchedule is the wait before each retry of a webhook delivery: a
// test waits seconds, not the hours of a real server's schedule.
var retrySchedule = []time.Duration{time.Second, 2 * time.Second, 5 * time.Second}

// serve builds the API and starts the delivery loop. The API has no rate
// limits: a Server sets none unless told, and its Sandbox field tells the
// server it serves tests (TestNoLimits holds both).
func (s *Sandbox) serve(opts Options) {
	targets := webhook.Targets{AllowInsecure: true, AllowPrivate: true}
	s.controls = &httpapi.Sandbox{Erase: s.db.EraseData}
	wake := make(chan struct{}, 1)
	api := &httpapi.Server{Clients: s.clients, Credentials: sqlite.NewMerchantService(s.db), Ping: s.db.Ping,
		Logger: opts.Logger, Events: sqlite.NewEventService(s.db), Webhooks: sqlite.NewWebhookService(s.db),
		WebhookTargets: targets, Sandbox: s.controls,
		WakeDeliveries: func() {
			select {
			case wake <- struct{}{}:
			default:
			}
		},
		Signer: &token.Signer{SecretID: token.NewID(), Secret: token.NewSecret(), Issuer: "fatora",
			Audience: "fatora-clients-api", TTL: token.DefaultTTL, Now: time.Now}}
	s.handler = api.Handler()
	w := &webhook.Worker{Queue: sqlite.NewDeliveryQueue(s.db), Client: webhook.NewHTTPClient(targets),
		Render: httpapi.EventJSON, Log: opts.Logger, Schedule: retrySchedule}
	ctx, stop := context.WithCancel(context.Background())
	s.stop = stop
	s.background.Go(func() { w.Run(ctx, deliveryPoll, wake) })
}

// Handler is the API, with the controls under /sandbox/.
func (s *Sandbox) Handler() http.Handler { return s.handler }

// Fail queues a failure (see httpapi.Sandbox.Fail) and returns it as kept.
// Errors: invalid_field.
func (s *Sandbox) Fail(f Failure) (Failure, error) { return s.controls.Fail(f) }

// Requests returns the last requests received, oldest first (see
// httpapi.Sandbox.Requests).
func (s *Sandbox) Requests() []RecordedRequest { return s.controls.Requests() }

// Reset deletes every client, event and webhook endpoint, forgets the
// failures queued and the requests received, and makes the next client id
// 1 again; the key, and tokens issued for it, keep working.
func (s *Sandbox) Reset(ctx context.Context) error { return s.controls.Reset(ctx) }

// Close stops the delivery loop, closes the database and removes its
// directory. Later calls return the first one's result.
func (s *Sandbox) Close() error {
	s.closeOnce.Do(func() {
		s.stop()
		s.background.Wait()
		s.closeErr = errors.Join(s.db.Close(), os.RemoveAll(s.dir))
	})
	return s.closeErr
}
