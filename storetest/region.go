package storetest

import (
	"context"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/token"
)

// testRegion: a merchant's region is kept, changed, carried by its
// credential's scope, and reads its clients' phones and keywords.
func testRegion(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	ctx := context.Background()
	value := token.GenerateAPIKey(string(fatora.ModeTest))
	key := &fatora.APIKey{ID: token.NewID(), Mode: fatora.ModeTest, Prefix: token.DisplayPrefix(value), Hash: token.HashAPIKey(value)}
	m := fatora.Merchant{Name: "Amman Shop", Email: "amman@example.com", Region: "jo"}
	if err := s.Merchants.CreateMerchant(ctx, &m, []*fatora.APIKey{key}); err != nil {
		t.Fatal(err)
	}
	cred, err := s.Merchants.FindCredentialByHash(ctx, key.Hash)
	if err != nil || cred.Scope().Region != "JO" {
		t.Fatalf("the credential's scope has region %q (%v), want JO", cred.Scope().Region, err)
	}
	jo := fatora.WithScope(ctx, cred.Scope())
	c := mustCreate(t, s, jo, fatora.ClientFields{Name: "Omar", Phone: "0791234567"})
	for _, keyword := range []string{"+962 79 123 4567", "00962791234567", "079 123 4567"} {
		page, err := s.Clients.FindClients(jo, fatora.ClientFilter{Keyword: keyword})
		if err != nil || len(page.Clients) != 1 || page.Clients[0].ID != c.ID {
			t.Errorf("keyword %q in JO found %+v (%v), want client %d", keyword, page.Clients, err, c.ID)
		}
	}
	_, err = s.Clients.CreateClient(jo, fatora.ClientFields{Name: "omar", Phone: "+962 79 123 4567"})
	wantCode(t, err, fatora.CodeDuplicateClient)
	if err := s.Merchants.SetMerchantRegion(ctx, m.ID, "sa"); err != nil {
		t.Fatal(err)
	}
	if cred, err = s.Merchants.FindCredentialByHash(ctx, key.Hash); err != nil || cred.Merchant.Region != "SA" {
		t.Errorf("after SetMerchantRegion(sa) the region is %q (%v), want SA", cred.Merchant.Region, err)
	}
	wantCode(t, s.Merchants.SetMerchantRegion(ctx, m.ID, "ZZ"), fatora.CodeInvalidField)
	wantCode(t, s.Merchants.SetMerchantRegion(ctx, m.ID+1000, "QA"), fatora.CodeNotFound)
}
