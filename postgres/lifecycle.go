package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
)

// RestoreClient implements fatora.ClientService: it brings back a client
// deleted within the retention period, unless a live client now holds the
// same data (the unique index on live clients' dedup refuses it).
func (s *ClientService) RestoreClient(ctx context.Context, id int64) (fatora.Client, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.Client{}, err
	}
	var c fatora.Client
	now, since := s.db.now(), s.db.restorableSince()
	err = s.db.keyedChange(ctx, scope, now, func(tx pgx.Tx) (fatora.Client, error) {
		c, err = restore(ctx, tx, scope, id, now, since)
		return c, err
	})
	return c, err
}

// restore brings back client id, deleted since, and writes its event. A
// duplicate is refused inside a savepoint (see guarded), so the
// transaction goes on.
func restore(ctx context.Context, tx pgx.Tx, scope fatora.Scope, id int64, now, since time.Time) (fatora.Client, error) {
	var c fatora.Client
	err := guarded(ctx, tx, func(sp pgx.Tx) error {
		var err error
		c, err = scanClient(sp.QueryRow(ctx, `UPDATE clients SET deleted_at = NULL
			WHERE merchant_id = $1 AND mode = $2 AND id = $3 AND deleted_at >= $4 RETURNING `+clientColumns,
			scope.MerchantID, string(scope.Mode), id, since))
		if errors.Is(err, pgx.ErrNoRows) {
			return fatora.ClientNotFound()
		}
		return err
	}, func() error { return duplicateOfDeleted(ctx, tx, scope, id) })
	if err != nil {
		return c, err
	}
	return c, writeEvent(ctx, tx, scope, fatora.ClientRestored(scope.Mode, c, now))
}

// BulkChangeClients implements fatora.ClientService: every client's change
// runs in one transaction. A client's refusal changes nothing (a restore's
// duplicate is undone in its savepoint), so the others stand.
func (s *ClientService) BulkChangeClients(ctx context.Context, b *fatora.ClientBulk) error {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return err
	}
	if err := b.Check(); err != nil {
		return err
	}
	now, since := s.db.now(), s.db.restorableSince()
	return s.db.keyedChange(ctx, scope, now, func(tx pgx.Tx) (fatora.Client, error) {
		return fatora.Client{}, b.Apply(func(id int64) error { return softDelete(ctx, tx, scope, id, now) },
			func(id int64) (fatora.Client, error) { return restore(ctx, tx, scope, id, now, since) })
	})
}

// duplicateOfDeleted returns the duplicate_client error naming the live
// client that holds the data of the deleted client id.
func duplicateOfDeleted(ctx context.Context, tx pgx.Tx, scope fatora.Scope, id int64) error {
	var dedup string
	err := tx.QueryRow(ctx, "SELECT dedup FROM clients WHERE merchant_id = $1 AND mode = $2 AND id = $3",
		scope.MerchantID, string(scope.Mode), id).Scan(&dedup)
	if err != nil {
		return mapError(err)
	}
	return duplicateOf(ctx, tx, scope, dedup)
}

// EraseClient implements fatora.ClientService. A live client's erasure
// writes a client.deleted event that keeps only ids; a deleted client's
// erasure writes none (its delete was one).
func (s *ClientService) EraseClient(ctx context.Context, id int64) error {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return err
	}
	now := s.db.now()
	return s.db.keyedChange(ctx, scope, now, func(tx pgx.Tx) (fatora.Client, error) {
		var deleted *time.Time
		err := tx.QueryRow(ctx, "DELETE FROM clients WHERE merchant_id = $1 AND mode = $2 AND id = $3 RETURNING deleted_at",
			scope.MerchantID, string(scope.Mode), id).Scan(&deleted)
		if errors.Is(err, pgx.ErrNoRows) {
			return fatora.Client{}, fatora.ClientNotFound()
		} else if err != nil {
			return fatora.Client{}, mapError(err)
		}
		if err := scrubClient(ctx, tx, scope, id); err != nil || deleted != nil {
			return fatora.Client{ID: id}, err
		}
		return fatora.Client{ID: id}, writeEvent(ctx, tx, scope, fatora.ClientErased(scope.Mode, id, now))
	})
}

// scrubClientSQL removes an erased client's data from its events and from
// the answers kept for idempotency keys (whose status and location stay,
// so a retried request is still answered, without the data).
const scrubClientSQL = `WITH ev AS (
		UPDATE events SET data = NULL WHERE merchant_id = $1 AND mode = $2 AND client_id = $3 AND data IS NOT NULL
	)
	UPDATE idempotency_keys SET body = '' WHERE merchant_id = $1 AND mode = $2 AND client_id = $3`

func scrubClient(ctx context.Context, tx pgx.Tx, scope fatora.Scope, id int64) error {
	_, err := tx.Exec(ctx, scrubClientSQL, scope.MerchantID, string(scope.Mode), id)
	return mapError(err)
}

// purgeClientsSQL removes a batch of the clients deleted before $1 and
// their events' bodies. The clients it takes are locked, and those another
// server's purge (or an erase) holds are skipped, so purges on several
// servers share the work instead of waiting for each other.
const purgeClientsSQL = `WITH doomed AS (
		SELECT merchant_id, id, mode FROM clients WHERE deleted_at < $1 ORDER BY deleted_at LIMIT $2
		FOR UPDATE SKIP LOCKED
	), ev AS (
		UPDATE events e SET data = NULL FROM doomed d
		WHERE e.merchant_id = d.merchant_id AND e.mode = d.mode AND e.client_id = d.id AND e.data IS NOT NULL
	)
	DELETE FROM clients c USING doomed d WHERE c.merchant_id = d.merchant_id AND c.id = d.id`

// PurgeDeletedClients implements fatora.ClientPurger.
func (s *ClientService) PurgeDeletedClients(ctx context.Context, cutoff time.Time) (int64, error) {
	var total int64
	for {
		tag, err := s.db.pool.Exec(ctx, purgeClientsSQL, cutoff, purgeBatch)
		if err != nil {
			return total, mapError(err)
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < purgeBatch {
			return total, nil
		}
	}
}
