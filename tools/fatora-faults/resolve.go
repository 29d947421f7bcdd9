package main

import (
	"context"
	"sync"
	"time"
)

// Resolution retries: enough to outlast the server's 10 s request deadline
// and a 409 for a key still held by a request cut off by a kill.
const (
	resolveAttempts = 30
	resolveTimeout  = 10 * time.Second
	resolveMaxPause = 2 * time.Second
)

// resolveAll retries every indeterminate operation, with its own key and
// body, until it gets a definite answer or runs out of attempts; n at a
// time.
func resolveAll(ctx context.Context, cl *api, merchants []merchant, ops []*op, n int, st *stats) {
	patient := cl.patient(resolveTimeout)
	todo := make(chan *op)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for o := range todo {
				resolve(ctx, patient, merchants[o.merchant].apiKey, o, st)
			}
		})
	}
	for _, o := range ops {
		if o.final == indeterminate {
			todo <- o
		}
	}
	close(todo)
	wg.Wait()
}

// resolve retries one operation with backoff.
func resolve(ctx context.Context, cl *api, apiKey string, o *op, st *stats) {
	pause := 100 * time.Millisecond
	for range resolveAttempts {
		a := cl.create(ctx, apiKey, o.idemKey, o.body)
		o.record(a)
		st.noteStatus(a)
		if o.final != indeterminate || !sleep(ctx, pause) {
			return
		}
		pause = min(2*pause, resolveMaxPause)
	}
}
