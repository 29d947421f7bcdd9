package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// seedResult reports a --seed load.
type seedResult struct {
	Count   int64   `json:"count"`
	Seconds float64 `json:"seconds"`
	Rate    float64 `json:"clients_per_second"`
}

// seedClients creates n clients on t with concurrency workers, as fast as
// the server takes them, printing progress to w (nil: quiet). Creates carry
// no Idempotency-Key (a million kept answers would double the database);
// a connection error is retried, and a retry answered "duplicate" is the
// first attempt having gone through.
func seedClients(ctx context.Context, t *target, n, concurrency int, w io.Writer) (seedResult, error) {
	start := time.Now()
	var next, done atomic.Int64
	stop := seedProgress(w, start, int64(n), &done)
	defer stop()
	var (
		wg       sync.WaitGroup
		firstErr error
		errOnce  sync.Once
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for range min(concurrency, n) {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
			for next.Add(1) <= int64(n) && ctx.Err() == nil {
				if err := seedOne(ctx, t, rnd); err != nil {
					errOnce.Do(func() { firstErr = err; cancel() })
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	res := seedResult{Count: done.Load(), Seconds: took.Seconds(), Rate: float64(done.Load()) / took.Seconds()}
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return res, firstErr
}

// seedOne creates one client, retrying up to five times on a connection
// error, 429 or 5xx.
func seedOne(ctx context.Context, t *target, rnd *rand.Rand) error {
	p := newPerson(t.seq.Add(1), t.run)
	var status int
	var err error
	for attempt := range 5 {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 100 * time.Millisecond)
		}
		status, err = t.createPerson(ctx, rnd, p, "")
		switch {
		case status == http.StatusCreated && err == nil:
			return nil
		case status == http.StatusConflict && attempt > 0:
			return nil // the earlier attempt went through
		case ctx.Err() != nil:
			return ctx.Err()
		case err == nil && status != http.StatusTooManyRequests && status < 500:
			return fmt.Errorf("seed: create answered %d", status)
		}
	}
	return fmt.Errorf("seed: create failed five times: status %d, %v", status, err)
}

func seedProgress(w io.Writer, start time.Time, n int64, done *atomic.Int64) (stop func()) {
	if w == nil {
		return func() {}
	}
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				printSeedProgress(w, time.Since(start), n, done.Load())
				return
			case <-tick.C:
				printSeedProgress(w, time.Since(start), n, done.Load())
			}
		}
	}()
	return func() { close(quit); <-finished }
}

func printSeedProgress(w io.Writer, elapsed time.Duration, n, done int64) {
	rate := float64(done) / max(elapsed.Seconds(), 1e-3)
	eta := "?"
	if rate > 0 {
		eta = time.Duration(float64(n-done) / rate * float64(time.Second)).Round(time.Second).String()
	}
	fmt.Fprintf(w, "seed     %d/%d (%.1f%%)  %.0f clients/s  elapsed %s  ETA %s\n",
		done, n, 100*float64(done)/float64(n), rate, elapsed.Round(time.Second), eta)
}
