package storetest

import (
	"cmp"
	"slices"
	"testing"

	"github.com/fatora-oss/fatora"
)

// testOrders pages through a tenant's clients in each order, by cursor,
// and holds every page to the order the domain defines: ids up, ids down,
// names compared as bytes (then ids).
func testOrders(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	var all []fatora.Client
	for i, name := range []string{"zed", "Ahmed", "أحمد", "ahmed", "ليلى", "Zed", "ahmed"} {
		f := named(name)
		f.Phone = nameOf(i) // two "ahmed" differ by phone
		all = append(all, mustCreate(t, s, a.test, f))
	}
	mustCreate(t, s, a.live, named("live only"))
	byID := func(x, y fatora.Client) int { return cmp.Compare(x.ID, y.ID) }
	orders := map[fatora.ClientOrder]func(x, y fatora.Client) int{
		fatora.OrderOldest: byID,
		fatora.OrderNewest: func(x, y fatora.Client) int { return byID(y, x) },
		fatora.OrderName: func(x, y fatora.Client) int {
			return cmp.Or(cmp.Compare(x.Name, y.Name), byID(x, y))
		},
	}
	for order, compare := range orders {
		want := slices.SortedFunc(slices.Values(all), compare)
		var got []fatora.Client
		f := fatora.ClientFilter{PageSize: 2, Order: order}
		for range len(all) {
			page, err := s.Clients.FindClients(a.test, f)
			if err != nil {
				t.Fatalf("order %d: %v", order, err)
			}
			if page.TotalCount != len(all) {
				t.Fatalf("order %d: total %d, want %d", order, page.TotalCount, len(all))
			}
			got = append(got, page.Clients...)
			if !page.More {
				break
			}
			last := page.Clients[len(page.Clients)-1]
			f.After = last.ID
			if order == fatora.OrderName {
				f.AfterName = last.Name
			}
		}
		if !slices.EqualFunc(got, want, func(x, y fatora.Client) bool { return x.ID == y.ID }) {
			t.Errorf("order %d: got %v, want %v", order, names(got), names(want))
		}
	}
	_, err := s.Clients.FindClients(a.test, fatora.ClientFilter{Order: fatora.OrderName, Keyword: "ahmed"})
	wantCode(t, err, fatora.CodeInvalidQuery)
}

func names(cs []fatora.Client) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}
