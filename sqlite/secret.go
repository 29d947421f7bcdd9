package sqlite

import (
	"context"

	"github.com/fatora-oss/fatora"
)

// RotateSigningSecret implements fatora.MerchantService.
func (s *MerchantService) RotateSigningSecret(ctx context.Context, fresh fatora.SigningSecret) error {
	now := s.db.now().UnixMicro()
	return s.db.inBatch(ctx, func(tx runner) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO previous_signing_secrets (id, secret, created_at, retired_at)
			SELECT id, secret, created_at, ? FROM signing_secrets WHERE slot = 1`, now); err != nil {
			return mapError(err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO signing_secrets (slot, id, secret, created_at) VALUES (1, ?, ?, ?)
			ON CONFLICT (slot) DO UPDATE SET id = excluded.id, secret = excluded.secret, created_at = excluded.created_at`,
			fresh.ID, fresh.Secret, now)
		return mapError(err)
	})
}

// PreviousSigningSecrets implements fatora.MerchantService.
func (s *MerchantService) PreviousSigningSecrets(ctx context.Context) ([]fatora.SigningSecret, error) {
	r, leave, err := s.db.readTurn(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	rows, err := r.QueryContext(ctx, "SELECT id, secret FROM previous_signing_secrets ORDER BY retired_at DESC, id")
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []fatora.SigningSecret
	for rows.Next() {
		var sec fatora.SigningSecret
		if err := rows.Scan(&sec.ID, &sec.Secret); err != nil {
			return nil, mapError(err)
		}
		out = append(out, sec)
	}
	return out, mapError(rows.Err())
}

// RevokePreviousSigningSecrets implements fatora.MerchantService.
func (s *MerchantService) RevokePreviousSigningSecrets(ctx context.Context) (int, error) {
	var n int64
	err := s.db.inBatch(ctx, func(tx runner) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM previous_signing_secrets")
		if err != nil {
			return mapError(err)
		}
		n, err = res.RowsAffected()
		return mapError(err)
	})
	return int(n), err
}
