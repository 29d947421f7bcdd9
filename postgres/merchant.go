package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/fatora-oss/fatora"
)

// MerchantService implements fatora.MerchantService on the store.
type MerchantService struct {
	db *DB
}

// NewMerchantService returns the merchant service of db.
func NewMerchantService(db *DB) *MerchantService { return &MerchantService{db: db} }

var _ fatora.MerchantService = (*MerchantService)(nil)

// CreateMerchant implements fatora.MerchantService. The id is drawn from
// the identity's sequence first, so the row is written once with its number.
func (s *MerchantService) CreateMerchant(ctx context.Context, m *fatora.Merchant, keys []*fatora.APIKey) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if !storable(m.Name, m.Email) {
		return unstorable("A merchant's name and e-mail")
	}
	m.CreatedAt = s.db.now()
	return s.db.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, "SELECT nextval(pg_get_serial_sequence('merchants', 'id'))").Scan(&id)
		if err != nil {
			return mapError(err)
		}
		m.SetID(id, keys)
		_, err = tx.Exec(ctx, `INSERT INTO merchants (id, number, name, email, email_folded, region, created_at)
			OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			m.ID, m.Number, m.Name, m.Email, fatora.FoldEmail(m.Email), m.Region, m.CreatedAt)
		if isUnique(err) {
			return fatora.MerchantEmailTaken(m.Email)
		}
		if err != nil {
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

// execer is what a pool and a transaction have in common for statements.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func insertKey(ctx context.Context, db execer, k *fatora.APIKey, now time.Time) error {
	if err := k.Validate(); err != nil {
		return err
	}
	k.CreatedAt = now
	_, err := db.Exec(ctx, `INSERT INTO api_keys (merchant_id, id, mode, prefix, hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, k.MerchantID, k.ID, string(k.Mode), k.Prefix, k.Hash, now)
	if isUnique(err) {
		return fatora.APIKeyTaken()
	}
	return mapError(err)
}

const merchantColumns = "m.id, m.number, m.name, m.email, m.disabled, m.region, m.created_at"

// FindMerchantByNumber implements fatora.MerchantService.
func (s *MerchantService) FindMerchantByNumber(ctx context.Context, number string) (fatora.Merchant, error) {
	var m fatora.Merchant
	if !storable(number) {
		return m, fatora.MerchantNumberNotFound(number)
	}
	err := s.db.pool.QueryRow(ctx, "SELECT "+merchantColumns+" FROM merchants m WHERE m.number = $1", number).
		Scan(&m.ID, &m.Number, &m.Name, &m.Email, &m.Disabled, &m.Region, &m.CreatedAt)
	m.CreatedAt = m.CreatedAt.UTC()
	if errors.Is(err, pgx.ErrNoRows) {
		return m, fatora.MerchantNumberNotFound(number)
	}
	return m, mapError(err)
}

// SetMerchantDisabled implements fatora.MerchantService.
func (s *MerchantService) SetMerchantDisabled(ctx context.Context, merchantID int64, disabled bool) error {
	tag, err := s.db.pool.Exec(ctx, "UPDATE merchants SET disabled = $1 WHERE id = $2", disabled, merchantID)
	return mustAffect(tag, err, fatora.MerchantNotFound())
}

// SetMerchantRegion implements fatora.MerchantService.
func (s *MerchantService) SetMerchantRegion(ctx context.Context, merchantID int64, region string) error {
	region, err := fatora.ParseRegion(region)
	if err != nil {
		return err
	}
	tag, err := s.db.pool.Exec(ctx, "UPDATE merchants SET region = $1 WHERE id = $2", region, merchantID)
	return mustAffect(tag, err, fatora.MerchantNotFound())
}

// CreateAPIKey implements fatora.MerchantService.
func (s *MerchantService) CreateAPIKey(ctx context.Context, k *fatora.APIKey) error {
	return insertKey(ctx, s.db.pool, k, s.db.now())
}

// RevokeAPIKey implements fatora.MerchantService: a revocation scheduled
// for later is brought forward to now.
func (s *MerchantService) RevokeAPIKey(ctx context.Context, merchantID int64, keyID string) error {
	return s.ScheduleKeyRevocation(ctx, merchantID, keyID, s.db.now())
}

