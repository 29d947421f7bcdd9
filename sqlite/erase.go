package sqlite

import "context"

// eraseStatements empty the database but for merchants, their keys and
// the signing secret, in one transaction. Clients are deleted with their
// triggers, so the search index follows them as it follows any delete
// (through clients_search_pending, which also keeps it right when the ids
// are given again); the tenants' counts, at 0, go. Deleting the webhook
// endpoints and the events takes the deliveries and attempts with them
// (ON DELETE CASCADE). Client ids start again at 1; event sequence numbers
// do not, so that a reader's cursor never skips an event written later.
var eraseStatements = []string{
	`DELETE FROM clients`,
	`DELETE FROM client_counts`,
	`DELETE FROM sqlite_sequence WHERE name = 'clients'`,
	`DELETE FROM idempotency_keys`,
	`DELETE FROM webhook_endpoints`,
	`DELETE FROM events`,
}

// EraseData deletes every merchant's clients, events, webhook endpoints
// (with their deliveries) and idempotency keys, and makes the next client
// id 1 again. Merchants, API keys and the signing secret stay, so keys and
// tokens go on working. It is for a sandbox (`fatora sandbox`, package
// fatoratest), whose tests start again from nothing: there is no undo.
func (db *DB) EraseData(ctx context.Context) error {
	return db.inBatch(ctx, func(tx runner) error {
		for _, stmt := range eraseStatements {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return mapError(err)
			}
		}
		return nil
	})
}
