package sqlite

import (
	"context"
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
