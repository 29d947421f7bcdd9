package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fatora-oss/fatora/internal/testenv"
)

// serverProcess is a `fatora serve` child process.
type serverProcess struct {
	*testenv.Process
	url     string
	logPath string
}

// startServer starts `fatora serve` on a free port of 127.0.0.1, its log
// going to a file in dir, and waits until /readyz says it is ready.
func startServer(ctx context.Context, bin, dsn, dir string, extra []string) (*serverProcess, error) {
	addr, err := testenv.FreeAddr()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "fatora-serve.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	args := []string{"serve", "--addr", addr, "--db", dsn, "--drain", "0"}
	if !slices.ContainsFunc(extra, func(f string) bool { return strings.HasPrefix(f, "--rate-limit") }) {
		args = append(args, "--rate-limit", "0") // the benchmark measures the server, not one merchant's limit
	}
	proc, err := testenv.StartProcess(bin, append(args, extra...), logFile)
	if err != nil {
		return nil, err
	}
	p := &serverProcess{Process: proc, url: "http://" + addr, logPath: logPath}
	if err := testenv.WaitReady(ctx, p.url, time.Minute, p.Done()); err != nil {
		p.stop()
		return nil, fmt.Errorf("fatora serve: %w\n%s", err, testenv.LogTail(logPath, 10))
	}
	return p, nil
}

// stop sends SIGTERM and waits for the server to finish its in-flight
// requests and exit (killing it after 40 s).
func (p *serverProcess) stop() error {
	if err := p.Stop(40 * time.Second); err != nil {
		return fmt.Errorf("fatora serve: %w", err)
	}
	return nil
}

// memory is a process's resident memory, from /proc/<pid>/status.
type memory struct {
	RSSKiB  int64 `json:"vm_rss_kib"`
	PeakKiB int64 `json:"vm_hwm_kib"`
	// AnonKiB is the resident memory not backed by a file: the process's
	// own, whatever the database files it maps.
	AnonKiB int64 `json:"rss_anon_kib"`
}

func (p *serverProcess) memory() (memory, error) { return processMemory(p.Pid()) }

// processMemory reads a process's memory from /proc/<pid>/status.
func processMemory(pid int) (memory, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
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
		case "RssAnon":
			m.AnonKiB = n
		}
	}
	return m, sc.Err()
}
