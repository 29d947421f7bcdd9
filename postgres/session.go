package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

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
	return s.db.inBatch(ctx, func(tx pgx.Tx) error { return insertSession(ctx, tx, sess) })
}

func insertSession(ctx context.Context, tx execer, s fatora.Session) error {
	if !storable(s.KeyID, s.Lang, s.UserAgent) {
		return unstorable("A session's key id, language and user agent")
	}
	var keyID *string
	if s.KeyID != "" {
		keyID = &s.KeyID
	}
	_, err := tx.Exec(ctx, `INSERT INTO dashboard_sessions (token_hash, merchant_id, mode, api_key_id,
		created_at, last_seen_at, lang, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		s.TokenHash, s.MerchantID, string(s.Mode), keyID, s.CreatedAt, s.LastSeenAt, s.Lang, s.UserAgent)
	return mapError(err)
}

// FindSession implements fatora.SessionService.
func (s *SessionService) FindSession(ctx context.Context, tokenHash []byte) (fatora.SessionCredential, error) {
	var c fatora.SessionCredential
	var mode string
	var keyID, prefix *string
	var keyCreated, revoked *time.Time
	err := s.db.pool.QueryRow(ctx, `SELECT s.merchant_id, s.mode, s.api_key_id, s.created_at, s.last_seen_at, s.lang, s.user_agent,
			m.number, m.name, m.email, m.disabled, m.region, m.created_at, k.prefix, k.created_at, k.revoked_at
		FROM dashboard_sessions s JOIN merchants m ON m.id = s.merchant_id
			LEFT JOIN api_keys k ON k.id = s.api_key_id
		WHERE s.token_hash = $1`, tokenHash).Scan(&c.Session.MerchantID, &mode, &keyID, &c.Session.CreatedAt,
		&c.Session.LastSeenAt, &c.Session.Lang, &c.Session.UserAgent, &c.Merchant.Number, &c.Merchant.Name, &c.Merchant.Email,
		&c.Merchant.Disabled, &c.Merchant.Region, &c.Merchant.CreatedAt, &prefix, &keyCreated, &revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, fatora.SessionEnded()
	}
	if err != nil {
		return c, mapError(err)
	}
	c.Session.TokenHash, c.Session.Mode = tokenHash, fatora.Mode(mode)
	c.Session.CreatedAt, c.Session.LastSeenAt = c.Session.CreatedAt.UTC(), c.Session.LastSeenAt.UTC()
	c.Merchant.ID, c.Merchant.CreatedAt = c.Session.MerchantID, c.Merchant.CreatedAt.UTC()
	if keyID != nil {
		c.Session.KeyID = *keyID
		c.Key = fatora.APIKey{ID: *keyID, MerchantID: c.Session.MerchantID, Mode: c.Session.Mode, Prefix: *prefix,
			CreatedAt: keyCreated.UTC()}
		if revoked != nil {
			c.Key.RevokedAt = revoked.UTC()
		}
	}
	return c, nil
}

// TouchSession implements fatora.SessionService.
func (s *SessionService) TouchSession(ctx context.Context, tokenHash []byte, seen time.Time, lang string) error {
	return s.db.inBatch(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE dashboard_sessions SET last_seen_at = greatest(last_seen_at, $1),
			lang = CASE WHEN $2 = '' THEN lang ELSE $2 END WHERE token_hash = $3`, seen, lang, tokenHash)
		if err != nil {
			return mapError(err)
		}
		if tag.RowsAffected() == 0 {
			return fatora.SessionEnded()
		}
		return nil
	})
}

// DeleteSession implements fatora.SessionService.
func (s *SessionService) DeleteSession(ctx context.Context, tokenHash []byte) error {
	return s.db.inBatch(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "DELETE FROM dashboard_sessions WHERE token_hash = $1", tokenHash)
		return mapError(err)
	})
}

// CreateSignInLink implements fatora.SessionService.
func (s *SessionService) CreateSignInLink(ctx context.Context, l fatora.SignInLink) error {
	return s.db.inBatch(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO dashboard_links (token_hash, merchant_id, mode, expires_at)
			VALUES ($1, $2, $3, $4)`, l.TokenHash, l.MerchantID, string(l.Mode), l.ExpiresAt)
		return mapError(err)
	})
}

// RedeemSignInLink implements fatora.SessionService.
func (s *SessionService) RedeemSignInLink(ctx context.Context, tokenHash []byte, sess *fatora.Session) error {
	return s.db.inBatch(ctx, func(tx pgx.Tx) error {
		var mode string
		err := tx.QueryRow(ctx, `DELETE FROM dashboard_links WHERE token_hash = $1 AND expires_at > $2
			RETURNING merchant_id, mode`, tokenHash, sess.CreatedAt).Scan(&sess.MerchantID, &mode)
		if errors.Is(err, pgx.ErrNoRows) {
			return fatora.SignInLinkNotFound()
		}
		if err != nil {
			return mapError(err)
		}
		sess.Mode = fatora.Mode(mode)
		return insertSession(ctx, tx, *sess)
	})
}

// PurgeSessions implements fatora.SessionService.
func (s *SessionService) PurgeSessions(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := s.db.inBatch(ctx, func(tx pgx.Tx) error {
		sessions, err := tx.Exec(ctx, "DELETE FROM dashboard_sessions WHERE last_seen_at < $1 OR created_at < $2",
			now.Add(-fatora.SessionIdleTimeout), now.Add(-fatora.SessionMaxAge))
		if err != nil {
			return mapError(err)
		}
		links, err := tx.Exec(ctx, "DELETE FROM dashboard_links WHERE expires_at <= $1", now)
		if err != nil {
			return mapError(err)
		}
		n = sessions.RowsAffected() + links.RowsAffected()
		return nil
	})
	return n, err
}
