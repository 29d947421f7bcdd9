package postgres

import (
	"context"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/jackc/pgx/v5"
)

// createWithKey makes a client under an idempotency key in two round trips
// to the server instead of four: the first takes the key's lock and
// reserves the client's id, so that its kept answer can be rendered; the
// second looks the key up, inserts the client and keeps the answer in one
// statement. It answers like claimKey, insertClient and keepResponse in
// turn would.
func createWithKey(ctx context.Context, tx pgx.Tx, scope fatora.Scope, idem *fatora.Idempotency, c *fatora.Client, k fatora.ClientKeys) error {
	var locked bool
	err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock(hashtextextended($1::bigint || ':' || $2 || ':' || $3, 0)),
		nextval(pg_get_serial_sequence('clients', 'id'))`, scope.MerchantID, string(scope.Mode), idem.Key).Scan(&locked, &c.ID)
	if err != nil {
		return mapError(err)
	}
	if !locked {
		return fatora.IdempotencyInProgress()
	}
	prior, inserted, err := insertWithKey(ctx, tx, scope, idem, *c, k)
	switch {
	case err != nil:
		return err
	case inserted:
		return nil
	case prior == nil:
		return duplicateOf(ctx, tx, scope, k.Dedup)
	case prior.created.Add(idem.TTL).Before(c.CreatedAt):
		return createAfterExpiredKey(ctx, tx, scope, idem, c, k)
	case prior.fingerprint != idem.Fingerprint:
		return fatora.IdempotencyKeyReused()
	}
	return &fatora.Replay{Response: prior.response}
}

// keptAnswer is a row of idempotency_keys.
type keptAnswer struct {
	fingerprint string
	created     time.Time
	response    fatora.StoredResponse
}

// insertWithKeySQL inserts the client (with its reserved id) and keeps the
// answer, unless the key was used already (prior) or the client would
// duplicate another (ON CONFLICT). It runs after the key's lock is held, so
// its snapshot holds every committed use of the key.
const insertWithKeySQL = `WITH prior AS (
		SELECT fingerprint, status, location, body, created_at FROM idempotency_keys
		WHERE merchant_id = $1 AND mode = $2 AND key = $3
	), ins AS (
		INSERT INTO clients (id, merchant_id, mode, name, phone, email, address, notes,
			email_folded, phone_digits, search_text, dedup, created_at, updated_at)
		OVERRIDING SYSTEM VALUE
		SELECT $4, $1, $2, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14
		WHERE NOT EXISTS (SELECT 1 FROM prior)
		ON CONFLICT (merchant_id, mode, dedup) DO NOTHING
		RETURNING id
	), kept AS (
		INSERT INTO idempotency_keys (merchant_id, mode, key, fingerprint, status, location, body, created_at)
		SELECT $1, $2, $3, $15, $16, $17, $18, $14 FROM ins
	)
	SELECT EXISTS (SELECT 1 FROM ins), p.fingerprint, p.status, p.location, p.body, p.created_at
	FROM (SELECT 1) AS one LEFT JOIN prior AS p ON true`

// insertWithKey runs insertWithKeySQL: inserted reports that the client was
// made; otherwise prior is the key's kept answer, or nil for a duplicate.
func insertWithKey(ctx context.Context, tx pgx.Tx, scope fatora.Scope, idem *fatora.Idempotency, c fatora.Client, k fatora.ClientKeys) (prior *keptAnswer, inserted bool, err error) {
	f, resp := c.ClientFields, idem.Render(c)
	var fingerprint, location *string
	var status *int
	var created *time.Time
	var body []byte
	err = tx.QueryRow(ctx, insertWithKeySQL,
		scope.MerchantID, string(scope.Mode), idem.Key, c.ID, f.Name, f.Phone, f.Email, f.Address, f.Notes,
		k.EmailFolded, k.PhoneDigits, k.SearchText, k.Dedup, c.CreatedAt,
		idem.Fingerprint, resp.Status, resp.Location, nonNil(resp.Body),
	).Scan(&inserted, &fingerprint, &status, &location, &body, &created)
	if err != nil || inserted || fingerprint == nil {
		return nil, inserted, mapError(err)
	}
	return &keptAnswer{fingerprint: *fingerprint, created: *created,
		response: fatora.StoredResponse{Status: *status, Location: *location, Body: body}}, false, nil
}

// createAfterExpiredKey forgets a key kept longer than its lifetime, then
// makes the client with the key afresh.
func createAfterExpiredKey(ctx context.Context, tx pgx.Tx, scope fatora.Scope, idem *fatora.Idempotency, c *fatora.Client, k fatora.ClientKeys) error {
	_, err := tx.Exec(ctx, "DELETE FROM idempotency_keys WHERE merchant_id = $1 AND mode = $2 AND key = $3",
		scope.MerchantID, string(scope.Mode), idem.Key)
	if err != nil {
		return mapError(err)
	}
	if err := insertClient(ctx, tx, scope, c, k); err != nil {
		return err
	}
	return keepResponse(ctx, tx, scope, idem, *c, c.CreatedAt)
}

// nonNil returns b, or an empty body for nil: the column holds no NULL (a
// 204 keeps an empty body).
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
