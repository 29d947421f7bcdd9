package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/sandbox"
)

const sandboxDetails = `A throwaway server for tests: the same API as fatora serve, on a new
database in a temporary directory (in memory, /dev/shm, where the machine
has it) removed at exit, with one merchant in test mode whose API key is
Fatora's documented sample key, E4B73FEE-F492-4607-A38D-852B0EBC91C9 (or
--api-key). No rate limits; webhooks go to any URL, loopback and http://
included, and are retried after 1, 2 and 5 seconds.

Once it takes requests it prints one line on standard output:

  ready url=http://127.0.0.1:8080 api_key=E4B73FEE-F492-4607-A38D-852B0EBC91C9

and logs each request on standard error. SIGINT or SIGTERM stops it at once.

Only a sandbox serves these, without credentials:
  POST /sandbox/reset     delete every client, event and webhook endpoint;
                          the key and its tokens keep working
  POST /sandbox/fail      fail the next matching requests, such as
                          {"status":503,"count":2,"method":"POST","path":"/v1/clients"}
                          (500, 502, 503, or 0 to drop the connection)
  GET  /sandbox/requests  the last 1,000 requests, credentials redacted
See docs/testing.md.`

// sandboxShutdownGrace bounds how long requests in flight may take to
// finish when the sandbox is stopped.
const sandboxShutdownGrace = 5 * time.Second

// sandboxConfig is what `fatora sandbox` is configured with.
type sandboxConfig struct {
	addr     string
	apiKey   string
	dir      string
	seed     int
	seedRand uint64
}

func sandboxFlags(fs *flagSet) runner {
	var cfg sandboxConfig
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "listen `address`; 127.0.0.1:0 for any free port (the ready line names it)")
	fs.StringVar(&cfg.apiKey, "api-key", sandbox.SampleAPIKey, "the merchant's test `key`: 8 to 200 printable ASCII characters")
	fs.StringVar(&cfg.dir, "dir", "", "make the temporary database in this `directory` (default: /dev/shm where there is one, else the system's temporary directory)")
	fs.IntVar(&cfg.seed, "seed", 0, fmt.Sprintf("fill the sandbox with `N` realistic clients (0 to %d)", sandbox.MaxSeed))
	fs.Uint64Var(&cfg.seedRand, "seed-rand", 1, "the random seed of --seed: the same `number` makes the same clients")
	for name, env := range map[string]string{"addr": "FATORA_ADDR", "api-key": "FATORA_API_KEY", "dir": "FATORA_SANDBOX_DIR",
		"seed": "FATORA_SANDBOX_SEED", "seed-rand": "FATORA_SANDBOX_SEED_RAND"} {
		fs.fromEnv(name, env)
	}
	return func(ctx context.Context, c *call) error {
		logOut := newBufferedLog(c.stderr, nil)
		defer logOut.Flush()
		return runSandbox(ctx, cfg, c.stdout, slog.New(slog.NewJSONHandler(logOut, nil)))
	}
}

// runSandbox makes the sandbox, serves it on cfg.addr, prints the ready
// line on out, and serves until ctx ends.
func runSandbox(ctx context.Context, cfg sandboxConfig, out io.Writer, log *slog.Logger) error {
	if cfg.seed < 0 || cfg.seed > sandbox.MaxSeed {
		return fmt.Errorf("--seed must be 0 to %d", sandbox.MaxSeed)
	}
	sb, err := sandbox.New(ctx, sandbox.Options{APIKey: cfg.apiKey, Dir: cfg.dir, Logger: log})
	if err != nil {
		return err
	}
	defer sb.Close()
	if err := sb.Seed(ctx, cfg.seed, cfg.seedRand); err != nil {
		return fmt.Errorf("--seed: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := httpapi.NewHTTPServer(cfg.addr, sb.Handler(), log)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if _, err := fmt.Fprintf(out, "ready url=%s api_key=%s\n", baseURL(ln.Addr()), sb.APIKey); err != nil {
		srv.Close()
		return err
	}
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), sandboxShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return errors.Join(err, srv.Close())
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// baseURL is the http:// URL of a listening address; a wildcard address
// (:8080) is reached at the loopback address.
func baseURL(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port))
}
