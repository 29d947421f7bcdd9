package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fatora-oss/fatora"
)

func testClientRoundTrip(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	tests := []fatora.ClientFields{
		{Name: "Client Name", Phone: "Client Phone", Email: "client@example.com", Address: "Client Address", Notes: "Additional notes"},
		{Name: "محمد بن عبدالله الكواري", Phone: "+٩٧٤ ٥٥١٢ ٣٤٥٦", Email: "محمد@مثال.قطر", Address: "الدوحة، شارع ١٢\nمبنى ٣", Notes: "عميل مميز 🌟👨‍👩‍👧"},
		{Name: strings.Repeat("😀", fatora.MaxNameRunes), Notes: strings.Repeat("ن", fatora.MaxNotesRunes)},
		{Name: "  padded name  ", Address: "line 1\r\nline 2\tend"},
	}
	for _, f := range tests {
		c := mustCreate(t, s, a.test, f)
		if c.ID == 0 || c.CreatedAt.IsZero() || !c.UpdatedAt.Equal(c.CreatedAt) {
			t.Errorf("created client %+v lacks id or times", c)
		}
		got, err := s.Clients.FindClientByID(a.test, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			t.Errorf("read back differs from created (-created +read):\n%s", diff)
		}
		if !got.ClientFields.Equal(f) {
			t.Errorf("fields changed in storage:\n sent %+q\n got  %+q", f, got.ClientFields)
		}
	}
}

func testClientValidation(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	nfd := "Jose\u0301" // e + combining acute
	c := mustCreate(t, s, a.test, named(nfd))
	if c.Name != "Jos\u00e9" {
		t.Errorf("name stored as %+q, want NFC %+q", c.Name, "Jos\u00e9")
	}
	mustCreate(t, s, a.test, fatora.ClientFields{Name: "Trim Mail", Email: "  trim@example.com "})
	bad := []fatora.ClientFields{
		{}, named(" \t\n\u00a0\u200b"), named("a\x00b"), named("a\nb"), named("\xff\xfe"),
		named(strings.Repeat("x", fatora.MaxNameRunes+1)),
		{Name: "x", Email: "not-an-address"}, {Name: "x", Email: "Name <a@example.com>"},
		{Name: "x", Email: strings.Repeat("a", 250) + "@example.com"},
		{Name: "x", Phone: strings.Repeat("1", fatora.MaxPhoneRunes+1)},
		{Name: "x", Address: strings.Repeat("a", fatora.MaxAddressRunes+1)},
		{Name: "x", Notes: strings.Repeat("a", fatora.MaxNotesRunes+1)},
		{Name: "x", Notes: "bell\a"}, {Name: "x", Notes: "lone\rreturn"},
	}
	for _, f := range bad {
		_, err := s.Clients.CreateClient(a.test, f)
		e := wantCode(t, err, fatora.CodeInvalidField)
		if len(e.Fields) == 0 {
			t.Errorf("invalid_field for %+q names no field", f)
		}
	}
	if page, _ := s.Clients.FindClients(a.test, fatora.ClientFilter{}); page.TotalCount != 2 {
		t.Errorf("after refused creates the merchant has %d clients, want 2", page.TotalCount)
	}
	_, err := s.Clients.CreateClient(context.Background(), named("no scope"))
	wantCode(t, err, fatora.CodeUnauthorized)
}

func testIsolation(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a, b := newTenant(t, s, "alpha"), newTenant(t, s, "beta")
	c := mustCreate(t, s, a.test, fatora.ClientFields{Name: "Secret Client", Email: "secret@example.com"})
	for name, ctx := range map[string]context.Context{"other merchant": b.test, "other mode": a.live} {
		_, err := s.Clients.FindClientByID(ctx, c.ID)
		wantCode(t, err, fatora.CodeNotFound)
		_, err = s.Clients.UpdateClient(ctx, c.ID, fatora.ClientUpdate{Name: str("stolen")})
		wantCode(t, err, fatora.CodeNotFound)
		wantCode(t, s.Clients.DeleteClient(ctx, c.ID), fatora.CodeNotFound)
		for _, f := range []fatora.ClientFilter{{}, {Keyword: "secret"}, {Email: "secret@example.com"}} {
			page, err := s.Clients.FindClients(ctx, f)
			if err != nil || page.TotalCount != 0 || len(page.Clients) != 0 {
				t.Errorf("%s sees %d clients with %+v (%v)", name, page.TotalCount, f, err)
			}
		}
		// The same data is not a duplicate for another tenant.
		mustCreate(t, s, ctx, fatora.ClientFields{Name: "Secret Client", Email: "secret@example.com"})
	}
	got, err := s.Clients.FindClientByID(a.test, c.ID)
	if err != nil || got.Name != "Secret Client" {
		t.Fatalf("owner's client changed: %+v, %v", got, err)
	}
}

