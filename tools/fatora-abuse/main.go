// Command fatora-abuse is a developer tool that measures how the server
// holds up under two kinds of abuse (issue 13), on a fresh SQLite
// database and a server it builds and starts:
//
//   - keys: the Authorize throughput of a correct key from one address,
//     alone and while another address floods Authorize with wrong keys;
//   - search: merchant A's keyword search latency (one connection, one
//     search after another), alone and while merchant B floods searches on
//     many connections.
//
// The two client addresses are 127.0.0.2 and 127.0.0.3 (every 127/8
// address is the loopback on Linux). Phases alternate, idle then loaded,
// for --rounds rounds, so that noise from other work on the machine shows
// as a range. Run from the module's root:
//
//	go run ./tools/fatora-abuse --scenario keys,search --duration 5s --rounds 3
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/fatora-oss/fatora/internal/testenv"
	"github.com/fatora-oss/fatora/token"
)

type config struct {
	scenarios  string
	duration   time.Duration
	rounds     int
	clients    int
	flood      int
	serveFlags string
	bin        string
	noRateFlag bool
}

func main() {
	var cfg config
	flag.StringVar(&cfg.scenarios, "scenario", "keys,search", "what to measure: keys, search, or both")
	flag.DurationVar(&cfg.duration, "duration", 5*time.Second, "length of each phase")
	flag.IntVar(&cfg.rounds, "rounds", 3, "idle and loaded phases, alternated, of each scenario")
	flag.IntVar(&cfg.clients, "clients", 20000, "clients each merchant has for the search scenario")
	flag.IntVar(&cfg.flood, "flood", 32, "connections of the flooding client")
	flag.StringVar(&cfg.serveFlags, "serve-flags", "", "extra flags for fatora serve, space-separated (--rate-limit 0 unless given or --no-rate-flag)")
	flag.StringVar(&cfg.bin, "bin", "", "a fatora binary to run instead of building ./cmd/fatora")
	flag.BoolVar(&cfg.noRateFlag, "no-rate-flag", false, "give serve no --rate-limit (a --bin built before it existed, for a baseline)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "fatora-abuse:", err)
		os.Exit(1)
	}
}

// merchant is a merchant of the run: its live key and a bearer token.
type merchant struct {
	key, bearer string
}

func run(ctx context.Context, cfg config) error {
	dir, err := os.MkdirTemp("", "fatora-abuse-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := cfg.bin
	if bin == "" {
		bin = filepath.Join(dir, "fatora")
		fmt.Println("building ./cmd/fatora")
		if err := testenv.BuildFatora(ctx, bin); err != nil {
			return err
		}
	}
	dsn := "sqlite:" + filepath.Join(dir, "abuse.db")
	a, b := &merchant{key: token.NewID()}, &merchant{key: token.NewID()}
	for name, m := range map[string]*merchant{"A": a, "B": b} {
		if _, err := testenv.CreateMerchant(ctx, bin, dsn, "Merchant "+name, strings.ToLower(name)+"@example.com", m.key); err != nil {
			return err
		}
	}
	extra := strings.Fields(cfg.serveFlags)
	if !cfg.noRateFlag && !strings.Contains(cfg.serveFlags, "--rate-limit") {
		extra = append(extra, "--rate-limit", "0") // measure the key guard and the search turns, not the merchant limit
	}
	srv, err := startServer(ctx, bin, dsn, dir, extra)
	if err != nil {
		return err
	}
	defer srv.Stop(10 * time.Second)
	for _, m := range []*merchant{a, b} {
		if m.bearer, err = authorize(ctx, newClient("127.0.0.2", 1), srv.url, m.key); err != nil {
			return err
		}
	}
	for _, s := range strings.Split(cfg.scenarios, ",") {
		switch strings.TrimSpace(s) {
		case "keys":
			err = measureKeys(ctx, cfg, srv.url, a)
		case "search":
			err = measureSearch(ctx, cfg, srv.url, a, b)
		default:
			err = fmt.Errorf("unknown scenario %q: want keys or search", s)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// server is the fatora serve process of the run.
type server struct {
	*testenv.Process
	url string
}

func startServer(ctx context.Context, bin, dsn, dir string, extra []string) (*server, error) {
	addr, err := testenv.FreeAddr()
	if err != nil {
		return nil, err
	}
	log, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		return nil, err
	}
	defer log.Close()
	args := []string{"serve", "--addr", addr, "--db", dsn, "--drain", "0"}
	p, err := testenv.StartProcess(bin, append(args, extra...), log)
	if err != nil {
		return nil, err
	}
	s := &server{Process: p, url: "http://" + addr}
	if err := testenv.WaitReady(ctx, s.url, time.Minute, p.Done()); err != nil {
		p.Kill()
		return nil, fmt.Errorf("fatora serve: %w\n%s", err, testenv.LogTail(log.Name(), 10))
	}
	fmt.Printf("fatora serve %s at %s\n", strings.Join(append(args[5:], extra...), " "), s.url)
	return s, nil
}
