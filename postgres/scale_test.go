package postgres

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

// TestSearchIsolationAtScale repeats TestSearchReadsOnlyItsTenant on a
// schema that fatora-bench loaded (--bulk) for two merchants, named by
// FATORA_ISOLATION_PG (a DSN with its search_path; skipped without it).
// Each merchant's clients carry its run's tag in their e-mail: B's search
// for A's tag must read as many pages as for a tag nobody has. It also
// logs the medians of 200 such searches each, through the store.
func TestSearchIsolationAtScale(t *testing.T) {
	dsn := os.Getenv("FATORA_ISOLATION_PG")
	if dsn == "" {
		t.Skip("FATORA_ISOLATION_PG names no schema")
	}
	db, err := Open(context.Background(), dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.pool.Query(context.Background(), `SELECT m.id, m.region,
			(SELECT email FROM clients WHERE merchant_id = m.id AND mode = 'live' LIMIT 1)
		FROM merchants m WHERE m.email LIKE 'bench%' ORDER BY m.id LIMIT 2`)
	if err != nil {
		t.Fatal(err)
	}
	var scopes []fatora.Scope
	var tags []string
	for rows.Next() {
		s := fatora.Scope{Mode: fatora.ModeLive}
		var email string
		if err := rows.Scan(&s.MerchantID, &s.Region, &email); err != nil {
			t.Fatal(err)
		}
		scopes, tags = append(scopes, s), append(tags, strings.Split(email, ".")[2])
	}
	if len(scopes) != 2 {
		t.Fatalf("%d bench merchants with clients, want 2", len(scopes))
	}
	const absent = "zyxwvuts" // as many trigrams as a tag, held by nobody
	held, none, own := pagesRead(t, db, scopes[1], tags[0]), pagesRead(t, db, scopes[1], absent), pagesRead(t, db, scopes[0], tags[0])
	t.Logf("B searching A's tag %s reads %d pages, an absent tag %d; A its tag %d", tags[0], held, none, own)
	if held != none {
		t.Errorf("B's search for A's tag reads %d pages, for an absent tag %d", held, none)
	}
	cs := NewClientService(db)
	t.Logf("medians of 200 searches each by B, in turns: A's tag, an absent tag: %v",
		medianSearches(t, cs, scopes[1], [2]string{tags[0], absent}))
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
