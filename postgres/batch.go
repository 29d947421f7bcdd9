package postgres

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/groupcommit"
)

// Group commit: concurrent client writes are committed together.
const (
	// maxBatch bounds how many writes share one transaction.
	maxBatch = 128
	// batchWriters is how many batches may be in flight at once, each on its
	// own connection, so PostgreSQL works on several while one commits.
	batchWriters = 2
)

// batchOp is one write waiting for a batch writer: fn, or a keyed create
// (keyed, with fn running it alone).
type batchOp struct {
	ctx   context.Context
	fn    func(pgx.Tx) error
	keyed *keyedCreate
	done  chan error
}

// batcher commits concurrent writes together: a writer takes every write
// waiting when it is free and runs them one after another in one
// transaction, then commits once. The writes are built so that a refusal
// (a duplicate, a missing client, a reused key) leaves the transaction
// usable and writes nothing; if a write breaks the transaction anyway, the
// batch is rolled back and each write is run again on its own, so it fails
// alone. Nobody is told of success before the commit. A writer never waits
// for more writes to arrive, so a lone write commits at once.
type batcher struct {
	db    *DB
	queue *groupcommit.Queue[*batchOp]
	wg    sync.WaitGroup

	batches atomic.Int64
	writes  atomic.Int64
}

func newBatcher(db *DB) *batcher {
	b := &batcher{db: db, queue: groupcommit.New[*batchOp](maxBatch)}
	for range batchWriters {
		b.wg.Go(b.loop)
	}
	return b
}

// do runs fn in a batch and returns once its transaction has committed
// (nil) or failed. It waits for the outcome even when ctx ends, because by
// then the write may already be part of a committing batch.
func (b *batcher) do(ctx context.Context, fn func(pgx.Tx) error) error {
	return b.enqueue(&batchOp{ctx: ctx, fn: fn, done: make(chan error, 1)})
}

// doKeyed runs a keyed create like do, pipelined with the batch's others.
func (b *batcher) doKeyed(k *keyedCreate) error {
	fn := func(tx pgx.Tx) error { return createWithKey(tx, k) }
	return b.enqueue(&batchOp{ctx: k.ctx, fn: fn, keyed: k, done: make(chan error, 1)})
}

func (b *batcher) enqueue(op *batchOp) error {
	if err := b.queue.Put(op.ctx, op); errors.Is(err, groupcommit.ErrClosed) {
		return fatora.DatabaseClosing()
	} else if err != nil {
		return mapError(err)
	}
	return <-op.done
}

// close lets the writes already queued commit, then stops the writers.
func (b *batcher) close() {
	b.queue.Close()
	b.wg.Wait()
}

func (b *batcher) loop() {
	for batch, ok := b.queue.Next(); ok; batch, ok = b.queue.Next() {
		b.batches.Add(1)
		b.writes.Add(int64(len(batch)))
		results := b.run(batch)
		for i, op := range batch {
			op.done <- results[i]
		}
	}
}

// run runs a batch and returns each write's outcome.
func (b *batcher) run(batch []*batchOp) []error {
	results := make([]error, len(batch))
	broken, err := b.runTogether(batch, results)
	if broken && len(batch) > 1 {
		for i, op := range batch {
			results[i] = b.runAlone(op)
		}
		return results
	}
	for i := range results {
		if results[i] == nil && err != nil {
			results[i] = err
		}
	}
	return results
}

// runTogether runs the batch in one transaction. broken reports that a
// write left the transaction unusable, so nothing was committed.
func (b *batcher) runTogether(batch []*batchOp, results []error) (broken bool, err error) {
	ctx := context.Background()
	tx, err := b.db.pool.Begin(ctx)
	if err != nil {
		return false, mapError(err)
	}
	defer tx.Rollback(ctx)
	if err := b.db.lockEventWriters(ctx, tx); err != nil {
		return false, err
	}
	var keyed []int
	for i, op := range batch {
		if op.keyed != nil {
			keyed = append(keyed, i)
			continue
		}
		results[i] = runOp(op, tx)
		if results[i] != nil && !usable(tx) {
			return true, results[i]
		}
	}
	if err := runKeyed(tx, batch, keyed, results); err != nil {
		return true, err
	}
	return false, mapError(tx.Commit(ctx))
}

// usable reports whether tx can go on after a failed statement.
func usable(tx pgx.Tx) bool { return tx.Conn().PgConn().TxStatus() == 'T' }

// runKeyed runs the batch's keyed creates (at the indexes keyed), sending
// each of their two statements for all of them in one round trip. It
// returns an error when the transaction broke. Statements run in the order
// sent, so each create sees the ones before it, as if they ran one after
// another. A key met again in the batch (possible only for callers other
// than the API, which turns a key in use away) runs after the others, on
// its own, so that it sees everything the first use did.
func runKeyed(tx pgx.Tx, batch []*batchOp, keyed []int, results []error) error {
	lock, insert := &pgx.Batch{}, &pgx.Batch{}
	var live, again []int
	seen := map[keySlot]bool{}
	for _, i := range keyed {
		k := batch[i].keyed
		switch slot := k.slot(); {
		case seen[slot]:
			again = append(again, i)
		default:
			seen[slot] = true
			if results[i] = mapError(batch[i].ctx.Err()); results[i] == nil {
				live = append(live, i)
				k.queueLock(lock)
			}
		}
	}
	if err := send(tx, lock); err != nil {
		return err
	}
	var locked []int
	for _, i := range live {
		if k := batch[i].keyed; !k.locked {
			results[i] = fatora.IdempotencyInProgress()
		} else {
			locked = append(locked, i)
			k.queueInsert(insert)
		}
	}
	if err := send(tx, insert); err != nil {
		return err
	}
	for _, i := range locked {
		if results[i] = batch[i].keyed.finish(tx); results[i] != nil && !usable(tx) {
			return results[i]
		}
	}
	for _, i := range again {
		if results[i] = runOp(batch[i], tx); results[i] != nil && !usable(tx) {
			return results[i]
		}
	}
	return nil
}

// send runs the queued statements of b in tx, in one round trip.
func send(tx pgx.Tx, b *pgx.Batch) error {
	if b.Len() == 0 {
		return nil
	}
	return mapError(tx.SendBatch(context.Background(), b).Close())
}

// runAlone runs one write in a transaction of its own.
func (b *batcher) runAlone(op *batchOp) error {
	return b.db.runTx(op.ctx, pgx.TxOptions{}, func(tx pgx.Tx) error { return runOp(op, tx) })
}

func runOp(op *batchOp, tx pgx.Tx) error {
	if err := op.ctx.Err(); err != nil {
		return mapError(err)
	}
	return op.fn(tx)
}
