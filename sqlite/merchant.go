package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/fatora-oss/fatora"
)

// MerchantService implements fatora.MerchantService on the store.
type MerchantService struct {
	db *DB
}

// NewMerchantService returns the merchant service of db.
func NewMerchantService(db *DB) *MerchantService { return &MerchantService{db: db} }

var _ fatora.MerchantService = (*MerchantService)(nil)

// CreateMerchant implements fatora.MerchantService.
func (s *MerchantService) CreateMerchant(ctx context.Context, m *fatora.Merchant, keys []*fatora.APIKey) error {
	if err := m.Validate(); err != nil {
		return err
	}
	m.CreatedAt = s.db.now()
	return s.db.inBatch(ctx, func(tx runner) error {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO merchants (number, name, email, email_folded, region, created_at)
			VALUES ('pending:' || hex(randomblob(16)), ?, ?, ?, ?, ?) RETURNING id`,
			m.Name, m.Email, fatora.FoldEmail(m.Email), m.Region, m.CreatedAt.UnixMicro()).Scan(&id)
		if isUnique(err) {
			return fatora.MerchantEmailTaken(m.Email)
		}
		if err != nil {
			return mapError(err)
		}
		m.SetID(id, keys)
		if _, err := tx.ExecContext(ctx, "UPDATE merchants SET number = ? WHERE id = ?", m.Number, m.ID); err != nil {
			return mapError(err)
		}
		for _, k := range keys {
			if err := insertKey(ctx, tx, k, m.CreatedAt); err != nil {
				return err
			}
		}
		return nil
	})
}

func insertKey(ctx context.Context, tx runner, k *fatora.APIKey, now time.Time) error {
	if err := k.Validate(); err != nil {
		return err
	}
	k.CreatedAt = now
	_, err := tx.ExecContext(ctx, `INSERT INTO api_keys (merchant_id, id, mode, prefix, hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, k.MerchantID, k.ID, k.Mode, k.Prefix, k.Hash, now.UnixMicro())
	if isUnique(err) {
		return fatora.APIKeyTaken()
	}
	return mapError(err)
}

const merchantColumns = "m.id, m.number, m.name, m.email, m.disabled, m.region, m.created_at"

// FindMerchantByNumber implements fatora.MerchantService.
func (s *MerchantService) FindMerchantByNumber(ctx context.Context, number string) (fatora.Merchant, error) {
	var m fatora.Merchant
	r, leave, err := s.db.readTurn(ctx)
	if err != nil {
		return m, err
	}
	defer leave()
	var created int64
	err = r.QueryRowContext(ctx, "SELECT "+merchantColumns+" FROM merchants m WHERE m.number = ?", number).
		Scan(&m.ID, &m.Number, &m.Name, &m.Email, &m.Disabled, &m.Region, &created)
	m.CreatedAt = time.UnixMicro(created).UTC()
	if err == sql.ErrNoRows {
		return m, fatora.MerchantNumberNotFound(number)
	}
	return m, mapError(err)
}

// SetMerchantDisabled implements fatora.MerchantService.
func (s *MerchantService) SetMerchantDisabled(ctx context.Context, merchantID int64, disabled bool) error {
	return s.db.inBatch(ctx, func(tx runner) error {
		res, err := tx.ExecContext(ctx, "UPDATE merchants SET disabled = ? WHERE id = ?", disabled, merchantID)
		return mustAffect(res, err, fatora.MerchantNotFound())
	})
}

// SetMerchantRegion implements fatora.MerchantService.
func (s *MerchantService) SetMerchantRegion(ctx context.Context, merchantID int64, region string) error {
	region, err := fatora.ParseRegion(region)
	if err != nil {
		return err
	}
	return s.db.inBatch(ctx, func(tx runner) error {
		res, err := tx.ExecContext(ctx, "UPDATE merchants SET region = ? WHERE id = ?", region, merchantID)
		return mustAffect(res, err, fatora.MerchantNotFound())
	})
}

// CreateAPIKey implements fatora.MerchantService.
func (s *MerchantService) CreateAPIKey(ctx context.Context, k *fatora.APIKey) error {
	return s.db.inBatch(ctx, func(tx runner) error { return insertKey(ctx, tx, k, s.db.now()) })
}

// RevokeAPIKey implements fatora.MerchantService: a revocation scheduled
// for later is brought forward to now.
func (s *MerchantService) RevokeAPIKey(ctx context.Context, merchantID int64, keyID string) error {
	return s.ScheduleKeyRevocation(ctx, merchantID, keyID, s.db.now())
}

// mustAffect maps the result of a statement that must change one row.
func mustAffect(res sql.Result, err error, notFound error) error {
	if err != nil {
		return mapError(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errorsOr(mapError(err), notFound)
	}
	return nil
}

const keyColumns = "k.id, k.merchant_id, k.mode, k.prefix, k.hash, k.created_at, k.revoked_at, k.last_used_at"

// FindAPIKeys implements fatora.MerchantService.
func (s *MerchantService) FindAPIKeys(ctx context.Context, merchantID int64) ([]fatora.APIKey, error) {
	return s.findKeys(ctx, "WHERE k.merchant_id = ? ORDER BY k.created_at, k.id", merchantID)
}

func scanKey(r scanner, more ...any) (fatora.APIKey, error) {
	var k fatora.APIKey
	var created int64
	var revoked, used sql.NullInt64
	err := r.Scan(append([]any{&k.ID, &k.MerchantID, &k.Mode, &k.Prefix, &k.Hash, &created, &revoked, &used}, more...)...)
	k.CreatedAt = time.UnixMicro(created).UTC()
	if revoked.Valid {
		k.RevokedAt = time.UnixMicro(revoked.Int64).UTC()
	}
	if used.Valid {
		k.LastUsedAt = time.UnixMicro(used.Int64).UTC()
	}
	return k, err
}

// FindCredentialByHash implements fatora.MerchantService.
func (s *MerchantService) FindCredentialByHash(ctx context.Context, hash []byte) (fatora.Credential, error) {
	return s.findCredential(ctx, "k.hash = ?", hash)
}

// FindCredentialByKeyID implements fatora.MerchantService.
func (s *MerchantService) FindCredentialByKeyID(ctx context.Context, keyID string) (fatora.Credential, error) {
	return s.findCredential(ctx, "k.id = ?", keyID)
}

func (s *MerchantService) findCredential(ctx context.Context, cond string, arg any) (fatora.Credential, error) {
	var c fatora.Credential
	r, leave, err := s.db.readTurn(ctx)
	if err != nil {
		return c, err
	}
	defer leave()
	var created int64
	row := r.QueryRowContext(ctx, "SELECT "+keyColumns+", "+merchantColumns+
		" FROM api_keys k JOIN merchants m ON m.id = k.merchant_id WHERE "+cond, arg)
	k, err := scanKey(row, &c.Merchant.ID, &c.Merchant.Number, &c.Merchant.Name, &c.Merchant.Email, &c.Merchant.Disabled, &c.Merchant.Region, &created)
	c.Key, c.Merchant.CreatedAt = k, time.UnixMicro(created).UTC()
	if err == sql.ErrNoRows {
		return c, fatora.CredentialNotFound()
	}
	return c, mapError(err)
}

// SigningSecret implements fatora.MerchantService. The first caller stores
// its secret; every later caller, on any server, reads that one.
func (s *MerchantService) SigningSecret(ctx context.Context, newSecret func() (fatora.SigningSecret, error)) (fatora.SigningSecret, error) {
	fresh, err := newSecret()
	if err != nil {
		return fatora.SigningSecret{}, err
	}
	var out fatora.SigningSecret
	err = s.db.inBatch(ctx, func(tx runner) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO signing_secrets (slot, id, secret, created_at) VALUES (1, ?, ?, ?)
			ON CONFLICT (slot) DO NOTHING`, fresh.ID, fresh.Secret, s.db.now().UnixMicro()); err != nil {
			return mapError(err)
		}
		return mapError(tx.QueryRowContext(ctx, "SELECT id, secret FROM signing_secrets WHERE slot = 1").Scan(&out.ID, &out.Secret))
	})
	return out, err
}
