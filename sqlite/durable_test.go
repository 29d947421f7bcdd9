package sqlite

import (
	"context"
	"database/sql"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenAssertsDurability shows the check Open makes: a connection that
// is not WAL with synchronous=FULL is refused, and Open's own pools pass.
func TestOpenAssertsDurability(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The writer holds the write pool's one connection (it may be merging
	// the search index from the start), so the write side is checked on it.
	err = db.inBatch(context.Background(), func(tx runner) error { return assertDurable(context.Background(), tx) })
	if err != nil {
		t.Errorf("write connection: %v", err)
	}
	if err := assertDurable(context.Background(), db.read); err != nil {
		t.Errorf("read pool: %v", err)
	}
	lax, err := sql.Open("sqlite", "file:"+path+"?"+url.Values{"_pragma": {"journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer lax.Close()
	if err := assertDurable(context.Background(), lax); err == nil || !strings.Contains(err.Error(), "synchronous=1") {
		t.Errorf("synchronous=NORMAL accepted: %v", err)
	}
}

// TestMigrationsApplyOnce reopens a database: the schema is kept and every
// migration is recorded once.
func TestMigrationsApplyOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	for range 2 {
		db, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, _ := loadMigrations()
	var n int
	if err := db.read.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n != len(ms) {
		t.Fatalf("schema_migrations has %d rows (%v), want %d", n, err, len(ms))
	}
}
