package postgres

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
)

// TestClaimPlanWithoutStatistics plans the claim over 20,000 pending
// deliveries that were never analyzed, as a queue is when it fills faster
// than autovacuum runs or after the database crashed: the plan walks the
// due index in order (no sort of every due delivery) and finds each
// client's oldest event in the order index, so a claim costs its batch and
// not the queue.
func TestClaimPlanWithoutStatistics(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	m := fatora.Merchant{Name: "Queue", Email: "queue@example.com"}
	if err := NewMerchantService(db).CreateMerchant(ctx, &m, nil); err != nil {
		t.Fatal(err)
	}
	fill := []string{
		`ALTER TABLE webhook_deliveries SET (autovacuum_enabled = false)`,
		`ALTER TABLE events SET (autovacuum_enabled = false)`,
		`INSERT INTO webhook_endpoints (merchant_id, id, mode, url, description, events, enabled, disabled_reason,
			secret, previous_secret, previous_secret_until, created_at, updated_at)
			VALUES ($1, 'we_1', 'test', 'https://example.com/hook', '', '{}', true, '', 'whsec_x', '', now(), now(), now())`,
		`INSERT INTO events (merchant_id, id, mode, type, client_id, created_at)
			SELECT $1, 'ev_' || g, 'test', 'client.created', g, now() FROM generate_series(1, 20000) g`,
		`INSERT INTO webhook_deliveries (merchant_id, endpoint_id, event_seq, client_id, state, attempts, next_at)
			SELECT merchant_id, 'we_1', seq, client_id, 'pending', 0, created_at FROM events WHERE merchant_id = $1`,
	}
	for _, sql := range fill {
		args := []any{m.ID}
		if !strings.Contains(sql, "$1") {
			args = nil
		}
		if _, err := db.pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	var plan strings.Builder
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, claimPlanSQL); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "EXPLAIN "+claimSQL, time.Now().Add(time.Hour), time.Now().Add(2*time.Hour), 32)
		if err != nil {
			return err
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		plan.WriteString(strings.Join(lines, "\n"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	p := plan.String()
	for _, want := range []string{"Index Scan using webhook_deliveries_due", "webhook_deliveries_order"} {
		if !strings.Contains(p, want) {
			t.Errorf("the claim's plan does not use %q:\n%s", want, p)
		}
	}
	for _, bad := range []string{"Sort", "Seq Scan on webhook_deliveries", "Bitmap Heap Scan on webhook_deliveries"} {
		if strings.Contains(p, bad) {
			t.Errorf("the claim's plan has %q:\n%s", bad, p)
		}
	}
}
