package postgres

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/fatora-oss/fatora"
)

// TestWalkAnswersAsTheIndex: with walks short enough to stop before the
// tenant's last client (so that pages and counts are answered by the walk,
// by the terms index, or one by each), every keyword page, by offset and by
// cursor, in both orders, equals the page the terms index alone gives.
func TestWalkAnswersAsTheIndex(t *testing.T) {
	db := openTestDB(t)
	a, b := tenantScope(t, db, "a"), tenantScope(t, db, "b")
	cs := NewClientService(db)
	// Ids 4,096 apart: each client has a bucket of ids of its own (see
	// buckets.go), the two tenants' in turns, so a count or a page that
	// goes on past a walk reads many buckets and skips the other tenant's.
	if _, err := db.pool.Exec(context.Background(), "ALTER TABLE clients ALTER COLUMN id SET INCREMENT BY 4096"); err != nil {
		t.Fatal(err)
	}
	for i := range 160 {
		for _, scope := range []fatora.Scope{a, b} {
			name := fmt.Sprintf("Amal Haddad %d", i)
			if i%3 == 1 {
				name = fmt.Sprintf("Basel Nour %d", i)
			}
			c, err := cs.CreateClient(fatora.WithScope(context.Background(), scope),
				fatora.ClientFields{Name: name, Phone: fmt.Sprintf("5512 %04d", i)})
			if err != nil {
				t.Fatal(err)
			}
			if i%7 == 0 && scope == a {
				if err := cs.DeleteClient(fatora.WithScope(context.Background(), scope), c.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	defer func(n, probes int) { walkRows, bucketProbes = n, probes }(walkRows, bucketProbes)
	counts, pages := bucketCounts.Load(), bucketPages.Load()
	for _, keyword := range []string{"a", "55", "haddad", "nour 1", "5512 01", "zz"} {
		for _, order := range []fatora.ClientOrder{fatora.OrderOldest, fatora.OrderNewest} {
			for _, size := range []int{6, 20} {
				f := fatora.ClientFilter{Keyword: keyword, Order: order, PageSize: size}
				want := pagesOf(t, cs, a, f, 0)
				for _, n := range []int{1, 30, 120, 2000} {
					for _, bucketProbes = range []int{3, 100} {
						if got := pagesOf(t, cs, a, f, n); !reflect.DeepEqual(got, want) {
							t.Errorf("%+v with a walk of %d and %d bucket probes: %d pages differ from the index's %d", f, n, bucketProbes, len(got), len(want))
						}
					}
				}
			}
		}
	}
	if bucketCounts.Load() == counts || bucketPages.Load() == pages {
		t.Errorf("buckets answered %d counts and %d pages: the test must reach both", bucketCounts.Load()-counts, bucketPages.Load()-pages)
	}
}

// pagesOf returns the pages of f, by page number (the first three) and by
// cursor (all), with walks of n rows (0: none).
func pagesOf(t *testing.T, cs *ClientService, scope fatora.Scope, f fatora.ClientFilter, n int) []fatora.ClientPage {
	t.Helper()
	walkRows = n
	ctx := fatora.WithScope(context.Background(), scope)
	var pages []fatora.ClientPage
	for p := 1; p <= 3; p++ {
		f.Page = p
		page, err := cs.FindClients(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, page)
	}
	f.Page = 0
	for {
		page, err := cs.FindClients(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, page)
		if !page.More {
			return pages
		}
		f.After = page.Clients[len(page.Clients)-1].ID
	}
}
