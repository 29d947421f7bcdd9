package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/internal/testenv"
)

// quickStartMarker comes just before the README's quick start block.
const quickStartMarker = "<!-- quick start: cmd/fatora's TestReadmeQuickStart runs this block -->"

// TestReadmeQuickStart runs the README's quick start as a reader pastes it,
// with bash, against the binary built from this tree (the block's go build
// line is left out: the test built it), on a free port: the block must end
// with the seed's client created.
func TestReadmeQuickStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a server; skipped under -short")
	}
	for _, tool := range []string{"bash", "curl", "sed"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the quick start needs %s: %v", tool, err)
		}
	}
	t.Parallel()
	block := readmeQuickStart(t)
	dir := t.TempDir()
	if err := testenv.BuildFatora(t.Context(), filepath.Join(dir, "fatora")); err != nil {
		t.Fatal(err)
	}
	var script []string
	for _, line := range strings.Split(block, "\n") {
		if !strings.HasPrefix(line, "go build ") {
			script = append(script, line)
		}
	}
	addr, err := testenv.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// The block leaves the server running for the dashboard: sign in there
	// as its last line says, see the client, then stop the server.
	script = append(script, dashboardCheck, "kill $SERVER")
	cmd := exec.CommandContext(ctx, "bash", "-c", strings.Join(script, "\n"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "FATORA_ADDR="+addr, "FATORA_DB=")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "HTTP/1.1 201 Created") || !strings.Contains(string(out), `"name":"Client Name"`) ||
		!strings.Contains(string(out), "dashboard shows Client Name") {
		t.Fatalf("the quick start: %v; want 201 Created, the client, and the dashboard showing it:\n%s", err, out)
	}
}

// dashboardCheck does what the quick start's last line says, with curl:
// sign in at /dashboard/ with the test key, and find the client there.
const dashboardCheck = `JAR=$(mktemp)
curl -s -c "$JAR" -o /dev/null --data-urlencode "api_key=$KEY" "http://$FATORA_ADDR/dashboard/login"
curl -s -b "$JAR" "http://$FATORA_ADDR/dashboard/clients" | grep -q '<bdi>Client Name</bdi>' && echo "dashboard shows Client Name"`

// readmeQuickStart returns the shell block that follows quickStartMarker
// in the README.
func readmeQuickStart(t testing.TB) string {
	t.Helper()
	return markedBlock(t, "README.md", quickStartMarker, "sh")
}

// TestReadmeIsShort: the README is read in two minutes; the rest is in
// docs/.
func TestReadmeIsShort(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 8500 {
		t.Errorf("README.md is %d bytes; keep it under about 8 KB and move details to docs/", len(b))
	}
	for _, cmd := range []string{"go run ./cmd/fatora serve", "go test ./..."} {
		if !strings.Contains(string(b), "```sh\n"+cmd) {
			t.Errorf("README.md lacks the command %q", cmd)
		}
	}
}

// TestOperationsDocListsEveryServeFlag holds docs/operations.md's
// configuration table to the serve command's flags and variables.
func TestOperationsDocListsEveryServeFlag(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "operations.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	fs := newFlagSet("serve")
	serveFlags(fs)
	for _, name := range flagNames(fs) {
		if !strings.Contains(doc, "`--"+name+"`") || !strings.Contains(doc, "`"+fs.envOf(name)+"`") {
			t.Errorf("docs/operations.md does not list --%s with %s", name, fs.envOf(name))
		}
	}
}

func flagNames(fs *flagSet) []string {
	var names []string
	for name := range fs.env {
		names = append(names, name)
	}
	return names
}
