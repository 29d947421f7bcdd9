// Package postgres is the server store: merchants, API keys and clients in a
// PostgreSQL database, through a pgx connection pool. Every connection runs
// with synchronous_commit=on, so a commit that returned is in the flushed
// WAL; Open refuses a server or DSN that would weaken that. The schema is
// laid out to be distributed by merchant (see migrations/0001_init.sql).
package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fatora-oss/fatora"
)

// DB is an open store. It is safe for concurrent use.
type DB struct {
	pool  *pgxpool.Pool
	batch *batcher
	// schemaOID is the oid of the schema the tables are in: the second key
	// of the event writers' lock (see lockEventWriters).
	schemaOID int32
	// Now is the store's clock; tests replace it.
	Now fatora.Clock
	// DeletedRetention is how long a deleted client can be restored
	// (fatora.DefaultDeletedRetention when zero).
	DeletedRetention time.Duration
	rekeyer          *rekeyer
}

// DefaultConnectTimeout bounds a connection attempt when the DSN sets no
// connect_timeout.
const DefaultConnectTimeout = 5 * time.Second

// Options tune the connection pool.
type Options struct {
	// MaxConns caps the pool's connections; 0 keeps pgx's default (4 or
	// the CPUs) plus SearchConns.
	MaxConns int32
	// SearchConns are connections for the keyword searches that run at
	// once, each holding one for its transaction, added to pgx's default
	// so that the other requests keep theirs. Ignored when MaxConns, or the
	// DSN's pool_max_conns, sets the pool's size.
	SearchConns int32
	// StatementTimeout makes the server cancel a statement that runs longer
	// (the statement_timeout parameter of every connection); 0 sets none,
	// leaving the DSN's or the server's setting (normally no limit).
	// Migrations run without it.
	StatementTimeout time.Duration
	// Tracer, if set, is told of every statement the pool sends (tracing,
	// tests); pgx's tracelog and OpenTelemetry adapters are such tracers.
	Tracer pgx.QueryTracer
}

// Open connects to the database named by dsn (a postgres:// URL or
// keyword=value string), checks that commits are durable and the database
// holds UTF-8, and applies pending migrations.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	cfg, err := poolConfig(dsn, opts)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open pool: %w", err)
	}
	db := &DB{pool: pool, Now: time.Now}
	if err := db.prepare(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	db.batch = newBatcher(db)
	db.rekeyer = startRekey(db, db.rekeyOnce)
	return db, nil
}

// poolConfig parses dsn and sets the runtime parameters every connection
// needs. A synchronous_commit given in dsn is kept, so that assertDurable
// can refuse it; so is a jit setting.
func poolConfig(dsn string, opts Options) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse DSN: %w", err)
	}
	switch {
	case opts.MaxConns > 0:
		cfg.MaxConns = opts.MaxConns
	case !strings.Contains(dsn, "pool_max_conns"):
		cfg.MaxConns += max(0, opts.SearchConns)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		// Without a bound, a connection attempt to an unreachable host
		// holds its pool slot for minutes after the host is back.
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.Tracer != nil {
		cfg.ConnConfig.Tracer = opts.Tracer
	}
	params := cfg.ConnConfig.RuntimeParams
	if _, ok := params["synchronous_commit"]; !ok {
		params["synchronous_commit"] = "on"
	}
	if _, ok := params["jit"]; !ok {
		// Every statement here reads or writes a few rows, where compiling
		// costs more than it saves: a page planned at a cost over
		// jit_above_cost (a plan's settings add to the cost of what they
		// turn off) spent 210 ms in JIT compilation to read 101 rows.
		params["jit"] = "off"
	}
	if opts.StatementTimeout > 0 {
		ms := max(1, opts.StatementTimeout.Milliseconds())
		params["statement_timeout"] = strconv.FormatInt(ms, 10) + "ms"
	}
	return cfg, nil
}

func (db *DB) prepare(ctx context.Context) error {
	if err := assertDurable(ctx, db.pool); err != nil {
		return err
	}
	if err := migrate(ctx, db.pool); err != nil {
		return err
	}
	err := db.pool.QueryRow(ctx, "SELECT oid::int FROM pg_namespace WHERE nspname = current_schema()").Scan(&db.schemaOID)
	if err != nil {
		return fmt.Errorf("postgres: read the schema: %w", err)
	}
	return nil
}

