package sqlite

import (
	"database/sql"
	"fmt"
	"sync"
	"testing"

	"github.com/fatora-oss/fatora"
)

// TestSearchIndexStaysConsistent makes, changes and deletes clients in
// concurrent batches, then has FTS5 check its index against the clients
// and looks every client up through it.
func TestSearchIndexStaysConsistent(t *testing.T) {
	db, path, ctx := openTenant(t)
	cs := NewClientService(db)
	var wg sync.WaitGroup
	for i := range 120 {
		wg.Go(func() {
			c, err := cs.CreateClient(ctx, fatora.ClientFields{Name: fmt.Sprintf("Searchable %03d", i)})
			if err != nil {
				t.Error(err)
				return
			}
			switch i % 3 {
			case 1:
				renamed := fmt.Sprintf("Renamed %03d", i)
				_, err = cs.UpdateClient(ctx, c.ID, fatora.ClientUpdate{Name: &renamed})
			case 2:
				err = cs.DeleteClient(ctx, c.ID)
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	checkSearchIndex(t, path)
	for keyword, want := range map[string]int{"searchable": 40, "renamed": 40, "named 00": 3, "able 002": 0} {
		page, err := cs.FindClients(ctx, fatora.ClientFilter{Keyword: keyword})
		if err != nil || page.TotalCount != want {
			t.Errorf("keyword %q finds %d (%v), want %d", keyword, page.TotalCount, err, want)
		}
	}
}

// TestSearchIndexMergeSettings holds the index to the merge settings of
// migration 0010, which keep it cheap to write without long stalls.
func TestSearchIndexMergeSettings(t *testing.T) {
	_, path := openFile(t)
	check, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)") // the writer may be merging the search index
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	for k, want := range map[string]int{"automerge": 8, "crisismerge": 32} {
		var v int
		if err := check.QueryRow("SELECT v FROM client_terms_config WHERE k = ?", k).Scan(&v); err != nil || v != want {
			t.Errorf("%s = %d (%v), want %d", k, v, err, want)
		}
	}
}

// TestSearchFindsClientsTheIndexHasNotCaughtUpWith holds keyword search to
// the clients as they are, while the index lags behind them.
func TestSearchFindsClientsTheIndexHasNotCaughtUpWith(t *testing.T) {
	db, path, ctx := openTenant(t)
	cs := NewClientService(db)
	indexed, err := cs.CreateClient(ctx, fatora.ClientFields{Name: "Indexed Searchable"})
	if err != nil {
		t.Fatal(err)
	}
	db.writer.searchCatchUp, db.writer.searchCatchUpIdle = 1<<30, false // the index stops here
	fresh, err := cs.CreateClient(ctx, fatora.ClientFields{Name: "Fresh Searchable"})
	if err != nil {
		t.Fatal(err)
	}
	renamed := "Indexed Renamed"
	if _, err := cs.UpdateClient(ctx, indexed.ID, fatora.ClientUpdate{Name: &renamed}); err != nil {
		t.Fatal(err)
	}
	var waiting int
	if err := db.read.QueryRow("SELECT count(*) FROM clients_search_pending").Scan(&waiting); err != nil || waiting != 2 {
		t.Fatalf("%d clients wait for the index (%v), want 2: the test needs a lagging index", waiting, err)
	}
	wantFound := func(keyword string, ids ...int64) {
		t.Helper()
		page, err := cs.FindClients(ctx, fatora.ClientFilter{Keyword: keyword})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, c := range page.Clients {
			got = append(got, c.ID)
		}
		if fmt.Sprint(got) != fmt.Sprint(ids) || page.TotalCount != len(ids) {
			t.Errorf("keyword %q found %v (total %d), want %v", keyword, got, page.TotalCount, ids)
		}
	}
	wantFound("searchable", fresh.ID) // the indexed text of the renamed client no longer matches
	wantFound("renamed", indexed.ID)  // found before the index knows the new name
	wantFound("fresh search", fresh.ID)
	if err := cs.DeleteClient(ctx, fresh.ID); err != nil {
		t.Fatal(err)
	}
	wantFound("searchable")
	db.writer.searchCatchUp = 1 // the next write brings the index up to date
	if _, err := cs.CreateClient(ctx, fatora.ClientFields{Name: "Last"}); err != nil {
		t.Fatal(err)
	}
	wantFound("renamed", indexed.ID)
	if err := db.read.QueryRow("SELECT count(*) FROM clients_search_pending").Scan(&waiting); err != nil || waiting != 0 {
		t.Errorf("%d clients still wait for the index (%v), want 0", waiting, err)
	}
	checkSearchIndex(t, path)
}

// checkSearchIndex has FTS5 check the index of the store at path, on a
// connection of its own, and checks it against the clients: it holds
// exactly the clients keyed by this version, each under its own terms.
func checkSearchIndex(t *testing.T, path string) {
	t.Helper()
	check, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)") // the writer may be merging the search index
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	if _, err := check.Exec("INSERT INTO client_terms (client_terms, rank) VALUES ('integrity-check', 0)"); err != nil {
		t.Fatalf("the search index is damaged: %v", err)
	}
	var missing, extra int
	err = check.QueryRow(`SELECT (SELECT count(*) FROM clients c WHERE search_version >= 2 AND NOT EXISTS
			(SELECT 1 FROM client_terms WHERE client_terms MATCH trim(search_terms(c.merchant_id, c.mode, c.search_text)) AND rowid = c.id)),
		(SELECT count(*) FROM client_terms t WHERE NOT EXISTS (SELECT 1 FROM clients WHERE id = t.rowid))`).Scan(&missing, &extra)
	if err != nil || missing+extra > 0 {
		t.Fatalf("the search index misses %d clients and holds %d others (%v)", missing, extra, err)
	}
}
