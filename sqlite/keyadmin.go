package sqlite

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/fatora-oss/fatora"
)

// ListMerchants implements fatora.MerchantService.
func (s *MerchantService) ListMerchants(ctx context.Context) ([]fatora.Merchant, error) {
	r, leave, err := s.db.readTurn(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	rows, err := r.QueryContext(ctx, "SELECT "+merchantColumns+" FROM merchants m ORDER BY m.id")
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []fatora.Merchant
	for rows.Next() {
		var m fatora.Merchant
		var created int64
		if err := rows.Scan(&m.ID, &m.Number, &m.Name, &m.Email, &m.Disabled, &m.Region, &created); err != nil {
			return nil, mapError(err)
		}
		m.CreatedAt = time.UnixMicro(created).UTC()
		out = append(out, m)
	}
	return out, mapError(rows.Err())
}

// ListAPIKeys implements fatora.MerchantService.
func (s *MerchantService) ListAPIKeys(ctx context.Context) ([]fatora.APIKey, error) {
	return s.findKeys(ctx, "ORDER BY k.merchant_id, k.created_at, k.id")
}

// findKeys reads the keys that the rest of the query (after FROM api_keys
// k) selects.
func (s *MerchantService) findKeys(ctx context.Context, rest string, args ...any) ([]fatora.APIKey, error) {
	r, leave, err := s.db.readTurn(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	rows, err := r.QueryContext(ctx, "SELECT "+keyColumns+" FROM api_keys k "+rest, args...)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var keys []fatora.APIKey
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, mapError(err)
		}
		keys = append(keys, k)
	}
	return keys, mapError(rows.Err())
}

// RecordKeyUse implements fatora.MerchantService, in one write batch.
func (s *MerchantService) RecordKeyUse(ctx context.Context, lastUsed map[string]time.Time) error {
	if len(lastUsed) == 0 {
		return nil
	}
	ids := slices.Sorted(maps.Keys(lastUsed))
	return s.db.inBatch(ctx, func(tx runner) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE api_keys SET last_used_at = max(coalesce(last_used_at, 0), ?)
				WHERE id = ?`, lastUsed[id].UnixMicro(), id); err != nil {
				return mapError(err)
			}
		}
		return nil
	})
}

// ScheduleKeyRevocation implements fatora.MerchantService.
func (s *MerchantService) ScheduleKeyRevocation(ctx context.Context, merchantID int64, keyID string, at time.Time) error {
	return s.db.inBatch(ctx, func(tx runner) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_keys SET revoked_at = min(coalesce(revoked_at, ?1), ?1)
			WHERE merchant_id = ?2 AND id = ?3`, at.UTC().Truncate(time.Microsecond).UnixMicro(), merchantID, keyID)
		return mustAffect(res, err, fatora.MerchantKeyNotFound())
	})
}
