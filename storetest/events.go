package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/google/go-cmp/cmp"
)

// allEvents reads every event of ctx's scope matching f, page by page.
func allEvents(t testing.TB, s Store, ctx context.Context, f fatora.EventFilter) []fatora.Event {
	t.Helper()
	var out []fatora.Event
	for {
		page, err := s.Events.FindEvents(ctx, f)
		if err != nil {
			t.Fatalf("FindEvents(%+v): %v", f, err)
		}
		out = append(out, page.Events...)
		if !page.More {
			return out
		}
		f.After = page.Next
	}
}

func testEvents(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a, b := newTenant(t, s, "alpha"), newTenant(t, s, "beta")
	c := mustCreate(t, s, a.test, fatora.ClientFields{Name: "Event Client", Phone: "+974 5555 1234"})
	updated, err := s.Clients.UpdateClient(a.test, c.ID, fatora.ClientUpdate{Phone: str("+974 6666 0000"), Email: str("e@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Clients.UpdateClient(a.test, c.ID, fatora.ClientUpdate{Phone: str("+974 6666 0000")}); err != nil {
		t.Fatal(err) // changes nothing: no event
	}
	if err := s.Clients.DeleteClient(a.test, c.ID); err != nil {
		t.Fatal(err)
	}
	events := allEvents(t, s, a.test, fatora.EventFilter{Limit: 1})
	types := []fatora.EventType{}
	for _, e := range events {
		types = append(types, e.Type)
		if e.ClientID != c.ID || e.Mode != fatora.ModeTest || e.Client == nil || e.Client.ID != c.ID || len(e.ID) != 36 {
			t.Errorf("event %+v does not name client %d in test mode", e, c.ID)
		}
	}
	want := []fatora.EventType{fatora.EventClientCreated, fatora.EventClientUpdated, fatora.EventClientDeleted}
	if diff := cmp.Diff(want, types); diff != "" {
		t.Fatalf("event types (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(c, *events[0].Client); diff != "" {
		t.Errorf("created event's client (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(updated, *events[1].Client); diff != "" {
		t.Errorf("updated event's client (-want +got):\n%s", diff)
	}
	wantPrev := &fatora.ClientPrevious{Fields: fatora.ClientUpdate{Phone: str("+974 5555 1234"), Email: str("")}, UpdatedAt: c.UpdatedAt}
	if diff := cmp.Diff(wantPrev, events[1].Previous); diff != "" {
		t.Errorf("updated event's previous values (-want +got):\n%s", diff)
	}
	if events[2].Client.Name != "Event Client" || events[2].Previous != nil {
		t.Errorf("deleted event %+v lacks the client as it was", events[2])
	}
	got, err := s.Events.FindEventByID(a.test, events[1].ID)
	if err != nil || got.ID != events[1].ID || got.Previous == nil {
		t.Errorf("FindEventByID = %+v, %v", got, err)
	}
	for name, ctx := range map[string]context.Context{"other merchant": b.test, "other mode": a.live} {
		if _, err := s.Events.FindEventByID(ctx, events[0].ID); fatora.ErrorCode(err) != fatora.CodeNotFound {
			t.Errorf("%s: FindEventByID = %v, want not_found", name, err)
		}
		if others := allEvents(t, s, ctx, fatora.EventFilter{}); len(others) != 0 {
			t.Errorf("%s sees %d events of alpha's test mode", name, len(others))
		}
	}
	if _, err := s.Events.FindEvents(context.Background(), fatora.EventFilter{}); fatora.ErrorCode(err) != fatora.CodeUnauthorized {
		t.Errorf("FindEvents without a scope: %v", err)
	}
}

func testEventFilters(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	var ids []int64
	for i := range 4 {
		s.SetNow(func() time.Time { return start.Add(time.Duration(i) * time.Hour) })
		ids = append(ids, mustCreate(t, s, a.test, named(nameOf(i))).ID)
	}
	if _, err := s.Clients.UpdateClient(a.test, ids[1], fatora.ClientUpdate{Notes: str("n")}); err != nil {
		t.Fatal(err)
	}
	count := func(f fatora.EventFilter) int { return len(allEvents(t, s, a.test, f)) }
	tests := []struct {
		name string
		f    fatora.EventFilter
		want int
	}{
		{"all", fatora.EventFilter{}, 5},
		{"type", fatora.EventFilter{Type: fatora.EventClientUpdated}, 1},
		{"client", fatora.EventFilter{ClientID: ids[1]}, 2},
		{"created after", fatora.EventFilter{CreatedAfter: start.Add(90 * time.Minute)}, 3},
		{"created before", fatora.EventFilter{CreatedBefore: start.Add(90 * time.Minute)}, 2},
		{"pages of 2", fatora.EventFilter{Limit: 2}, 5},
	}
	for _, tt := range tests {
		if got := count(tt.f); got != tt.want {
			t.Errorf("%s: %d events, want %d", tt.name, got, tt.want)
		}
	}
	for _, f := range []fatora.EventFilter{{Limit: 101}, {Limit: -1}, {Type: "client.exploded"}} {
		if _, err := s.Events.FindEvents(a.test, f); fatora.ErrorCode(err) != fatora.CodeInvalidQuery {
			t.Errorf("FindEvents(%+v) = %v, want invalid_query", f, err)
		}
	}
}

// testEventsOfRefusals checks that a refused change writes no event and a
// replayed one none again.
func testEventsOfRefusals(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	c := mustCreate(t, s, withIdem(a.test, "k", "fp"), named("Once"))
	_, err := s.Clients.CreateClient(withIdem(a.test, "k", "fp"), named("Once"))
	wantReplay(t, err, c.ID)
	_, err = s.Clients.CreateClient(a.test, named("Once"))
	wantCode(t, err, fatora.CodeDuplicateClient)
	_, err = s.Clients.UpdateClient(a.test, c.ID+100, fatora.ClientUpdate{Name: str("x")})
	wantCode(t, err, fatora.CodeNotFound)
	wantCode(t, s.Clients.DeleteClient(a.test, c.ID+100), fatora.CodeNotFound)
	mustCreate(t, s, a.test, named("Other"))
	_, err = s.Clients.UpdateClient(a.test, c.ID, fatora.ClientUpdate{Name: str("Other")})
	wantCode(t, err, fatora.CodeDuplicateClient)
	if events := allEvents(t, s, a.test, fatora.EventFilter{}); len(events) != 2 {
		t.Errorf("%d events after two creates and refusals, want 2: %+v", len(events), events)
	}
}

// testConcurrentEvents writes from many goroutines while a reader pages
// by cursor: the reader must see every event exactly once.
func testConcurrentEvents(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	const writers, each = 8, 15
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				c, err := s.Clients.CreateClient(a.test, named(fmt.Sprintf("w%d-%d", w, i)))
				if err == nil && i%3 == 0 {
					_, err = s.Clients.UpdateClient(a.test, c.ID, fatora.ClientUpdate{Notes: str("x")})
				}
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := map[string]int{}
	var f fatora.EventFilter
	f.Limit = 7
	for finished := false; ; {
		select {
		case <-done:
			finished = true
		default:
		}
		page, err := s.Events.FindEvents(a.test, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Events {
			seen[e.ID]++
		}
		f.After = page.Next
		if finished && !page.More {
			break
		}
	}
	want := writers * (each + (each+2)/3)
	if len(seen) != want {
		t.Errorf("the reader saw %d events, want %d", len(seen), want)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("event %s seen %d times", id, n)
		}
	}
}

func testEventPurge(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	for i := range 3 {
		s.SetNow(func() time.Time { return start.Add(time.Duration(i) * 24 * time.Hour) })
		mustCreate(t, s, a.test, named(nameOf(i)))
	}
	n, err := s.Events.PurgeEvents(context.Background(), start.Add(36*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("PurgeEvents = %d, %v; want 2", n, err)
	}
	if left := allEvents(t, s, a.test, fatora.EventFilter{}); len(left) != 1 || left[0].Client.Name != nameOf(2) {
		t.Errorf("after the purge: %+v", left)
	}
}
