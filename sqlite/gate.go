package sqlite

import (
	"context"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
)

// readGate lets at most n readers use the read pool at once and lets the
// waiting ones in strictly in the order they came: semaphore.Weighted
// queues its waiters and, every one asking for one turn, serves them first
// come, first served. database/sql hands a freed connection to a random
// waiter, so under load a few requests waited many times longer than the
// rest (docs/design/read-turns.md). Queueing here first keeps the pool from
// ever having waiters.
type readGate struct {
	turns *semaphore.Weighted
	// waits and waited total the readers that found no free turn and the
	// time they waited, for the pool's figures (see DB.Stats).
	waits  atomic.Int64
	waited atomic.Int64 // nanoseconds
}

func newReadGate(n int) *readGate {
	return &readGate{turns: semaphore.NewWeighted(int64(n))}
}

// enter returns once the caller may read, or with ctx's error if ctx ends
// first. Every nil return must be matched by one leave.
func (g *readGate) enter(ctx context.Context) error {
	if g.turns.TryAcquire(1) { // a free turn, and nobody queued before us
		return nil
	}
	g.waits.Add(1)
	start := time.Now()
	err := g.turns.Acquire(ctx, 1)
	g.waited.Add(int64(time.Since(start)))
	return err
}

// leave ends a reader's turn, giving it to the first waiting one.
func (g *readGate) leave() { g.turns.Release(1) }

// stats returns how many readers waited for a turn, and for how long in
// all.
func (g *readGate) stats() (waits int64, waited time.Duration) {
	return g.waits.Load(), time.Duration(g.waited.Load())
}
