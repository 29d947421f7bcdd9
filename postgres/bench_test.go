package postgres_test

import (
	"context"
	"testing"

	"github.com/fatora-oss/fatora/internal/testenv"
	"github.com/fatora-oss/fatora/postgres"
	"github.com/fatora-oss/fatora/storetest"
)

// BenchmarkCreateClientConcurrent is 64 concurrent inserters on PostgreSQL:
// group commit shares each transaction among the writes waiting for it.
func BenchmarkCreateClientConcurrent(b *testing.B) {
	db := openBench(b)
	storetest.BenchConcurrentCreates(b, storeOf(db), db.Stats, false)
}

// BenchmarkCreateClientConcurrentWithKey is the same with an
// Idempotency-Key on every create: a batch pipelines their statements.
func BenchmarkCreateClientConcurrentWithKey(b *testing.B) {
	db := openBench(b)
	storetest.BenchConcurrentCreates(b, storeOf(db), db.Stats, true)
}

func openBench(b *testing.B) *postgres.DB {
	db, err := postgres.Open(context.Background(), testenv.PostgresSchema(b), postgres.Options{MaxConns: 16})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}
