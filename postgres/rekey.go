package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
)

// rekeyBatch is how many clients one transaction of the rekeying changes:
// it locks only those, and skips clients another server is rekeying.
const rekeyBatch = 500

// rekeyer keys anew, in the background, the clients keyed by an earlier
// version of fatora.MatchKeys (migration 0008 left them so): folded search
// text, E.164 phones, duplicate keys. Until a client is done, keyword
// search reads it directly (see keywordClause). It stops when none remain,
// at an error (the next Open starts again) or when the store closes.
type rekeyer struct {
	cancel context.CancelFunc
	done   chan struct{}
	err    error
}

func startRekey(db *DB) *rekeyer {
	ctx, cancel := context.WithCancel(context.Background())
	r := &rekeyer{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for {
			n, err := db.rekeyOnce(ctx)
			if err != nil || n == 0 {
				r.err = err
				return
			}
		}
	}()
	return r
}

// stop ends the rekeying and waits for it.
func (r *rekeyer) stop() {
	r.cancel()
	<-r.done
}

// staleClient is a client to key anew, with its merchant's region.
type staleClient struct {
	id     int64
	scope  fatora.Scope
	fields fatora.ClientFields
}

// rekeyOnce keys one batch anew in one transaction and says how many
// clients it changed.
func (db *DB) rekeyOnce(ctx context.Context) (int, error) {
	n := 0
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT c.id, c.merchant_id, c.mode, m.region, c.name, c.phone, c.email, c.address
			FROM clients c JOIN merchants m ON m.id = c.merchant_id
			WHERE c.search_version < 2 LIMIT $1 FOR UPDATE OF c SKIP LOCKED`, rekeyBatch)
		if err != nil {
			return mapError(err)
		}
		stale, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (staleClient, error) {
			var c staleClient
			f := &c.fields
			err := r.Scan(&c.id, &c.scope.MerchantID, &c.scope.Mode, &c.scope.Region, &f.Name, &f.Phone, &f.Email, &f.Address)
			return c, err
		})
		if err != nil {
			return mapError(err)
		}
		n = len(stale)
		for _, c := range stale {
			if err := rekeyClient(ctx, tx, c, c.fields.MatchKeys(c.scope.Region)); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// rekeyClient writes a client's new keys. Two clients that the new keys
// find to hold the same data both stay: the one keyed later gets a
// duplicate key of its own (its id appended), so new clients are refused
// as duplicates of the other.
func rekeyClient(ctx context.Context, tx pgx.Tx, c staleClient, k fatora.MatchKeys) error {
	var taken bool
	err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM clients WHERE merchant_id = $1 AND mode = $2 AND dedup = $3 AND id <> $4)",
		c.scope.MerchantID, string(c.scope.Mode), k.Dedup, c.id).Scan(&taken)
	if err != nil {
		return mapError(err)
	}
	if taken {
		k.Dedup += ":" + strconv.FormatInt(c.id, 10)
	}
	_, err = tx.Exec(ctx, `UPDATE clients SET email_folded = $1, phone_digits = $2, search_text = $3, dedup = $4, search_version = $5
		WHERE id = $6`, k.EmailFolded, k.PhoneDigits, k.SearchText, k.Dedup, fatora.SearchVersion, c.id)
	return mapError(err)
}
