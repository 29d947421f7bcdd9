// Package sqlite is the embedded store: merchants, API keys and clients in
// one SQLite file, through the pure-Go modernc.org/sqlite driver. Writes go
// through a single connection in WAL mode with synchronous=FULL, so a commit
// that returned is on disk; reads use a pool of read-only connections.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/fatora-oss/fatora"
)

// DB is an open store. It is safe for concurrent use.
type DB struct {
	write       *sql.DB
	read        *sql.DB
	reads       *cachedRunner
	gate        *readGate // every read
	searchGate  *readGate // keyword searches, before gate
	writer      *writer
	checkpoints *checkpointer
	rekeyer     *rekeyer
	// Now is the store's clock; tests replace it.
	Now fatora.Clock
	// DeletedRetention is how long a deleted client can be restored
	// (fatora.DefaultDeletedRetention when zero).
	DeletedRetention time.Duration
	// tightened are the files Open kept to their owner (see secureFiles).
	tightened []string
}

// pragmas are applied, in order, to every connection the pools open. The
// busy timeout comes first: switching a new file to WAL takes a lock that
// another process opening it at the same moment must wait for.
var pragmas = []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)"}

// Open opens (creating if need be) the database file at path, checks that
// it is durable, and applies pending migrations. The database's files are
// kept to their owner (mode 0600, see secureFiles).
func Open(ctx context.Context, path string) (*DB, error) {
	tightened, err := secureFiles(path)
	if err != nil {
		return nil, err
	}
	write, err := openPool(path, 1, url.Values{"_txlock": {"immediate"},
		"_pragma": {fmt.Sprintf("wal_autocheckpoint(%d)", writerCheckpointPages)}})
	if err != nil {
		return nil, err
	}
	checkpoints, err := openPool(path, 1, nil)
	if err != nil {
		write.Close()
		return nil, err
	}
	read, err := openPool(path, readTurns()+searchTurns()+readSpare, url.Values{"_pragma": {"query_only(1)"}})
	if err != nil {
		write.Close()
		checkpoints.Close()
		return nil, err
	}
	db := &DB{write: write, read: read, Now: time.Now, tightened: tightened}
	if err := db.prepare(ctx); err != nil {
		write.Close()
		read.Close()
		checkpoints.Close()
		return nil, err
	}
	db.reads = newCachedRunner(read)
	db.gate, db.searchGate = newReadGate(readTurns()), newReadGate(searchTurns())
	db.writer = newWriter(write)
	db.checkpoints = newCheckpointer(checkpoints, &db.writer.committed)
	db.rekeyer = startRekey(db.rekeyOnce)
	return db, nil
}

// readTurns is how many reads other than keyword searches run at once, one
// a CPU: more at once only queue for the CPUs, where nothing keeps their
// order. searchTurns is how many keyword searches run at once, beside
// them: many searches at once only contend in SQLite's page cache, and a
// plain list or get never waits behind a search. The measurements behind
// the numbers are in docs/design/read-turns.md.
func readTurns() int   { return max(2, runtime.GOMAXPROCS(0)) }
func searchTurns() int { return max(4, 2*runtime.GOMAXPROCS(0)) }

// readSpare read connections serve what takes no turn (health checks).
const readSpare = 2

// uriPath escapes the characters that end or escape the path of an SQLite
// URI filename ('?', '#', '%'), so a file named with them is the file
// opened.
func uriPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
}

