package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/fatora-oss/fatora"
)

// openFile opens a store on a new file, closed when t ends, and returns it
// with the file's path.
func openFile(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "store.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// openTenant is openFile with one merchant, and a context in its test mode.
func openTenant(t *testing.T) (*DB, string, context.Context) {
	t.Helper()
	db, path := openFile(t)
	m := fatora.Merchant{Name: "Tenant", Email: "tenant@example.com"}
	if err := NewMerchantService(db).CreateMerchant(context.Background(), &m, nil); err != nil {
		t.Fatal(err)
	}
	return db, path, fatora.WithScope(context.Background(), fatora.Scope{MerchantID: m.ID, Mode: fatora.ModeTest})
}

// TestOpenPathWithURICharacters: a file whose name holds the characters of
// a URI's query, fragment or escapes is the file opened, not a shorter name.
func TestOpenPathWithURICharacters(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"shop#1.db", "what?.db", "100%25.db"} {
		path := filepath.Join(dir, name)
		db, err := Open(context.Background(), path)
		if err != nil {
			t.Fatalf("Open(%q): %v", name, err)
		}
		db.Close()
		if _, err := os.Stat(path); err != nil {
			t.Errorf("Open(%q) did not make that file: %v", name, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if n := e.Name(); n == "shop" || n == "what" || n == "100%.db" {
			t.Errorf("Open made %q instead", n)
		}
	}
}
