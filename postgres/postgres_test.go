package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/postgres"
	"github.com/fatora-oss/fatora/postgres/pgtest"
	"github.com/fatora-oss/fatora/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t testing.TB) storetest.Store {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		db, err := postgres.Open(ctx, pgtest.DSN(t), postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return storetest.Store{Clients: postgres.NewClientService(db), Merchants: postgres.NewMerchantService(db)}
	})
}