func testDuplicates(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	orig := mustCreate(t, s, a.test, fatora.ClientFields{Name: "Noura", Email: "Noura@Example.com", Phone: "+974 5512 3456", Address: "Doha", Notes: "first"})
	same := []fatora.ClientFields{
		{Name: "Noura", Email: "noura@example.com", Phone: "+974 5512 3456", Address: "Doha"},
		{Name: " Noura ", Email: "NOURA@EXAMPLE.COM", Phone: "0097455123456", Address: "Doha ", Notes: "other notes"},
		{Name: "Noura", Email: "noura@example.com", Phone: "+٩٧٤٥٥١٢٣٤٥٦", Address: "Doha"},
		{Name: "NOURA", Email: "noura@example.com", Phone: "5512 3456", Address: "doha"},
	}
	for _, f := range same {
		_, err := s.Clients.CreateClient(a.test, f)
		if e := wantCode(t, err, fatora.CodeDuplicateClient); e.ExistingClientID != orig.ID {
			t.Errorf("duplicate names client %d, want %d", e.ExistingClientID, orig.ID)
		}
	}
	different := []fatora.ClientFields{
		{Name: "Noura", Email: "noura@example.com", Phone: "+974 5512 3457", Address: "Doha"},
		{Name: "Nora", Email: "noura@example.com", Phone: "+974 5512 3456", Address: "Doha"},
		{Name: "Noura", Email: "noura@example.com", Phone: "+974 5512 3456"},
	}
	for _, f := range different {
		mustCreate(t, s, a.test, f)
	}
	mustCreate(t, s, a.live, same[0])
	if err := s.Clients.DeleteClient(a.test, orig.ID); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, a.test, same[0])
}

func testConcurrentDuplicates(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.Clients.CreateClient(a.test, fatora.ClientFields{Name: "Racer", Email: "racer@example.com"})
		})
	}
	wg.Wait()
	created := 0
	for _, err := range errs {
		if err == nil {
			created++
			continue
		}
		wantCode(t, err, fatora.CodeDuplicateClient)
	}
	page, _ := s.Clients.FindClients(a.test, fatora.ClientFilter{})
	if created != 1 || page.TotalCount != 1 {
		t.Fatalf("%d concurrent identical creates: %d succeeded, %d stored; want 1 and 1", n, created, page.TotalCount)
	}
}