func openPool(path string, conns int, extra url.Values) (*sql.DB, error) {
	q := url.Values{"_pragma": slices.Clone(pragmas)}
	for k, v := range extra {
		q[k] = append(q[k], v...)
	}
	pool, err := sql.Open("sqlite", "file:"+uriPath(path)+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	pool.SetMaxOpenConns(conns)
	pool.SetMaxIdleConns(conns)
	pool.SetConnMaxIdleTime(0)
	return pool, nil
}

// prepare checks durability and migrates. Another process opening the same
// new file at the same moment can make SQLite answer "busy" at once, without
// waiting (while it sets up the WAL), so prepare tries again for a while.
func (db *DB) prepare(ctx context.Context) error {
	var err error
	for wait := 10 * time.Millisecond; wait < 5*time.Second; wait *= 2 {
		if err = db.prepareOnce(ctx); !isBusy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
	return err
}

func (db *DB) prepareOnce(ctx context.Context) error {
	if err := assertDurable(ctx, db.write); err != nil {
		return err
	}
	if err := migrate(ctx, db.write); err != nil {
		return err
	}
	return assertDurable(ctx, db.read)
}

// assertDurable refuses to run on a connection that is not in WAL mode with
// synchronous=FULL: anything less can lose an acknowledged write.
func assertDurable(ctx context.Context, pool runner) error {
	var mode string
	var sync, fk int
	row := pool.QueryRowContext(ctx, "SELECT (SELECT journal_mode FROM pragma_journal_mode), (SELECT synchronous FROM pragma_synchronous), (SELECT foreign_keys FROM pragma_foreign_keys)")
	if err := row.Scan(&mode, &sync, &fk); err != nil {
		return fmt.Errorf("read pragmas: %w", err)
	}
	if mode != "wal" || sync != 2 || fk != 1 {
		return fmt.Errorf("sqlite: journal_mode=%s synchronous=%d foreign_keys=%d, want wal, 2 (FULL) and 1", mode, sync, fk)
	}
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return mapError(db.read.PingContext(ctx))
}

// Close lets queued writes commit, then closes both pools.
func (db *DB) Close() error {
	db.rekeyer.Stop()
	db.writer.close()
	db.reads.close()
	return errors.Join(db.checkpoints.close(), db.write.Close(), db.read.Close())
}

// now returns the store's time, at the precision it keeps.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// restorableSince is the oldest deletion still restorable now.
func (db *DB) restorableSince() time.Time {
	return fatora.RetentionCutoff(db.now(), db.DeletedRetention)
}

// readTurn waits for a turn at the read pool, in arrival order (see
// readGate), and returns the runner to read with; the caller calls leave
// once done with it. Requests reach the read pool only this way.
func (db *DB) readTurn(ctx context.Context) (r runner, leave func(), err error) {
	if err := db.gate.enter(ctx); err != nil {
		return nil, nil, mapError(err)
	}
	return db.reads, db.gate.leave, nil
}

// searchTurn is readTurn for a keyword search: it waits for a search turn
// instead (see searchTurns).
func (db *DB) searchTurn(ctx context.Context) (r runner, leave func(), err error) {
	if err := db.searchGate.enter(ctx); err != nil {
		return nil, nil, mapError(err)
	}
	return db.reads, db.searchGate.leave, nil
}

// inBatch runs fn in a write transaction (BEGIN IMMEDIATE) that other
// writes may share (group commit, see writer), and returns nil only once
// that transaction has committed. A refusal that changed rows costs the
// batch a second run, each write alone (see writer).
func (db *DB) inBatch(ctx context.Context, fn func(runner) error) error {
	return db.writer.do(ctx, fn)
}

// Stats returns the read pool's figures (its waits include those for a
// turn, see readGate) and the writer's counts.
func (db *DB) Stats() fatora.StoreStats {
	s := db.read.Stats()
	waits, waited := db.gate.stats()
	searchWaits, searchWaited := db.searchGate.stats()
	waits, waited = waits+searchWaits, waited+searchWaited
	return fatora.StoreStats{MaxConns: s.MaxOpenConnections, OpenConns: s.OpenConnections, InUse: s.InUse, Idle: s.Idle,
		WaitCount: s.WaitCount + waits, WaitDuration: s.WaitDuration + waited,
		Batches: db.writer.batches.Load(), Writes: db.writer.writes.Load()}
}
