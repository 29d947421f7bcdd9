package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/sqlite"
	"github.com/fatora-oss/fatora/token"
)

// databaseFiles are the database file and the -wal and -shm beside it.
func databaseFiles(path string) []string { return []string{path, path + "-wal", path + "-shm"} }

// wantOwnerOnly fails unless each file exists with no permission for
// group or others.
func wantOwnerOnly(t *testing.T, files []string) {
	t.Helper()
	for _, name := range files {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %o, want 0600", filepath.Base(name), perm)
		}
	}
}

// TestNewDatabaseIsOwnerOnly: a new database and its -wal and -shm are
// made 0600 whatever the umask, as they hold the token signing secret.
func TestNewDatabaseIsOwnerOnly(t *testing.T) {
	old := syscall.Umask(0o022) // the common umask, which would leave them world-readable
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "fatora.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := sqlite.NewMerchantService(db).SigningSecret(context.Background(), newSigningSecret); err != nil {
		t.Fatal(err)
	}
	wantOwnerOnly(t, databaseFiles(path))
	if got := db.TightenedFiles(); len(got) != 0 {
		t.Errorf("a new database reports tightened files %v", got)
	}
}

// TestExistingDatabaseTightened: files others may read are kept to their
// owner when the database is opened, and named for the log.
func TestExistingDatabaseTightened(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fatora.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.NewMerchantService(db).SigningSecret(context.Background(), newSigningSecret); err != nil {
		t.Fatal(err)
	}
	var present []string
	for _, name := range databaseFiles(path) {
		if err := os.Chmod(name, 0o644); err == nil {
			present = append(present, name)
		}
	}
	again, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	db.Close()
	if got := again.TightenedFiles(); !slices.Equal(got, present) {
		t.Errorf("TightenedFiles() = %v, want %v", got, present)
	}
	wantOwnerOnly(t, present)
}

func newSigningSecret() (fatora.SigningSecret, error) {
	return fatora.SigningSecret{ID: token.NewID(), Secret: token.NewSecret()}, nil
}
