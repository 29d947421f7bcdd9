package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// buildServer builds the fatora binary into dir and returns its path.
func buildServer(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "fatora")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/fatora-oss/fatora/cmd/fatora")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/fatora: %v\n%s", err, out)
	}
	return bin, nil
}

// createMerchant creates the bench merchant with apiKey as its live key.
func createMerchant(ctx context.Context, bin, dsn, apiKey string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "merchant", "create", "--name", "Bench", "--email", "bench@example.com",
		"--api-key", apiKey, "--mode", "live", "--db", dsn, "--json")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("fatora merchant create: %v\n%s", err, out)
	}
	return nil
}

// serverProcess is a `fatora serve` child process.
type serverProcess struct {
	cmd     *exec.Cmd
	url     string
	logPath string
	exited  chan struct{}
	waitErr error
}

// startServer starts `fatora serve` on a free port of 127.0.0.1, its log
// going to a file in dir, and waits until /readyz says it is ready.
func startServer(ctx context.Context, bin, dsn, dir string, extra []string) (*serverProcess, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "fatora-serve.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	args := append([]string{"serve", "--addr", addr, "--db", dsn}, extra...)
	p := &serverProcess{cmd: exec.Command(bin, args...), url: "http://" + addr, logPath: logPath, exited: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = logFile, logFile
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { p.waitErr = p.cmd.Wait(); close(p.exited) }()
	if err := p.waitReady(ctx); err != nil {
		p.stop()
		return nil, fmt.Errorf("%w\n%s", err, p.logTail())
	}
	return p, nil
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// waitReady polls /readyz for up to a minute.
func (p *serverProcess) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		resp, err := http.Get(p.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-p.exited:
			return fmt.Errorf("fatora serve exited: %v", p.waitErr)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return errors.New("fatora serve was not ready within a minute")
}

// stop sends SIGTERM and waits for the server to finish its in-flight
// requests and exit (killing it after 40 s).
func (p *serverProcess) stop() error {
	select {
	case <-p.exited:
		return p.waitErr
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
		return p.waitErr
	case <-time.After(40 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
		return errors.New("fatora serve did not stop within 40 s of SIGTERM; killed")
	}
}

// logTail returns the last lines of the server's log.
func (p *serverProcess) logTail() string {
	b, _ := os.ReadFile(p.logPath)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-10):], "\n")
}

// memory is a process's resident memory, from /proc/<pid>/status.
type memory struct {
	RSSKiB  int64 `json:"vm_rss_kib"`
	PeakKiB int64 `json:"vm_hwm_kib"`
}

func (p *serverProcess) memory() (memory, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/status")
	if err != nil {
		return memory{}, err
	}
	defer f.Close()
	var m memory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, _ := strings.Cut(sc.Text(), ":")
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		switch key {
		case "VmRSS":
			m.RSSKiB = n
		case "VmHWM":
			m.PeakKiB = n
		}
	}
	return m, sc.Err()
}
