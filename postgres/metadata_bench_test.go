package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/testenv"
	"github.com/fatora-oss/fatora/postgres"
	"github.com/fatora-oss/fatora/storetest"
)

// BenchmarkMetadataFilter lists the first page of a merchant with a
// million clients by metadata, as the SQLite benchmark of the same name
// does: an exact crm_id (one match), a tier half of them have (500,000
// matches, counted up to 1,001) and two keys at once. Seeding inserts the
// clients with generate_series, builds the metadata index and analyzes the
// table; it takes a few minutes on the shared machine. Run it with
//
//	go test ./postgres -run '^$' -bench MetadataFilter -benchtime 200x -timeout 30m
func BenchmarkMetadataFilter(b *testing.B) {
	ctx := context.Background()
	dsn := testenv.PostgresSchema(b)
	db, err := postgres.Open(ctx, dsn, postgres.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	m := fatora.Merchant{Name: "Bench", Email: "bench@example.com"}
	if err := postgres.NewMerchantService(db).CreateMerchant(ctx, &m, nil); err != nil {
		b.Fatal(err)
	}
	seedMetadataClients(b, dsn, m.ID, 1_000_000)
	scope := fatora.WithScope(ctx, fatora.Scope{MerchantID: m.ID, Mode: fatora.ModeLive})
	clients := postgres.NewClientService(db)
	storetest.BenchMetadataFilter(b, clients, scope)
}

// seedMetadataClients inserts n live clients of the merchant, each with a
// crm_id of its own and one of two tiers. The count trigger and the search
// and metadata indexes are set aside meanwhile (row by row they made the
// insert take over ten minutes here): the tally is written once and the
// metadata index built after; the benchmark does not search.
func seedMetadataClients(b *testing.B, dsn string, merchantID int64, n int) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, stmt := range []string{
		`ALTER TABLE clients DISABLE TRIGGER clients_count`,
		`DROP INDEX clients_search`,
		`DROP INDEX clients_metadata`,
		`INSERT INTO clients (merchant_id, mode, name, phone, email, address, notes, email_folded,
			phone_digits, search_text, dedup, created_at, updated_at, metadata)
		SELECT $1, 'live', 'Client ' || i, '', '', '', '', '', '', 'client ' || i, 'seed-' || i, now(), now(),
			jsonb_build_object('crm_id', 'CRM-' || i, 'tier', CASE i % 2 WHEN 0 THEN 'gold' ELSE 'silver' END)
		FROM generate_series(1, $2::int) i`,
		`INSERT INTO client_counts (merchant_id, mode, slot, n) VALUES ($1, 'live', 0, $2::int)`,
		`ALTER TABLE clients ENABLE TRIGGER clients_count`,
		`CREATE INDEX clients_metadata ON clients USING gin (merchant_id, mode, metadata jsonb_path_ops)`,
		`ANALYZE clients`,
	} {
		var args []any
		if strings.Contains(stmt, "$1") {
			args = []any{merchantID, n}
		}
		if _, err := conn.Exec(ctx, stmt, args...); err != nil {
			b.Fatalf("%s: %v", stmt, err)
		}
	}
}
