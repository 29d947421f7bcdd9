package sqlite

import (
	"context"
	"slices"
	"sync"
	"time"
)

// readGate lets at most n readers use the read pool at once and lets the
// waiting ones in strictly in the order they came. database/sql hands a
// freed connection to a random waiter, so under load a few requests waited
// many times longer than the rest (lists and searches of a million clients
// at 64 connections: a p99 7 to 12 times the median; in turn, under 2
// times). Queueing here first keeps the pool from ever having waiters.
type readGate struct {
	mu      sync.Mutex
	free    int
	waiting []chan struct{} // in arrival order; closed to give a turn
	waits   int64
	waited  time.Duration
}

func newReadGate(n int) *readGate {
	return &readGate{free: n}
}

// enter returns once the caller may read, or with ctx's error if ctx ends
// first. Every nil return must be matched by one leave.
func (g *readGate) enter(ctx context.Context) error {
	g.mu.Lock()
	if g.free > 0 && len(g.waiting) == 0 {
		g.free--
		g.mu.Unlock()
		return nil
	}
	turn := make(chan struct{})
	g.waiting = append(g.waiting, turn)
	g.waits++
	g.mu.Unlock()
	start := time.Now()
	defer g.addWait(start)
	select {
	case <-turn:
		return nil
	case <-ctx.Done():
		if !g.withdraw(turn) {
			g.leave() // the turn came meanwhile: pass it on
		}
		return ctx.Err()
	}
}

// withdraw removes turn from the queue, reporting false if it has already
// been given.
func (g *readGate) withdraw(turn chan struct{}) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	i := slices.Index(g.waiting, turn)
	if i >= 0 {
		g.waiting = slices.Delete(g.waiting, i, i+1)
	}
	return i >= 0
}

// leave ends a reader's turn, giving it to the first waiting one.
func (g *readGate) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.waiting) == 0 {
		g.free++
		return
	}
	close(g.waiting[0])
	g.waiting = slices.Delete(g.waiting, 0, 1)
}

func (g *readGate) addWait(start time.Time) {
	d := time.Since(start)
	g.mu.Lock()
	g.waited += d
	g.mu.Unlock()
}

// stats returns how many readers wait now, and how many waited in all and
// for how long.
func (g *readGate) stats() (queued int, waits int64, waited time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.waiting), g.waits, g.waited
}
