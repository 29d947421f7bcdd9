package storetest

import (
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

// hashOf is a token hash for the sessions tests.
func hashOf(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// testSessions holds the dashboard's sessions to their contract: found
// with their merchant and key, touched, ended, and showing at once a
// revoked key or a disabled merchant.
func testSessions(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	ctx := context.Background()
	a := newTenant(t, s, "alpha")
	keys, err := s.Merchants.FindAPIKeys(ctx, a.merchant.ID)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	sess := fatora.Session{TokenHash: hashOf("one"), MerchantID: a.merchant.ID, Mode: keys[0].Mode, KeyID: keys[0].ID,
		CreatedAt: start, LastSeenAt: start, UserAgent: "Chromium ليلى"}
	if err := s.Sessions.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	got, err := s.Sessions.FindSession(ctx, hashOf("one"))
	if err != nil || got.Session.KeyID != keys[0].ID || got.Merchant.Number != a.merchant.Number ||
		got.Key.Prefix != keys[0].Prefix || !got.Session.CreatedAt.Equal(start) || got.Session.UserAgent != sess.UserAgent ||
		got.Session.Scope() != (fatora.Scope{MerchantID: a.merchant.ID, Mode: keys[0].Mode}) || got.Check(start) != nil {
		t.Fatalf("FindSession = %+v, %v; want the session with its merchant and key", got, err)
	}
	if _, err := s.Sessions.FindSession(ctx, hashOf("two")); fatora.ErrorCode(err) != fatora.CodeUnauthorized {
		t.Fatalf("FindSession(unknown) = %v, want unauthorized", err)
	}

	later := start.Add(time.Hour)
	if err := s.Sessions.TouchSession(ctx, hashOf("one"), later, "ar"); err != nil {
		t.Fatal(err)
	}
	if err := s.Sessions.TouchSession(ctx, hashOf("one"), start, ""); err != nil { // late: never moves it back
		t.Fatal(err)
	}
	got, _ = s.Sessions.FindSession(ctx, hashOf("one"))
	if !got.Session.LastSeenAt.Equal(later) || got.Session.Lang != "ar" {
		t.Fatalf("after touches: last seen %v, lang %q; want %v, ar", got.Session.LastSeenAt, got.Session.Lang, later)
	}

	s.SetNow(func() time.Time { return later })
	if err := s.Merchants.RevokeAPIKey(ctx, a.merchant.ID, keys[0].ID); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Sessions.FindSession(ctx, hashOf("one"))
	if code := fatora.ErrorCode(got.Check(later.Add(time.Second))); code != fatora.CodeKeyRevoked {
		t.Fatalf("session of a revoked key: Check = %s, want key_revoked", code)
	}
	if err := s.Sessions.DeleteSession(ctx, hashOf("one")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sessions.FindSession(ctx, hashOf("one")); fatora.ErrorCode(err) != fatora.CodeUnauthorized {
		t.Fatalf("FindSession after DeleteSession = %v, want unauthorized", err)
	}
	if err := s.Sessions.TouchSession(ctx, hashOf("one"), later, ""); fatora.ErrorCode(err) != fatora.CodeUnauthorized {
		t.Fatalf("TouchSession after DeleteSession = %v, want unauthorized", err)
	}
}

// testSignInLinks holds the one-time links to their contract: a link
// begins one session, for its merchant and mode, until it expires; purging
// takes ended sessions and links and nothing else.
func testSignInLinks(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	ctx := context.Background()
	a := newTenant(t, s, "alpha")
	start := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	link := fatora.SignInLink{TokenHash: hashOf("link"), MerchantID: a.merchant.ID, Mode: fatora.ModeLive,
		ExpiresAt: start.Add(fatora.SignInLinkTTL)}
	expired := fatora.SignInLink{TokenHash: hashOf("old"), MerchantID: a.merchant.ID, Mode: fatora.ModeTest, ExpiresAt: start}
	for _, l := range []fatora.SignInLink{link, expired} {
		if err := s.Sessions.CreateSignInLink(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	redeem := func(token string) (fatora.Session, error) {
		sess := fatora.Session{TokenHash: hashOf("session of " + token), CreatedAt: start.Add(time.Minute),
			LastSeenAt: start.Add(time.Minute)}
		return sess, s.Sessions.RedeemSignInLink(ctx, hashOf(token), &sess)
	}
	sess, err := redeem("link")
	if err != nil || sess.MerchantID != a.merchant.ID || sess.Mode != fatora.ModeLive {
		t.Fatalf("RedeemSignInLink = %+v, %v; want a live session of alpha", sess, err)
	}
	if got, err := s.Sessions.FindSession(ctx, sess.TokenHash); err != nil || got.Session.KeyID != "" || got.Check(start) != nil {
		t.Fatalf("the link's session: %+v, %v; want one without a key", got, err)
	}
	for _, token := range []string{"link", "old", "none"} {
		if _, err := redeem(token); fatora.ErrorCode(err) != fatora.CodeNotFound {
			t.Fatalf("RedeemSignInLink(%s) = %v, want not_found (used, expired, unknown)", token, err)
		}
	}
	if err := s.Merchants.SetMerchantDisabled(ctx, a.merchant.ID, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Sessions.FindSession(ctx, sess.TokenHash); fatora.ErrorCode(got.Check(start)) != fatora.CodeMerchantDisabled {
		t.Fatalf("session of a disabled merchant: Check = %v, want merchant_disabled", got.Check(start))
	}

	idle := fatora.Session{TokenHash: hashOf("idle"), MerchantID: a.merchant.ID, Mode: fatora.ModeTest,
		CreatedAt: start.Add(-fatora.SessionIdleTimeout - time.Minute), LastSeenAt: start.Add(-fatora.SessionIdleTimeout - time.Minute)}
	if err := s.Sessions.CreateSession(ctx, idle); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Sessions.PurgeSessions(ctx, start); err != nil || n != 2 {
		t.Fatalf("PurgeSessions = %d, %v; want 2 (the idle session and the expired link)", n, err)
	}
	if _, err := s.Sessions.FindSession(ctx, sess.TokenHash); err != nil {
		t.Fatalf("the live session was purged: %v", err)
	}
}
