package storetest

import (
	"context"
	"testing"

	"github.com/fatora-oss/fatora"
)

// testUnusualText checks that text with a NUL character or invalid UTF-8
// (which PostgreSQL refuses in a text column, and SQLite stores like any
// other) gets the same answer from every store: no match for a lookup, a
// refusal for a write, never an internal error.
func testUnusualText(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	ms, ctx := s.Merchants, context.Background()
	for _, bad := range []string{"1\x00", "\xff"} {
		_, err := ms.FindMerchantByNumber(ctx, bad)
		wantCode(t, err, fatora.CodeNotFound)
		_, err = ms.FindCredentialByKeyID(ctx, bad)
		wantCode(t, err, fatora.CodeNotFound)
		wantCode(t, ms.RevokeAPIKey(ctx, 1, bad), fatora.CodeNotFound)
		m := fatora.Merchant{Name: "a" + bad, Email: "x@example.com"}
		wantCode(t, ms.CreateMerchant(ctx, &m, nil), fatora.CodeInvalidField)
	}
	a := newTenant(t, s, "keys")
	k := newKey(fatora.ModeTest)
	k.ID, k.MerchantID = "id\x00", a.merchant.ID
	wantCode(t, ms.CreateAPIKey(ctx, k), fatora.CodeInvalidField)
}
