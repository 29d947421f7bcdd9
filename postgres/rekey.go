package postgres

import (
	"context"
	"strconv"
	"sync/atomic"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/backoff"
)

// rekeyBatch is how many clients one transaction of the rekeying changes:
// it locks only those (other writes wait for none of them unless they
// change the same clients), and skips clients another server is rekeying.
const rekeyBatch = 2000

// rekeyer keys anew, in the background, the clients keyed by an earlier
// version of fatora.MatchKeys (migration 0008 left them so): folded search
// text, E.164 phones, duplicate keys. Until a client is done, keyword
// search reads it directly (see keywordClause). It stops when none remain
// or when the store closes; a batch that fails (a restart of the database,
// a failover) is tried again after a wait (internal/backoff).
type rekeyer struct {
	*backoff.Loop
	// complete is set once no client is left to key anew.
	complete atomic.Bool
}

func startRekey(db *DB, step func(context.Context) (int, error)) *rekeyer {
	r := &rekeyer{}
	r.Loop = backoff.Start(step, func(ctx context.Context, total int) error {
		r.complete.Store(true)
		if total == 0 {
			return nil
		}
		_, err := db.pool.Exec(ctx, "ANALYZE clients") // the planner's statistics of the terms are new
		return err
	})
	return r
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
		return rekeyClients(ctx, tx, stale)
	})
	return n, err
}

// rekeyClients writes the clients' new keys, in three statements. Two
// clients that the new keys find to hold the same data both stay: the one
// keyed later gets a duplicate key of its own (its id appended), so new
// clients are refused as duplicates of the other. Only live clients'
// keys are unique (migration 0010), and only their index (clients_dedup)
// serves the lookup: without deleted_at IS NULL each batch scanned the
// table, 2 minutes a batch at 370,000 clients.
func rekeyClients(ctx context.Context, tx pgx.Tx, stale []staleClient) error {
	var ids, merchants []int64
	var modes, emails, phones, texts, dedups []string
	seen := map[string]bool{}
	for _, c := range stale {
		k := c.fields.MatchKeys(c.scope.Region)
		tenantKey := strconv.FormatInt(c.scope.MerchantID, 10) + string(c.scope.Mode) + k.Dedup
		if seen[tenantKey] { // the same data twice in this batch
			k.Dedup += ":" + strconv.FormatInt(c.id, 10)
		}
		seen[tenantKey] = true
		ids, merchants, modes = append(ids, c.id), append(merchants, c.scope.MerchantID), append(modes, string(c.scope.Mode))
		emails, phones, texts, dedups = append(emails, k.EmailFolded), append(phones, k.PhoneDigits), append(texts, k.SearchText), append(dedups, k.Dedup)
	}
	rows, err := tx.Query(ctx, `SELECT v.i FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) WITH ORDINALITY AS v(id, m, mode, dedup, i)
		WHERE EXISTS (SELECT 1 FROM clients c WHERE c.merchant_id = v.m AND c.mode = v.mode AND c.dedup = v.dedup AND c.id <> v.id
			AND c.deleted_at IS NULL)`,
		ids, merchants, modes, dedups)
	if err != nil {
		return mapError(err)
	}
	taken, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return mapError(err)
	}
	for _, i := range taken {
		dedups[i-1] += ":" + strconv.FormatInt(ids[i-1], 10)
	}
	_, err = tx.Exec(ctx, `UPDATE clients c SET email_folded = v.email, phone_digits = v.phone, search_text = v.text, dedup = v.dedup,
			search_version = $6, terms = search_terms(c.merchant_id, c.mode, v.text)
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) AS v(id, email, phone, text, dedup)
		WHERE c.id = v.id`, ids, emails, phones, texts, dedups, fatora.SearchVersion)
	return mapError(err)
}
