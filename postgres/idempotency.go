package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/jackc/pgx/v5"
)

// claimKey looks the request's idempotency key up inside the change's
// transaction. It first takes a transaction-scoped advisory lock on the key,
// without waiting: a request holding it (on any server) is still running,
// and the caller gets idempotency_in_progress. Then it returns nil to go
// ahead, *Replay when the change was made, or idempotency_key_reused for
// another request.
func claimKey(ctx context.Context, tx pgx.Tx, scope fatora.Scope, idem *fatora.Idempotency, now time.Time) error {
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
	return findKey(ctx, tx, scope, idem, now)
}

// findKey acts on what fatora.Idempotency.Decide makes of the record kept
// for the request's key: nil to go ahead (after forgetting an expired key),
// *Replay when the change was made, idempotency_key_reused for another
// request. The key's lock must be held.
func findKey(ctx context.Context, tx pgx.Tx, scope fatora.Scope, idem *fatora.Idempotency, now time.Time) error {
	var kept fatora.IdempotencyRecord
	err := tx.QueryRow(ctx, `SELECT fingerprint, status, location, body, created_at FROM idempotency_keys
		WHERE merchant_id = $1 AND mode = $2 AND key = $3`, scope.MerchantID, string(scope.Mode), idem.Key).
		Scan(&kept.Fingerprint, &kept.Response.Status, &kept.Response.Location, &kept.Response.Body, &kept.CreatedAt)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil
	case err != nil:
		return mapError(err)
	}
	forget, err := idem.Decide(&kept, now)
	if forget {
		return forgetKey(ctx, tx, scope, idem.Key)
	}
	return err
}

// forgetKey deletes the record kept for an expired key.
func forgetKey(ctx context.Context, tx pgx.Tx, scope fatora.Scope, key string) error {
	_, err := tx.Exec(ctx, "DELETE FROM idempotency_keys WHERE merchant_id = $1 AND mode = $2 AND key = $3",
		scope.MerchantID, string(scope.Mode), key)
	return mapError(err)
}

// keepResponse stores the answer to the change just made with the key, in
// the change's transaction.
func keepResponse(ctx context.Context, tx pgx.Tx, scope fatora.Scope, idem *fatora.Idempotency, c fatora.Client, now time.Time) error {
	if idem == nil {
		return nil
	}
	resp := idem.Response(c)
	_, err := tx.Exec(ctx, `INSERT INTO idempotency_keys
		(merchant_id, mode, key, fingerprint, status, location, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		scope.MerchantID, string(scope.Mode), idem.Key, idem.Fingerprint, resp.Status, resp.Location, resp.Body, now)
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
