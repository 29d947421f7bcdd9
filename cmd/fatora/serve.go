package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/dashboard"
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
// after the drain period.
const shutdownGrace = 30 * time.Second

// defaultDrain is how long /readyz answers 503 after SIGTERM while
// requests are still served, so that load balancers stop sending first.
const defaultDrain = 5 * time.Second

const serveDetails = `The default address, 127.0.0.1:8080, takes connections from this machine
only; containers and servers set --addr :8080 (or FATORA_ADDR=:8080).
A SQLite database that does not exist yet is created, and the log says where.

On SIGTERM or SIGINT, /readyz answers 503 for --drain while requests are
still served, so a load balancer stops sending new ones; then the server
stops accepting connections, lets in-flight requests finish (up to 30s)
and closes the database. With --tls-cert and --tls-key it serves HTTPS, and
SIGHUP reads the two files again (a renewed certificate, no restart).`

// serverConfig is what `fatora serve` is configured with.
type serverConfig struct {
	addr           string
	adminAddr      string
	db             string
	pool           poolOptions
	tokenTTL       time.Duration
	idempotencyTTL time.Duration
	tlsCert        string
	tlsKey         string
	trustedProxies httpapi.TrustedProxies
	rateLimit      httpapi.RateLimit
	publicMetrics  bool
	secretFile     string
	searchTurns    int
	webhooks       webhookConfig
	// deletedRetention is how long a deleted client can be restored.
	deletedRetention longDuration
}

func serveFlags(fs *flagSet) runner {
	var cfg serverConfig
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "listen `address`; :8080 for every interface")
	fs.StringVar(&cfg.adminAddr, "admin-addr", "", "serve /metrics and /debug/pprof/ on this `address`, one kept private")
	db := dbFlag(fs)
	ttl := longDuration(token.DefaultTTL)
	fs.Var(&ttl, "token-ttl", "lifetime of bearer tokens from Authorize, a `duration` such as 360d or 24h; revoking a key stops its tokens within 5s whatever their lifetime")
	fs.DurationVar(&cfg.idempotencyTTL, "idempotency-ttl", fatora.DefaultIdempotencyTTL, "how long an Idempotency-Key is remembered")
	fs.IntVar(&cfg.pool.maxConns, "db-max-conns", 0, "PostgreSQL: most connections in the pool (0: pgx's default, 4 or the number of CPUs, plus one a concurrent search)")
	fs.DurationVar(&cfg.pool.statementTimeout, "db-statement-timeout", 5*time.Second, "PostgreSQL: the server cancels a statement running longer (0: no limit)")
	fs.StringVar(&cfg.tlsCert, "tls-cert", "", "serve HTTPS with this certificate `file` (PEM, the chain after the certificate); SIGHUP reloads it")
	fs.StringVar(&cfg.tlsKey, "tls-key", "", "the private key `file` (PEM) of --tls-cert")
	drain := fs.Duration("drain", defaultDrain, "after SIGTERM, how long /readyz answers 503 while requests are still served")
	proxies := fs.String("trusted-proxies", "", "comma-separated `networks` (10.0.0.0/8) or addresses of proxies whose X-Forwarded-For names the client (for the log and the limits on failed keys)")
	fs.Float64Var(&cfg.rateLimit.PerSecond, "rate-limit", httpapi.DefaultRatePerSecond, "requests a `second` each merchant and mode may send to this server; 0 for no limit")
	fs.IntVar(&cfg.rateLimit.Burst, "rate-burst", httpapi.DefaultRateBurst, "requests each merchant and mode may send at once, above --rate-limit")
	fs.IntVar(&cfg.searchTurns, "concurrent-searches", 0, "keyword searches run at once, shared fairly between merchants (0: the CPUs on SQLite, one and a half times the CPUs on PostgreSQL)")
	secretFile := secretFileFlag(fs)
	fs.BoolVar(&cfg.publicMetrics, "public-metrics", false, "serve /metrics on --addr too, where API clients reach it (without it, only --admin-addr serves it)")
	addWebhookFlags(fs, &cfg.webhooks)
	cfg.deletedRetention = longDuration(fatora.DefaultDeletedRetention)
	fs.Var(&cfg.deletedRetention, "deleted-retention",
		"how long a deleted client can be restored before it is removed for good, a `duration` such as 30d")
	for _, name := range []string{"addr", "admin-addr", "token-ttl", "idempotency-ttl", "db-max-conns",
		"db-statement-timeout", "tls-cert", "tls-key", "drain", "trusted-proxies", "rate-limit", "rate-burst", "public-metrics", "concurrent-searches", "deleted-retention"} {
		fs.fromEnv(name, "FATORA_"+envName(name))
	}
	return func(ctx context.Context, c *call) error {
		cfg.db, cfg.tokenTTL, cfg.secretFile = *db, time.Duration(ttl), *secretFile
		if err := checkServeConfig(&cfg, *drain, *proxies); err != nil {
			return err
		}
		tuneGC()
		logOut := newBufferedLog(c.stderr, nil)
		defer logOut.Flush()
		log := slog.New(slog.NewJSONHandler(logOut, nil))
		p, err := startServer(ctx, cfg, log)
		if err != nil {
			return err
		}
		stopReloading := p.reloadOnSIGHUP()
		defer stopReloading()
		<-ctx.Done()
		return p.drainAndStop(time.After(*drain), *drain)
	}
}

