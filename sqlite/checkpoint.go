package sqlite

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// Checkpoints copy committed pages from the write-ahead log into the
// database file. SQLite runs them inside the COMMIT that fills the log past
// a threshold, which makes the writer (and every request in its batch) wait.
// The store runs them on a connection of their own instead, beside the
// writer: a PASSIVE checkpoint never blocks the writer or the readers.
const (
	// checkpointEvery is how often the checkpointer looks for new commits.
	checkpointEvery = 100 * time.Millisecond
	// writerCheckpointPages is the log size (in pages) at which the writer
	// checkpoints by itself after all, should the checkpointer fall behind
	// or fail; SQLite's default is 1000.
	writerCheckpointPages = 20000
)

// checkpointer runs a PASSIVE checkpoint every checkpointEvery when
// something was committed since the last one.
type checkpointer struct {
	pool      *sql.DB
	committed *atomic.Bool
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

func newCheckpointer(pool *sql.DB, committed *atomic.Bool) *checkpointer {
	c := &checkpointer{pool: pool, committed: committed, stop: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c
}

func (c *checkpointer) loop() {
	defer close(c.done)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
			if c.committed.Swap(false) {
				c.checkpoint()
			}
		}
	}
}

// checkpoint copies what it can and returns how many pages the log holds
// and how many of them are now in the database file. A failure leaves the
// pages in the log, where readers still find them; the next run (or the
// writer) copies them.
func (c *checkpointer) checkpoint() (logged, copied int, err error) {
	var busy int
	err = c.pool.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logged, &copied)
	return logged, copied, err
}

// close stops the checkpointer and closes its connection; later calls
// return what the first did.
func (c *checkpointer) close() error {
	c.closeOnce.Do(func() {
		close(c.stop)
		<-c.done
		c.closeErr = c.pool.Close()
	})
	return c.closeErr
}
