package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/fatora-oss/fatora"
)

// claimKey looks the request's idempotency key up inside the change's
// transaction (which holds the database's write lock, so no other change
// with the key can run meanwhile). It returns nil to go ahead, *Replay when
// the change was made, and idempotency_key_reused for another request.
func claimKey(ctx context.Context, tx runner, scope fatora.Scope, idem *fatora.Idempotency, now time.Time) error {
	if idem == nil {
		return nil
	}
	var fingerprint string
	var created int64
	var resp fatora.StoredResponse
	err := tx.QueryRowContext(ctx, `SELECT fingerprint, status, location, body, created_at FROM idempotency_keys
		WHERE merchant_id = ? AND mode = ? AND key = ?`, scope.MerchantID, scope.Mode, idem.Key).
		Scan(&fingerprint, &resp.Status, &resp.Location, &resp.Body, &created)
	switch {
	case err == sql.ErrNoRows:
		return nil
	case err != nil:
		return mapError(err)
	case time.UnixMicro(created).Add(idem.TTL).Before(now):
		_, err := tx.ExecContext(ctx, "DELETE FROM idempotency_keys WHERE merchant_id = ? AND mode = ? AND key = ?",
			scope.MerchantID, scope.Mode, idem.Key)
		return mapError(err)
	case fingerprint != idem.Fingerprint:
		return fatora.IdempotencyKeyReused()
	}
	return &fatora.Replay{Response: resp}
}

// keepResponse stores the answer to the change just made with the key, in
// the change's transaction.
func keepResponse(ctx context.Context, tx runner, scope fatora.Scope, idem *fatora.Idempotency, c fatora.Client, now time.Time) error {
	if idem == nil {
		return nil
	}
	resp := idem.Render(c)
	if resp.Body == nil {
		resp.Body = []byte{} // the column holds no NULL: a 204 keeps an empty body
	}
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
		err := s.db.inTx(ctx, func(tx runner) error {
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
