package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/fatora-oss/fatora"
)

// keptTables are the tables EraseData leaves as they are.
var keptTables = map[string]bool{"merchants": true, "api_keys": true, "signing_secrets": true, "schema_migrations": true}

// TestEraseData fills every kind of data, erases it, and checks that every
// table but the kept ones is empty (a table a later migration adds fails
// here until EraseData empties it), that the search index agrees with the
// clients, that client ids start again at 1 without the old client's text
// matching the new one, and that an idempotency key is new again.
func TestEraseData(t *testing.T) {
	db, path, ctx := openTenant(t)
	cs := NewClientService(db)
	key := &fatora.Idempotency{Key: "k1", Fingerprint: "f1", TTL: fatora.DefaultIdempotencyTTL,
		Render: func(fatora.Client) fatora.StoredResponse { return fatora.StoredResponse{Status: 201} }}
	if _, err := cs.CreateClient(fatora.WithIdempotency(ctx, key), fatora.ClientFields{Name: "Erased Person"}); err != nil {
		t.Fatal(err)
	}
	var last fatora.Client
	for i := range 5 {
		c, err := cs.CreateClient(ctx, fatora.ClientFields{Name: fmt.Sprintf("Other Person %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		last = c
	}
	renamed := "Renamed Person"
	if _, err := cs.UpdateClient(ctx, last.ID, fatora.ClientUpdate{Name: &renamed}); err != nil {
		t.Fatal(err)
	}
	w := fatora.WebhookEndpoint{ID: fatora.NewWebhookEndpointID(), URL: "https://hooks.example.com/in", Enabled: true, Secret: "whsec_x"}
	if err := NewWebhookService(db).CreateWebhookEndpoint(ctx, &w); err != nil {
		t.Fatal(err)
	}
	if _, err := NewWebhookService(db).SendTestEvent(ctx, w.ID); err != nil {
		t.Fatal(err)
	}

	if err := db.EraseData(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkOnlyKeptTablesHoldRows(t, path)
	checkSearchIndex(t, path)
	fresh, err := cs.CreateClient(fatora.WithIdempotency(ctx, key), fatora.ClientFields{Name: "Fresh Start"})
	if err != nil || fresh.ID != 1 {
		t.Fatalf("first client after erasing: id %d, %v; want a new client with id 1", fresh.ID, err)
	}
	for keyword, want := range map[string]int{"erased": 0, "person": 0, "fresh": 1, "": 1} {
		page, err := cs.FindClients(ctx, fatora.ClientFilter{Keyword: keyword})
		if err != nil || page.TotalCount != want || len(page.Clients) != want {
			t.Errorf("keyword %q: %d clients, total %d (%v); want %d", keyword, len(page.Clients), page.TotalCount, err, want)
		}
	}
	if ms, err := NewMerchantService(db).ListMerchants(context.Background()); err != nil || len(ms) != 1 {
		t.Errorf("merchants after erasing: %v (%v), want the one", ms, err)
	}
}

// checkOnlyKeptTablesHoldRows fails for each ordinary table outside
// keptTables that has a row (FTS5's own tables are checked by
// checkSearchIndex).
func checkOnlyKeptTablesHoldRows(t *testing.T, path string) {
	t.Helper()
	check, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)") // the writer may be merging the search index
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	rows, err := check.Query(`SELECT name FROM pragma_table_list
		WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	for _, name := range tables {
		var n int
		if err := check.QueryRow(`SELECT count(*) FROM "` + name + `"`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 && !keptTables[name] {
			t.Errorf("table %s holds %d rows after EraseData; want none (only %v keep theirs)", name, n, keptTables)
		}
	}
}
