package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Reading events without skipping one. Transactions commit out of the
// order their events were numbered in, so a reader must not pass a
// position that an event still being written may take. Every transaction
// that may write an event first takes a shared advisory lock, the event
// writers' lock (never waited for: readers do not take it); a reader finds
// the transactions holding it, and reads only the events of transactions
// older than every one of them (see eventHorizonSQL). Unlike the oldest
// running transaction of the whole server (pg_snapshot_xmin), only event
// writers of this schema hold a reader back, for the length of a write
// batch, and a change is readable as soon as its transaction committed.

// eventLockClass is the first key of the event writers' lock; the second
// is the oid of the schema, so stores in different schemas of one database
// do not see each other's writers.
const eventLockClass int32 = 0x65767473 // "evts"

// lockEventWriters takes the event writers' lock, shared, for the rest of
// tx. It must come before tx writes anything, so that a transaction has a
// transaction id only once it holds the lock.
func (db *DB) lockEventWriters(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock_shared($1, $2)", eventLockClass, db.schemaOID)
	return mapError(err)
}

// eventHorizonSQL returns the horizon (an xid8 as bigint): every event of
// a transaction below it was committed (or rolled back) before the
// statement ended, and no event below it can be written later. It is the
// lowest transaction id of the event writers holding the lock, and at most
// the statement snapshot's xmax (one past the latest transaction to end).
// A writer gets its id after taking the lock: one without an id when the
// lock holders are read gets an id above every id given out, so at or
// above xmax; one with an id either holds the lock still (and is counted)
// or has ended, so a statement after this one sees its events. pg_locks
// holds 32-bit ids: each is widened to xid8 as the nearest to xmax (they
// are within 2^31 of it).
const eventHorizonSQL = `WITH s AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS x)
	SELECT least(s.x, (
		SELECT min(s.x + (t.transactionid::text::bigint - (s.x & 4294967295) + 6442450944) % 4294967296 - 2147483648)
		FROM pg_locks a JOIN pg_locks t ON t.virtualtransaction = a.virtualtransaction
			AND t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock' AND t.granted
		WHERE a.locktype = 'advisory' AND a.classid::bigint = $1 AND a.objid::bigint = $2 AND a.objsubid = 2 AND a.granted
	)) FROM s`

// eventHorizon reads the horizon in a statement of its own; events are
// read below it by a later statement.
func (db *DB) eventHorizon(ctx context.Context) (int64, error) {
	var h int64
	err := db.pool.QueryRow(ctx, eventHorizonSQL, int64(eventLockClass), int64(db.schemaOID)).Scan(&h)
	return h, mapError(err)
}
