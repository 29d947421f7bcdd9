package main

import (
	"os"
	"strings"
	"testing"
)

// TestServeTightensDatabaseFiles: a database file others may read is kept
// to its owner when the server starts, and the log says so.
func TestServeTightensDatabaseFiles(t *testing.T) {
	dsn, path := testDB(t)
	createMerchant(t, dsn, "shop@example.com")
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	s := startTestServer(t, dsn)
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("after start the database file is %v (%v), want mode 600", info.Mode(), err)
	}
	if !strings.Contains(s.logs.String(), "Kept the database's files to their owner") || !strings.Contains(s.logs.String(), path) {
		t.Errorf("the log does not name the tightened file:\n%s", s.logs.String())
	}
}
