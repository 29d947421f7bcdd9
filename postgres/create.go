package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
)

// keyedCreate is a client create with an idempotency key. It takes two
// statements: the first takes the key's lock and reserves the client's id
// (so that the kept answer can be rendered), the second looks the key up,
// inserts the client and keeps the answer. A batch sends the first
// statement of all its keyed creates in one round trip, then the second
// (see batcher.runKeyed); alone, a create takes two round trips.
type keyedCreate struct {
	ctx   context.Context
	scope fatora.Scope
	idem  *fatora.Idempotency
	c     *fatora.Client
	match fatora.MatchKeys

	// What the statements found.
	locked   bool
	inserted bool
	prior    *fatora.IdempotencyRecord
}

// keySlot identifies an idempotency key: keys belong to a scope.
type keySlot struct {
	scope fatora.Scope
	key   string
}

func (k *keyedCreate) slot() keySlot { return keySlot{k.scope, k.idem.Key} }

// createWithKey runs k's statements in tx, one round trip each.
func createWithKey(tx pgx.Tx, k *keyedCreate) error {
	lock := &pgx.Batch{}
	k.queueLock(lock)
	if err := tx.SendBatch(k.ctx, lock).Close(); err != nil {
		return mapError(err)
	}
	if !k.locked {
		return fatora.IdempotencyInProgress()
	}
	insert := &pgx.Batch{}
	k.queueInsert(insert)
	if err := tx.SendBatch(k.ctx, insert).Close(); err != nil {
		return mapError(err)
	}
	return k.finish(tx)
}

// queueLock queues the first statement, which takes the key's lock without
// waiting (a request holding it, on any server, is still running) and
// reserves an id.
func (k *keyedCreate) queueLock(b *pgx.Batch) {
	k.locked, k.inserted, k.prior = false, false, nil
	b.Queue(`SELECT pg_try_advisory_xact_lock(hashtextextended($1::bigint || ':' || $2 || ':' || $3, 0)),
		nextval(pg_get_serial_sequence('clients', 'id'))`, k.scope.MerchantID, string(k.scope.Mode), k.idem.Key).
		QueryRow(func(row pgx.Row) error { return row.Scan(&k.locked, &k.c.ID) })
}

// insertWithKeySQL inserts the client (with its reserved id) and keeps the
// answer, unless the key was used already (prior) or the client would
// duplicate another (ON CONFLICT). It runs once the key's lock is held, so
// its snapshot holds every committed use of the key.
const insertWithKeySQL = `WITH prior AS (
		SELECT fingerprint, status, location, body, created_at FROM idempotency_keys
		WHERE merchant_id = $1 AND mode = $2 AND key = $3
	), ins AS (
		INSERT INTO clients (id, merchant_id, mode, name, phone, email, address, notes,
			email_folded, phone_digits, search_text, dedup, created_at, updated_at, metadata, terms)
		OVERRIDING SYSTEM VALUE
		SELECT $4, $1, $2, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $21, $22
		WHERE NOT EXISTS (SELECT 1 FROM prior)
		ON CONFLICT (merchant_id, mode, dedup) WHERE deleted_at IS NULL DO NOTHING
		RETURNING id
	), ev AS (
		INSERT INTO events (merchant_id, id, mode, type, client_id, created_at, data)
		SELECT $1, $19, $2, 'client.created', id, $14, $20 FROM ins ` + eventReturning + `
	), fanout AS (` + fanOutSQL + `
	), kept AS (
		INSERT INTO idempotency_keys (merchant_id, mode, key, fingerprint, status, location, body, created_at, client_id)
		SELECT $1, $2, $3, $15, $16, $17, $18, $14, id FROM ins
	)
	SELECT EXISTS (SELECT 1 FROM ins), p.fingerprint, p.status, p.location, p.body, p.created_at
	FROM (SELECT 1) AS one LEFT JOIN prior AS p ON true`

// queueInsert queues the second statement; the lock must be held.
func (k *keyedCreate) queueInsert(b *pgx.Batch) {
	f, kept, e := k.c.ClientFields, k.idem.Record(*k.c, k.c.CreatedAt), fatora.ClientCreated(k.scope.Mode, *k.c)
	b.Queue(insertWithKeySQL,
		k.scope.MerchantID, string(k.scope.Mode), k.idem.Key, k.c.ID, f.Name, f.Phone, f.Email, f.Address, f.Notes,
		k.match.EmailFolded, k.match.PhoneDigits, k.match.SearchText, k.match.Dedup, k.c.CreatedAt,
		kept.Fingerprint, kept.Response.Status, kept.Response.Location, kept.Response.Body, e.ID, fatora.EncodeEventData(e),
		fatora.EncodeMetadata(f.Metadata), tenantTerms(k.scope, k.match.SearchText),
	).QueryRow(k.scanInsert)
}

func (k *keyedCreate) scanInsert(row pgx.Row) error {
	var fingerprint, location *string
	var status *int
	var created *time.Time
	var body []byte
	if err := row.Scan(&k.inserted, &fingerprint, &status, &location, &body, &created); err != nil {
		return err
	}
	if fingerprint != nil {
		k.prior = &fatora.IdempotencyRecord{Fingerprint: *fingerprint, CreatedAt: *created,
			Response: fatora.StoredResponse{Status: *status, Location: *location, Body: body}}
	}
	return nil
}

// finish answers the create from what its statements found, running in tx
// what a rare case needs besides: naming the client a create duplicates,
// or forgetting an expired key and creating afresh.
func (k *keyedCreate) finish(tx pgx.Tx) error {
	switch {
	case k.inserted:
		return nil
	case k.prior == nil:
		return duplicateOf(k.ctx, tx, k.scope, k.match.Dedup)
	}
	forget, err := k.idem.Decide(k.prior, k.c.CreatedAt)
	if forget {
		return k.createAfterExpiredKey(tx)
	}
	return err
}

// createAfterExpiredKey makes the client with a key kept longer than its
// lifetime, the slow way: fatora.ChangeOnce forgets the key, then the
// client is inserted and its answer kept.
func (k *keyedCreate) createAfterExpiredKey(tx pgx.Tx) error {
	return fatora.ChangeOnce(k.ctx, k.idem, keyRecords{tx, k.scope}, k.c.CreatedAt, func() (fatora.Client, error) {
		err := insertClient(k.ctx, tx, k.scope, k.c, k.match)
		return *k.c, err
	})
}
