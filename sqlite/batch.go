package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sync/atomic"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/groupcommit"
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
// write waiting when it is free, runs them one after another in one
// transaction and commits once, so one fsync covers them all. Nobody is
// told of success before the commit. It never waits for more writes to
// arrive, so a lone write commits at once.
//
// A write that is refused (a duplicate, a missing client, a reused key...)
// normally changes nothing, and the batch goes on. If a refused write did
// change rows, or a write broke the transaction, the batch is rolled back
// and each of its writes is run again in a transaction of its own, so one
// bad write never fails its batch mates. (Savepoints would isolate writes
// too, but each one makes the full-text index flush, which costs more than
// the whole write.)
//
// The writer keeps the pool's one write connection and runs BEGIN
// IMMEDIATE and COMMIT itself, so that its statements stay prepared on that
// connection from one transaction to the next.
type writer struct {
	pool  *sql.DB
	conn  *sql.Conn
	run   *cachedRunner
	queue *groupcommit.Queue[*writeOp]
	done  chan struct{}

	batches atomic.Int64
	writes  atomic.Int64
	// committed is set at each commit, for the checkpointer.
	committed atomic.Bool
	// searchBacklog counts the writes (at most one noted client each) since
	// the search index last caught up; it starts full, to catch up with any
	// left waiting by an earlier process. The index catches up at
	// searchCatchUp writes, and whenever no write waits if searchCatchUpIdle
	// (tests change both).
	searchBacklog     int
	searchCatchUp     int
	searchCatchUpIdle bool
	// searchMerging says the search index may hold segments to merge: set
	// at start and by each catch-up, cleared when a merge step finds no
	// work (see mergeSearchIndex).
	searchMerging bool
	// mergeIdle is signalled (if no signal waits already) each time
	// merging finds no more work.
	mergeIdle chan struct{}
}

func newWriter(pool *sql.DB) *writer {
	w := &writer{pool: pool, queue: groupcommit.New[*writeOp](maxBatch), done: make(chan struct{}),
		searchBacklog: searchCatchUp, searchCatchUp: searchCatchUp, searchCatchUpIdle: true, searchMerging: true,
		mergeIdle: make(chan struct{}, 1)}
	go w.loop()
	return w
}

// do runs fn in a write transaction and returns once that transaction has
// committed (nil) or failed. It waits for the outcome even when ctx ends,
// because by then the write may already be part of a committing batch.
func (w *writer) do(ctx context.Context, fn func(runner) error) error {
	op := &writeOp{ctx: ctx, fn: fn, done: make(chan error, 1)}
	if err := w.queue.Put(ctx, op); errors.Is(err, groupcommit.ErrClosed) {
		return fatora.DatabaseClosing()
	} else if err != nil {
		return mapError(err)
	}
	return <-op.done
}

// close lets the writes already queued commit, then stops the writer and
// gives its connection back to the pool.
func (w *writer) close() {
	w.queue.Close()
	<-w.done
	w.dropConn()
}

func (w *writer) loop() {
	defer close(w.done)
	for {
		if w.searchMerging && w.queue.Len() == 0 && !w.queue.Closed() {
			w.mergeStep()
			continue
		}
		batch, ok := w.queue.Next()
		if !ok {
			return
		}
		w.runAndReport(batch)
	}
}

// runAndReport runs a batch (see runBatch) and tells each write its
// outcome.
func (w *writer) runAndReport(batch []*writeOp) {
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

// runBatch runs the batch's writes in one transaction, or, if one of them
// spoils it, each in a transaction of its own.
func (w *writer) runBatch(batch []*writeOp, results []error) error {
	spoiled, err := w.runTogether(batch, results)
	if !spoiled || len(batch) == 1 {
		return err
	}
	for i, op := range batch {
		if _, err := w.runTogether([]*writeOp{op}, results[i:i+1]); err != nil {
			results[i] = err
		}
	}
	return nil
}

// runTogether runs writes in one transaction and commits it unless one of
// them spoiled it: failed after changing rows, or failed in a way that may
// have broken the transaction. A single write that fails is rolled back.
func (w *writer) runTogether(batch []*writeOp, results []error) (spoiled bool, err error) {
	if err := w.begin(); err != nil {
		return false, err
	}
	for i, op := range batch {
		before := w.changes()
		if results[i] = runOp(op, w.run); results[i] == nil {
			w.searchBacklog++
			continue
		}
		if len(batch) == 1 || !refusal(results[i]) || w.changes() != before {
			w.rollback()
			return len(batch) > 1, nil
		}
	}
	return false, w.end()
}

// changes returns how many rows the connection has changed since it opened
// (-1 if it cannot tell, which counts as a change).
func (w *writer) changes() int64 {
	var n int64 = -1
	w.run.QueryRowContext(context.Background(), "SELECT total_changes()").Scan(&n)
	return n
}

// refusal reports whether err is a write's own refusal (a 4xx-class code)
// rather than a failure of the database.
func refusal(err error) bool {
	switch fatora.ErrorCode(err) {
	case fatora.CodeInternal, fatora.CodeUnavailable:
		return false
	}
	return true
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

// end commits, first bringing the search index up to date when enough
// changes wait for it or no other write does; if that fails, it rolls back
// and reports the failure.
func (w *writer) end() error {
	stmts := endOfTransaction
	if w.searchBacklog >= w.searchCatchUp || (w.queue.Len() == 0 && w.searchCatchUpIdle) {
		stmts, w.searchBacklog = slices.Concat(searchCatchUpStatements, stmts), 0
		w.searchMerging = true
	}
	for _, stmt := range stmts {
		if _, err := w.run.ExecContext(context.Background(), stmt); err != nil {
			w.rollback()
			return mapError(err)
		}
	}
	w.committed.Store(true)
	return nil
}

// endOfTransaction is what the writer runs to commit.
var endOfTransaction = []string{`COMMIT`}

// searchCatchUp is how many changed clients may wait for the search index
// while writes keep coming. Each catch-up adds a segment to the index; the
// idle rule catches up more often under most loads (measurements in
// docs/design/search-index.md). Keyword searches read the waiting clients
// directly (see listQuery).
const searchCatchUp = 512

// searchCatchUpStatements bring the search index up to date with the
// clients noted in clients_search_pending (see migration 0010).
var searchCatchUpStatements = []string{
	`DELETE FROM client_terms WHERE rowid IN (SELECT id FROM clients_search_pending WHERE indexed)`,
	// CROSS JOIN keeps the pending clients as the outer loop: without
	// statistics SQLite would otherwise scan every client and probe the
	// pending ones, a cost that grows with the table at every catch-up.
	`INSERT INTO client_terms (rowid, terms)
		SELECT c.id, search_terms(c.merchant_id, c.mode, c.search_text)
		FROM clients_search_pending p CROSS JOIN clients c ON c.id = p.id WHERE c.search_version >= 2`,
	`DELETE FROM clients_search_pending`,
}

// rollback ends the transaction without keeping anything. SQLite may have
// rolled it back already (after some errors), so a failure here is ignored.
func (w *writer) rollback() {
	w.run.ExecContext(context.Background(), "ROLLBACK")
}

func (w *writer) dropConn() {
	if w.conn != nil {
		w.run.close()
		w.conn.Close()
		w.conn, w.run = nil, nil
	}
}

// runOp runs a write unless its request has ended already. Once started,
// it runs to the end (see uncancelled): its batch must not be interrupted.
func runOp(op *writeOp, tx runner) error {
	if err := op.ctx.Err(); err != nil {
		return mapError(err)
	}
	return op.fn(uncancelled{tx})
}
