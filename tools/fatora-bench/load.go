package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// load is one measured run: a mix driven by closed-loop workers for a
// warmup and then a measured duration.
type load struct {
	mix         mix
	concurrency int
	warmup      time.Duration
	duration    time.Duration
	progress    io.Writer // nil: quiet
}

// window is when a run measures: a request counts when it starts at or
// after from and completes by to.
type window struct{ from, to time.Time }

// counters are read by the progress line while workers run.
type counters struct {
	done     atomic.Int64 // requests completed, warmup included
	measured atomic.Int64 // successful requests in the window
	errors   atomic.Int64 // failed requests in the window
}

// run drives t and returns its figures. Requests in flight when the window
// ends are let finish but not counted.
func (l load) run(ctx context.Context, t *target) runResult {
	start := time.Now()
	win := window{from: start.Add(l.warmup), to: start.Add(l.warmup + l.duration)}
	var c counters
	stop := l.startProgress(t.name, start, win, &c)
	cpu := watchCPU(t.pid, win)
	workers := make([]*workerStats, l.concurrency)
	var wg sync.WaitGroup
	for i := range workers {
		workers[i] = new(workerStats)
		wg.Go(func() { l.work(ctx, t, win, workers[i], &c) })
	}
	wg.Wait()
	stop()
	res := summarize(t.name, workers, win.to.Sub(win.from))
	if first, last, ok := cpu(); ok {
		res.CPU = first.figures(last, res.TotalCount)
	}
	return res
}

// watchCPU reads the CPU used so far when the window opens and when it
// closes; the returned func waits for both readings (ok is false when the
// run ended before the window closed).
func watchCPU(serverPid int, win window) func() (first, last cpuReading, ok bool) {
	readings := make(chan cpuReading, 2)
	read := func() { readings <- readCPU(serverPid) }
	t1, t2 := time.AfterFunc(time.Until(win.from), read), time.AfterFunc(time.Until(win.to), read)
	return func() (cpuReading, cpuReading, bool) {
		if t2.Stop() { // the closing reading has not started
			if time.Now().Before(win.to) {
				t1.Stop()
				return cpuReading{}, cpuReading{}, false
			}
			read() // the window has closed and its timer is late: read now
		}
		a, b := <-readings, <-readings
		if b.at.Before(a.at) {
			a, b = b, a
		}
		return a, b, true
	}
}

// work is one worker's loop: pick an operation, run it, record it.
func (l load) work(ctx context.Context, t *target, win window, stats *workerStats, c *counters) {
	rnd := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	total := l.mix.total()
	for ctx.Err() == nil {
		began := time.Now()
		if !began.Before(win.to) {
			return
		}
		op := l.mix.pick(rnd.IntN(total))
		status, err := t.do(ctx, op, rnd)
		took := time.Since(began)
		c.done.Add(1)
		if began.Before(win.from) || began.Add(took).After(win.to) {
			continue
		}
		s := stats.op(op)
		if err == nil && status == okStatus[op] {
			s.hist.record(took)
			c.measured.Add(1)
			continue
		}
		s.errors[errorKey(status, err)]++
		c.errors.Add(1)
	}
}

// startProgress prints a line a second until the returned func is called.
func (l load) startProgress(name string, start time.Time, win window, c *counters) (stop func()) {
	if l.progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		last := int64(0)
		for {
			select {
			case <-done:
				return
			case now := <-tick.C:
				n := c.done.Load()
				l.printProgress(name, now, start, win, c, n-last)
				last = n
			}
		}
	}()
	return func() { close(done); <-finished }
}

func (l load) printProgress(name string, now, start time.Time, win window, c *counters, lastSecond int64) {
	if now.Before(win.from) {
		fmt.Fprintf(l.progress, "%-8s warmup %4.0fs/%.0fs  %7d req/s\n",
			name, now.Sub(start).Seconds(), l.warmup.Seconds(), lastSecond)
		return
	}
	if now.After(win.to) {
		now = win.to
	}
	elapsed := now.Sub(win.from)
	fmt.Fprintf(l.progress, "%-8s %4.0fs/%.0fs  %9d ok  %7.0f req/s so far  %7d req/s last 1s  %d errors\n",
		name, elapsed.Seconds(), l.duration.Seconds(), c.measured.Load(),
		float64(c.measured.Load())/max(elapsed.Seconds(), 1e-3), lastSecond, c.errors.Load())
}
