// Package groupcommit is the queue both stores commit concurrent writes
// through: writers put their writes in, a committer takes every write
// waiting when it is free (up to a bound) and commits them together. What a
// write is, and how a batch commits, is the store's.
package groupcommit

import (
	"context"
	"errors"
	"sync"
)

// ErrClosed is Put's answer once the queue is closed.
var ErrClosed = errors.New("groupcommit: queue closed")

// Queue holds the writes waiting to be committed. It is safe for concurrent
// use by any number of writers and committers.
type Queue[Op any] struct {
	maxBatch int
	ops      chan Op

	mu     sync.RWMutex
	closed bool
}

// New returns a queue whose batches hold at most maxBatch writes.
func New[Op any](maxBatch int) *Queue[Op] {
	return &Queue[Op]{maxBatch: maxBatch, ops: make(chan Op, maxBatch)}
}

// Put queues op, waiting while the queue is full. It returns ErrClosed
// after Close, or ctx's error if ctx ends first (op was then not queued).
func (q *Queue[Op]) Put(ctx context.Context, op Op) error {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		return ErrClosed
	}
	select {
	case q.ops <- op:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Next waits for a write, then takes every other write waiting, up to the
// bound, and returns them as a batch. It never waits for more writes to
// arrive, so a lone write is committed at once. It reports false once the
// queue is closed and empty.
func (q *Queue[Op]) Next() ([]Op, bool) {
	first, ok := <-q.ops
	if !ok {
		return nil, false
	}
	batch := []Op{first}
	for len(batch) < q.maxBatch {
		select {
		case op, ok := <-q.ops:
			if !ok {
				return batch, true
			}
			batch = append(batch, op)
		default:
			return batch, true
		}
	}
	return batch, true
}

// Close refuses new writes; the writes already queued are still handed
// out by Next. Closing again does nothing.
func (q *Queue[Op]) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.closed = true
		close(q.ops)
	}
}

// Len returns how many writes wait, for a committer deciding whether to do
// extra work now.
func (q *Queue[Op]) Len() int { return len(q.ops) }

// Closed reports whether Close was called, for a committer deciding
// whether to start extra work.
func (q *Queue[Op]) Closed() bool {
	q.mu.RLock()
	defer q.mu.RUnlock()
	return q.closed
}
