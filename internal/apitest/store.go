package apitest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/testenv"
	"github.com/fatora-oss/fatora/postgres"
	"github.com/fatora-oss/fatora/sqlite"
)

// Store opens a fresh database of one kind for a test, its rows stamped by
// now, and closes it when the test ends.
type Store struct {
	// Name names the store in subtests: "sqlite", "postgres".
	Name string
	Open func(t testing.TB, now fatora.Clock) Services
}

// SQLite is a new SQLite database in the test's temporary directory.
func SQLite() Store {
	return Store{Name: "sqlite", Open: func(t testing.TB, now fatora.Clock) Services {
		t.Helper()
		return SQLiteAt("sqlite", filepath.Join(t.TempDir(), "api.db")).Open(t, now)
	}}
}

// SQLiteAt is the SQLite database file at path, which several Envs may
// open at once, as several servers on one file.
func SQLiteAt(name, path string) Store {
	return Store{Name: name, Open: func(t testing.TB, now fatora.Clock) Services {
		t.Helper()
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		db.Now = now
		return Services{Clients: sqlite.NewClientService(db), Merchants: sqlite.NewMerchantService(db), Ping: db.Ping,
			Events: sqlite.NewEventService(db), Webhooks: sqlite.NewWebhookService(db), Deliveries: sqlite.NewDeliveryQueue(db),
			Sessions: sqlite.NewSessionService(db)}
	}}
}

// PostgreSQL is a new schema on the server FATORA_TEST_POSTGRES names; it
// skips the test when that is unset (see testenv.PostgresSchema).
func PostgreSQL() Store {
	return Store{Name: "postgres", Open: func(t testing.TB, now fatora.Clock) Services {
		t.Helper()
		return PostgreSQLAt("postgres", testenv.PostgresSchema(t), 8).Open(t, now)
	}}
}

// PostgreSQLAt is the PostgreSQL database dsn names, which the test has
// made (through a proxy, say), opened with a pool of maxConns connections.
func PostgreSQLAt(name, dsn string, maxConns int32) Store {
	return Store{Name: name, Open: func(t testing.TB, now fatora.Clock) Services {
		t.Helper()
		db, err := postgres.Open(context.Background(), dsn, postgres.Options{MaxConns: maxConns})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		db.Now = now
		return Services{Clients: postgres.NewClientService(db), Merchants: postgres.NewMerchantService(db), Ping: db.Ping,
			Events: postgres.NewEventService(db), Webhooks: postgres.NewWebhookService(db), Deliveries: postgres.NewDeliveryQueue(db),
			Sessions: postgres.NewSessionService(db)}
	}}
}

// EachStore runs test as a subtest on SQLite and on PostgreSQL (skipped
// when FATORA_TEST_POSTGRES is unset): the same requests must get the
// same answers.
func EachStore(t *testing.T, test func(t *testing.T, st Store)) {
	t.Helper()
	for _, st := range []Store{SQLite(), PostgreSQL()} {
		t.Run(st.Name, func(t *testing.T) { test(t, st) })
	}
}
