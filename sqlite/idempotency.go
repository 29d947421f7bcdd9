package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/fatora-oss/fatora"
)

// claimKey looks the request's idempotency key up inside the change's
// transaction (which holds the database's write lock, so no other change
// with the key can run meanwhile) and acts on what fatora.Idempotency.Decide
// makes of it: nil to go ahead (after forgetting an expired key), *Replay
// when the change was made, idempotency_key_reused for another request.
func claimKey(ctx context.Context, tx runner, scope fatora.Scope, idem *fatora.Idempotency, now time.Time) error {
	if idem == nil {
		return nil
	}
	kept, err := findKey(ctx, tx, scope, idem.Key)
	if err != nil {
		return err
	}
	forget, err := idem.Decide(kept, now)
	if forget {
		_, err = tx.ExecContext(ctx, "DELETE FROM idempotency_keys WHERE merchant_id = ? AND mode = ? AND key = ?",
			scope.MerchantID, scope.Mode, idem.Key)
		return mapError(err)
	}
	return err
}

// findKey returns the record kept for key, or nil when there is none.
func findKey(ctx context.Context, tx runner, scope fatora.Scope, key string) (*fatora.IdempotencyRecord, error) {
	var kept fatora.IdempotencyRecord
	var created int64
	err := tx.QueryRowContext(ctx, `SELECT fingerprint, status, location, body, created_at FROM idempotency_keys
		WHERE merchant_id = ? AND mode = ? AND key = ?`, scope.MerchantID, scope.Mode, key).
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

// keepResponse stores the answer to the change just made with the key, in
// the change's transaction.
func keepResponse(ctx context.Context, tx runner, scope fatora.Scope, idem *fatora.Idempotency, c fatora.Client, now time.Time) error {
	if idem == nil {
		return nil
	}
	resp := idem.Response(c)
	_, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys
		(merchant_id, mode, key, fingerprint, status, location, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		scope.MerchantID, scope.Mode, idem.Key, idem.Fingerprint, resp.Status, resp.Location, resp.Body, now.UnixMicro())
	return mapError(err)
}

// purgeBatch bounds the rows one purge statement deletes, so the write lock
// is never held long.
const purgeBatch = 1000

// PurgeIdempotencyKeys implements fatora.IdempotencyPurger.
func (s *ClientService) PurgeIdempotencyKeys(ctx context.Context, cutoff time.Time) (int64, error) {
	var total int64
	for {
		var n int64
		err := s.db.inBatch(ctx, func(tx runner) error {
			res, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE (merchant_id, mode, key) IN
				(SELECT merchant_id, mode, key FROM idempotency_keys WHERE created_at < ? LIMIT ?)`, cutoff.UnixMicro(), purgeBatch)
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
