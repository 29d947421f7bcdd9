package storetest

import (
	"testing"

	"github.com/fatora-oss/fatora"
)

// testClientHistory: a client's events newest first, page by page, also
// once deleted; not another tenant's, nor an erased client's.
func testClientHistory(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a, b := newTenant(t, s, "alpha"), newTenant(t, s, "beta")
	c := mustCreate(t, s, a.test, named("History Hana"))
	mustCreate(t, s, a.test, named("Someone else"))
	if _, err := s.Clients.UpdateClient(a.test, c.ID, fatora.ClientUpdate{Phone: str("+974 5555 0000")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Clients.DeleteClient(a.test, c.ID); err != nil {
		t.Fatal(err)
	}
	want := []fatora.EventType{fatora.EventClientDeleted, fatora.EventClientUpdated, fatora.EventClientCreated}
	var got []fatora.EventType
	f := fatora.EventFilter{Limit: 1}
	for range 10 {
		page, err := s.Events.FindClientEvents(a.test, c.ID, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Events {
			if e.ClientID != c.ID {
				t.Fatalf("the history of %d holds an event of %d", c.ID, e.ClientID)
			}
			got = append(got, e.Type)
		}
		if !page.More {
			break
		}
		f.After = page.Next
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("history %v, want %v", got, want)
	}
	_, err := s.Events.FindClientEvents(b.test, c.ID, fatora.EventFilter{})
	wantCode(t, err, fatora.CodeNotFound)
	_, err = s.Events.FindClientEvents(a.live, c.ID, fatora.EventFilter{})
	wantCode(t, err, fatora.CodeNotFound)
	if err := s.Clients.EraseClient(a.test, c.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.Events.FindClientEvents(a.test, c.ID, fatora.EventFilter{})
	wantCode(t, err, fatora.CodeNotFound)
}
