package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"

	"github.com/fatora-oss/fatora/internal/testenv"
	"github.com/fatora-oss/fatora/postgres"
	"github.com/fatora-oss/fatora/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t testing.TB) storetest.Store {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		db, err := postgres.Open(ctx, testenv.PostgresSchema(t), postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return storeOf(db)
	})
}

// storeOf is db's services, as the conformance suite and benchmarks use them.
func storeOf(db *postgres.DB) storetest.Store {
	clients := postgres.NewClientService(db)
	return storetest.Store{Clients: clients, Merchants: postgres.NewMerchantService(db), Purger: clients,
		Events: postgres.NewEventService(db), Webhooks: postgres.NewWebhookService(db), Deliveries: postgres.NewDeliveryQueue(db),
		Sessions: postgres.NewSessionService(db),
		SetNow:   func(now fatora.Clock) { db.Now = now }}
}
