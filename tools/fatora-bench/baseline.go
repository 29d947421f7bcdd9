package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/internal/testenv"
	"github.com/fatora-oss/fatora/metrics"
	"github.com/fatora-oss/fatora/token"
)

// baseline is the ceiling the real server is measured against: the real
// API, httpapi.Server with its router, middleware, request log, metrics,
// token and credential checks, decoding, validation and JSON, served over
// a store that keeps nothing (see nullClients); a benchmark serves it from
// a process of its own (see startBaselineProcess). The server's ratio to
// it is what storage costs.
type baseline struct {
	srv *http.Server
	ln  net.Listener
}

// startBaseline serves the baseline on 127.0.0.1; apiKey is the one key it
// knows, the live key of one merchant.
func startBaseline(apiKey string) (*baseline, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil)) // formatted as the server's, then dropped
	api := &httpapi.Server{
		Clients:     newNullClients(),
		Credentials: newOneKey(apiKey),
		Signer: &token.Signer{SecretID: token.NewID(), Secret: token.NewSecret(), Issuer: "fatora",
			Audience: "fatora-clients-api", TTL: 24 * time.Hour, Now: time.Now},
		Logger:  log,
		Ping:    func(context.Context) error { return nil },
		Observe: metrics.New().ObserveRequest,
	}
	b := &baseline{srv: httpapi.NewHTTPServer(ln.Addr().String(), api.Handler(), log), ln: ln}
	go b.srv.Serve(ln)
	return b, nil
}

// url is the base URL of the baseline.
func (b *baseline) url() string { return "http://" + b.ln.Addr().String() }

func (b *baseline) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b.srv.Shutdown(ctx)
}

// serveBaselineCommand is the hidden first argument that makes this
// program serve the baseline and nothing else: the benchmark starts
// itself so, so that the baseline runs in a process of its own whose CPU
// can be read as the server's is.
const serveBaselineCommand = "serve-baseline"

// serveBaseline serves the baseline for apiKey, prints its URL on out and
// serves until ctx ends.
func serveBaseline(ctx context.Context, apiKey string, out io.Writer) error {
	b, err := startBaseline(apiKey)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, b.url())
	<-ctx.Done()
	b.close()
	return nil
}

// baselineProcess is the baseline served by a child process.
type baselineProcess struct {
	*testenv.Process
	base string
}

// startBaselineProcess starts this program again to serve the baseline.
func startBaselineProcess(apiKey string) (*baselineProcess, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	r, w := io.Pipe()
	proc, err := testenv.StartProcess(self, []string{serveBaselineCommand, apiKey}, w)
	if err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(r).ReadString('\n')
	go io.Copy(io.Discard, r) // anything else it prints
	if err != nil || !strings.HasPrefix(line, "http://") {
		proc.Kill()
		return nil, fmt.Errorf("baseline process: %q %v", line, err)
	}
	return &baselineProcess{Process: proc, base: strings.TrimSpace(line)}, nil
}

func (p *baselineProcess) close() { p.Stop(10 * time.Second) }
