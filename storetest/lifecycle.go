package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

// clientIDs returns the ids of a page of ctx's clients matching f.
func clientIDs(t testing.TB, s Store, ctx context.Context, f fatora.ClientFilter) ([]int64, fatora.ClientPage) {
	t.Helper()
	page, err := s.Clients.FindClients(ctx, f)
	if err != nil {
		t.Fatalf("FindClients(%+v): %v", f, err)
	}
	ids := []int64{}
	for _, c := range page.Clients {
		ids = append(ids, c.ID)
	}
	return ids, page
}

// wantIDs fails unless the clients matching f are exactly want, in order,
// counted as many.
func wantIDs(t testing.TB, s Store, ctx context.Context, f fatora.ClientFilter, want ...int64) []fatora.Client {
	t.Helper()
	ids, page := clientIDs(t, s, ctx, f)
	if len(ids) != len(want) || page.TotalCount != len(want) {
		t.Fatalf("FindClients(%+v) = %v (total %d), want %v", f, ids, page.TotalCount, want)
	}
	for i := range ids {
		if ids[i] != want[i] {
			t.Fatalf("FindClients(%+v) = %v, want %v", f, ids, want)
		}
	}
	return page.Clients
}

var deleted = fatora.ClientFilter{Status: fatora.StatusDeleted}