// envName is the FATORA_ name of a flag: db-max-conns, DB_MAX_CONNS.
func envName(flagName string) string {
	b := []byte(flagName)
	for i, c := range b {
		switch {
		case c == '-':
			b[i] = '_'
		case c >= 'a' && c <= 'z':
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// checkServeConfig refuses settings that cannot work, before anything is
// opened.
func checkServeConfig(cfg *serverConfig, drain time.Duration, proxies string) error {
	if cfg.pool.maxConns < 0 || cfg.pool.maxConns > 10000 || cfg.pool.statementTimeout < 0 {
		return errors.New("--db-max-conns must be 0 to 10000 and --db-statement-timeout not negative")
	}
	if cfg.tokenTTL < time.Minute || cfg.idempotencyTTL < time.Minute || time.Duration(cfg.deletedRetention) < time.Minute {
		return errors.New("--token-ttl, --idempotency-ttl and --deleted-retention must be at least 1m")
	}
	if (cfg.tlsCert == "") != (cfg.tlsKey == "") {
		return errors.New("give both --tls-cert and --tls-key, or neither")
	}
	if cfg.rateLimit.PerSecond < 0 || (cfg.rateLimit.PerSecond > 0 && cfg.rateLimit.Burst < 1) {
		return errors.New("--rate-limit must not be negative, and --rate-burst must be at least 1")
	}
	if cfg.searchTurns < 0 || cfg.searchTurns > 1000 {
		return errors.New("--concurrent-searches must be 0 (by the database) to 1000")
	}
	if drain < 0 || drain > 10*time.Minute {
		return errors.New("--drain must be 0 to 10m")
	}
	if err := cfg.webhooks.check(); err != nil {
		return err
	}
	var err error
	if cfg.trustedProxies, err = httpapi.ParseTrustedProxies(proxies); err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	return checkDSN(cfg.db)
}

// server is a running API server: its database, listeners and HTTP servers.
type server struct {
	store   *store
	api     *httpapi.Server
	http    *http.Server
	ln      net.Listener
	certs   *certReloader // with --tls-cert
	admin   *http.Server  // serves /metrics when --admin-addr is given
	adminLn net.Listener
	log     *slog.Logger
	done    chan error
	// secrets is where the signing secrets come from; previousSecrets
	// counts the previous ones last read.
	secrets         secretSource
	previousSecrets atomic.Int64

	stopBackground context.CancelFunc
	background     sync.WaitGroup
	stopOnce       sync.Once
	stopErr        error
}

// startServer opens the database (making a SQLite file that does not
// exist, and migrating it), loads the signing secret, listens on cfg.addr
// (and cfg.adminAddr) and serves in the background.
func startServer(ctx context.Context, cfg serverConfig, log *slog.Logger) (*server, error) {
	if cfg.idempotencyTTL <= 0 {
		cfg.idempotencyTTL = fatora.DefaultIdempotencyTTL
	}
	if cfg.tokenTTL <= 0 {
		cfg.tokenTTL = token.DefaultTTL
	}
	s := &server{log: log, done: make(chan error, 1)}
	var err error
	if cfg.tlsCert != "" {
		if s.certs, err = newCertReloader(cfg.tlsCert, cfg.tlsKey); err != nil {
			return nil, err
		}
	}
	cfg.searchTurns = searchTurns(cfg.db, cfg.searchTurns)
	cfg.pool.searchConns = cfg.searchTurns
	st, created, err := openStore(ctx, cfg.db, cfg.pool, mayCreate)
	if err != nil {
		return nil, err
	}
	if created != "" {
		log.Info("created a new database", "path", created)
	}
	if len(st.tightened) > 0 {
		log.Warn(tightenedMessage, "files", st.tightened)
	}
	s.store = st
	st.setRetention(time.Duration(cfg.deletedRetention))
	if err := s.start(ctx, cfg); err != nil {
		st.close()
		return nil, err
	}
	s.hintFirstMerchant(ctx, cfg.db)
	return s, nil
}

// start builds the API on the open store and starts serving it.
func (s *server) start(ctx context.Context, cfg serverConfig) error {
	s.secrets = secretSource{file: cfg.secretFile, merchants: s.store.merchants}
	m := metrics.New()
	m.ObserveStore(s.store.stats)
	s.api = &httpapi.Server{
		Clients: s.store.clients, Credentials: s.store.merchants, Ping: s.store.ping, Logger: s.log,
		IdempotencyTTL: cfg.idempotencyTTL, Observe: m.ObserveRequest, TrustedProxies: cfg.trustedProxies,
		RecordKeyUse: s.store.merchants.RecordKeyUse, RateLimit: cfg.rateLimit, SearchTurns: cfg.searchTurns,
		Signer:        &token.Signer{Issuer: tokenIssuer, Audience: tokenAudience, TTL: cfg.tokenTTL, Now: time.Now},
		ReloadSecrets: s.reloadSecrets,
	}
	if err := s.reloadSecrets(ctx); err != nil {
		return err
	}
	deliver := wireWebhooks(s.store, s.api, cfg.webhooks, s.log)
	s.api.Dashboard = (&dashboard.Server{Clients: s.store.clients, Sessions: s.store.sessions, Merchants: s.store.merchants,
		Guard: s.api, Logger: s.log}).Handler()
	if err := s.startMetrics(cfg, m.Handler()); err != nil {
		return err
	}
	var err error
	if s.ln, err = net.Listen("tcp", cfg.addr); err != nil {
		s.closeAdmin()
		return err
	}
	s.http = httpapi.NewHTTPServer(cfg.addr, s.api.Handler(), s.log)
	s.serve()
	bg, stop := context.WithCancel(context.Background())
	s.stopBackground = stop
	s.background.Go(func() { purgeIdempotencyKeys(bg, s.store.purger, cfg.idempotencyTTL, s.log) })
	s.background.Go(func() {
		repeat(bg, fatora.KeyUseFlushEvery, s.log, "writing down when keys were last used", s.api.FlushKeyUses)
	})
	s.background.Go(func() { // a rotation or revocation reaches every server within secretReloadEvery
		repeat(bg, secretReloadEvery, s.log, "reading the signing secrets; the ones in use stay", s.reloadSecrets)
	})
	s.background.Go(func() { deliver(bg) })
	s.background.Go(func() { purgeEvents(bg, s.store.events, time.Duration(cfg.webhooks.retention), s.log) })
	s.background.Go(func() { purgeDeletedClients(bg, s.store.deleted, time.Duration(cfg.deletedRetention), s.log) })
	s.background.Go(func() {
		repeat(bg, sessionPurgeEvery, s.log, "deleting ended dashboard sessions", func(ctx context.Context) error {
			_, err := s.store.sessions.PurgeSessions(ctx, time.Now())
			return err
		})
	})
	s.log.Info("listening", "addr", s.ln.Addr().String(), "tls", s.certs != nil, "db", redactDSN(cfg.db))
	return nil
}

// startMetrics serves the metrics on --admin-addr, and on the API's
// address with --public-metrics.
func (s *server) startMetrics(cfg serverConfig, metrics http.Handler) error {
	if cfg.publicMetrics {
		s.api.Metrics = metrics
	}
	if cfg.adminAddr == "" {
		if !cfg.publicMetrics {
			s.log.Info("/metrics is not served: give --admin-addr (a private address) to serve it, or --public-metrics")
		}
		return nil
	}
	var err error
	s.admin, s.adminLn, err = serveAdmin(cfg.adminAddr, metrics, s.log)
	return err
}

// serve serves HTTP, or HTTPS (HTTP/2 and HTTP/1.1) with the reloadable
// certificate, on a listener that refuses requests with ambiguous framing.
func (s *server) serve() {
	if s.certs == nil {
		go func() { s.done <- s.http.Serve(httpapi.GuardFraming(s.ln)) }()
		return
	}
	s.http.TLSConfig = s.certs.config()
	s.http.TLSConfig.NextProtos = []string{"h2", "http/1.1"}
	go func() { s.done <- s.http.Serve(httpapi.GuardFramingTLS(s.ln, s.http.TLSConfig)) }()
}

// hintFirstMerchant logs, once, how to create a merchant when there is
// none: a new server can do nothing without one.
func (s *server) hintFirstMerchant(ctx context.Context, dsn string) {
	ms, err := s.store.merchants.ListMerchants(ctx)
	if err != nil || len(ms) > 0 {
		return
	}
	db := dsn
	if abs, _, ok := sqlitePath(dsn); ok {
		db = "sqlite:" + abs
	}
	s.log.Warn("no merchant yet: create one, and use its test key to call the API",
		"command", fmt.Sprintf("fatora merchant create --db '%s' --name NAME --email EMAIL", redactDSN(db)))
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

// reloadOnSIGHUP reads the TLS files again on every SIGHUP until the
// returned function is called.
func (s *server) reloadOnSIGHUP() (stop func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-hup:
				s.reloadCertificate()
				if err := s.reloadSecrets(context.Background()); err != nil {
					s.log.Error("SIGHUP: reading the signing secrets failed; the ones in use stay", "error", err.Error())
				}
			}
		}
	}()
	return func() { signal.Stop(hup); close(done) }
}

// reloadCertificate reads the TLS files again; on failure the certificate
// in use stays.
func (s *server) reloadCertificate() {
	if s.certs == nil {
		s.log.Info("SIGHUP: no --tls-cert to reload")
		return
	}
	if err := s.certs.reload(); err != nil {
		s.log.Error("reloading the TLS certificate failed; the one in use stays", "error", err.Error())
		return
	}
	s.log.Info("reloaded the TLS certificate", "not_after", s.certs.notAfter().Format(time.RFC3339))
}

// drainAndStop is the server's answer to SIGTERM: /readyz says 503 until
// drained fires, requests still being served, then shutdown within grace.
func (s *server) drainAndStop(drained <-chan time.Time, drain time.Duration) error {
	s.log.Info("draining: /readyz answers 503", "drain", drain.String())
	s.api.Drain()
	<-drained
	s.log.Info("shutting down", "grace", shutdownGrace.String())
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	return s.shutdown(ctx)
}

// shutdown stops accepting connections, lets in-flight requests finish
// (until ctx ends, then cuts them off), writes down the keys' last use, and
// only then closes the database. Later calls return the first call's result.
func (s *server) shutdown(ctx context.Context) error {
	s.stopOnce.Do(func() {
		s.api.Drain()
		s.closeAdmin()
		err := s.http.Shutdown(ctx)
		if err != nil {
			err = errors.Join(err, s.http.Close())
		}
		if serveErr := <-s.done; !errors.Is(serveErr, http.ErrServerClosed) {
			err = errors.Join(err, serveErr)
		}
		s.stopBackground()
		s.background.Wait()
		if ferr := s.api.FlushKeyUses(ctx); ferr != nil {
			s.log.Warn("writing down when keys were last used", "error", ferr.Error())
		}
		s.stopErr = errors.Join(err, s.store.close())
		if s.stopErr != nil {
			s.log.Error("stopped", "error", s.stopErr.Error())
		} else {
			s.log.Info("stopped")
		}
	})
	return s.stopErr
}

// sessionPurgeEvery is how often a server deletes the dashboard sessions
// and sign-in links that have ended (ended ones are refused anyway).
const sessionPurgeEvery = time.Hour

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

// repeat runs fn every period until ctx ends, logging its failures as
// what (the one ctx's end causes aside).
func repeat(ctx context.Context, period time.Duration, log *slog.Logger, what string, fn func(context.Context) error) {
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := fn(ctx); err != nil && ctx.Err() == nil {
				log.Warn(what, "error", err.Error())
			}
		}
	}
}

