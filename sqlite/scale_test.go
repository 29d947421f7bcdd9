package sqlite

import (
	"context"
	"database/sql"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

// TestSearchIsolationAtScale repeats TestSearchReadsOnlyItsTenant on a
// database that fatora-bench loaded (--bulk) for two merchants, named by
// FATORA_ISOLATION_DB (skipped without it). Each merchant's clients carry
// its run's tag in their e-mail: B (the first merchant) searching A's tag
// must read no more of the index than searching a tag nobody has. It also logs the
// medians of 200 such searches each, through the store.
func TestSearchIsolationAtScale(t *testing.T) {
	path := os.Getenv("FATORA_ISOLATION_DB")
	if path == "" {
		t.Skip("FATORA_ISOLATION_DB names no database")
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	check, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)") // the writer may be merging the search index
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	check.SetMaxOpenConns(1)
	if _, err := check.Exec("CREATE VIRTUAL TABLE temp.terms_vocab USING fts5vocab(main, client_terms, row)"); err != nil {
		t.Fatal(err)
	}
	b, a := benchTenants(t, check) // B the first merchant, keyed anew first
	const absent = "zyxwvuts"      // as many trigrams as a tag, held by nobody
	held, none, own := indexWork(t, check, b.scope, a.tag), indexWork(t, check, b.scope, absent), indexWork(t, check, a.scope, a.tag)
	t.Logf("B searching A's tag %s reads %v, an absent tag %v; A its tag %v (postings, candidate rows)", a.tag, held, none, own)
	// What B reads is B's own: the postings of its tokens are B's clients
	// holding each trigram, and none of them holds the whole tag.
	if own := ownPostings(t, check, b.scope, a.tag); held[0] != own || held[1] != 0 || none != [2]int{} {
		t.Errorf("B's search for A's tag reads %v, B's own clients hold %d of its trigrams; for an absent tag %v", held, own, none)
	}
	cs := NewClientService(db)
	t.Logf("medians of 200 searches each by B, in turns: A's tag, an absent tag: %v", medianSearches(t, cs, b.scope, [2]string{a.tag, absent}))
}

type benchTenant struct {
	scope fatora.Scope
	tag   string
}

// benchTenants returns the first two merchants fatora-bench made, with
// the tag of their clients' e-mail addresses (first.last.TAG.n@...).
func benchTenants(t *testing.T, db *sql.DB) (benchTenant, benchTenant) {
	t.Helper()
	rows, err := db.Query(`SELECT m.id, m.region, (SELECT email FROM clients WHERE merchant_id = m.id AND mode = 'live' LIMIT 1)
		FROM merchants m WHERE m.email LIKE 'bench%' ORDER BY m.id LIMIT 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ts []benchTenant
	for rows.Next() {
		var bt benchTenant
		var email string
		if err := rows.Scan(&bt.scope.MerchantID, &bt.scope.Region, &email); err != nil {
			t.Fatal(err)
		}
		bt.scope.Mode, bt.tag = fatora.ModeLive, strings.Split(email, ".")[2]
		ts = append(ts, bt)
	}
	if len(ts) != 2 {
		t.Fatalf("%d bench merchants with clients, want 2", len(ts))
	}
	return ts[0], ts[1]
}

// medianSearches returns the medians of 200 searches by scope for each of
// two keywords, taken in turns (which goes first alternates), so that
// neither gains from the other's warming up.
func medianSearches(t *testing.T, cs *ClientService, scope fatora.Scope, keywords [2]string) [2]time.Duration {
	t.Helper()
	ctx := fatora.WithScope(context.Background(), scope)
	var took [2][]time.Duration
	for i := range 400 {
		k := (i + i/2) % 2
		start := time.Now()
		if _, err := cs.FindClients(ctx, fatora.ClientFilter{Keyword: keywords[k]}); err != nil {
			t.Fatal(err)
		}
		took[k] = append(took[k], time.Since(start))
	}
	var medians [2]time.Duration
	for k := range took {
		slices.Sort(took[k])
		medians[k] = took[k][len(took[k])/2]
	}
	return medians
}

// ownPostings counts, for each trigram of keyword, the clients of scope
// whose search text holds it.
func ownPostings(t *testing.T, db *sql.DB, scope fatora.Scope, keyword string) int {
	t.Helper()
	seen, total := map[string]bool{}, 0
	for i := 0; i+3 <= len(keyword); i++ {
		g := keyword[i : i+3]
		if seen[g] {
			continue
		}
		seen[g] = true
		var n int
		err := db.QueryRow("SELECT count(*) FROM clients WHERE merchant_id = ? AND mode = ? AND search_version >= 2 AND instr(search_text, ?) > 0",
			scope.MerchantID, scope.Mode, g).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		total += n
	}
	return total
}
