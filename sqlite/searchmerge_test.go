package sqlite

import (
	"database/sql"
	"fmt"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/testenv"
)

// TestIdleWriterMergesSearchSegments: every catch-up of the search index
// adds a segment (here every write catches up), and a search seeks each
// term in every segment; once the writer has been idle the index holds at
// most one segment per level, far fewer than the automerge alone leaves.
func TestIdleWriterMergesSearchSegments(t *testing.T) {
	db, path, ctx := openTenant(t)
	cs := NewClientService(db)
	for i := range 400 {
		if _, err := cs.CreateClient(ctx, fatora.ClientFields{Name: fmt.Sprintf("Client %d Haddad", i)}); err != nil {
			t.Fatal(err)
		}
	}
	drainSignal(db.writer.mergeIdle)
	if _, err := cs.CreateClient(ctx, fatora.ClientFields{Name: "Last Haddad"}); err != nil {
		t.Fatal(err)
	}
	testenv.Receive(t, db.writer.mergeIdle, "the writer to merge the search index") // all it could since a write after the one above
	check, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	var segments int
	if err := check.QueryRow("SELECT count(DISTINCT segid) FROM client_terms_idx").Scan(&segments); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d segments", segments)
	if segments > 4 {
		t.Errorf("the search index holds %d segments after 401 catch-ups and an idle writer, want at most 4", segments)
	}
	page, err := cs.FindClients(ctx, fatora.ClientFilter{Keyword: "haddad", PageSize: 5})
	if err != nil || len(page.Clients) != 5 || page.TotalCount < fatora.MaxKeywordCount {
		t.Errorf("a search after merging: %d clients of %d, %v; want 5 of at least %d", len(page.Clients), page.TotalCount, err, fatora.MaxKeywordCount)
	}
	checkSearchIndex(t, path)
}

func drainSignal(c <-chan struct{}) {
	select {
	case <-c:
	default:
	}
}
