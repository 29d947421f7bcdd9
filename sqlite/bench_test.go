package sqlite_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/sqlite"
)

// benchStore opens a store with one merchant and returns its scope.
func benchStore(b *testing.B) (*sqlite.DB, context.Context) {
	db := openTemp(b)
	m := fatora.Merchant{Name: "Bench", Email: "bench@example.com"}
	if err := sqlite.NewMerchantService(db).CreateMerchant(context.Background(), &m, nil); err != nil {
		b.Fatal(err)
	}
	return db, fatora.WithScope(context.Background(), fatora.Scope{MerchantID: m.ID, Mode: fatora.ModeLive})
}

// BenchmarkCreateClient is one store insert at a time: every create waits
// for its own fsync.
func BenchmarkCreateClient(b *testing.B) {
	db, ctx := benchStore(b)
	clients := sqlite.NewClientService(db)
	b.ResetTimer()
	for i := range b.N {
		if _, err := clients.CreateClient(ctx, fatora.ClientFields{Name: fmt.Sprint("Client ", i), Email: fmt.Sprintf("c%d@example.com", i)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreateClientConcurrent is 64 concurrent inserters: group commit
// shares each fsync among the writes waiting for it.
func BenchmarkCreateClientConcurrent(b *testing.B) {
	benchmarkConcurrentCreates(b, false)
}

// BenchmarkCreateClientConcurrentWithKey is the same with an
// Idempotency-Key on every create, as the SDK sends: each also looks its
// key up and keeps its answer.
func BenchmarkCreateClientConcurrentWithKey(b *testing.B) {
	benchmarkConcurrentCreates(b, true)
}

func benchmarkConcurrentCreates(b *testing.B, withKey bool) {
	db, ctx := benchStore(b)
	clients := sqlite.NewClientService(db)
	var n atomic.Int64
	before := db.Stats()
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			ctx := ctx
			if withKey {
				ctx = fatora.WithIdempotency(ctx, &fatora.Idempotency{Key: fmt.Sprint("key-", i), Fingerprint: "fp", TTL: time.Hour,
					Render: func(c fatora.Client) fatora.StoredResponse {
						body, _ := json.Marshal(c)
						return fatora.StoredResponse{Status: 201, Body: body}
					}})
			}
			if _, err := clients.CreateClient(ctx, fatora.ClientFields{Name: fmt.Sprint("Client ", i), Email: fmt.Sprintf("c%d@example.com", i)}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	after := db.Stats()
	b.ReportMetric(float64(after.Writes-before.Writes)/float64(max(1, after.Batches-before.Batches)), "writes/batch")
}

// BenchmarkFindClientByID reads one client by id.
func BenchmarkFindClientByID(b *testing.B) {
	db, ctx := benchStore(b)
	clients := sqlite.NewClientService(db)
	c, err := clients.CreateClient(ctx, fatora.ClientFields{Name: "Read me"})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := clients.FindClientByID(ctx, c.ID); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
