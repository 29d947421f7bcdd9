package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/fatora-oss/fatora"
)

// TestSearchTermsAgree holds the SQL function search_terms (migration 0008)
// to fatora.SearchTerms, which the queries look its index up with.
func TestSearchTermsAgree(t *testing.T) {
	db := openTestDB(t)
	scope := fatora.Scope{MerchantID: 42, Mode: fatora.ModeLive}
	texts := []string{"", "a", "ab", "ahmad.k@example.qa\n+97455123456", "أحمد الكعبي\n\n5512 3456\ndoha, qatar\n+97455123456",
		"100% cotton_shop\n\n4455\n\n4455", "x--y..z  w", "😀😀😀 ok", "مؤسسة\tالنور"}
	for _, text := range texts {
		var got []string
		if err := db.pool.QueryRow(context.Background(), "SELECT search_terms($1, $2, $3)", scope.MerchantID, string(scope.Mode), text).Scan(&got); err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, term := range fatora.SearchTerms(text) {
			want = append(want, termOf(scope, term))
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("search_terms(%q) = %q, fatora.SearchTerms gives %q", text, got, want)
		}
	}
}

// TestSearchReadsOnlyItsTenant: merchant A holds 3,000 clients matching a
// word and B none. B's search for that word reads exactly as many buffers
// (pages) as its search for a word nobody holds, and finds nothing; A's
// own search of it reads many more, which shows the measure sees a
// tenant's matches. Likewise for the walk (walk.go), and A's walk reads a
// number of pages bounded by its length.
func TestSearchReadsOnlyItsTenant(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 3,000 clients")
	}
	db := openTestDB(t)
	a, b := tenantScope(t, db, "a"), tenantScope(t, db, "b")
	cs := NewClientService(db)
	var g errgroup.Group
	g.SetLimit(8)
	for i := range 3000 {
		g.Go(func() error {
			_, err := cs.CreateClient(fatora.WithScope(context.Background(), a),
				fatora.ClientFields{Name: fmt.Sprintf("Zephyrine %d", i), Email: fmt.Sprintf("z%d@zephyrine.example", i)})
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if _, err := cs.CreateClient(fatora.WithScope(context.Background(), b), fatora.ClientFields{Name: fmt.Sprintf("Someone Else %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	<-db.rekeyer.Done() // queries take their final form once it is complete
	if _, err := db.pool.Exec(context.Background(), "ANALYZE clients"); err != nil {
		t.Fatal(err)
	}
	keywords := []string{"zephyrine", "ze", "z"}
	checkWalkPages(t, db, a, b, keywords)
	for _, keyword := range keywords {
		held, absent := leastPagesRead(t, db, b, keyword), leastPagesRead(t, db, b, "q"+keyword[1:]) // as many trigrams
		if slack := termsLookedUp(keyword, b.Region); held > absent+slack || absent > held+slack {
			t.Errorf("B's search for %q reads %d pages, for an absent word %d (%d terms looked up): it depends on A's clients",
				keyword, held, absent, slack)
		}
		own := pagesRead(t, db, a, keyword)
		t.Logf("%q: B reads %d pages, %d for an absent word; A reads %d", keyword, held, absent, own)
		if own <= absent+5 {
			t.Errorf("A's search for %q reads %d pages, B's %d: the measure does not see matches", keyword, own, absent)
		}
	}
}

// checkWalkPages checks that B's walk (walk.go) for A's word reads as many
// pages as for a word nobody holds and finds nothing, and that A's walk of
// a word none of its clients holds, reading up to walkRows of them, reads
// a number of pages bounded by walkRows, not by A's clients.
func checkWalkPages(t *testing.T, db *DB, a, b fatora.Scope, keywords []string) {
	t.Helper()
	for _, keyword := range keywords {
		held, absent := walkPagesRead(t, db, b, keyword), walkPagesRead(t, db, b, "q"+keyword[1:])
		t.Logf("B's walk for %q reads %d pages, %d for an absent word", keyword, held, absent)
		if held != absent {
			t.Errorf("B's walk for %q reads %d pages, for an absent word %d", keyword, held, absent)
		}
		page, err := NewClientService(db).FindClients(fatora.WithScope(context.Background(), b), fatora.ClientFilter{Keyword: keyword})
		if err != nil || page.TotalCount != 0 || len(page.Clients) != 0 {
			t.Errorf("B's search for %q found %d (%v)", keyword, page.TotalCount, err)
		}
	}
	defer func(n int) { walkRows = n }(walkRows)
	for _, n := range []int{250, 500} {
		walkRows = n
		absent, own := walkPagesRead(t, db, a, "qephyrine"), walkPagesRead(t, db, a, "zephyrine")
		t.Logf("A's walk of %d rows reads %d pages for an absent word, %d for its word", n, absent, own)
		// Two walks (the count's and the page's), each at most a heap page
		// a row and the index's path.
		if bound := 2 * (n + 25); absent > bound || own > absent {
			t.Errorf("A's walk of %d rows reads %d pages for an absent word (at most %d), %d for its own word", n, absent, bound, own)
		}
	}
}

func tenantScope(t *testing.T, db *DB, name string) fatora.Scope {
	t.Helper()
	m := fatora.Merchant{Name: name, Email: name + "@example.com"}
	if err := NewMerchantService(db).CreateMerchant(context.Background(), &m, nil); err != nil {
		t.Fatal(err)
	}
	return fatora.Scope{MerchantID: m.ID, Mode: fatora.ModeTest, Region: m.Region}
}

// leastPagesRead is the fewest pages of three runs of pagesRead: a run
// beside autovacuum, which the 3,000 inserts start, can read more.
func leastPagesRead(t *testing.T, db *DB, scope fatora.Scope, keyword string) int {
	least := pagesRead(t, db, scope, keyword)
	for range 2 {
		least = min(least, pagesRead(t, db, scope, keyword))
	}
	return least
}

// termsLookedUp is how many index terms a search for keyword looks up,
// the slack allowed between B's two searches: one page a term. Once, under
// -race in CI, B's first search read 33 pages against 30 (not seen in
// plain runs, nor with the least of three runs); whatever its cause, it is
// not the other tenant's postings, whose reading costs A over a hundred
// pages more here, so a leak still fails the test.
func termsLookedUp(keyword, region string) int {
	n := 0
	for _, f := range fatora.KeywordForms(fatora.Fold(keyword), region) {
		n += len(f.Terms)
	}
	return n
}

// pagesRead returns the buffers (shared hits and reads) the count and the
// first page of a keyword search of scope read, from EXPLAIN ANALYZE.
func pagesRead(t *testing.T, db *DB, scope fatora.Scope, keyword string) int {
	t.Helper()
	f, err := fatora.ClientFilter{Keyword: keyword}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	where, args := filterClause(scope, f, db.restorableSince(), db.rekeyer.complete.Load())
	return explainPages(t, db, keywordPlanSQL, args,
		"SELECT count(*) FROM (SELECT 1 FROM clients WHERE "+where+" LIMIT "+strconv.Itoa(f.CountLimit())+") t",
		"SELECT "+clientColumns+" FROM clients WHERE "+where+" ORDER BY id LIMIT 21")
}

// walkPagesRead returns the buffers the walk of a keyword search of scope
// (its count and its first page) read.
func walkPagesRead(t *testing.T, db *DB, scope fatora.Scope, keyword string) int {
	t.Helper()
	f, err := fatora.ClientFilter{Keyword: keyword}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	// A first page walks once for its count and its page (see walk).
	page, pageArgs := walkPageSQL(scope, f, max(f.CountLimit()+1, f.PageSize+2))
	return explainPages(t, db, walkPlanSQL, pageArgs, page)
}

// explainPages returns the buffers (shared hits and reads) that queries
// read, each planned after plan, from EXPLAIN ANALYZE.
func explainPages(t *testing.T, db *DB, plan string, args []any, queries ...string) int {
	t.Helper()
	total := 0
	for _, query := range queries {
		var out []struct {
			Plan map[string]any `json:"Plan"`
		}
		var raw string
		tx, err := db.pool.Begin(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(context.Background(), plan); err != nil {
			t.Fatal(err)
		}
		err = tx.QueryRow(context.Background(), "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "+query, args...).Scan(&raw)
		tx.Rollback(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if err := json.NewDecoder(strings.NewReader(raw)).Decode(&out); err != nil {
			t.Fatal(err)
		}
		total += int(out[0].Plan["Shared Hit Blocks"].(float64) + out[0].Plan["Shared Read Blocks"].(float64))
	}
	return total
}
