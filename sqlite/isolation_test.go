package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/fatora-oss/fatora"
)

// TestSearchReadsOnlyItsTenant: merchant A holds 3,000 clients matching a
// word and B none. B's search for that word reads as many index entries
// (the postings of the tokens its query looks up, counted with fts5vocab)
// and gets as many candidate rows from the index as its search for a word
// nobody holds: none. A's own search reads A's 3,000, which shows the
// measure sees a tenant's matches.
func TestSearchReadsOnlyItsTenant(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 3,000 clients")
	}
	db, path := openFile(t)
	a, b := sqliteTenant(t, db, "a"), sqliteTenant(t, db, "b")
	cs := NewClientService(db)
	var g errgroup.Group
	g.SetLimit(16)
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
	db.writer.searchCatchUp = 1 // the next write brings the index up to date
	if _, err := cs.CreateClient(fatora.WithScope(context.Background(), b), fatora.ClientFields{Name: "Someone Else"}); err != nil {
		t.Fatal(err)
	}
	check, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)") // the writer may be merging the search index
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	check.SetMaxOpenConns(1) // the vocabulary table is the connection's
	if _, err := check.Exec("CREATE VIRTUAL TABLE temp.terms_vocab USING fts5vocab(main, client_terms, row)"); err != nil {
		t.Fatal(err)
	}
	for _, keyword := range []string{"zephyrine", "ze", "z"} {
		held, absent := indexWork(t, check, b, keyword), indexWork(t, check, b, "q"+keyword[1:])
		own := indexWork(t, check, a, keyword)
		t.Logf("%q: B reads %v, %v for an absent word; A reads %v (postings, candidate rows)", keyword, held, absent, own)
		if held != absent || held != [2]int{} {
			t.Errorf("B's search for %q reads %v, for an absent word %v: it depends on A's clients", keyword, held, absent)
		}
		if own[0] < 3000 || own[1] != 3000 {
			t.Errorf("A's search for %q reads %v, want at least 3,000 postings and 3,000 rows", keyword, own)
		}
	}
}

func sqliteTenant(t *testing.T, db *DB, name string) fatora.Scope {
	t.Helper()
	m := fatora.Merchant{Name: name, Email: name + "@example.com"}
	if err := NewMerchantService(db).CreateMerchant(context.Background(), &m, nil); err != nil {
		t.Fatal(err)
	}
	return fatora.Scope{MerchantID: m.ID, Mode: fatora.ModeTest, Region: m.Region}
}

// indexWork returns the postings of the tokens a keyword search of scope
// looks up, and the rows its index lookup yields.
func indexWork(t *testing.T, db *sql.DB, scope fatora.Scope, keyword string) [2]int {
	t.Helper()
	k := keywordSearch{forms: fatora.KeywordForms(fatora.Fold(keyword), scope.Region), scope: scope}
	var tokens []any
	for _, f := range k.forms {
		for _, term := range f.Terms {
			tokens = append(tokens, token(scope, term))
		}
	}
	var work [2]int
	err := db.QueryRow("SELECT coalesce(sum(doc), 0) FROM temp.terms_vocab WHERE term IN (?"+strings.Repeat(", ?", len(tokens)-1)+")",
		tokens...).Scan(&work[0])
	if err == nil {
		err = db.QueryRow("SELECT count(*) FROM client_terms WHERE client_terms MATCH ?", k.match()).Scan(&work[1])
	}
	if err != nil {
		t.Fatal(err)
	}
	return work
}
