package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/fatora-oss/fatora"
)

// keyedChange runs change in a batch, at most once for the idempotency key
// ctx may carry (see fatora.ChangeOnce); the batch's transaction holds the
// database's write lock, so no other change with the key runs meanwhile.
// change returns the client the kept answer names (zero for a delete).
func (db *DB) keyedChange(ctx context.Context, scope fatora.Scope, now time.Time, change func(runner) (fatora.Client, error)) error {
	idem := fatora.IdempotencyFrom(ctx)
	return db.inBatch(ctx, func(tx runner) error {
		return fatora.ChangeOnce(ctx, idem, keyRecords{tx, scope}, now, func() (fatora.Client, error) { return change(tx) })
	})
}

// keyedEndpointChange is keyedChange for a change of a webhook endpoint
// (see fatora.ChangeEndpointOnce).
func (db *DB) keyedEndpointChange(ctx context.Context, scope fatora.Scope, now time.Time,
	change func(runner) (fatora.WebhookEndpoint, error)) error {
	idem := fatora.IdempotencyFrom(ctx)
	return db.inBatch(ctx, func(tx runner) error {
		return fatora.ChangeEndpointOnce(ctx, idem, keyRecords{tx, scope}, now, func() (fatora.WebhookEndpoint, error) { return change(tx) })
	})
}

// keyRecords are the idempotency records of scope in the transaction tx.
type keyRecords struct {
	tx    runner
	scope fatora.Scope
}

// FindRecord implements fatora.IdempotencyRecords.
func (r keyRecords) FindRecord(ctx context.Context, key string) (*fatora.IdempotencyRecord, error) {
	var kept fatora.IdempotencyRecord
	var created int64
	err := r.tx.QueryRowContext(ctx, `SELECT fingerprint, status, location, body, created_at FROM idempotency_keys
		WHERE merchant_id = ? AND mode = ? AND key = ?`, r.scope.MerchantID, r.scope.Mode, key).
		Scan(&kept.Fingerprint, &kept.Response.Status, &kept.Response.Location, &kept.Response.Body, &created)
	switch {
	case err == sql.ErrNoRows:
		return nil, nil
	case err != nil:
		return nil, mapError(err)
	}
	kept.CreatedAt = time.UnixMicro(created)
	return &kept, nil
}

// DeleteRecord implements fatora.IdempotencyRecords.
func (r keyRecords) DeleteRecord(ctx context.Context, key string) error {
	_, err := r.tx.ExecContext(ctx, "DELETE FROM idempotency_keys WHERE merchant_id = ? AND mode = ? AND key = ?",
		r.scope.MerchantID, r.scope.Mode, key)
	return mapError(err)
}

// InsertRecord implements fatora.IdempotencyRecords.
func (r keyRecords) InsertRecord(ctx context.Context, key string, kept fatora.IdempotencyRecord) error {
	_, err := r.tx.ExecContext(ctx, `INSERT INTO idempotency_keys
		(merchant_id, mode, key, fingerprint, status, location, body, created_at, client_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.scope.MerchantID, r.scope.Mode, key, kept.Fingerprint, kept.Response.Status, kept.Response.Location,
		kept.Response.Body, kept.CreatedAt.UnixMicro(), kept.ClientID)
	return mapError(err)
}

// purgeBatch bounds the rows one purge statement deletes, so the write lock
// is never held long.
const purgeBatch = 1000

// PurgeIdempotencyKeys implements fatora.IdempotencyPurger.
func (s *ClientService) PurgeIdempotencyKeys(ctx context.Context, cutoff time.Time) (int64, error) {
	return s.db.purge(ctx, `DELETE FROM idempotency_keys WHERE (merchant_id, mode, key) IN
		(SELECT merchant_id, mode, key FROM idempotency_keys WHERE created_at < ? LIMIT ?)`, cutoff)
}

// purge runs del, a DELETE of at most purgeBatch rows created before
// cutoff (its two parameters), in write batches until it deletes fewer,
// and returns how many rows it deleted in all.
func (db *DB) purge(ctx context.Context, del string, cutoff time.Time) (int64, error) {
	var total int64
	for {
		var n int64
		err := db.inBatch(ctx, func(tx runner) error {
			res, err := tx.ExecContext(ctx, del, cutoff.UnixMicro(), purgeBatch)
			if err != nil {
				return mapError(err)
			}
			n, err = res.RowsAffected()
			return mapError(err)
		})
		total += n
		if err != nil || n < purgeBatch {
			return total, err
		}
	}
}
