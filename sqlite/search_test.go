package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/fatora-oss/fatora"
)

// TestSearchIndexStaysConsistent makes, changes and deletes clients in
// concurrent batches, then has FTS5 check its index against the clients
// and looks every client up through it.
func TestSearchIndexStaysConsistent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m := fatora.Merchant{Name: "Search", Email: "search@example.com"}
	if err := NewMerchantService(db).CreateMerchant(context.Background(), &m, nil); err != nil {
		t.Fatal(err)
	}
	ctx := fatora.WithScope(context.Background(), fatora.Scope{MerchantID: m.ID, Mode: fatora.ModeTest})
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
	check, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	if _, err := check.Exec("INSERT INTO clients_search (clients_search, rank) VALUES ('integrity-check', 1)"); err != nil {
		t.Fatalf("the search index disagrees with the clients: %v", err)
	}
	for keyword, want := range map[string]int{"searchable": 40, "renamed": 40, "named 00": 3, "able 002": 0} {
		page, err := cs.FindClients(ctx, fatora.ClientFilter{Keyword: keyword})
		if err != nil || page.TotalCount != want {
			t.Errorf("keyword %q finds %d (%v), want %d", keyword, page.TotalCount, err, want)
		}
	}
}

// TestSearchIndexMergeSettings holds the index to the merge settings of
// migration 0005, which keep it cheap to write without long stalls.
func TestSearchIndexMergeSettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	check, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	for k, want := range map[string]int{"automerge": 8, "crisismerge": 32} {
		var v int
		if err := check.QueryRow("SELECT v FROM clients_search_config WHERE k = ?", k).Scan(&v); err != nil || v != want {
			t.Errorf("%s = %d (%v), want %d", k, v, err, want)
		}
	}
}