// mustAffect maps the result of a statement that must change one row.
func mustAffect(tag pgconn.CommandTag, err error, notFound error) error {
	if err != nil {
		return mapError(err)
	}
	if tag.RowsAffected() == 0 {
		return notFound
	}
	return nil
}

const keyColumns = "k.id, k.merchant_id, k.mode, k.prefix, k.hash, k.created_at, k.revoked_at, k.last_used_at"

// FindAPIKeys implements fatora.MerchantService. It returns nil when the
// merchant has no keys.
func (s *MerchantService) FindAPIKeys(ctx context.Context, merchantID int64) ([]fatora.APIKey, error) {
	return s.findKeys(ctx, "WHERE k.merchant_id = $1 ORDER BY k.created_at, k.id", merchantID)
}

// scanKey scans the key columns, then the columns of more.
func scanKey(r pgx.Row, more ...any) (fatora.APIKey, error) {
	var k fatora.APIKey
	var mode string
	var revoked, used *time.Time
	err := r.Scan(append([]any{&k.ID, &k.MerchantID, &mode, &k.Prefix, &k.Hash, &k.CreatedAt, &revoked, &used}, more...)...)
	k.Mode, k.CreatedAt = fatora.Mode(mode), k.CreatedAt.UTC()
	if revoked != nil {
		k.RevokedAt = revoked.UTC()
	}
	if used != nil {
		k.LastUsedAt = used.UTC()
	}
	return k, err
}

// FindCredentialByHash implements fatora.MerchantService.
func (s *MerchantService) FindCredentialByHash(ctx context.Context, hash []byte) (fatora.Credential, error) {
	return s.findCredential(ctx, "k.hash = $1", hash)
}

// FindCredentialByKeyID implements fatora.MerchantService.
func (s *MerchantService) FindCredentialByKeyID(ctx context.Context, keyID string) (fatora.Credential, error) {
	if !storable(keyID) {
		return fatora.Credential{}, fatora.CredentialNotFound()
	}
	return s.findCredential(ctx, "k.id = $1", keyID)
}

func (s *MerchantService) findCredential(ctx context.Context, cond string, arg any) (fatora.Credential, error) {
	var c fatora.Credential
	row := s.db.pool.QueryRow(ctx, "SELECT "+keyColumns+", "+merchantColumns+
		" FROM api_keys k JOIN merchants m ON m.id = k.merchant_id WHERE "+cond, arg)
	k, err := scanKey(row, &c.Merchant.ID, &c.Merchant.Number, &c.Merchant.Name, &c.Merchant.Email,
		&c.Merchant.Disabled, &c.Merchant.Region, &c.Merchant.CreatedAt)
	c.Key, c.Merchant.CreatedAt = k, c.Merchant.CreatedAt.UTC()
	if errors.Is(err, pgx.ErrNoRows) {
		return c, fatora.CredentialNotFound()
	}
	return c, mapError(err)
}

// SigningSecret implements fatora.MerchantService. The first caller stores
// its secret; every later caller, on any server, reads that one. The read
// is a second statement, so under READ COMMITTED it sees a secret another
// server committed while the insert waited on it.
func (s *MerchantService) SigningSecret(ctx context.Context, newSecret func() (fatora.SigningSecret, error)) (fatora.SigningSecret, error) {
	fresh, err := newSecret()
	if err != nil {
		return fatora.SigningSecret{}, err
	}
	if !storable(fresh.ID) {
		return fatora.SigningSecret{}, unstorable("A signing secret's id")
	}
	_, err = s.db.pool.Exec(ctx, `INSERT INTO signing_secrets (slot, id, secret, created_at) VALUES (1, $1, $2, $3)
		ON CONFLICT (slot) DO NOTHING`, fresh.ID, fresh.Secret, s.db.now())
	if err != nil {
		return fatora.SigningSecret{}, mapError(err)
	}
	var out fatora.SigningSecret
	err = s.db.pool.QueryRow(ctx, "SELECT id, secret FROM signing_secrets WHERE slot = 1").Scan(&out.ID, &out.Secret)
	return out, mapError(err)
}
