package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/internal/testenv"
)

// binDir holds the fatora binary the tests build once.
var binDir string

// TestMain gives the tests a directory for the fatora binary they share,
// removed after them.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fatora-faults-test-")
	if err != nil {
		panic(err)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	buildOnce sync.Once
	buildErr  error
)

// fatoraBinary builds cmd/fatora once for all tests and returns its path.
func fatoraBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(binDir, "fatora")
	buildOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		buildErr = testenv.BuildFatora(ctx, bin)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return bin
}

// TestFaultsSQLite runs the whole check briefly on SQLite: the server is
// killed every second, and nothing acknowledged may be lost.
func TestFaultsSQLite(t *testing.T) {
	skipIfShort(t)
	t.Parallel()
	checkBriefly(t, config{store: "sqlite"})
}

// TestFaultsPostgres runs the check briefly on PostgreSQL. Only the fatora
// process is killed: restarting PostgreSQL would break the other test
// packages that share it.
func TestFaultsPostgres(t *testing.T) {
	skipIfShort(t)
	pg := testenv.PostgresURL(t)
	t.Parallel()
	checkBriefly(t, config{store: "postgres", pg: pg})
}

// skipIfShort skips a test that builds the fatora binary and runs it for
// seconds.
func skipIfShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds fatora and runs it as a process for seconds: runs in full without -short (CI)")
	}
}

// checkBriefly runs the check for 8 seconds with a kill every second and
// holds its verdict to zero faults.
func checkBriefly(t *testing.T, cfg config) {
	cfg.duration, cfg.killEvery, cfg.workers = 8*time.Second, time.Second, 8
	cfg.bin, cfg.workDir, cfg.progressEvery = fatoraBinary(t), t.TempDir(), 2*time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out bytes.Buffer
	res, err := run(ctx, cfg, &out)
	logLines(t, &out)
	if err != nil {
		t.Fatalf("the check did not run: %v", err)
	}
	if res.failed() || res.lost+res.duplicated+res.unexpected+res.unresolved+res.refusedButPresent != 0 {
		t.Errorf("faults found: lost %d, duplicated %d, unexpected %d, unresolved %d, refused but present %d, integrity %q",
			res.lost, res.duplicated, res.unexpected, res.unresolved, res.refusedButPresent, res.integrity)
	}
	if res.kills < 1 || res.acked == 0 {
		t.Errorf("the check proved little: %d kills, %d acknowledged; want at least 1 and more than 0", res.kills, res.acked)
	}
	if cfg.store == "sqlite" && res.integrity != "ok" {
		t.Errorf("PRAGMA integrity_check = %q, want ok", res.integrity)
	}
	if len(res.internalErrors) > 0 {
		t.Errorf("the server logged %d 500s or panics, first: %s", len(res.internalErrors), res.internalErrors[0])
	}
	if res.exitAfterTerm != "exit status 0" {
		t.Errorf("on the final SIGTERM the server ended with %q, want exit status 0", res.exitAfterTerm)
	}
}

func logLines(t *testing.T, out *bytes.Buffer) {
	t.Helper()
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		t.Log(strings.TrimRight(sc.Text(), " "))
	}
}
