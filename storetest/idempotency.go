package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

// idem makes an idempotency request whose kept answer names the client.
func idem(key, fingerprint string) *fatora.Idempotency {
	return &fatora.Idempotency{Key: key, Fingerprint: fingerprint, TTL: time.Hour,
		Render: func(c fatora.Client) fatora.StoredResponse {
			return fatora.StoredResponse{Status: 201, Location: fmt.Sprint("/v1/clients/", c.ID), Body: []byte(fmt.Sprintf(`{"id":%d}`, c.ID))}
		}}
}

func withIdem(ctx context.Context, key, fingerprint string) context.Context {
	return fatora.WithIdempotency(ctx, idem(key, fingerprint))
}

// wantReplay fails unless err is a replay of the answer naming id.
func wantReplay(t testing.TB, err error, id int64) {
	t.Helper()
	var r *fatora.Replay
	if !errors.As(err, &r) {
		t.Fatalf("error = %v, want a replay", err)
	}
	if want := fmt.Sprintf(`{"id":%d}`, id); string(r.Response.Body) != want || r.Response.Status != 201 ||
		r.Response.Location != fmt.Sprint("/v1/clients/", id) {
		t.Fatalf("replayed %d %q %q, want 201 %s", r.Response.Status, r.Response.Location, r.Response.Body, want)
	}
}

func testIdempotentCreate(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a, b := newTenant(t, s, "alpha"), newTenant(t, s, "beta")
	first := mustCreate(t, s, withIdem(a.test, "key-1", "fp-1"), named("Once"))
	_, err := s.Clients.CreateClient(withIdem(a.test, "key-1", "fp-1"), named("Once"))
	wantReplay(t, err, first.ID)
	_, err = s.Clients.CreateClient(withIdem(a.test, "key-1", "fp-2"), named("Other"))
	wantCode(t, err, fatora.CodeIdempotencyKeyReused)
	// The same key is another key for another merchant or mode.
	mustCreate(t, s, withIdem(b.test, "key-1", "fp-1"), named("Once"))
	mustCreate(t, s, withIdem(a.live, "key-1", "fp-1"), named("Once"))
	// Refusals are not kept: a corrected retry with the key goes ahead.
	_, err = s.Clients.CreateClient(withIdem(a.test, "key-2", "fp-bad"), named(""))
	wantCode(t, err, fatora.CodeInvalidField)
	_, err = s.Clients.CreateClient(withIdem(a.test, "key-2", "fp-dup"), named("Once"))
	wantCode(t, err, fatora.CodeDuplicateClient)
	mustCreate(t, s, withIdem(a.test, "key-2", "fp-good"), named("Twice"))
	if page, _ := s.Clients.FindClients(a.test, fatora.ClientFilter{}); page.TotalCount != 2 {
		t.Errorf("alpha has %d clients, want 2", page.TotalCount)
	}
}

func testIdempotentUpdateDelete(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	c := mustCreate(t, s, a.test, named("Target"))
	upd := fatora.ClientUpdate{Notes: str("n1")}
	if _, err := s.Clients.UpdateClient(withIdem(a.test, "u", "fp-u"), c.ID, upd); err != nil {
		t.Fatal(err)
	}
	// Someone changes the notes; the retry of the first update must not
	// apply it again.
	if _, err := s.Clients.UpdateClient(a.test, c.ID, fatora.ClientUpdate{Notes: str("n2")}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Clients.UpdateClient(withIdem(a.test, "u", "fp-u"), c.ID, upd)
	wantReplay(t, err, c.ID)
	if got, _ := s.Clients.FindClientByID(a.test, c.ID); got.Notes != "n2" {
		t.Errorf("notes = %q after a replayed update, want n2", got.Notes)
	}
	if err := s.Clients.DeleteClient(withIdem(a.test, "d", "fp-d"), c.ID); err != nil {
		t.Fatal(err)
	}
	wantReplay(t, s.Clients.DeleteClient(withIdem(a.test, "d", "fp-d"), c.ID), c.ID)
}

func testIdempotencyExpiry(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.SetNow(func() time.Time { return now })
	a := newTenant(t, s, "alpha")
	mustCreate(t, s, withIdem(a.test, "old", "fp-1"), named("First"))
	mustCreate(t, s, withIdem(a.test, "purged", "fp-1"), named("Second"))
	now = now.Add(2 * time.Hour)
	mustCreate(t, s, withIdem(a.test, "fresh", "fp-1"), named("Third"))
	// Past its TTL a key is new again, even before it is purged.
	mustCreate(t, s, withIdem(a.test, "old", "fp-2"), named("Fourth"))
	n, err := s.Purger.PurgeIdempotencyKeys(context.Background(), now.Add(-time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("PurgeIdempotencyKeys = %d, %v; want 1 (the key 'purged')", n, err)
	}
	mustCreate(t, s, withIdem(a.test, "purged", "fp-2"), named("Fifth"))
	_, err = s.Clients.CreateClient(withIdem(a.test, "fresh", "fp-1"), named("Third"))
	if !errors.As(err, new(*fatora.Replay)) {
		t.Errorf("a fresh key was purged: %v", err)
	}
}

func testConcurrentIdempotentCreates(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	const n = 30
	var wg sync.WaitGroup
	ids := make([]int64, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			var c fatora.Client
			c, errs[i] = s.Clients.CreateClient(withIdem(a.test, "same", "fp"), fatora.ClientFields{Name: fmt.Sprint("Racer ", i)})
			ids[i] = c.ID
		})
	}
	wg.Wait()
	created := int64(0)
	for i, err := range errs {
		if err == nil {
			if created != 0 {
				t.Fatalf("two creates with one key succeeded: %d and %d", created, ids[i])
			}
			created = ids[i]
		}
	}
	for _, err := range errs {
		var r *fatora.Replay
		switch {
		case err == nil:
		case errors.As(err, &r):
			wantReplay(t, err, created)
		default:
			wantCode(t, err, fatora.CodeIdempotencyInProgress)
		}
	}
	if page, _ := s.Clients.FindClients(a.test, fatora.ClientFilter{}); created == 0 || page.TotalCount != 1 {
		t.Fatalf("%d creates with one key stored %d clients (created %d), want 1", n, page.TotalCount, created)
	}
}
