package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/internal/testenv"
	"github.com/fatora-oss/fatora/sandbox"
)

// Markers of the blocks the tests below run.
const (
	firstTryMarker = "<!-- first try: cmd/fatora's TestReadmeFirstTry runs this block -->"
	ciStepMarker   = "<!-- CI example: cmd/fatora's TestTestingGuideCIStep runs the sandbox step -->"
)

// markedBlock returns the fenced block of lang that follows marker in the
// repository's file at path.
func markedBlock(t testing.TB, path, marker, lang string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", path))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), marker+"\n```"+lang+"\n")
	block, _, closed := strings.Cut(after, "\n```")
	if !ok || !closed {
		t.Fatalf("%s has no %s block after %q", path, lang, marker)
	}
	return block
}

// stepScript returns the run: | script of the step of a GitHub Actions
// workflow named name, its lines unindented.
func stepScript(t testing.TB, workflow, name string) string {
	t.Helper()
	_, step, ok := strings.Cut(workflow, "- name: "+name+"\n")
	_, run, hasRun := strings.Cut(step, "run: |\n")
	if !ok || !hasRun {
		t.Fatalf("the workflow has no step %q with a run: | script", name)
	}
	var lines []string
	indent := ""
	for _, line := range strings.Split(run, "\n") {
		if indent == "" {
			indent = line[:len(line)-len(strings.TrimLeft(line, " "))]
		}
		if !strings.HasPrefix(line, indent) || strings.TrimSpace(line) == "" {
			break
		}
		lines = append(lines, strings.TrimPrefix(line, indent))
	}
	return strings.Join(lines, "\n")
}

// runScript runs script with bash in dir, with the binary built from this
// tree first on the PATH and env besides, in a process group of its own
// that is killed when it ends (a server it left running included). It
// returns what the script printed.
func runScript(t *testing.T, dir, script string, env ...string) string {
	t.Helper()
	for _, tool := range []string{"bash", "curl", "sed", "grep", "timeout"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the script needs %s: %v", tool, err)
		}
	}
	if err := testenv.BuildFatora(t.Context(), filepath.Join(dir, "fatora")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH")), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.CombinedOutput()
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	if err != nil {
		t.Fatalf("the script failed: %v\n%s\n--- script ---\n%s", err, out, script)
	}
	return string(out)
}

// TestReadmeFirstTry runs the README's first try with the sandbox as a
// reader pastes it (the binary built by the test instead of its go build
// line), on a free port: it must print the ready line and list seeded
// clients.
func TestReadmeFirstTry(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a sandbox; skipped under -short")
	}
	t.Parallel()
	var script []string
	for _, line := range strings.Split(markedBlock(t, "README.md", firstTryMarker, "sh"), "\n") {
		if !strings.HasPrefix(line, "go build ") {
			script = append(script, strings.ReplaceAll(line, "./fatora ", "fatora "))
		}
	}
	addr, err := testenv.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	out := runScript(t, t.TempDir(), strings.Join(script, "\n"), "FATORA_ADDR="+addr)
	if !strings.Contains(out, "ready url=http://"+addr+" api_key="+sandbox.SampleAPIKey) || !strings.Contains(out, `"total_count":20`) {
		t.Errorf("the first try printed no ready line for %s, or not the 20 seeded clients:\n%s", addr, out)
	}
}

// TestTestingGuideCIStep runs the sandbox step of docs/testing.md's CI
// workflow (the binary built by the test instead of go install), then
// calls the sandbox as the workflow's test step would, with its URL and
// key: the step must end with the sandbox ready and seeded.
func TestTestingGuideCIStep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a sandbox; skipped under -short")
	}
	t.Parallel()
	workflow := markedBlock(t, "docs/testing.md", ciStepMarker, "yaml")
	for _, want := range []string{"FATORA_BASE_URL: http://127.0.0.1:8080/v1", "FATORA_API_KEY: " + sandbox.SampleAPIKey} {
		if !strings.Contains(workflow, want) {
			t.Errorf("the workflow's test step lacks %q", want)
		}
	}
	var step []string
	for _, line := range strings.Split(stepScript(t, workflow, "Start the Fatora sandbox"), "\n") {
		if !strings.HasPrefix(line, "go install ") {
			step = append(step, line)
		}
	}
	addr, err := testenv.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	check := `curl -fsS "http://$FATORA_ADDR/v1/clients" --header "api_key: ` + sandbox.SampleAPIKey + `"`
	out := runScript(t, dir, strings.Join(append(step, check), "\n"), "FATORA_ADDR="+addr, "RUNNER_TEMP="+dir)
	if !strings.Contains(out, "ready url=http://"+addr) || !strings.Contains(out, `"total_count":50`) {
		t.Errorf("the step did not leave a ready sandbox with 50 clients:\n%s", out)
	}
}

// BenchmarkSandboxReady measures how long `fatora sandbox` takes from its
// start as a process to its ready line (the time a CI step waits), beside
// the start of `fatora version`, the cost of starting the process at all.
//
//	go test -run '^$' -bench SandboxReady -benchtime 20x ./cmd/fatora
func BenchmarkSandboxReady(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "fatora")
	if err := testenv.BuildFatora(b.Context(), bin); err != nil {
		b.Fatal(err)
	}
	b.Run("version", func(b *testing.B) {
		for b.Loop() {
			if err := exec.Command(bin, "version").Run(); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, seed := range []string{"0", "1000"} {
		b.Run("sandbox-seed-"+seed, func(b *testing.B) {
			for b.Loop() {
				cmd := exec.Command(bin, "sandbox", "--addr", "127.0.0.1:0", "--seed", seed)
				out, err := cmd.StdoutPipe()
				if err != nil {
					b.Fatal(err)
				}
				if err := cmd.Start(); err != nil {
					b.Fatal(err)
				}
				line, err := bufio.NewReader(out).ReadString('\n')
				if !strings.HasPrefix(line, "ready ") {
					b.Fatalf("first line %q (%v), want the ready line", line, err)
				}
				b.StopTimer()
				cmd.Process.Signal(syscall.SIGTERM)
				cmd.Wait()
				b.StartTimer()
			}
		})
	}
}
