package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"sync"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/metrics"
	"github.com/fatora-oss/fatora/token"
)

// Token claims that name this service.
const (
	tokenIssuer   = "fatora"
	tokenAudience = "fatora-clients-api"
)

// shutdownGrace bounds how long in-flight requests may take to finish
// after SIGTERM.
const shutdownGrace = 30 * time.Second

// serverConfig is what `fatora serve` is configured with.
type serverConfig struct {
	addr           string
	adminAddr      string
	db             string
	pool           poolOptions
	tokenTTL       time.Duration
	idempotencyTTL time.Duration
	webhooks       webhookConfig
}

func serveCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("serve", stderr)
	addr := fs.String("addr", envOr("FATORA_ADDR", ":8080"), "listen address (env FATORA_ADDR)")
	adminAddr := fs.String("admin-addr", envOr("FATORA_ADMIN_ADDR", ""), "serve /metrics and /debug/pprof/ on this address instead of --addr (env FATORA_ADMIN_ADDR)")
	ttl := longDuration(token.DefaultTTL)
	fs.Var(&ttl, "token-ttl", "lifetime of bearer tokens from Authorize, such as 360d or 24h; revoking a key stops its tokens within 5s whatever their lifetime (env FATORA_TOKEN_TTL)")
	idemTTL := fs.Duration("idempotency-ttl", fatora.DefaultIdempotencyTTL, "how long an Idempotency-Key is remembered")
	var pool poolOptions
	fs.IntVar(&pool.maxConns, "db-max-conns", 0, "PostgreSQL: most connections in the pool (0: pgx's default, 4 or the number of CPUs)")
	fs.DurationVar(&pool.statementTimeout, "db-statement-timeout", 5*time.Second, "PostgreSQL: the server cancels a statement running longer (0: no limit)")
	hooks := addWebhookFlags(fs)
	if v := os.Getenv("FATORA_TOKEN_TTL"); v != "" {
		if err := ttl.Set(v); err != nil {
			return fmt.Errorf("FATORA_TOKEN_TTL: %w", err)
		}
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if pool.maxConns < 0 || pool.maxConns > 10000 || pool.statementTimeout < 0 {
		return fmt.Errorf("--db-max-conns must be 0 to 10000 and --db-statement-timeout not negative")
	}
	if time.Duration(ttl) < time.Minute || *idemTTL < time.Minute {
		return fmt.Errorf("--token-ttl and --idempotency-ttl must be at least 1m")
	}
	if err := hooks.check(); err != nil {
		return err
	}
	tuneGC()
	logOut := newBufferedLog(stderr, nil)
	defer logOut.Flush()
	log := slog.New(slog.NewJSONHandler(logOut, nil))
	p, err := startServer(ctx, serverConfig{addr: *addr, adminAddr: *adminAddr, db: *db, pool: pool, tokenTTL: time.Duration(ttl), idempotencyTTL: *idemTTL,
		webhooks: *hooks}, log)
	if err != nil {
		return err
	}
	<-ctx.Done()
	log.Info("shutting down", "grace", shutdownGrace.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	return p.shutdown(shutdownCtx)
}

// server is a running API server: its database, listeners and HTTP servers.
type server struct {
	store   *store
	api     *httpapi.Server
	http    *http.Server
	ln      net.Listener
	admin   *http.Server // serves /metrics when --admin-addr is given
	adminLn net.Listener
	log     *slog.Logger
	done    chan error

	stopPurging context.CancelFunc
	// webhooksDone is closed once the delivery loop has stopped.
	webhooksDone chan struct{}
	stopOnce     sync.Once
	stopErr      error
}

// startServer opens the database (migrating it), loads the signing secret,
// listens on cfg.addr (and cfg.adminAddr) and serves in the background.
func startServer(ctx context.Context, cfg serverConfig, log *slog.Logger) (*server, error) {
	if cfg.idempotencyTTL <= 0 {
		cfg.idempotencyTTL = fatora.DefaultIdempotencyTTL
	}
	if cfg.tokenTTL <= 0 {
		cfg.tokenTTL = token.DefaultTTL
	}
	st, err := openStore(ctx, cfg.db, cfg.pool)
	if err != nil {
		return nil, err
	}
	s := &server{store: st, log: log, done: make(chan error, 1)}
	if err := s.start(ctx, cfg); err != nil {
		st.close()
		return nil, err
	}
	return s, nil
}

// start builds the API on the open store and starts serving it.
func (s *server) start(ctx context.Context, cfg serverConfig) error {
	secret, err := s.store.merchants.SigningSecret(ctx, func() (fatora.SigningSecret, error) {
		return fatora.SigningSecret{ID: token.NewID(), Secret: token.NewSecret()}, nil
	})
	if err != nil {
		return fmt.Errorf("signing secret: %w", err)
	}
	m := metrics.New()
	m.ObserveStore(s.store.stats)
	purgeCtx, stopPurging := context.WithCancel(context.Background())
	s.stopPurging = stopPurging
	s.api = &httpapi.Server{
		Clients: s.store.clients, Credentials: s.store.merchants, Ping: s.store.ping, Logger: s.log,
		IdempotencyTTL: cfg.idempotencyTTL, Observe: m.ObserveRequest,
		Signer: &token.Signer{SecretID: secret.ID, Secret: secret.Secret, Issuer: tokenIssuer,
			Audience: tokenAudience, TTL: cfg.tokenTTL, Now: time.Now},
	}
	s.webhooksDone = serveWebhooks(purgeCtx, s.store, s.api, cfg.webhooks, s.log)
	fail := func(err error) error {
		stopPurging()
		<-s.webhooksDone
		s.closeAdmin()
		return err
	}
	if cfg.adminAddr == "" {
		s.api.Metrics = m.Handler()
	} else if s.admin, s.adminLn, err = serveAdmin(cfg.adminAddr, m.Handler(), s.log); err != nil {
		return fail(err)
	}
	if s.ln, err = net.Listen("tcp", cfg.addr); err != nil {
		return fail(err)
	}
	s.http = httpapi.NewHTTPServer(cfg.addr, s.api.Handler(), s.log)
	go func() { s.done <- s.http.Serve(s.ln) }()
	go purgeIdempotencyKeys(purgeCtx, s.store.purger, cfg.idempotencyTTL, s.log)
	s.log.Info("listening", "addr", s.ln.Addr().String(), "db", redactDSN(cfg.db))
	return nil
}

// serveAdmin serves the metrics and the Go profiler on their own address,
// one the operator keeps private.
func serveAdmin(addr string, h http.Handler, log *slog.Logger) (*http.Server, net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("--admin-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := httpapi.NewHTTPServer(addr, mux, log)
	go srv.Serve(ln)
	log.Info("admin listening", "addr", ln.Addr().String())
	return srv, ln, nil
}

// adminAddr is the address /metrics is served on with --admin-addr.
func (s *server) adminAddr() string { return s.adminLn.Addr().String() }

func (s *server) closeAdmin() {
	if s.admin != nil {
		s.admin.Close()
	}
}

// addr is the address the server listens on.
func (s *server) addr() string { return s.ln.Addr().String() }

// shutdown stops accepting connections, lets in-flight requests finish
// (until ctx ends, then cuts them off), and only then closes the database.
// Later calls return the first call's result.
func (s *server) shutdown(ctx context.Context) error {
	s.stopOnce.Do(func() {
		s.stopPurging()
		s.api.Drain()
		s.closeAdmin()
		err := s.http.Shutdown(ctx)
		if err != nil {
			err = errors.Join(err, s.http.Close())
		}
		if serveErr := <-s.done; !errors.Is(serveErr, http.ErrServerClosed) {
			err = errors.Join(err, serveErr)
		}
		<-s.webhooksDone
		s.stopErr = errors.Join(err, s.store.close())
		s.log.Info("stopped", "error", fmt.Sprint(s.stopErr))
	})
	return s.stopErr
}

// idempotencyPurgeEvery is how often a server deletes expired keys.
const idempotencyPurgeEvery = 10 * time.Minute

// purgeIdempotencyKeys deletes keys older than ttl now and then every
// idempotencyPurgeEvery, until ctx ends. Several servers may purge at once.
func purgeIdempotencyKeys(ctx context.Context, p fatora.IdempotencyPurger, ttl time.Duration, log *slog.Logger) {
	tick := time.NewTicker(idempotencyPurgeEvery)
	defer tick.Stop()
	for {
		n, err := p.PurgeIdempotencyKeys(ctx, time.Now().Add(-ttl))
		if err != nil && ctx.Err() == nil {
			log.Warn("purging idempotency keys", "error", err.Error())
		} else if n > 0 {
			log.Info("purged idempotency keys", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
