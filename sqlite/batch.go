package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/fatora-oss/fatora"
)

// maxBatch bounds how many writes commit together.
const maxBatch = 256

// writeOp is one write waiting for the writer.
type writeOp struct {
	ctx  context.Context
	fn   func(runner) error
	done chan error
}

// writer commits concurrent writes together (group commit): it takes every
// write waiting when it is free, runs each in its own savepoint of one
// transaction, and commits once, so one fsync covers them all. A write that
// fails rolls back to its savepoint and fails alone; a failed commit fails
// every write of the batch. Nobody is told of success before the commit.
// It never waits for more writes to arrive, so a lone write commits at once.
//
// The writer keeps the pool's one write connection and runs BEGIN
// IMMEDIATE and COMMIT itself, so that its statements stay prepared on that
// connection from one transaction to the next.
type writer struct {
	pool *sql.DB
	conn *sql.Conn
	run  *cachedRunner
	ops  chan *writeOp

	mu     sync.RWMutex
	closed bool
	done   chan struct{}

	batches atomic.Int64
	writes  atomic.Int64
}

func newWriter(pool *sql.DB) *writer {
	w := &writer{pool: pool, ops: make(chan *writeOp, maxBatch), done: make(chan struct{})}
	go w.loop()
	return w
}

var errClosed = &fatora.Error{Code: fatora.CodeUnavailable, Message: "The database is closing; retry later."}

// do runs fn in a write transaction and returns once that transaction has
// committed (nil) or failed. It waits for the outcome even when ctx ends,
// because by then the write may already be part of a committing batch.
func (w *writer) do(ctx context.Context, fn func(runner) error) error {
	op := &writeOp{ctx: ctx, fn: fn, done: make(chan error, 1)}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return errClosed
	}
	select {
	case w.ops <- op:
	case <-ctx.Done():
		w.mu.RUnlock()
		return mapError(ctx.Err())
	}
	w.mu.RUnlock()
	return <-op.done
}

// close lets the writes already queued commit, then stops the writer and
// gives its connection back to the pool.
func (w *writer) close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.ops)
	}
	w.mu.Unlock()
	<-w.done
	w.dropConn()
}

func (w *writer) loop() {
	defer close(w.done)
	for first := range w.ops {
		batch := []*writeOp{first}
		for len(batch) < maxBatch && w.take(&batch) {
		}
		w.commit(batch)
	}
}

// take adds a waiting write to batch, if there is one.
func (w *writer) take(batch *[]*writeOp) bool {
	select {
	case op, ok := <-w.ops:
		if ok {
			*batch = append(*batch, op)
		}
		return ok
	default:
		return false
	}
}

// commit runs a batch in one transaction and tells each write its outcome.
func (w *writer) commit(batch []*writeOp) {
	w.batches.Add(1)
	w.writes.Add(int64(len(batch)))
	results := make([]error, len(batch))
	err := w.runBatch(batch, results)
	for i, op := range batch {
		if results[i] == nil && err != nil {
			results[i] = err
		}
		op.done <- results[i]
	}
}

// runBatch runs the batch's writes in one transaction. A single write needs
// no savepoint: if it fails, the transaction is rolled back.
func (w *writer) runBatch(batch []*writeOp, results []error) error {
	if err := w.begin(); err != nil {
		return err
	}
	if len(batch) == 1 {
		if results[0] = runOp(batch[0], w.run); results[0] != nil {
			return w.rollback()
		}
		return w.end()
	}
	for i, op := range batch {
		var err error
		if results[i], err = runInSavepoint(op, w.run); err != nil {
			w.rollback()
			return err
		}
	}
	return w.end()
}

// begin opens the transaction, first taking the write connection if the
// writer has none.
func (w *writer) begin() error {
	ctx := context.Background()
	if w.conn == nil {
		conn, err := w.pool.Conn(ctx)
		if err != nil {
			return mapError(err)
		}
		w.conn, w.run = conn, newCachedRunner(conn)
	}
	if _, err := w.run.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		w.dropConn() // a connection that cannot begin may be broken: use another
		return mapError(err)
	}
	return nil
}

// end commits; if the commit fails, it rolls back and reports the failure.
func (w *writer) end() error {
	if _, err := w.run.ExecContext(context.Background(), "COMMIT"); err != nil {
		w.rollback()
		return mapError(err)
	}
	return nil
}

// rollback ends the transaction without keeping anything. SQLite may have
// rolled it back already (after some errors), so a failure here is ignored.
func (w *writer) rollback() error {
	w.run.ExecContext(context.Background(), "ROLLBACK")
	return nil
}

func (w *writer) dropConn() {
	if w.conn != nil {
		w.run.close()
		w.conn.Close()
		w.conn, w.run = nil, nil
	}
}

func runOp(op *writeOp, tx runner) error {
	if err := op.ctx.Err(); err != nil {
		return mapError(err)
	}
	return op.fn(tx)
}

// runInSavepoint runs one write of a batch. Its own failure is returned
// first; the second error is set when the transaction itself broke (SQLite
// rolls a transaction back on some errors), which fails the whole batch.
func runInSavepoint(op *writeOp, tx runner) (opErr, txErr error) {
	ctx := context.Background()
	if _, err := tx.ExecContext(ctx, "SAVEPOINT op"); err != nil {
		return nil, mapError(err)
	}
	if opErr = runOp(op, tx); opErr != nil {
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO op"); err != nil {
			return opErr, errors.Join(mapError(err), opErr)
		}
	}
	if _, err := tx.ExecContext(ctx, "RELEASE op"); err != nil {
		return opErr, mapError(err)
	}
	return opErr, nil
}
