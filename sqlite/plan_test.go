package sqlite

import (
	"context"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora"
)

// TestSearchCatchUpReadsOnlyPendingClients plans the search index's
// catch-up on a store without statistics (as every new or migrated one
// is): each statement must start from the pending clients and look each
// client up by id, never scan the clients table, whose size would then be
// paid at every catch-up (it was: a third of a create's CPU at 20,000
// clients).
func TestSearchCatchUpReadsOnlyPendingClients(t *testing.T) {
	db, _ := openFile(t)
	for _, stmt := range searchCatchUpStatements {
		plan := queryPlan(t, db, stmt)
		for _, step := range plan {
			if step == "SCAN c" || strings.HasPrefix(step, "SCAN clients ") || step == "SCAN clients" {
				t.Errorf("%s\nis planned as %q: a scan of the clients", stmt, plan)
			}
		}
	}
}

// TestRekeyDuplicateCheckUsesTheKeysIndex: the rekeying's duplicate check
// must look the key up in the unique index of live clients' keys; any
// other plan reads the tenant's clients for each client keyed (a 1,000,000
// client migration did not finish).
func TestRekeyDuplicateCheckUsesTheKeysIndex(t *testing.T) {
	db, _ := openFile(t)
	plan := queryPlan(t, db, rekeyDuplicateSQL, 1, "live", "k", 1)
	if len(plan) != 1 || !strings.Contains(plan[0], "INDEX clients_dedup (merchant_id=? AND mode=? AND dedup=?)") {
		t.Errorf("the duplicate check is planned as %q, want a search of clients_dedup", plan)
	}
}

// queryPlan returns the steps of EXPLAIN QUERY PLAN stmt.
func queryPlan(t *testing.T, db *DB, stmt string, args ...any) []string {
	t.Helper()
	rows, err := db.read.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+stmt, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}

// BenchmarkTermsText is the index tokens of a client with an Arabic name
// and address, computed by search_terms in the writer on every create.
func BenchmarkTermsText(b *testing.B) {
	f := fatora.ClientFields{Name: "محمد عبد الله الكواري", Email: "m.alkuwari@example.qa", Phone: "+974 5512 3456", Address: "الدوحة، شارع الخليج 12"}
	text := f.MatchKeys("QA").SearchText
	scope := fatora.Scope{MerchantID: 12, Mode: fatora.ModeLive}
	b.ReportAllocs()
	for b.Loop() {
		termsText(scope, text)
	}
}
