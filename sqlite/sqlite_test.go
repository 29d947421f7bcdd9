package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/fatora-oss/fatora"

	"github.com/fatora-oss/fatora/sqlite"
	"github.com/fatora-oss/fatora/storetest"
)

// openTemp opens a store on a new file in a temporary directory.
func openTemp(t testing.TB) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "fatora.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t testing.TB) storetest.Store { return storeOf(openTemp(t)) })
}

// storeOf is db's services, as the conformance suite and benchmarks use them.
func storeOf(db *sqlite.DB) storetest.Store {
	clients := sqlite.NewClientService(db)
	return storetest.Store{Clients: clients, Merchants: sqlite.NewMerchantService(db), Purger: clients,
		Events: sqlite.NewEventService(db), Webhooks: sqlite.NewWebhookService(db), Deliveries: sqlite.NewDeliveryQueue(db),
		Sessions: sqlite.NewSessionService(db),
		SetNow:   func(now fatora.Clock) { db.Now = now }}
}
