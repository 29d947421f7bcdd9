package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fatora-oss/fatora"
)

// testMetadata: metadata is kept as given, merged by updates, checked, left
// out of the "same data" rule, and filters lists exactly, per tenant.
func testMetadata(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a, b := newTenant(t, s, "alpha"), newTenant(t, s, "beta")
	meta := fatora.Metadata{"crm_id": "42", "tier": "gold", "stripe.customer": "cus_9"}
	c := mustCreate(t, s, a.test, fatora.ClientFields{Name: "Meta Mona", Metadata: meta})
	if got, err := s.Clients.FindClientByID(a.test, c.ID); err != nil || !cmp.Equal(got.Metadata, meta) {
		t.Fatalf("read back %v (%v), want %v", got.Metadata, err, meta)
	}
	_, err := s.Clients.CreateClient(a.test, fatora.ClientFields{Name: "Meta Mona", Metadata: fatora.Metadata{"crm_id": "43"}})
	wantCode(t, err, fatora.CodeDuplicateClient) // metadata is no part of the data compared
	other := mustCreate(t, s, a.test, fatora.ClientFields{Name: "Other", Metadata: fatora.Metadata{"crm_id": "420", "tier": "gold"}})
	mustCreate(t, s, b.test, fatora.ClientFields{Name: "Beta", Metadata: fatora.Metadata{"crm_id": "42"}})
	mustCreate(t, s, a.live, fatora.ClientFields{Name: "Live", Metadata: fatora.Metadata{"crm_id": "42"}})
	byMeta := func(m fatora.MetadataFilter) fatora.ClientFilter { return fatora.ClientFilter{Metadata: m} }
	wantIDs(t, s, a.test, byMeta(fatora.MetadataFilter{"crm_id": "42"}), c.ID)
	wantIDs(t, s, a.test, byMeta(fatora.MetadataFilter{"tier": "gold"}), c.ID, other.ID)
	wantIDs(t, s, a.test, byMeta(fatora.MetadataFilter{"tier": "gold", "crm_id": "420"}), other.ID)
	wantIDs(t, s, a.test, byMeta(fatora.MetadataFilter{"tier": "Gold"}))
	wantIDs(t, s, a.test, fatora.ClientFilter{Keyword: "other", Metadata: fatora.MetadataFilter{"tier": "gold"}}, other.ID)
	// An update sets and removes the keys it names and keeps the others.
	u := fatora.ClientUpdate{Metadata: fatora.MetadataChange{"crm_id": nil, "tier": str(""), "erp": str("E-7")}}
	updated, err := s.Clients.UpdateClient(a.test, c.ID, u)
	if want := (fatora.Metadata{"stripe.customer": "cus_9", "erp": "E-7"}); err != nil || !cmp.Equal(updated.Metadata, want) {
		t.Fatalf("after the update %v (%v), want %v", updated.Metadata, err, want)
	}
	wantIDs(t, s, a.test, byMeta(fatora.MetadataFilter{"crm_id": "42"}))
	wantIDs(t, s, a.test, byMeta(fatora.MetadataFilter{"erp": "E-7"}), c.ID)
	events := wantTypes(t, s, a.test, c.ID, fatora.EventClientCreated, fatora.EventClientUpdated)
	if got := events[1].Previous.Fields.Metadata; len(got) != 3 || *got["crm_id"] != "42" || *got["tier"] != "gold" || got["erp"] != nil {
		t.Errorf("the update's previous metadata = %v", got)
	}
	if !cmp.Equal(events[0].Client.Metadata, meta) {
		t.Errorf("the created event's metadata = %v", events[0].Client.Metadata)
	}
	if err := s.Clients.DeleteClient(a.test, c.ID); err != nil {
		t.Fatal(err)
	}
	wantIDs(t, s, a.test, byMeta(fatora.MetadataFilter{"erp": "E-7"}))
	wantIDs(t, s, a.test, fatora.ClientFilter{Status: fatora.StatusDeleted, Metadata: fatora.MetadataFilter{"erp": "E-7"}}, c.ID)
}

// testMetadataValidation refuses metadata out of its rules, naming the
// field, and a filter that is no filter.
func testMetadataValidation(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	many := fatora.Metadata{}
	for i := range fatora.MaxMetadataKeys + 1 {
		many[fmt.Sprint("k", i)] = "v"
	}
	for name, m := range map[string]fatora.Metadata{
		"a key with a space":  {"crm id": "1"},
		"a key too long":      {strings.Repeat("k", fatora.MaxMetadataKeyLen+1): "1"},
		"an empty key":        {"": "1"},
		"a value too long":    {"k": strings.Repeat("ن", fatora.MaxMetadataValueRunes+1)},
		"a control character": {"k": "a\x00b"},
		"too many keys":       many,
	} {
		_, err := s.Clients.CreateClient(a.test, fatora.ClientFields{Name: "Bad " + name, Metadata: m})
		if e := wantCode(t, err, fatora.CodeInvalidField); len(e.Fields) == 0 || !strings.HasPrefix(e.Fields[0].Field, "metadata") {
			t.Errorf("%s: %v names %v", name, err, e.Fields)
		}
	}
	limit := fatora.Metadata{strings.Repeat("k", fatora.MaxMetadataKeyLen): strings.Repeat("ن", fatora.MaxMetadataValueRunes)}
	mustCreate(t, s, a.test, fatora.ClientFields{Name: "At the limits", Metadata: limit})
	for _, f := range []fatora.MetadataFilter{{"bad key": "1"}, {"k": ""}} {
		_, err := s.Clients.FindClients(a.test, fatora.ClientFilter{Metadata: f})
		wantCode(t, err, fatora.CodeInvalidQuery)
	}
}