// deletedPurgeEvery is how often a server removes the clients deleted
// longer ago than the retention period.
const deletedPurgeEvery = 10 * time.Minute

// purgeDeletedClients removes deleted clients past retention now and then
// every deletedPurgeEvery, until ctx ends. Every server may run it: the
// stores share the work out (see fatora.ClientPurger).
func purgeDeletedClients(ctx context.Context, p fatora.ClientPurger, retention time.Duration, log *slog.Logger) {
	purge := func(ctx context.Context) error {
		n, err := p.PurgeDeletedClients(ctx, fatora.RetentionCutoff(time.Now(), retention))
		if n > 0 {
			log.Info("removed deleted clients past retention", "count", n)
		}
		return err
	}
	if err := purge(ctx); err != nil && ctx.Err() == nil {
		log.Warn("removing deleted clients past retention", "error", err.Error())
	}
	repeat(ctx, deletedPurgeEvery, log, "removing deleted clients past retention", purge)
}

// searchTurns returns how many keyword searches run at once on a server
// of the database dsn: n if set, else one a CPU on SQLite, where a search
// is the server's CPU only, and half as many again on PostgreSQL, where a
// search waits on round trips between the server and the database and one
// a CPU left the cores idle between them (docs/operations.md has the
// figures).
func searchTurns(dsn string, n int) int {
	switch {
	case n > 0:
		return n
	case strings.HasPrefix(dsn, "sqlite:"):
		return httpapi.DefaultSearchTurns()
	}
	cpus := httpapi.DefaultSearchTurns()
	return cpus + cpus/2
}
