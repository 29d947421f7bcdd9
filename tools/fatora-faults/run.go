package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/fatora-oss/fatora/internal/testenv"
)

// config is what one check runs with.
type config struct {
	store          string        // "sqlite" or "postgres"
	duration       time.Duration // how long the workload runs under faults
	workers        int
	killEvery      time.Duration // SIGKILL period of the fatora process
	pgRestartEvery time.Duration // PostgreSQL restart period; 0 never
	bin            string        // the fatora binary; built when empty
	pg             string        // postgres: the database to make a schema in
	workDir        string        // where the database and logs go; a new temporary directory when empty
	progressEvery  time.Duration // how often a progress line is printed; 2s when zero
	webhooks       bool          // check webhook deliveries too (see webhooks.go)
}

func (c config) validate() error {
	switch {
	case c.store != "sqlite" && c.store != "postgres":
		return fmt.Errorf("--store must be sqlite or postgres, not %q", c.store)
	case c.duration <= 0 || c.workers < 1 || c.workers > 1000:
		return errors.New("--duration must be positive and --workers 1 to 1000")
	case c.killEvery < 100*time.Millisecond:
		return errors.New("--kill-every must be at least 100ms")
	case c.pgRestartEvery < 0:
		return errors.New("--pg-restart-every must not be negative")
	}
	return nil
}

// run performs the whole check and prints its progress and results to out.
// An error means the check could not be carried out; a result whose
// failed() is true means it found a fault.
func run(ctx context.Context, cfg config, out io.Writer) (result, error) {
	if err := cfg.validate(); err != nil {
		return result{}, err
	}
	if cfg.progressEvery <= 0 {
		cfg.progressEvery = 2 * time.Second
	}
	out = &lockedWriter{w: out}
	fmt.Fprintf(out, "fatora-faults: store %s, %s, %d workers, SIGKILL every %s%s\n",
		cfg.store, cfg.duration, cfg.workers, cfg.killEvery, pgRestartNote(cfg))
	env, err := prepare(ctx, cfg, out)
	if err != nil {
		return result{}, err
	}
	defer env.cleanup(out)
	return check(ctx, cfg, env, out)
}

func pgRestartNote(cfg config) string {
	if cfg.store != "postgres" || cfg.pgRestartEvery == 0 {
		return ""
	}
	return fmt.Sprintf(", PostgreSQL restart every %s", cfg.pgRestartEvery)
}

// check runs the workload under faults against a prepared environment,
// heals, resolves, reads back and judges.
func check(ctx context.Context, cfg config, env *environment, out io.Writer) (result, error) {
	srv := newProcess(env.bin, env.serveArgs(), env.serverLog)
	if err := srv.start(); err != nil {
		return result{}, err
	}
	defer srv.kill()
	cl := newAPI(env.baseURL)
	if err := testenv.WaitReady(ctx, env.baseURL, time.Minute, nil); err != nil {
		return result{}, fmt.Errorf("the server did not become ready: %w", err)
	}
	if env.receiver != nil {
		if err := env.receiver.registerEndpoints(ctx, cl, env.merchants); err != nil {
			return result{}, err
		}
	}
	st := &stats{}
	ops, pgNote := underFaults(ctx, cfg, env, srv, cl, st, out)
	if err := ctx.Err(); err != nil {
		return result{}, err
	}
	return heal(ctx, cfg, env, srv, cl, ops, st, pgNote, out)
}

// underFaults runs the workers for cfg.duration while the killer (and on
// PostgreSQL the restarter) inject faults, and returns every operation.
func underFaults(ctx context.Context, cfg config, env *environment, srv *process, cl *api, st *stats, out io.Writer) ([]*op, string) {
	loadCtx, stopLoad := context.WithTimeout(ctx, cfg.duration)
	defer stopLoad()
	var wg sync.WaitGroup
	var pgNote string
	wg.Go(func() { killLoop(loadCtx, srv, cfg.killEvery, st, out) })
	if cfg.store == "postgres" && cfg.pgRestartEvery > 0 {
		wg.Go(func() { pgNote = pgRestartLoop(loadCtx, cfg.pgRestartEvery, st, out) })
	}
	wg.Go(func() { printProgress(loadCtx, st, cfg.progressEvery, out) })
	ops := runWorkers(ctx, loadCtx, cl, env.merchants, cfg.workers, env.runID, st)
	wg.Wait()
	return ops, pgNote
}

// heal stops injecting faults, makes sure the server answers, retries the
// indeterminate operations, reads everything back, stops the server and
// judges the run.
func heal(ctx context.Context, cfg config, env *environment, srv *process, cl *api, ops []*op, st *stats, pgNote string, out io.Writer) (result, error) {
	if srv.exited() {
		if err := srv.start(); err != nil {
			return result{}, err
		}
	}
	if err := testenv.WaitReady(ctx, env.baseURL, 2*time.Minute, nil); err != nil {
		return result{}, fmt.Errorf("after the faults the server did not become ready: %w", err)
	}
	fmt.Fprintf(out, "faults stopped; resolving %d indeterminate operations\n", countOutcome(ops, indeterminate))
	resolveAll(ctx, cl, env.merchants, ops, cfg.workers, st)
	resolveSteps(ctx, cl, env.merchants, ops, cfg.workers, st)
	lists, err := readBack(ctx, cl, env.merchants)
	if err != nil {
		return result{}, err
	}
	res := judge(ops, lists)
	if env.receiver != nil {
		fmt.Fprintln(out, "waiting for the webhook deliveries")
		env.receiver.awaitDeliveries(ctx, lists, webhookDrainLimit)
		env.receiver.judgeWebhooks(lists, &res)
	}
	res.kills, res.pgRestarts, res.selfExits = int(st.kills.Load()), int(st.pgRestarts.Load()), int(st.selfExits.Load())
	res.pgNote, res.statuses = pgNote, st.statusCounts()
	res.exitAfterTerm = srv.terminate(45 * time.Second)
	res.internalErrors = internalErrors(env.serverLogPath)
	if cfg.store == "sqlite" {
		res.integrityChecked, res.integrity = true, integrityCheck(ctx, env.sqlitePath)
	}
	report(out, cfg, res)
	if res.failed() {
		env.keep = true
	}
	return res, nil
}

// webhookDrainLimit bounds the wait for deliveries after the faults: a
// delivery a killed server had claimed waits for its lease (30 s), and one
// failed on purpose for its retry (the server runs with a short schedule).
const webhookDrainLimit = 2 * time.Minute

// lockedWriter lets the workers, the fault injectors and the progress
// printer write to one writer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
