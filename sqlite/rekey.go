package sqlite

import (
	"context"
	"strconv"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/backoff"
)

// rekeyBatch is how many clients one write of the rekeying changes: small
// enough that other writes wait little for it.
const rekeyBatch = 500

// rekeyer keys anew, in the background, the clients keyed by an earlier
// version of fatora.MatchKeys (migration 0010 left them so): folded search
// text, E.164 phones, duplicate keys. Until a client is done, keyword
// search reads it directly (see listQuery). It stops when none remain or
// when the store closes; a batch that fails is tried again after a wait
// (internal/backoff), so a database that was busy or full for a while
// does not leave the rest for the next start.
type rekeyer = backoff.Loop

func startRekey(step func(context.Context) (int, error)) *rekeyer { return backoff.Start(step, nil) }

// staleClient is a client to key anew, with its merchant's region.
type staleClient struct {
	id     int64
	scope  fatora.Scope
	fields fatora.ClientFields
}

// rekeyOnce keys one batch anew and says how many clients it read.
func (db *DB) rekeyOnce(ctx context.Context) (int, error) {
	stale, err := db.staleClients(ctx)
	if err != nil || len(stale) == 0 {
		return 0, err
	}
	keys := make([]fatora.MatchKeys, len(stale))
	for i, c := range stale { // outside the write: the writer's time is the scarce one
		keys[i] = c.fields.MatchKeys(c.scope.Region)
	}
	return len(stale), db.inBatch(ctx, func(tx runner) error {
		for i, c := range stale {
			if err := rekeyClient(ctx, tx, c, keys[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

func (db *DB) staleClients(ctx context.Context) ([]staleClient, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT c.id, c.merchant_id, c.mode, m.region, c.name, c.phone, c.email, c.address
		FROM clients c INDEXED BY clients_rekey JOIN merchants m ON m.id = c.merchant_id
		WHERE c.search_version < 2 LIMIT ?`, rekeyBatch)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var stale []staleClient
	for rows.Next() {
		var c staleClient
		f := &c.fields
		if err := rows.Scan(&c.id, &c.scope.MerchantID, &c.scope.Mode, &c.scope.Region, &f.Name, &f.Phone, &f.Email, &f.Address); err != nil {
			return nil, mapError(err)
		}
		stale = append(stale, c)
	}
	return stale, mapError(rows.Err())
}

// rekeyClient writes a client's new keys unless a request changed it
// meanwhile (which keyed it). Two clients that the new keys find to hold
// the same data both stay: the one keyed later gets a duplicate key of its
// own (its id appended), so new clients are refused as duplicates of the
// other.
// rekeyDuplicateSQL counts the other live clients holding a duplicate key.
// Keys are unique among live clients only, and only their partial index
// (clients_dedup) serves the lookup: without deleted_at IS NULL it read
// every client of the tenant, for each client keyed.
const rekeyDuplicateSQL = `SELECT count(*) FROM clients
	WHERE merchant_id = ? AND mode = ? AND dedup = ? AND id <> ? AND deleted_at IS NULL`

func rekeyClient(ctx context.Context, tx runner, c staleClient, k fatora.MatchKeys) error {
	var taken int
	err := tx.QueryRowContext(ctx, rekeyDuplicateSQL, c.scope.MerchantID, c.scope.Mode, k.Dedup, c.id).Scan(&taken)
	if err != nil {
		return mapError(err)
	}
	if taken > 0 {
		k.Dedup += ":" + strconv.FormatInt(c.id, 10)
	}
	_, err = tx.ExecContext(ctx, `UPDATE clients SET email_folded = ?, phone_digits = ?, search_text = ?, dedup = ?, search_version = ?
		WHERE id = ? AND search_version < ?`,
		k.EmailFolded, k.PhoneDigits, k.SearchText, k.Dedup, fatora.SearchVersion, c.id, fatora.SearchVersion)
	return mapError(err)
}
