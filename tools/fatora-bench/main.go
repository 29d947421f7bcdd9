// Command fatora-bench measures a fatora server: it starts one on a
// temporary database (or targets a running one), creates a merchant,
// authorizes, and drives a mix of client operations over keep-alive
// connections, printing requests/s, latency percentiles and errors per
// operation, and the CPU each process used per request over the measured
// window (read from /proc: the server, PostgreSQL's processes, the load
// generator, the machine). With --baseline it first measures, with the
// same load generator, the real API (httpapi.Server) over a store that
// keeps nothing, served by a process of its own (this program started
// again), and prints the server's ratio to it: what storage costs.
// With --seed N it first loads N clients through the API.
//
//	go run ./tools/fatora-bench [--url URL --api-key KEY | --db temp|sqlite:PATH|postgres://...]
//	    [--mix create=60,get=20,list=10,search=5,update=5] [--concurrency 64]
//	    [--duration 20s] [--warmup 2s] [--baseline] [--seed N] [--bin PATH] [--keep] [--json]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "fatora-bench:", err)
		}
		os.Exit(2)
	}
}

// run executes one command line: the report goes to stdout, progress to
// stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 2 && args[0] == serveBaselineCommand {
		return serveBaseline(ctx, args[1], stdout)
	}
	cfg, err := parseConfig(args, stderr)
	if err != nil {
		return err
	}
	b := &bench{cfg: cfg, progress: stderr}
	rep, err := b.execute(ctx)
	if cerr := b.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if cfg.asJSON {
		return printJSON(stdout, rep)
	}
	printText(stdout, rep)
	return nil
}
