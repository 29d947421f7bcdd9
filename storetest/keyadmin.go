package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

// testAdminLists holds the operator's lists (every merchant, every key)
// and RecordKeyUse to their contract.
func testAdminLists(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	ctx := context.Background()
	a, b := newTenant(t, s, "alpha"), newTenant(t, s, "beta")
	ms, err := s.Merchants.ListMerchants(ctx)
	if err != nil || len(ms) != 2 || ms[0].Number != a.merchant.Number || ms[1].Number != b.merchant.Number ||
		ms[1].Email != "beta@example.com" || ms[0].CreatedAt.IsZero() {
		t.Fatalf("ListMerchants = %+v, %v; want alpha then beta", ms, err)
	}
	keys, err := s.Merchants.ListAPIKeys(ctx)
	if err != nil || len(keys) != 4 || keys[0].MerchantID != a.merchant.ID || keys[3].MerchantID != b.merchant.ID {
		t.Fatalf("ListAPIKeys = %+v, %v; want alpha's two keys then beta's", keys, err)
	}
	for _, k := range keys {
		if !k.LastUsedAt.IsZero() {
			t.Fatalf("key %s: LastUsedAt %v before any use", k.ID, k.LastUsedAt)
		}
	}

	used, earlier := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)
	if err := s.Merchants.RecordKeyUse(ctx, map[string]time.Time{keys[0].ID: used, "no-such-key": used}); err != nil {
		t.Fatal(err)
	}
	// An earlier time (a server whose flush came late) never moves it back.
	if err := s.Merchants.RecordKeyUse(ctx, map[string]time.Time{keys[0].ID: earlier, keys[2].ID: earlier}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Merchants.FindAPIKeys(ctx, a.merchant.ID)
	if err != nil || !got[0].LastUsedAt.Equal(used) || !got[1].LastUsedAt.IsZero() {
		t.Fatalf("alpha's keys after RecordKeyUse: %+v, %v; want the first used at %v, the second never", got, err, used)
	}
	c, err := s.Merchants.FindCredentialByKeyID(ctx, keys[2].ID)
	if err != nil || !c.Key.LastUsedAt.Equal(earlier) {
		t.Fatalf("beta's key after RecordKeyUse: %+v, %v; want used at %v", c.Key, err, earlier)
	}
	if err := s.Merchants.RecordKeyUse(ctx, nil); err != nil {
		t.Fatalf("RecordKeyUse(nil): %v", err)
	}
}

// testScheduledRevocation: a key revoked at a time to come works until
// then; a later schedule never postpones an earlier one.
func testScheduledRevocation(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	ctx := context.Background()
	a := newTenant(t, s, "alpha")
	keys, _ := s.Merchants.FindAPIKeys(ctx, a.merchant.ID)
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := s.Merchants.ScheduleKeyRevocation(ctx, a.merchant.ID, keys[0].ID, at); err != nil {
		t.Fatal(err)
	}
	if err := s.Merchants.ScheduleKeyRevocation(ctx, a.merchant.ID, keys[0].ID, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	c, err := s.Merchants.FindCredentialByKeyID(ctx, keys[0].ID)
	if err != nil || !c.Key.RevokedAt.Equal(at) {
		t.Fatalf("after scheduling: %+v, %v; want revoked at %v", c.Key, err, at)
	}
	if err := c.Check(at.Add(-time.Second)); err != nil {
		t.Errorf("a second before its revocation the key is refused: %v", err)
	}
	wantCode(t, c.Check(at), fatora.CodeKeyRevoked)
	b := newTenant(t, s, "beta")
	wantCode(t, s.Merchants.ScheduleKeyRevocation(ctx, b.merchant.ID, keys[0].ID, at), fatora.CodeNotFound)
	if err := s.Merchants.RevokeAPIKey(ctx, a.merchant.ID, keys[0].ID); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Merchants.FindCredentialByKeyID(ctx, keys[0].ID); !c.Key.RevokedAt.Before(at) {
		t.Errorf("revoking now left the revocation at %v", c.Key.RevokedAt)
	}
}
