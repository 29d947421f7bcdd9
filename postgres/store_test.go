package postgres

import (
	"context"
	"fmt"
	"sync"
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

// TestConcurrentUpdates checks that updates of different fields of one
// client at the same time all take effect: none works from a stale copy.
func TestConcurrentUpdates(t *testing.T) {
	db := openTestDB(t)
	ms, cs := NewMerchantService(db), NewClientService(db)
	m := fatora.Merchant{Name: "Racer", Email: "racer@example.com"}
	if err := ms.CreateMerchant(t.Context(), &m, nil); err != nil {
		t.Fatal(err)
	}
	ctx := fatora.WithScope(context.Background(), fatora.Scope{MerchantID: m.ID, Mode: fatora.ModeTest})
	c, err := cs.CreateClient(ctx, fatora.ClientFields{Name: "Racer"})
	if err != nil {
		t.Fatal(err)
	}
	const n = 30
	var wg sync.WaitGroup
	for _, field := range []func(v *string) fatora.ClientUpdate{
		func(v *string) fatora.ClientUpdate { return fatora.ClientUpdate{Phone: v} },
		func(v *string) fatora.ClientUpdate { return fatora.ClientUpdate{Notes: v} },
		func(v *string) fatora.ClientUpdate { return fatora.ClientUpdate{Address: v} },
	} {
		wg.Go(func() {
			for i := range n {
				v := fmt.Sprint(i)
				if _, err := cs.UpdateClient(ctx, c.ID, field(&v)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	got, err := cs.FindClientByID(ctx, c.ID)
	last := fmt.Sprint(n - 1)
	if err != nil || got.Phone != last || got.Notes != last || got.Address != last {
		t.Errorf("after concurrent updates: %+v, %v; want phone, notes and address %s", got.ClientFields, err, last)
	}
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := fatora.ErrorCode(err); got != code {
		t.Errorf("error = %v, want code %s", err, code)
	}
}
