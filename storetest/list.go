package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora"
)

func testList(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	var ids []int64
	for i := range 45 {
		ids = append(ids, mustCreate(t, s, a.test, named(nameOf(i))).ID)
	}
	tests := []struct {
		filter    fatora.ClientFilter
		wantPage  int
		wantSize  int
		wantFirst int
		wantLen   int
	}{
		{fatora.ClientFilter{}, 1, 20, 0, 20},
		{fatora.ClientFilter{Page: 3}, 3, 20, 40, 5},
		{fatora.ClientFilter{Page: 4}, 4, 20, 0, 0},
		{fatora.ClientFilter{Page: 2, PageSize: 7}, 2, 7, 7, 7},
		{fatora.ClientFilter{PageSize: 100}, 1, 100, 0, 45},
	}
	for _, tt := range tests {
		page, err := s.Clients.FindClients(a.test, tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		if page.Page != tt.wantPage || page.PageSize != tt.wantSize || page.TotalCount != 45 ||
			page.TotalPages != (45+tt.wantSize-1)/tt.wantSize || len(page.Clients) != tt.wantLen {
			t.Errorf("FindClients(%+v) = page %d size %d total %d pages %d len %d", tt.filter,
				page.Page, page.PageSize, page.TotalCount, page.TotalPages, len(page.Clients))
			continue
		}
		for i, c := range page.Clients {
			if c.ID != ids[tt.wantFirst+i] {
				t.Errorf("FindClients(%+v)[%d] = id %d, want %d (ascending id order)", tt.filter, i, c.ID, ids[tt.wantFirst+i])
			}
		}
	}
	empty := newTenant(t, s, "empty")
	page, err := s.Clients.FindClients(empty.test, fatora.ClientFilter{})
	if err != nil || page.TotalCount != 0 || page.TotalPages != 0 || page.Clients == nil {
		t.Errorf("empty list = %+v, %v; want zero counts and a non-nil empty slice", page, err)
	}
	for _, f := range []fatora.ClientFilter{{Page: -1}, {PageSize: -1}, {PageSize: fatora.MaxPageSize + 1},
		{Page: fatora.MaxPage + 1}, {Keyword: "a\x00"}, {Keyword: strings.Repeat("k", fatora.MaxKeywordRunes+1)}, {Email: "\xff"}} {
		_, err := s.Clients.FindClients(a.test, f)
		wantCode(t, err, fatora.CodeInvalidQuery)
	}
}

func testSearch(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	clients := map[string]fatora.ClientFields{
		"school":  {Name: "École Française", Email: "Office@Ecole.example", Phone: "+33 1 23 45 67 89"},
		"arabic":  {Name: "مؤسسة النور", Email: "info@alnoor.example", Phone: "+٩٧٤ ٥٥١٢ ٣٤٥٦"},
		"percent": {Name: "100% Cotton_Shop", Email: "sales@cotton.example", Phone: "4455"},
		"plain":   {Name: "Plain Person", Email: "plain@example.com", Phone: "Client Phone"},
	}
	ids := map[string]int64{}
	for key, f := range clients {
		ids[key] = mustCreate(t, s, a.test, f).ID
	}
	tests := []struct {
		filter fatora.ClientFilter
		want   []string
	}{
		{fatora.ClientFilter{Keyword: "école"}, []string{"school"}},
		{fatora.ClientFilter{Keyword: "ÉCOLE FR"}, []string{"school"}},
		{fatora.ClientFilter{Keyword: "office@"}, []string{"school"}},
		{fatora.ClientFilter{Keyword: "ÉC"}, []string{"school"}},
		{fatora.ClientFilter{Keyword: "ol"}, nil}, // short keywords match the start of a word
		{fatora.ClientFilter{Keyword: "fr"}, []string{"school"}},
		{fatora.ClientFilter{Keyword: "م"}, []string{"arabic"}},
		{fatora.ClientFilter{Keyword: "الن"}, []string{"arabic"}},
		{fatora.ClientFilter{Keyword: "مؤسسه"}, []string{"arabic"}},
		{fatora.ClientFilter{Keyword: "55123456"}, []string{"arabic"}},
		{fatora.ClientFilter{Keyword: "5512 3456"}, []string{"arabic"}},
		{fatora.ClientFilter{Keyword: "0097455123456"}, []string{"arabic"}},
		{fatora.ClientFilter{Keyword: "النور"}, []string{"arabic"}},
		{fatora.ClientFilter{Keyword: "5512"}, []string{"arabic"}},
		{fatora.ClientFilter{Keyword: "٥١٢ ٣"}, []string{"arabic"}},
		{fatora.ClientFilter{Keyword: "45 67"}, []string{"school"}},
		{fatora.ClientFilter{Keyword: "%"}, nil}, // a short keyword that separates words
		{fatora.ClientFilter{Keyword: "_"}, nil},
		{fatora.ClientFilter{Keyword: "0% c"}, []string{"percent"}},
		{fatora.ClientFilter{Keyword: "n_s"}, []string{"percent"}},
		{fatora.ClientFilter{Keyword: "' OR '1'='1"}, nil},
		{fatora.ClientFilter{Keyword: "client phone"}, []string{"plain"}},
		{fatora.ClientFilter{Keyword: "example"}, []string{"school", "arabic", "percent", "plain"}},
		{fatora.ClientFilter{Keyword: "   "}, []string{"school", "arabic", "percent", "plain"}},
		{fatora.ClientFilter{Email: "OFFICE@ecole.EXAMPLE"}, []string{"school"}},
		{fatora.ClientFilter{Email: "office@"}, nil},
		{fatora.ClientFilter{Email: "plain@example.com", Keyword: "plain"}, []string{"plain"}},
		{fatora.ClientFilter{Email: "plain@example.com", Keyword: "cotton"}, nil},
	}
	for _, tt := range tests {
		page, err := s.Clients.FindClients(a.test, tt.filter)
		if err != nil {
			t.Fatalf("FindClients(%+v): %v", tt.filter, err)
		}
		got := map[int64]bool{}
		for _, c := range page.Clients {
			got[c.ID] = true
		}
		if len(got) != len(tt.want) || page.TotalCount != len(tt.want) {
			t.Errorf("FindClients(%+v) found %d (total %d), want %v", tt.filter, len(got), page.TotalCount, tt.want)
			continue
		}
		for _, key := range tt.want {
			if !got[ids[key]] {
				t.Errorf("FindClients(%+v) misses %s", tt.filter, key)
			}
		}
	}
}

func testCursor(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	var want []int64
	for i := range 23 {
		want = append(want, mustCreate(t, s, a.test, named(nameOf(i))).ID)
	}
	if err := s.Clients.DeleteClient(a.test, want[5]); err != nil {
		t.Fatal(err)
	}
	want = append(want[:5], want[6:]...)
	var got []int64
	f := fatora.ClientFilter{PageSize: 5}
	for pages := 0; ; pages++ {
		page, err := s.Clients.FindClients(a.test, f)
		if err != nil || pages > 10 {
			t.Fatalf("page %d: %v", pages, err)
		}
		if page.TotalCount != len(want) {
			t.Errorf("total_count = %d, want %d", page.TotalCount, len(want))
		}
		for _, c := range page.Clients {
			got = append(got, c.ID)
		}
		if !page.More {
			break
		}
		f.After = page.Clients[len(page.Clients)-1].ID
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("walking with a cursor gave %v, want %v", got, want)
	}
	_, err := s.Clients.FindClients(a.test, fatora.ClientFilter{Page: 2, After: want[0]})
	wantCode(t, err, fatora.CodeInvalidQuery)
	// want[9] is "Client 010": after it come 011 to 019, of the ten that match.
	page, err := s.Clients.FindClients(a.test, fatora.ClientFilter{Keyword: "client 01", After: want[9], PageSize: 5})
	if err != nil || len(page.Clients) != 5 || page.TotalCount != 10 || !page.More || page.Clients[0].Name != "Client 011" {
		t.Errorf("cursor with a keyword: %d clients, total %d, more %v (%v); want 5 from Client 011, 10, true", len(page.Clients), page.TotalCount, page.More, err)
	}
}

// testKeywordCountCap: a keyword search counts up to fatora.MaxKeywordCount
// matches and says when it stopped; pages still reach every match.
func testKeywordCountCap(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	n := fatora.MaxKeywordCount + 5
	for i := range n {
		mustCreate(t, s, a.test, named(fmt.Sprintf("Capped %d", i)))
	}
	for _, tt := range []struct {
		keyword   string
		total     int
		exact     bool
		lastPage  int
		lastCount int
	}{
		{"capped", fatora.MaxKeywordCount, false, 6, n - 5*20},
		{"capped 10", 6, true, 1, 6}, // 10 and 100 to 104
	} {
		page, err := s.Clients.FindClients(a.test, fatora.ClientFilter{Keyword: tt.keyword})
		if err != nil || page.TotalCount != tt.total || page.TotalExact != tt.exact {
			t.Errorf("%q: total %d exact %v (%v), want %d %v", tt.keyword, page.TotalCount, page.TotalExact, err, tt.total, tt.exact)
		}
		last, err := s.Clients.FindClients(a.test, fatora.ClientFilter{Keyword: tt.keyword, Page: tt.lastPage})
		if err != nil || len(last.Clients) != tt.lastCount || last.More {
			t.Errorf("%q page %d: %d clients, more %v (%v), want %d and no more", tt.keyword, tt.lastPage, len(last.Clients), last.More, err, tt.lastCount)
		}
	}
}
