package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/fatora-oss/fatora"
)

// SessionService implements fatora.SessionService on the store.
type SessionService struct {
	db *DB
}

// NewSessionService returns the dashboard session service of db.
func NewSessionService(db *DB) *SessionService { return &SessionService{db: db} }

var _ fatora.SessionService = (*SessionService)(nil)

// CreateSession implements fatora.SessionService.
func (s *SessionService) CreateSession(ctx context.Context, sess fatora.Session) error {
	return s.db.inBatch(ctx, func(tx runner) error { return insertSession(ctx, tx, sess) })
}

func insertSession(ctx context.Context, tx runner, s fatora.Session) error {
	var keyID sql.NullString
	if s.KeyID != "" {
		keyID = sql.NullString{String: s.KeyID, Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO dashboard_sessions (token_hash, merchant_id, mode, api_key_id,
		created_at, last_seen_at, lang, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		s.TokenHash, s.MerchantID, s.Mode, keyID, s.CreatedAt.UnixMicro(), s.LastSeenAt.UnixMicro(), s.Lang, s.UserAgent)
	return mapError(err)
}

// FindSession implements fatora.SessionService.
func (s *SessionService) FindSession(ctx context.Context, tokenHash []byte) (fatora.SessionCredential, error) {
	var c fatora.SessionCredential
	r, leave, err := s.db.readTurn(ctx)
	if err != nil {
		return c, err
	}
	defer leave()
	var keyID sql.NullString
	var created, seen, merchantCreated int64
	var keyCreated, revoked sql.NullInt64
	err = r.QueryRowContext(ctx, `SELECT s.merchant_id, s.mode, s.api_key_id, s.created_at, s.last_seen_at, s.lang, s.user_agent,
			m.number, m.name, m.email, m.disabled, m.region, m.created_at, k.prefix, k.created_at, k.revoked_at
		FROM dashboard_sessions s JOIN merchants m ON m.id = s.merchant_id
			LEFT JOIN api_keys k ON k.id = s.api_key_id
		WHERE s.token_hash = ?`, tokenHash).Scan(&c.Session.MerchantID, &c.Session.Mode, &keyID, &created, &seen,
		&c.Session.Lang, &c.Session.UserAgent, &c.Merchant.Number, &c.Merchant.Name, &c.Merchant.Email, &c.Merchant.Disabled, &c.Merchant.Region,
		&merchantCreated, nullString{&c.Key.Prefix}, &keyCreated, &revoked)
	if err == sql.ErrNoRows {
		return c, fatora.SessionEnded()
	}
	if err != nil {
		return c, mapError(err)
	}
	c.Session.TokenHash, c.Session.KeyID = tokenHash, keyID.String
	c.Session.CreatedAt, c.Session.LastSeenAt = time.UnixMicro(created).UTC(), time.UnixMicro(seen).UTC()
	c.Merchant.ID, c.Merchant.CreatedAt = c.Session.MerchantID, time.UnixMicro(merchantCreated).UTC()
	if keyID.Valid {
		c.Key.ID, c.Key.MerchantID, c.Key.Mode = keyID.String, c.Session.MerchantID, c.Session.Mode
		c.Key.CreatedAt = time.UnixMicro(keyCreated.Int64).UTC()
		if revoked.Valid {
			c.Key.RevokedAt = time.UnixMicro(revoked.Int64).UTC()
		}
	}
	return c, nil
}

// nullString scans a nullable text column into a string, NULL as "".
type nullString struct{ dst *string }

func (n nullString) Scan(v any) error {
	var s sql.NullString
	err := s.Scan(v)
	*n.dst = s.String
	return err
}

// TouchSession implements fatora.SessionService.
func (s *SessionService) TouchSession(ctx context.Context, tokenHash []byte, seen time.Time, lang string) error {
	return s.db.inBatch(ctx, func(tx runner) error {
		res, err := tx.ExecContext(ctx, `UPDATE dashboard_sessions SET last_seen_at = max(last_seen_at, ?),
			lang = CASE WHEN ? = '' THEN lang ELSE ? END WHERE token_hash = ?`, seen.UnixMicro(), lang, lang, tokenHash)
		return mustAffect(res, err, fatora.SessionEnded())
	})
}

// DeleteSession implements fatora.SessionService.
func (s *SessionService) DeleteSession(ctx context.Context, tokenHash []byte) error {
	return s.db.inBatch(ctx, func(tx runner) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM dashboard_sessions WHERE token_hash = ?", tokenHash)
		return mapError(err)
	})
}

// CreateSignInLink implements fatora.SessionService.
func (s *SessionService) CreateSignInLink(ctx context.Context, l fatora.SignInLink) error {
	return s.db.inBatch(ctx, func(tx runner) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO dashboard_links (token_hash, merchant_id, mode, expires_at)
			VALUES (?, ?, ?, ?)`, l.TokenHash, l.MerchantID, l.Mode, l.ExpiresAt.UnixMicro())
		return mapError(err)
	})
}

// RedeemSignInLink implements fatora.SessionService.
func (s *SessionService) RedeemSignInLink(ctx context.Context, tokenHash []byte, sess *fatora.Session) error {
	return s.db.inBatch(ctx, func(tx runner) error {
		err := tx.QueryRowContext(ctx, `DELETE FROM dashboard_links WHERE token_hash = ? AND expires_at > ?
			RETURNING merchant_id, mode`, tokenHash, sess.CreatedAt.UnixMicro()).Scan(&sess.MerchantID, &sess.Mode)
		if err == sql.ErrNoRows {
			return fatora.SignInLinkNotFound()
		}
		if err != nil {
			return mapError(err)
		}
		return insertSession(ctx, tx, *sess)
	})
}

// PurgeSessions implements fatora.SessionService.
func (s *SessionService) PurgeSessions(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := s.db.inBatch(ctx, func(tx runner) error {
		n = 0
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{"DELETE FROM dashboard_sessions WHERE last_seen_at < ? OR created_at < ?",
				[]any{now.Add(-fatora.SessionIdleTimeout).UnixMicro(), now.Add(-fatora.SessionMaxAge).UnixMicro()}},
			{"DELETE FROM dashboard_links WHERE expires_at <= ?", []any{now.UnixMicro()}},
		} {
			res, err := tx.ExecContext(ctx, q.sql, q.args...)
			if err != nil {
				return mapError(err)
			}
			deleted, _ := res.RowsAffected()
			n += deleted
		}
		return nil
	})
	return n, err
}
