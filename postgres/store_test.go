package postgres

import (
	"testing"

	"github.com/fatora-oss/fatora"
)

// TestUnstorableText checks that text PostgreSQL would refuse (NUL, invalid
// UTF-8) gets the answer SQLite gives, not an internal error.
func TestUnstorableText(t *testing.T) {
	db := openTestDB(t)
	ms, ctx := NewMerchantService(db), t.Context()
	for _, bad := range []string{"1\x00", "\xff"} {
		_, err := ms.FindMerchantByNumber(ctx, bad)
		wantCode(t, err, fatora.CodeNotFound)
		_, err = ms.FindCredentialByKeyID(ctx, bad)
		wantCode(t, err, fatora.CodeNotFound)
		wantCode(t, ms.RevokeAPIKey(ctx, 1, bad), fatora.CodeNotFound)
		m := fatora.Merchant{Name: "a" + bad, Email: "x@example.com"}
		wantCode(t, ms.CreateMerchant(ctx, &m, nil), fatora.CodeInvalidField)
	}
	m := fatora.Merchant{Name: "Keys", Email: "keys@example.com"}
	if err := ms.CreateMerchant(ctx, &m, nil); err != nil {
		t.Fatal(err)
	}
	k := fatora.APIKey{ID: "id\x00", MerchantID: m.ID, Mode: fatora.ModeTest, Prefix: "p", Hash: []byte{0}}
	wantCode(t, ms.CreateAPIKey(ctx, &k), fatora.CodeInvalidField)
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := fatora.ErrorCode(err); got != code {
		t.Errorf("error = %v, want code %s", err, code)
	}
}
