package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// defaultAPIKey is the live key of the merchant the command creates.
const defaultAPIKey = "5D1E83A2-7C4B-4F09-9A61-2B8E3F07C4D5"

// config is what a command line asks for.
type config struct {
	url         string
	apiKey      string
	db          string
	bin         string
	serveFlags  []string
	mix         mix
	concurrency int
	duration    time.Duration
	warmup      time.Duration
	seed        int
	bulk        int
	baseline    bool
	rounds      int
	keep        bool
	asJSON      bool
	serverPid   int
}

func parseConfig(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("fatora-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.url, "url", "", "benchmark the server at this base URL (needs --api-key) instead of starting one")
	fs.StringVar(&c.apiKey, "api-key", defaultAPIKey, "API key of the merchant (created with this key when the command starts the server)")
	fs.StringVar(&c.db, "db", "temp", "database of the started server: temp (a temporary SQLite file), sqlite:PATH or postgres://... (a fresh schema, or the one its search_path names)")
	fs.StringVar(&c.bin, "bin", "", "fatora binary to start (default: go build ./cmd/fatora)")
	serveFlags := fs.String("serve-flags", "", "extra flags for fatora serve, space-separated (e.g. --db-max-conns=16)")
	mixSpec := fs.String("mix", "create=60,get=20,list=10,search=5,update=5", "operations and their weights: create, get, list, search, short (a keyword of one or two characters), update")
	fs.IntVar(&c.concurrency, "concurrency", 64, "concurrent workers, each with its own keep-alive connection")
	fs.DurationVar(&c.duration, "duration", 20*time.Second, "measured time of each run (0: only --seed)")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "load before each measured run, left out of the figures")
	fs.IntVar(&c.seed, "seed", 0, "first load this many clients through the API, as fast as possible")
	fs.IntVar(&c.bulk, "bulk", 0, "first insert this many clients straight into the database, keyed as before issue 12, and time the started server keying them anew (the migration of existing data)")
	fs.BoolVar(&c.baseline, "baseline", false, "first measure the real API over a store that keeps nothing, served by a process of its own, and print the server's ratio to it")
	fs.IntVar(&c.rounds, "rounds", 1, "with --baseline: measure the baseline and the server this many times, alternately, and judge the median ratio")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary database (or PostgreSQL schema) at the end")
	fs.IntVar(&c.serverPid, "server-pid", 0, "with --url: the server's process id, to report its CPU per request")
	fs.BoolVar(&c.asJSON, "json", false, "print the summary as JSON")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c.serveFlags = strings.Fields(*serveFlags)
	var err error
	if c.mix, err = parseMix(*mixSpec); err != nil {
		return c, err
	}
	return c, c.check()
}

func (c config) check() error {
	switch {
	case c.concurrency < 1 || c.concurrency > 10000:
		return fmt.Errorf("--concurrency must be 1 to 10000")
	case c.duration < 0 || c.warmup < 0 || c.seed < 0:
		return fmt.Errorf("--duration, --warmup and --seed must not be negative")
	case c.duration == 0 && c.seed == 0 && c.bulk == 0:
		return fmt.Errorf("nothing to do: --duration 0 without --seed or --bulk")
	case c.rounds < 1 || c.rounds > 100 || (c.rounds > 1 && !c.baseline):
		return fmt.Errorf("--rounds must be 1 to 100, and more than 1 only with --baseline")
	}
	return nil
}

// mix holds the weight of each operation.
type mix [numOps]int

func parseMix(spec string) (mix, error) {
	var m mix
	for _, part := range strings.Split(spec, ",") {
		name, weight, ok := strings.Cut(strings.TrimSpace(part), "=")
		op, known := opByName(name)
		w, err := strconv.Atoi(weight)
		if !ok || !known || err != nil || w < 0 {
			return m, fmt.Errorf("--mix: want op=weight,... with ops create, get, list, search, short, update; got %q", part)
		}
		m[op] = w
	}
	if m.total() == 0 {
		return m, fmt.Errorf("--mix: every weight is zero")
	}
	return m, nil
}

func (m mix) total() int {
	n := 0
	for _, w := range m {
		n += w
	}
	return n
}

// needsClients reports whether the mix reads clients it did not create.
func (m mix) needsClients() bool {
	return m[opGet] > 0 || m[opUpdate] > 0 || m[opSearch] > 0 || m[opShort] > 0
}

func (m mix) String() string {
	var parts []string
	for op, w := range m {
		if w > 0 {
			parts = append(parts, opNames[op]+"="+strconv.Itoa(w))
		}
	}
	return strings.Join(parts, ",")
}

// pick returns an operation drawn with the mix's weights; r is in [0, total).
func (m mix) pick(r int) opKind {
	for op, w := range m {
		if r < w {
			return opKind(op)
		}
		r -= w
	}
	return opCreate
}
