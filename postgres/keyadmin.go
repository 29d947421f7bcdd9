package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
)

// ListMerchants implements fatora.MerchantService.
func (s *MerchantService) ListMerchants(ctx context.Context) ([]fatora.Merchant, error) {
	rows, err := s.db.pool.Query(ctx, "SELECT "+merchantColumns+" FROM merchants m ORDER BY m.id")
	if err != nil {
		return nil, mapError(err)
	}
	out, err := pgx.AppendRows([]fatora.Merchant(nil), rows, func(r pgx.CollectableRow) (fatora.Merchant, error) {
		var m fatora.Merchant
		err := r.Scan(&m.ID, &m.Number, &m.Name, &m.Email, &m.Disabled, &m.Region, &m.CreatedAt)
		m.CreatedAt = m.CreatedAt.UTC()
		return m, err
	})
	return out, mapError(err)
}

// ListAPIKeys implements fatora.MerchantService.
func (s *MerchantService) ListAPIKeys(ctx context.Context) ([]fatora.APIKey, error) {
	return s.findKeys(ctx, "ORDER BY k.merchant_id, k.created_at, k.id")
}

// findKeys reads the keys that the rest of the query (after FROM api_keys
// k) selects.
func (s *MerchantService) findKeys(ctx context.Context, rest string, args ...any) ([]fatora.APIKey, error) {
	rows, err := s.db.pool.Query(ctx, "SELECT "+keyColumns+" FROM api_keys k "+rest, args...)
	if err != nil {
		return nil, mapError(err)
	}
	keys, err := pgx.AppendRows([]fatora.APIKey(nil), rows, func(r pgx.CollectableRow) (fatora.APIKey, error) { return scanKey(r) })
	return keys, mapError(err)
}

// RecordKeyUse implements fatora.MerchantService in one statement.
func (s *MerchantService) RecordKeyUse(ctx context.Context, lastUsed map[string]time.Time) error {
	if len(lastUsed) == 0 {
		return nil
	}
	ids := make([]string, 0, len(lastUsed))
	times := make([]time.Time, 0, len(lastUsed))
	for id, t := range lastUsed {
		if storable(id) {
			ids, times = append(ids, id), append(times, t)
		}
	}
	_, err := s.db.pool.Exec(ctx, `UPDATE api_keys k SET last_used_at = greatest(k.last_used_at, u.at)
		FROM unnest($1::text[], $2::timestamptz[]) AS u (id, at) WHERE k.id = u.id`, ids, times)
	return mapError(err)
}

// ScheduleKeyRevocation implements fatora.MerchantService.
func (s *MerchantService) ScheduleKeyRevocation(ctx context.Context, merchantID int64, keyID string, at time.Time) error {
	if !storable(keyID) {
		return fatora.MerchantKeyNotFound()
	}
	tag, err := s.db.pool.Exec(ctx, `UPDATE api_keys SET revoked_at = least(revoked_at, $1)
		WHERE merchant_id = $2 AND id = $3`, at.UTC().Truncate(time.Microsecond), merchantID, keyID)
	return mustAffect(tag, err, fatora.MerchantKeyNotFound())
}
