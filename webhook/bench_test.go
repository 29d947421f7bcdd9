package webhook_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/apitest"
)

// BenchmarkDelivery measures delivery to a local receiver that accepts
// everything: b.N events are made, then one delivery loop sends them all
// (signed, one client's events in order, each attempt recorded).
func BenchmarkDelivery(b *testing.B) {
	for _, st := range []apitest.Store{apitest.SQLite(), apitest.PostgreSQL()} {
		b.Run(st.Name, func(b *testing.B) {
			f := newFixture(b, st, func(int) int { return http.StatusNoContent })
			f.rc.strict = false
			ctx := fatora.WithScope(context.Background(), f.m.Scope(fatora.ModeTest))
			for i := range b.N {
				if _, err := f.env.Services.Clients.CreateClient(ctx, fatora.ClientFields{Name: fmt.Sprint("Client ", i)}); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			if n := f.drain(b); n != b.N {
				b.Fatalf("%d deliveries, want %d", n, b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
		})
	}
}
