package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/token"
)

func testMerchants(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	ctx := context.Background()
	a, b := newTenant(t, s, "alpha"), newTenant(t, s, "beta")
	for _, m := range []fatora.Merchant{a.merchant, b.merchant} {
		if m.Number != fatora.MerchantNumber(m.ID) {
			t.Fatalf("merchant %d has the number %q, want %q", m.ID, m.Number, fatora.MerchantNumber(m.ID))
		}
	}
	if a.merchant.Number == b.merchant.Number {
		t.Fatalf("merchant numbers %q and %q are not distinct", a.merchant.Number, b.merchant.Number)
	}
	got, err := s.Merchants.FindMerchantByNumber(ctx, a.merchant.Number)
	if err != nil || got.ID != a.merchant.ID || got.Email != "alpha@example.com" || got.Disabled {
		t.Fatalf("FindMerchantByNumber = %+v, %v", got, err)
	}
	_, err = s.Merchants.FindMerchantByNumber(ctx, "999999999")
	wantCode(t, err, fatora.CodeNotFound)

	dup := fatora.Merchant{Name: "Alpha again", Email: "ALPHA@example.com"}
	wantCode(t, s.Merchants.CreateMerchant(ctx, &dup, nil), fatora.CodeConflict)
	for _, bad := range []fatora.Merchant{{Name: " ", Email: "x@example.com"}, {Name: "a\x00b", Email: "x@example.com"},
		{Name: "\xff", Email: "x@example.com"}, {Name: "ok", Email: "x@example.com\x00"}, {Name: "ok", Email: "nope"}} {
		wantCode(t, s.Merchants.CreateMerchant(ctx, &bad, nil), fatora.CodeInvalidField)
	}

	if err := s.Merchants.SetMerchantDisabled(ctx, a.merchant.ID, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Merchants.FindMerchantByNumber(ctx, a.merchant.Number); !got.Disabled {
		t.Fatal("merchant not disabled")
	}
	wantCode(t, s.Merchants.SetMerchantDisabled(ctx, 987654, true), fatora.CodeNotFound)
}

func testKeys(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	ctx := context.Background()
	a := newTenant(t, s, "alpha")
	value := "E4B73FEE-F492-4607-A38D-852B0EBC91C9"
	k := &fatora.APIKey{ID: token.NewID(), MerchantID: a.merchant.ID, Mode: fatora.ModeLive,
		Prefix: token.DisplayPrefix(value), Hash: token.HashAPIKey(value)}
	if err := s.Merchants.CreateAPIKey(ctx, k); err != nil {
		t.Fatal(err)
	}
	again := *k
	again.ID = token.NewID()
	wantCode(t, s.Merchants.CreateAPIKey(ctx, &again), fatora.CodeConflict)

	c, err := s.Merchants.FindCredentialByHash(ctx, token.HashAPIKey(value))
	if err != nil || c.Key.ID != k.ID || c.Merchant.ID != a.merchant.ID || c.Key.Mode != fatora.ModeLive || c.Check(time.Now()) != nil {
		t.Fatalf("FindCredentialByHash = %+v, %v", c, err)
	}
	if !bytes.Equal(c.Key.Hash, k.Hash) || c.Key.Prefix != "E4B73FEE" {
		t.Fatalf("stored key = %+v", c.Key)
	}
	_, err = s.Merchants.FindCredentialByHash(ctx, token.HashAPIKey("e4b73fee-f492-4607-a38d-852b0ebc91c9"))
	wantCode(t, err, fatora.CodeNotFound)

	if err := s.Merchants.RevokeAPIKey(ctx, a.merchant.ID, k.ID); err != nil {
		t.Fatal(err)
	}
	c, err = s.Merchants.FindCredentialByKeyID(ctx, k.ID)
	if err != nil || !c.Key.Revoked() {
		t.Fatalf("after revoke: %+v, %v", c.Key, err)
	}
	wantCode(t, c.Check(time.Now()), fatora.CodeKeyRevoked)
	b := newTenant(t, s, "beta")
	wantCode(t, s.Merchants.RevokeAPIKey(ctx, b.merchant.ID, k.ID), fatora.CodeNotFound)

	keys, err := s.Merchants.FindAPIKeys(ctx, a.merchant.ID)
	if err != nil || len(keys) != 3 {
		t.Fatalf("FindAPIKeys = %d keys, %v; want 3", len(keys), err)
	}
	if err := s.Merchants.SetMerchantDisabled(ctx, b.merchant.ID, true); err != nil {
		t.Fatal(err)
	}
	bkeys, _ := s.Merchants.FindAPIKeys(ctx, b.merchant.ID)
	c, _ = s.Merchants.FindCredentialByKeyID(ctx, bkeys[0].ID)
	wantCode(t, c.Check(time.Now()), fatora.CodeMerchantDisabled)
}

func testSigningSecret(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	ctx := context.Background()
	gen := func() (fatora.SigningSecret, error) {
		return fatora.SigningSecret{ID: token.NewID(), Secret: token.NewSecret()}, nil
	}
	first, err := s.Merchants.SigningSecret(ctx, gen)
	if err != nil || len(first.Secret) != 32 || first.ID == "" {
		t.Fatalf("SigningSecret = %+v, %v", first, err)
	}
	second, err := s.Merchants.SigningSecret(ctx, gen)
	if err != nil || second.ID != first.ID || !bytes.Equal(second.Secret, first.Secret) {
		t.Fatalf("second SigningSecret differs: %+v vs %+v (%v)", second, first, err)
	}
}