func testUpdate(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	c := mustCreate(t, s, a.test, fatora.ClientFields{Name: "Old", Phone: "111", Email: "old@example.com", Address: "Here", Notes: "n"})
	got, err := s.Clients.UpdateClient(a.test, c.ID, fatora.ClientUpdate{Name: str("New"), Email: str(""), Notes: str("ملاحظة")})
	if err != nil {
		t.Fatal(err)
	}
	want := fatora.ClientFields{Name: "New", Phone: "111", Email: "", Address: "Here", Notes: "ملاحظة"}
	if !got.ClientFields.Equal(want) || got.ID != c.ID || !got.CreatedAt.Equal(c.CreatedAt) {
		t.Fatalf("updated = %+v, want fields %+v", got, want)
	}
	read, _ := s.Clients.FindClientByID(a.test, c.ID)
	if diff := cmp.Diff(got, read); diff != "" {
		t.Errorf("read after update differs (-updated +read):\n%s", diff)
	}
	if _, err := s.Clients.UpdateClient(a.test, c.ID, fatora.ClientUpdate{}); err != nil {
		t.Errorf("empty update: %v", err)
	}
	_, err = s.Clients.UpdateClient(a.test, c.ID, fatora.ClientUpdate{Name: str("  ")})
	wantCode(t, err, fatora.CodeInvalidField)
	_, err = s.Clients.UpdateClient(a.test, c.ID, fatora.ClientUpdate{Email: str("bad")})
	wantCode(t, err, fatora.CodeInvalidField)
	if read, _ := s.Clients.FindClientByID(a.test, c.ID); !read.ClientFields.Equal(want) {
		t.Errorf("refused update changed the client to %+v", read.ClientFields)
	}
	other := mustCreate(t, s, a.test, named("Other"))
	_, err = s.Clients.UpdateClient(a.test, other.ID, fatora.ClientUpdate{Name: str("New"), Phone: str("111"), Address: str("Here")})
	if e := wantCode(t, err, fatora.CodeDuplicateClient); e.ExistingClientID != c.ID {
		t.Errorf("update duplicate names %d, want %d", e.ExistingClientID, c.ID)
	}
	_, err = s.Clients.UpdateClient(a.test, 987654321, fatora.ClientUpdate{Name: str("x")})
	wantCode(t, err, fatora.CodeNotFound)
}

func testDelete(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	c := mustCreate(t, s, a.test, named("Gone"))
	if err := s.Clients.DeleteClient(a.test, c.ID); err != nil {
		t.Fatal(err)
	}
	_, err := s.Clients.FindClientByID(a.test, c.ID)
	wantCode(t, err, fatora.CodeNotFound)
	wantCode(t, s.Clients.DeleteClient(a.test, c.ID), fatora.CodeNotFound)
	next := mustCreate(t, s, a.test, named("Next"))
	if next.ID <= c.ID {
		t.Errorf("new client got id %d after deleted id %d: ids must never be reused", next.ID, c.ID)
	}
}

// testConcurrentUpdates changes different fields of one client at the same
// time: every change takes effect, none is made on a stale copy.
func testConcurrentUpdates(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	c := mustCreate(t, s, a.test, named("Racer"))
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
				if _, err := s.Clients.UpdateClient(a.test, c.ID, field(&v)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	got, err := s.Clients.FindClientByID(a.test, c.ID)
	last := fmt.Sprint(n - 1)
	if err != nil || got.Phone != last || got.Notes != last || got.Address != last {
		t.Errorf("after concurrent updates: %+v, %v; want phone, notes and address %s", got.ClientFields, err, last)
	}
}

// testBatchIsolation sends many creates at once, some of them duplicates:
// stores that commit concurrent writes together must fail only the bad
// ones, never their batch mates.
func testBatchIsolation(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	orig := mustCreate(t, s, a.test, fatora.ClientFields{Name: "Original", Email: "orig@example.com"})
	const n = 200
	errs := make([]error, n)
	ids := make([]int64, n)
	var wg sync.WaitGroup
	for i := range n {
		f := fatora.ClientFields{Name: nameOf(i)}
		if i%4 == 0 {
			f = fatora.ClientFields{Name: "Original", Email: "ORIG@example.com"}
		}
		wg.Go(func() {
			var c fatora.Client
			c, errs[i] = s.Clients.CreateClient(a.test, f)
			ids[i] = c.ID
		})
	}
	wg.Wait()
	for i, err := range errs {
		if i%4 == 0 {
			if e := wantCode(t, err, fatora.CodeDuplicateClient); e.ExistingClientID != orig.ID {
				t.Errorf("duplicate %d names client %d, want %d", i, e.ExistingClientID, orig.ID)
			}
			continue
		}
		if err != nil {
			t.Errorf("create %d failed beside a duplicate: %v", i, err)
			continue
		}
		if got, err := s.Clients.FindClientByID(a.test, ids[i]); err != nil || got.Name != nameOf(i) {
			t.Errorf("client %d not readable: %+v, %v", i, got, err)
		}
	}
	if page, _ := s.Clients.FindClients(a.test, fatora.ClientFilter{}); page.TotalCount != 1+n-n/4 {
		t.Errorf("%d clients stored, want %d", page.TotalCount, 1+n-n/4)
	}
}
