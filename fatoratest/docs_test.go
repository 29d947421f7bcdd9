package fatoratest_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// goExampleMarker comes just before the Go example of docs/testing.md.
const goExampleMarker = "<!-- Go example: fatoratest's TestTestingGuideGoExample runs this file -->"

// TestTestingGuideGoExample runs the Go example of docs/testing.md, a
// test file of its own, built by go test -c as a package of this module that
// exists only in an overlay (so it uses this tree's fatoratest and SDK):
// the guide's example must build and pass.
func TestTestingGuideGoExample(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a test binary; skipped with -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	t.Parallel()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join(root, "docs", "testing.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(doc), goExampleMarker+"\n```go\n")
	source, _, closed := strings.Cut(after, "\n```")
	if !ok || !closed {
		t.Fatal("docs/testing.md has no Go block after the marker")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "shop_test.go")
	if err := os.WriteFile(file, []byte(source+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	overlay, err := json.Marshal(map[string]any{"Replace": map[string]string{
		filepath.Join(root, "fatoratest", "guideexample", "shop_test.go"): file}})
	if err != nil {
		t.Fatal(err)
	}
	overlayFile := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// Built, then run where it was put: its package's directory exists
	// only in the overlay.
	bin := filepath.Join(dir, "guide.test")
	build := exec.CommandContext(ctx, goTool, "test", "-c", "-vet=off", "-overlay", overlayFile, "-o", bin, "./fatoratest/guideexample/")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("the guide's Go example does not build: %v\n%s", err, out)
	}
	run := exec.CommandContext(ctx, bin, "-test.v")
	run.Dir = dir
	out, err := run.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestRegisterCustomerSurvivesAnOutage") {
		t.Fatalf("the guide's Go example: %v\n%s", err, out)
	}
}
