package sqlite

import (
	"context"
	"database/sql"
	"time"

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
	err = s.db.keyedChange(ctx, scope, now, func(tx runner) (fatora.Client, error) {
		c, err = restore(ctx, tx, scope, id, now, since)
		return c, err
	})
	return c, err
}

// restore brings back client id, deleted since, and writes its event.
func restore(ctx context.Context, tx runner, scope fatora.Scope, id int64, now, since time.Time) (fatora.Client, error) {
	c, err := scanClient(tx.QueryRowContext(ctx, `UPDATE clients SET deleted_at = NULL
		WHERE merchant_id = ? AND mode = ? AND id = ? AND deleted_at >= ? RETURNING `+clientColumns,
		scope.MerchantID, scope.Mode, id, since.UnixMicro()))
	switch {
	case err == sql.ErrNoRows:
		return c, fatora.ClientNotFound()
	case isUnique(err):
		return c, duplicateOfDeleted(ctx, tx, scope, id)
	case err != nil:
		return c, mapError(err)
	}
	return c, writeEvent(ctx, tx, scope, fatora.ClientRestored(scope.Mode, c, now))
}

// BulkChangeClients implements fatora.ClientService: every client's change
// runs in one transaction of the writer. A client's refusal changes no
// rows (a refused statement is undone alone), so the others stand.
func (s *ClientService) BulkChangeClients(ctx context.Context, b *fatora.ClientBulk) error {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return err
	}
	if err := b.Check(); err != nil {
		return err
	}
	now, since := s.db.now(), s.db.restorableSince()
	return s.db.keyedChange(ctx, scope, now, func(tx runner) (fatora.Client, error) {
		return fatora.Client{}, b.Apply(func(id int64) error { return softDelete(ctx, tx, scope, id, now) },
			func(id int64) (fatora.Client, error) { return restore(ctx, tx, scope, id, now, since) })
	})
}

// duplicateOfDeleted returns the duplicate_client error naming the live
// client that holds the data of the deleted client id.
func duplicateOfDeleted(ctx context.Context, tx runner, scope fatora.Scope, id int64) error {
	var dedup string
	err := tx.QueryRowContext(ctx, "SELECT dedup FROM clients WHERE merchant_id = ? AND mode = ? AND id = ?",
		scope.MerchantID, scope.Mode, id).Scan(&dedup)
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
	return s.db.keyedChange(ctx, scope, now, func(tx runner) (fatora.Client, error) {
		var deleted sql.NullInt64
		err := tx.QueryRowContext(ctx, "DELETE FROM clients WHERE merchant_id = ? AND mode = ? AND id = ? RETURNING deleted_at",
			scope.MerchantID, scope.Mode, id).Scan(&deleted)
		if err == sql.ErrNoRows {
			return fatora.Client{}, fatora.ClientNotFound()
		} else if err != nil {
			return fatora.Client{}, mapError(err)
		}
		if err := scrubClient(ctx, tx, scope, id); err != nil || deleted.Valid {
			return fatora.Client{ID: id}, err
		}
		return fatora.Client{ID: id}, writeEvent(ctx, tx, scope, fatora.ClientErased(scope.Mode, id, now))
	})
}

// scrubStatements remove an erased client's data from its events and from
// the answers kept for idempotency keys (whose status and location stay,
// so a retried request is still answered, without the data).
var scrubStatements = []string{
	`UPDATE events SET data = NULL WHERE merchant_id = ? AND mode = ? AND client_id = ? AND data IS NOT NULL`,
	`UPDATE idempotency_keys SET body = x'' WHERE merchant_id = ? AND mode = ? AND client_id = ?`,
}

func scrubClient(ctx context.Context, tx runner, scope fatora.Scope, id int64) error {
	for _, stmt := range scrubStatements {
		if _, err := tx.ExecContext(ctx, stmt, scope.MerchantID, scope.Mode, id); err != nil {
			return mapError(err)
		}
	}
	return nil
}

// purgeClientStatements remove the clients deleted before a cutoff, at
// most a batch of them (the two parameters of each): first their events'
// bodies, then the clients. Both statements pick the same clients, in one
// transaction of the single writer.
var purgeClientStatements = []string{
	`UPDATE events SET data = NULL WHERE data IS NOT NULL AND (merchant_id, mode, client_id) IN
		(SELECT merchant_id, mode, id FROM clients WHERE deleted_at < ? ORDER BY deleted_at LIMIT ?)`,
	`DELETE FROM clients WHERE id IN (SELECT id FROM clients WHERE deleted_at < ? ORDER BY deleted_at LIMIT ?)`,
}

// PurgeDeletedClients implements fatora.ClientPurger.
func (s *ClientService) PurgeDeletedClients(ctx context.Context, cutoff time.Time) (int64, error) {
	var total int64
	for {
		var n int64
		err := s.db.inBatch(ctx, func(tx runner) error {
			var res sql.Result
			for _, stmt := range purgeClientStatements {
				var err error
				if res, err = tx.ExecContext(ctx, stmt, cutoff.UnixMicro(), purgeBatch); err != nil {
					return mapError(err)
				}
			}
			var err error
			n, err = res.RowsAffected()
			return mapError(err)
		})
		total += n
		if err != nil || n < purgeBatch {
			return total, err
		}
	}
}
