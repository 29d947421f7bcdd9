package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
)

// keyedChange runs change in a batch, at most once for the idempotency key
// ctx may carry (see fatora.ChangeOnce), once it holds the key's lock (see
// lockKey). change returns the client the kept answer names (zero for a
// delete). A keyed create takes its own, pipelined path (see keyedCreate).
func (db *DB) keyedChange(ctx context.Context, scope fatora.Scope, now time.Time, change func(pgx.Tx) (fatora.Client, error)) error {
	idem := fatora.IdempotencyFrom(ctx)
	return db.inBatch(ctx, func(tx pgx.Tx) error {
		if err := lockKey(ctx, tx, scope, idem); err != nil {
			return err
		}
		return fatora.ChangeOnce(ctx, idem, keyRecords{tx, scope}, now, func() (fatora.Client, error) { return change(tx) })
	})
}

// lockKey takes a transaction-scoped advisory lock on the request's
// idempotency key, without waiting: a request holding it (on any server) is
// still running, and the caller gets idempotency_in_progress.
func lockKey(ctx context.Context, tx pgx.Tx, scope fatora.Scope, idem *fatora.Idempotency) error {
	if idem == nil {
		return nil
	}
	var locked bool
	err := tx.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock(hashtextextended($1::bigint || ':' || $2 || ':' || $3, 0))",
		scope.MerchantID, string(scope.Mode), idem.Key).Scan(&locked)
	if err != nil {
		return mapError(err)
	}
	if !locked {
		return fatora.IdempotencyInProgress()
	}
	return nil
}

// keyRecords are the idempotency records of scope in the transaction tx.
type keyRecords struct {
	tx    pgx.Tx
	scope fatora.Scope
}

// FindRecord implements fatora.IdempotencyRecords.
func (r keyRecords) FindRecord(ctx context.Context, key string) (*fatora.IdempotencyRecord, error) {
	var kept fatora.IdempotencyRecord
	err := r.tx.QueryRow(ctx, `SELECT fingerprint, status, location, body, created_at FROM idempotency_keys
		WHERE merchant_id = $1 AND mode = $2 AND key = $3`, r.scope.MerchantID, string(r.scope.Mode), key).
		Scan(&kept.Fingerprint, &kept.Response.Status, &kept.Response.Location, &kept.Response.Body, &kept.CreatedAt)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, mapError(err)
	}
	return &kept, nil
}

// DeleteRecord implements fatora.IdempotencyRecords.
func (r keyRecords) DeleteRecord(ctx context.Context, key string) error {
	_, err := r.tx.Exec(ctx, "DELETE FROM idempotency_keys WHERE merchant_id = $1 AND mode = $2 AND key = $3",
		r.scope.MerchantID, string(r.scope.Mode), key)
	return mapError(err)
}

// InsertRecord implements fatora.IdempotencyRecords.
func (r keyRecords) InsertRecord(ctx context.Context, key string, kept fatora.IdempotencyRecord) error {
	_, err := r.tx.Exec(ctx, `INSERT INTO idempotency_keys
		(merchant_id, mode, key, fingerprint, status, location, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		r.scope.MerchantID, string(r.scope.Mode), key, kept.Fingerprint, kept.Response.Status, kept.Response.Location,
		kept.Response.Body, kept.CreatedAt)
	return mapError(err)
}

// purgeBatch bounds the rows one purge statement deletes.
const purgeBatch = 1000

// PurgeIdempotencyKeys implements fatora.IdempotencyPurger.
func (s *ClientService) PurgeIdempotencyKeys(ctx context.Context, cutoff time.Time) (int64, error) {
	var total int64
	for {
		tag, err := s.db.pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE (merchant_id, mode, key) IN
			(SELECT merchant_id, mode, key FROM idempotency_keys WHERE created_at < $1 LIMIT $2)`, cutoff, purgeBatch)
		if err != nil {
			return total, mapError(err)
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < purgeBatch {
			return total, nil
		}
	}
}
