package storetest

import (
	"testing"

	"github.com/fatora-oss/fatora"
)

// testBulk: a bulk change gives each client its own result, keeps the
// others' changes when one is refused, and is made once per key.
func testBulk(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a, b := newTenant(t, s, "alpha"), newTenant(t, s, "beta")
	one, two := mustCreate(t, s, a.test, named("Bulk One")), mustCreate(t, s, a.test, named("Bulk Two"))
	theirs := mustCreate(t, s, b.test, named("Theirs"))
	del := &fatora.ClientBulk{Action: fatora.BulkDelete, IDs: []int64{one.ID, theirs.ID, two.ID}}
	if err := s.Clients.BulkChangeClients(a.test, del); err != nil {
		t.Fatal(err)
	}
	if r := del.Results; len(r) != 3 || r[0].Err != nil || r[2].Err != nil || fatora.ErrorCode(r[1].Err) != fatora.CodeNotFound {
		t.Fatalf("bulk delete results %+v", r)
	}
	wantIDs(t, s, a.test, fatora.ClientFilter{})
	wantIDs(t, s, b.test, fatora.ClientFilter{}, theirs.ID)
	again := mustCreate(t, s, a.test, named("Bulk One"))
	keyed := withIdem(a.test, "bulk-1", "fp-bulk")
	res := &fatora.ClientBulk{Action: fatora.BulkRestore, IDs: []int64{one.ID, two.ID}}
	if err := s.Clients.BulkChangeClients(keyed, res); err != nil {
		t.Fatal(err)
	}
	r := res.Results
	if e := wantCode(t, r[0].Err, fatora.CodeDuplicateClient); e.ExistingClientID != again.ID {
		t.Errorf("restore over a duplicate names %d, want %d", e.ExistingClientID, again.ID)
	}
	if r[1].Err != nil || r[1].Client.ID != two.ID || r[1].Client.Name != "Bulk Two" {
		t.Fatalf("bulk restore result %+v", r[1])
	}
	wantIDs(t, s, a.test, fatora.ClientFilter{}, two.ID, again.ID)
	err := s.Clients.BulkChangeClients(keyed, &fatora.ClientBulk{Action: fatora.BulkRestore, IDs: []int64{one.ID, two.ID}})
	wantReplay(t, err, 0)
	for _, bad := range []*fatora.ClientBulk{
		{Action: "archive", IDs: []int64{1}},
		{Action: fatora.BulkDelete},
		{Action: fatora.BulkDelete, IDs: make([]int64, fatora.MaxBulkIDs+1)},
		{Action: fatora.BulkDelete, IDs: []int64{two.ID, two.ID}},
		{Action: fatora.BulkDelete, IDs: []int64{0}},
	} {
		wantCode(t, s.Clients.BulkChangeClients(a.test, bad), fatora.CodeInvalidField)
	}
	wantIDs(t, s, a.test, fatora.ClientFilter{}, two.ID, again.ID)
}
