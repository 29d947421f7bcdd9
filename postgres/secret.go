package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
)

// RotateSigningSecret implements fatora.MerchantService. The row lock of
// the current secret orders two rotations at once: the second retires the
// first's secret.
func (s *MerchantService) RotateSigningSecret(ctx context.Context, fresh fatora.SigningSecret) error {
	if !storable(fresh.ID) {
		return unstorable("A signing secret's id")
	}
	now := s.db.now()
	return s.db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO previous_signing_secrets (id, secret, created_at, retired_at)
			SELECT id, secret, created_at, $1 FROM signing_secrets WHERE slot = 1 FOR UPDATE`, now); err != nil {
			return mapError(err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO signing_secrets (slot, id, secret, created_at) VALUES (1, $1, $2, $3)
			ON CONFLICT (slot) DO UPDATE SET id = excluded.id, secret = excluded.secret, created_at = excluded.created_at`,
			fresh.ID, fresh.Secret, now)
		return mapError(err)
	})
}

// PreviousSigningSecrets implements fatora.MerchantService.
func (s *MerchantService) PreviousSigningSecrets(ctx context.Context) ([]fatora.SigningSecret, error) {
	rows, err := s.db.pool.Query(ctx, "SELECT id, secret FROM previous_signing_secrets ORDER BY retired_at DESC, id")
	if err != nil {
		return nil, mapError(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (fatora.SigningSecret, error) {
		var sec fatora.SigningSecret
		err := row.Scan(&sec.ID, &sec.Secret)
		return sec, err
	})
	return out, mapError(err)
}

// RevokePreviousSigningSecrets implements fatora.MerchantService.
func (s *MerchantService) RevokePreviousSigningSecrets(ctx context.Context) (int, error) {
	tag, err := s.db.pool.Exec(ctx, "DELETE FROM previous_signing_secrets")
	return int(tag.RowsAffected()), mapError(err)
}
