package postgres_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/postgres"
	"github.com/fatora-oss/fatora/postgres/pgtest"
)

// BenchmarkCreateClientConcurrent is 64 concurrent inserters on PostgreSQL:
// group commit shares each transaction among the writes waiting for it.
func BenchmarkCreateClientConcurrent(b *testing.B) {
	db, err := postgres.Open(context.Background(), pgtest.DSN(b), postgres.Options{MaxConns: 16})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	m := fatora.Merchant{Name: "Bench", Email: "bench@example.com"}
	if err := postgres.NewMerchantService(db).CreateMerchant(context.Background(), &m, nil); err != nil {
		b.Fatal(err)
	}
	ctx := fatora.WithScope(context.Background(), fatora.Scope{MerchantID: m.ID, Mode: fatora.ModeLive})
	clients := postgres.NewClientService(db)
	var n atomic.Int64
	before := db.Stats()
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			if _, err := clients.CreateClient(ctx, fatora.ClientFields{Name: fmt.Sprint("Client ", i), Email: fmt.Sprintf("c%d@example.com", i)}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	after := db.Stats()
	b.ReportMetric(float64(after.Writes-before.Writes)/float64(max(1, after.Batches-before.Batches)), "writes/batch")
}
