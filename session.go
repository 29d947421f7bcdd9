package fatora

import (
	"context"
	"time"
)

// Dashboard session limits: a session ends after SessionIdleTimeout without
// a request, and SessionMaxAge after it began whatever its use. A sign-in
// link (fatora dashboard link) is good once, for SignInLinkTTL.
const (
	SessionIdleTimeout = 12 * time.Hour
	SessionMaxAge      = 7 * 24 * time.Hour
	SignInLinkTTL      = 15 * time.Minute
	// SessionTouchEvery is how stale a session's LastSeenAt may get before
	// a request writes it anew: a page view is not a write each time.
	SessionTouchEvery = 5 * time.Minute
)

// Session is a merchant's signed-in browser on the dashboard: one merchant
// in one mode. Its token lives in the browser's cookie only; the store
// keeps the token's SHA-256.
type Session struct {
	// TokenHash is the SHA-256 of the session's token.
	TokenHash  []byte
	MerchantID int64
	Mode       Mode
	// KeyID names the API key the merchant signed in with; "" for a
	// session begun from a sign-in link. Revoking that key ends the session.
	KeyID      string
	CreatedAt  time.Time
	LastSeenAt time.Time
	// Lang is the language the merchant chose for the dashboard ("en",
	// "ar"); "" follows the browser's.
	Lang      string
	UserAgent string
}

// Scope returns the tenant the session acts for.
func (s Session) Scope() Scope { return Scope{MerchantID: s.MerchantID, Mode: s.Mode} }

// Scope returns the tenant the session acts for, with its merchant's
// region.
func (c SessionCredential) Scope() Scope {
	s := c.Session.Scope()
	s.Region = c.Merchant.Region
	return s
}

// Expired reports whether the session has ended at now: idle for longer
// than SessionIdleTimeout or older than SessionMaxAge.
func (s Session) Expired(now time.Time) bool {
	return now.Sub(s.LastSeenAt) > SessionIdleTimeout || now.Sub(s.CreatedAt) > SessionMaxAge
}

// NeedsTouch reports whether a request at now should write down that the
// session was seen (see SessionTouchEvery).
func (s Session) NeedsTouch(now time.Time) bool { return now.Sub(s.LastSeenAt) >= SessionTouchEvery }

// SessionCredential is a session with what it acts as: its merchant and,
// for a session begun with an API key, that key.
type SessionCredential struct {
	Session  Session
	Merchant Merchant
	// Key is the session's API key; zero for a sign-in link's session.
	Key APIKey
}

// Check returns an error when the session may not be used at now: it has
// expired (unauthorized), its key is revoked (key_revoked) or its merchant
// disabled (merchant_disabled).
func (c SessionCredential) Check(now time.Time) error {
	if c.Session.Expired(now) {
		return SessionEnded()
	}
	if c.Session.KeyID != "" && c.Key.RevokedBy(now) {
		return Errorf(CodeKeyRevoked, "The API key this session began with has been revoked.")
	}
	if c.Merchant.Disabled {
		return Errorf(CodeMerchantDisabled, "This merchant account is disabled.")
	}
	return nil
}

// SessionEnded is the error for a session token no live session has.
func SessionEnded() *Error {
	return Errorf(CodeUnauthorized, "The session has ended; sign in again.")
}

// SignInLink is a one-time link that begins a session for a merchant and
// mode without an API key (fatora dashboard link).
type SignInLink struct {
	// TokenHash is the SHA-256 of the link's token.
	TokenHash  []byte
	MerchantID int64
	Mode       Mode
	ExpiresAt  time.Time
}

// SessionService keeps dashboard sessions and sign-in links. It is not
// scoped to a merchant: a session is what finds the merchant.
type SessionService interface {
	// CreateSession stores a new session.
	CreateSession(ctx context.Context, s Session) error
	// FindSession returns the session whose token hash is given, with its
	// merchant and key, whatever their state (see SessionCredential.Check).
	// Errors: not_found.
	FindSession(ctx context.Context, tokenHash []byte) (SessionCredential, error)
	// TouchSession sets when the session was last seen, and its language
	// when lang is not "". Errors: not_found.
	TouchSession(ctx context.Context, tokenHash []byte, seen time.Time, lang string) error
	// DeleteSession ends a session; ending one that is gone is no error.
	DeleteSession(ctx context.Context, tokenHash []byte) error
	// CreateSignInLink stores a new sign-in link.
	CreateSignInLink(ctx context.Context, l SignInLink) error
	// RedeemSignInLink deletes the link whose token hash is given and, if
	// it had not expired at s.CreatedAt, stores the session s for the
	// link's merchant and mode (filled in), in one transaction: a link
	// begins one session at most. Errors: not_found (no such link, used
	// or expired).
	RedeemSignInLink(ctx context.Context, tokenHash []byte, s *Session) error
	// PurgeSessions deletes the sessions and links that have ended by now,
	// and says how many.
	PurgeSessions(ctx context.Context, now time.Time) (int64, error)
}

// SignInLinkNotFound is the error for a sign-in link token no unused,
// unexpired link has.
func SignInLinkNotFound() *Error {
	return Errorf(CodeNotFound, "This sign-in link has been used or has expired; ask for a new one.")
}
