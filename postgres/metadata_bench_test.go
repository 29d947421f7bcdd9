package postgres_test

import (
	"context"
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
// matches, all counted) and two keys at once. Seeding inserts the clients
// with generate_series and analyzes the table; it takes a few minutes on
// the shared machine. Run it with
//
//	go test ./postgres -run '^$' -bench MetadataFilter -benchtime 200x
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
// crm_id of its own and one of two tiers, then analyzes the table.
func seedMetadataClients(b *testing.B, dsn string, merchantID int64, n int) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, stmt := range []string{`INSERT INTO clients (merchant_id, mode, name, phone, email, address, notes, email_folded,
			phone_digits, search_text, dedup, created_at, updated_at, metadata)
		SELECT $1, 'live', 'Client ' || i, '', '', '', '', '', '', 'client ' || i, 'seed-' || i, now(), now(),
			jsonb_build_object('crm_id', 'CRM-' || i, 'tier', CASE i % 2 WHEN 0 THEN 'gold' ELSE 'silver' END)
		FROM generate_series(1, $2::int) i`, `ANALYZE clients`} {
		args := []any{merchantID, n}
		if stmt == `ANALYZE clients` {
			args = nil
		}
		if _, err := conn.Exec(ctx, stmt, args...); err != nil {
			b.Fatal(err)
		}
	}
}
