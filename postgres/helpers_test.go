package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/internal/testenv"
)

// openTestDB opens a store on a fresh schema and closes it when t ends.
func openTestDB(t testing.TB) *DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := Open(ctx, testenv.PostgresSchema(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
