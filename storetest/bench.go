package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

// BenchConcurrentCreates is 64 concurrent creates for one new merchant of
// s, the load group commit is for: each create with an Idempotency-Key when
// withKey (as the SDK sends them), so each also looks its key up and keeps
// its answer. stats returns the store's figures; the benchmark reports the
// writes per batch.
func BenchConcurrentCreates(b *testing.B, s Store, stats func() fatora.StoreStats, withKey bool) {
	m := fatora.Merchant{Name: "Bench", Email: "bench@example.com"}
	if err := s.Merchants.CreateMerchant(context.Background(), &m, nil); err != nil {
		b.Fatal(err)
	}
	scope := fatora.WithScope(context.Background(), fatora.Scope{MerchantID: m.ID, Mode: fatora.ModeLive})
	var n atomic.Int64
	before := stats()
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			ctx := scope
			if withKey {
				ctx = fatora.WithIdempotency(ctx, benchKey(i))
			}
			if _, err := s.Clients.CreateClient(ctx, fatora.ClientFields{Name: fmt.Sprint("Client ", i), Email: fmt.Sprintf("c%d@example.com", i)}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	after := stats()
	b.ReportMetric(float64(after.Writes-before.Writes)/float64(max(1, after.Batches-before.Batches)), "writes/batch")
}

// benchKey is the i-th create's Idempotency-Key, its answer the client as
// JSON.
func benchKey(i int64) *fatora.Idempotency {
	return &fatora.Idempotency{Key: fmt.Sprint("key-", i), Fingerprint: "fp", TTL: time.Hour,
		Render: func(c fatora.Client) fatora.StoredResponse {
			body, _ := json.Marshal(c)
			return fatora.StoredResponse{Status: 201, Body: body}
		}}
}

// BenchMetadataFilter lists the first page of ctx's clients, seeded by the
// store's benchmark with a unique crm_id "CRM-<i>" and a tier "gold" or
// "silver" each, by metadata: one match, half the clients, two keys.
func BenchMetadataFilter(b *testing.B, clients fatora.ClientService, ctx context.Context) {
	for name, filter := range map[string]fatora.MetadataFilter{
		"one_match":  {"crm_id": "CRM-500000"},
		"half_match": {"tier": "gold"},
		"two_keys":   {"tier": "gold", "crm_id": "CRM-500000"},
	} {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				page, err := clients.FindClients(ctx, fatora.ClientFilter{Metadata: filter})
				if err != nil || len(page.Clients) == 0 {
					b.Fatalf("FindClients(%v) = %d clients, %v", filter, len(page.Clients), err)
				}
			}
		})
	}
}