// assertDurable refuses a connection on which a commit could return before
// its WAL is flushed, or whose database cannot hold every Unicode text.
func assertDurable(ctx context.Context, pool *pgxpool.Pool) error {
	var sync, encoding string
	err := pool.QueryRow(ctx, "SELECT current_setting('synchronous_commit'), current_setting('server_encoding')").
		Scan(&sync, &encoding)
	if err != nil {
		return fmt.Errorf("postgres: read settings: %w", err)
	}
	if !durableCommit(sync) {
		return fmt.Errorf("postgres: synchronous_commit=%s, want on: a commit could be lost after it returned", sync)
	}
	if encoding != "UTF8" {
		return fmt.Errorf("postgres: server_encoding=%s, want UTF8", encoding)
	}
	return nil
}

// durableCommit reports whether a commit under the synchronous_commit
// setting s returns only after its WAL is flushed to disk: "on", or
// "remote_apply", which also waits for synchronous standbys to apply it.
func durableCommit(s string) bool { return s == "on" || s == "remote_apply" }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return mapError(db.pool.Ping(ctx))
}

// Close closes the pool, waiting for connections in use to be returned. It
// returns an error only to match the other stores; it is always nil.
func (db *DB) Close() error {
	db.rekeyer.Stop()
	db.batch.close()
	db.pool.Close()
	return nil
}

// now returns the store's time, at the precision it keeps.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// restorableSince is the oldest deletion still restorable now.
func (db *DB) restorableSince() time.Time {
	return fatora.RetentionCutoff(db.now(), db.DeletedRetention)
}

// inTx runs fn in a read-write READ COMMITTED transaction and commits it.
func (db *DB) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return db.runTx(ctx, pgx.TxOptions{}, fn)
}

// inBatch runs fn in a transaction possibly shared with other writes (see
// batcher) and returns nil only once that transaction has committed. fn
// must leave the transaction usable when it refuses a write.
func (db *DB) inBatch(ctx context.Context, fn func(pgx.Tx) error) error {
	return db.batch.do(ctx, fn)
}

// Stats returns the pool's figures and the batch writers' counts.
func (db *DB) Stats() fatora.StoreStats {
	s := db.pool.Stat()
	return fatora.StoreStats{MaxConns: int(s.MaxConns()), OpenConns: int(s.TotalConns()), InUse: int(s.AcquiredConns()),
		Idle: int(s.IdleConns()), WaitCount: s.EmptyAcquireCount(), WaitDuration: s.EmptyAcquireWaitTime(),
		Batches: db.batch.batches.Load(), Writes: db.batch.writes.Load()}
}

// inSnapshot runs fn in a read-only REPEATABLE READ transaction: every
// statement of fn sees the same snapshot.
func (db *DB) inSnapshot(ctx context.Context, fn func(pgx.Tx) error) error {
	return db.inSnapshotAfter(ctx, "", fn)
}

// snapshotBeginSQL begins the transaction of inSnapshot.
const snapshotBeginSQL = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

// inSnapshotAfter is inSnapshot whose transaction first runs setup, if
// given: a statement without arguments (a plan's settings), sent with the
// BEGIN in one round trip.
func (db *DB) inSnapshotAfter(ctx context.Context, setup string, fn func(pgx.Tx) error) error {
	begin := snapshotBeginSQL
	if setup != "" {
		begin += "; " + setup
	}
	return db.runTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, BeginQuery: begin}, fn)
}

func (db *DB) runTx(ctx context.Context, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	tx, err := db.pool.BeginTx(ctx, opts)
	if err != nil {
		return mapError(err)
	}
	defer tx.Rollback(ctx)
	if opts.AccessMode != pgx.ReadOnly {
		if err := db.lockEventWriters(ctx, tx); err != nil {
			return err
		}
	}
	if err := fn(tx); err != nil {
		return err
	}
	return mapError(tx.Commit(ctx))
}
