package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/sqlite"
	"github.com/fatora-oss/fatora/storetest"
)

// metadataBenchClients is how many clients BenchmarkMetadataFilter's
// merchant has.
const metadataBenchClients = 1_000_000

// BenchmarkMetadataFilter lists the first page of a merchant with a
// million clients by metadata: an exact crm_id (one match), a tier half of
// them have (500,000 matches, counted up to 1,001) and two keys at once. Seeding
// writes the clients straight into the file in one statement (the
// triggers fill the metadata index) and takes about a minute. Run it with
//
//	go test ./sqlite -run '^$' -bench MetadataFilter -benchtime 200x
func BenchmarkMetadataFilter(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	m := fatora.Merchant{Name: "Bench", Email: "bench@example.com"}
	if err := sqlite.NewMerchantService(db).CreateMerchant(context.Background(), &m, nil); err != nil {
		b.Fatal(err)
	}
	seedMetadataClients(b, path, m.ID, metadataBenchClients)
	ctx := fatora.WithScope(context.Background(), fatora.Scope{MerchantID: m.ID, Mode: fatora.ModeLive})
	clients := sqlite.NewClientService(db)
	storetest.BenchMetadataFilter(b, clients, ctx)
}

// seedMetadataClients writes n live clients of the merchant, each with a
// crm_id of its own and one of two tiers, in one statement.
func seedMetadataClients(b *testing.B, path string, merchantID int64, n int) {
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)") // the store's writer may be merging the search index
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	_, err = raw.Exec(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
		INSERT INTO clients (merchant_id, mode, name, phone, email, address, notes, email_folded, phone_digits,
			search_text, dedup, created_at, updated_at, metadata)
		SELECT ?, 'live', 'Client ' || i, '', '', '', '', '', '', 'client ' || i, 'seed-' || i,
			1767225600000000 + i, 1767225600000000 + i,
			json_object('crm_id', 'CRM-' || i, 'tier', CASE i % 2 WHEN 0 THEN 'gold' ELSE 'silver' END)
		FROM seq`, n, merchantID)
	if err != nil {
		b.Fatal(err)
	}
}