// testSoftDelete: a deleted client is invisible but to a list of deleted
// clients, leaves the "same data" rule, and comes back by a restore unless
// a live client holds its data by then.
func testSoftDelete(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a, b := newTenant(t, s, "alpha"), newTenant(t, s, "beta")
	f := fatora.ClientFields{Name: "Soft Sam", Email: "sam@example.com", Phone: "+974 5555 0101"}
	first := mustCreate(t, s, a.test, f)
	other := mustCreate(t, s, a.test, named("Other"))
	if err := s.Clients.DeleteClient(a.test, first.ID); err != nil {
		t.Fatal(err)
	}
	_, err := s.Clients.FindClientByID(a.test, first.ID)
	wantCode(t, err, fatora.CodeNotFound)
	wantCode(t, s.Clients.DeleteClient(a.test, first.ID), fatora.CodeNotFound)
	_, err = s.Clients.UpdateClient(a.test, first.ID, fatora.ClientUpdate{Notes: str("x")})
	wantCode(t, err, fatora.CodeNotFound)
	wantIDs(t, s, a.test, fatora.ClientFilter{}, other.ID)
	wantIDs(t, s, a.test, fatora.ClientFilter{Keyword: "soft sam"})
	wantIDs(t, s, a.test, fatora.ClientFilter{Email: "sam@example.com"})
	gone := wantIDs(t, s, a.test, deleted, first.ID)
	if gone[0].DeletedAt.IsZero() || gone[0].Name != f.Name {
		t.Errorf("deleted client listed as %+v, want its fields and deleted_at", gone[0])
	}
	wantIDs(t, s, a.live, deleted)
	wantIDs(t, s, b.test, deleted)
	// The same data can be created again, and then a restore would
	// duplicate it.
	again := mustCreate(t, s, a.test, f)
	_, err = s.Clients.RestoreClient(a.test, first.ID)
	if e := wantCode(t, err, fatora.CodeDuplicateClient); e.ExistingClientID != again.ID {
		t.Errorf("restore over a duplicate names %d, want %d", e.ExistingClientID, again.ID)
	}
	if err := s.Clients.DeleteClient(a.test, again.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.Clients.RestoreClient(b.test, first.ID)
	wantCode(t, err, fatora.CodeNotFound)
	_, err = s.Clients.RestoreClient(a.test, other.ID)
	wantCode(t, err, fatora.CodeNotFound) // live: nothing to restore
	restored, err := s.Clients.RestoreClient(a.test, first.ID)
	if err != nil || restored.ID != first.ID || restored.Deleted() || restored.Name != f.Name {
		t.Fatalf("RestoreClient = %+v, %v", restored, err)
	}
	wantIDs(t, s, a.test, fatora.ClientFilter{}, first.ID, other.ID)
	wantIDs(t, s, a.test, fatora.ClientFilter{Keyword: "soft sam"}, first.ID)
	wantIDs(t, s, a.test, deleted, again.ID)
	_, err = s.Clients.CreateClient(a.test, f)
	wantCode(t, err, fatora.CodeDuplicateClient)
	wantTypes(t, s, a.test, first.ID, fatora.EventClientCreated, fatora.EventClientDeleted, fatora.EventClientRestored)
}

// wantTypes fails unless the events of client id are of the types given.
func wantTypes(t testing.TB, s Store, ctx context.Context, id int64, want ...fatora.EventType) []fatora.Event {
	t.Helper()
	events := allEvents(t, s, ctx, fatora.EventFilter{ClientID: id})
	if len(events) != len(want) {
		t.Fatalf("client %d has %d events, want %v", id, len(events), want)
	}
	for i, e := range events {
		if e.Type != want[i] {
			t.Fatalf("client %d's event %d is %s, want %s", id, i, e.Type, want[i])
		}
	}
	return events
}

// testDeletedRetention: past the retention period a deleted client cannot
// be restored, and the purge removes it with its events' bodies.
func testDeletedRetention(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	purger, ok := s.Clients.(fatora.ClientPurger)
	if !ok {
		t.Fatal("the client service is not a fatora.ClientPurger")
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s.SetNow(func() time.Time { return now })
	a := newTenant(t, s, "alpha")
	old, recent, live := mustCreate(t, s, a.test, named("Old")), mustCreate(t, s, a.test, named("Recent")), mustCreate(t, s, a.test, named("Live"))
	if err := s.Clients.DeleteClient(a.test, old.ID); err != nil {
		t.Fatal(err)
	}
	now = now.Add(fatora.DefaultDeletedRetention - time.Hour)
	if err := s.Clients.DeleteClient(a.test, recent.ID); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Hour) // old is past its retention, recent is not
	wantIDs(t, s, a.test, deleted, recent.ID)
	_, err := s.Clients.RestoreClient(a.test, old.ID)
	wantCode(t, err, fatora.CodeNotFound)
	n, err := purger.PurgeDeletedClients(context.Background(), fatora.RetentionCutoff(now, 0))
	if err != nil || n != 1 {
		t.Fatalf("PurgeDeletedClients = %d, %v; want 1", n, err)
	}
	for _, e := range wantTypes(t, s, a.test, old.ID, fatora.EventClientCreated, fatora.EventClientDeleted) {
		if e.Client != nil || e.Previous != nil {
			t.Errorf("purged client's event %s keeps its body: %+v", e.Type, e.Client)
		}
	}
	if e := wantTypes(t, s, a.test, recent.ID, fatora.EventClientCreated, fatora.EventClientDeleted); e[0].Client == nil {
		t.Errorf("a client within retention lost its events' bodies")
	}
	if _, err := s.Clients.RestoreClient(a.test, recent.ID); err != nil {
		t.Fatalf("restore within retention: %v", err)
	}
	wantIDs(t, s, a.test, fatora.ClientFilter{}, recent.ID, live.ID)
	if n, err := purger.PurgeDeletedClients(context.Background(), fatora.RetentionCutoff(now, 0)); err != nil || n != 0 {
		t.Fatalf("second purge = %d, %v; want 0", n, err)
	}
}

// testErase: a permanent delete leaves the client's name nowhere in the
// database: not in the client, its events, the answers kept for
// idempotency keys, or a search index.
func testErase(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	const name, renamed = "Zephyrine Quillfeather", "Zephyrine Q. Marsh"
	keyed := fatora.WithIdempotency(a.test, &fatora.Idempotency{Key: "erase-1", Fingerprint: "fp", TTL: time.Hour,
		Render: func(c fatora.Client) fatora.StoredResponse {
			return fatora.StoredResponse{Status: 201, Body: []byte(`{"name":"` + c.Name + `"}`)}
		}})
	live := mustCreate(t, s, keyed, fatora.ClientFields{Name: name, Notes: name, Metadata: fatora.Metadata{"crm": "Quillfeather-77"}})
	if _, err := s.Clients.UpdateClient(a.test, live.ID, fatora.ClientUpdate{Name: str(renamed)}); err != nil {
		t.Fatal(err)
	}
	gone := mustCreate(t, s, a.test, fatora.ClientFields{Name: name + " Deleted"})
	if err := s.Clients.DeleteClient(a.test, gone.ID); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{live.ID, gone.ID} {
		if err := s.Clients.EraseClient(a.test, id); err != nil {
			t.Fatalf("EraseClient(%d): %v", id, err)
		}
		wantCode(t, s.Clients.EraseClient(a.test, id), fatora.CodeNotFound)
		_, err := s.Clients.RestoreClient(a.test, id)
		wantCode(t, err, fatora.CodeNotFound)
	}
	wantCode(t, s.Clients.EraseClient(a.test, 999999), fatora.CodeNotFound)
	for _, text := range []string{"Zephyrine", "Quillfeather", "Marsh"} {
		if tables, err := s.TablesHolding(context.Background(), text); err != nil || len(tables) > 0 {
			t.Errorf("after the erasure %q is in the tables %v (%v)", text, tables, err)
		}
	}
	events := wantTypes(t, s, a.test, live.ID, fatora.EventClientCreated, fatora.EventClientUpdated, fatora.EventClientDeleted)
	wantTypes(t, s, a.test, gone.ID, fatora.EventClientCreated, fatora.EventClientDeleted)
	for _, e := range events {
		if e.Client != nil || e.Previous != nil {
			t.Errorf("erased client's event %s keeps a body", e.Type)
		}
	}
	_, err := s.Clients.CreateClient(keyed, fatora.ClientFields{Name: name, Notes: name})
	var replay *fatora.Replay
	if !errors.As(err, &replay) || replay.Response.Status != 201 || len(replay.Response.Body) != 0 {
		t.Errorf("a retried create of the erased client = %v, want a replay without its body", err)
	}
}

// testConcurrentPurges runs two purges at once, as two servers do: each
// client past retention is removed once, by one of them, and neither fails.
func testConcurrentPurges(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	purger := s.Clients.(fatora.ClientPurger)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s.SetNow(func() time.Time { return now })
	a := newTenant(t, s, "alpha")
	const n = 40
	for i := range n {
		c := mustCreate(t, s, a.test, named(nameOf(i)))
		if err := s.Clients.DeleteClient(a.test, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	cutoff := now.Add(time.Second)
	var wg sync.WaitGroup
	var counts [2]int64
	var errs [2]error
	for i := range counts {
		wg.Go(func() { counts[i], errs[i] = purger.PurgeDeletedClients(context.Background(), cutoff) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || counts[0]+counts[1] != n {
		t.Fatalf("two purges removed %v (%v), want %d in all", counts, errs, n)
	}
	if n, err := purger.PurgeDeletedClients(context.Background(), cutoff); err != nil || n != 0 {
		t.Fatalf("a third purge = %d, %v; want 0", n, err)
	}
}
