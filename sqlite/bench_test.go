package sqlite_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/sqlite"
	"github.com/fatora-oss/fatora/storetest"
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
	db := openTemp(b)
	storetest.BenchConcurrentCreates(b, storeOf(db), db.Stats, false)
}

// BenchmarkCreateClientConcurrentWithKey is the same with an
// Idempotency-Key on every create.
func BenchmarkCreateClientConcurrentWithKey(b *testing.B) {
	db := openTemp(b)
	storetest.BenchConcurrentCreates(b, storeOf(db), db.Stats, true)
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

// BenchmarkKeywordSearch is a keyword search (count and first page) among
// 2,000 clients, with the same keyword each time or a new one each time
// (sub-benchmarks), one at a time.
func BenchmarkKeywordSearch(b *testing.B) {
	db, ctx := benchStore(b)
	clients := sqlite.NewClientService(db)
	for i := range 2000 {
		if _, err := clients.CreateClient(ctx, fatora.ClientFields{Name: fmt.Sprintf("Client %04d Mansour", i)}); err != nil {
			b.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name     string
		keywords []string
	}{{"same", []string{"nsou"}}, {"changing", []string{"nsou", "lient", "t 01", "mans"}}} {
		b.Run(tc.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				if _, err := clients.FindClients(ctx, fatora.ClientFilter{Keyword: tc.keywords[i%len(tc.keywords)], PageSize: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
