package testenv

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// BuildFatora compiles cmd/fatora into bin. The working directory must be
// inside the module.
func BuildFatora(ctx context.Context, bin string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/fatora-oss/fatora/cmd/fatora")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/fatora: %v\n%s", err, out)
	}
	return nil
}

// CreateMerchant creates a merchant on the database dsn with the binary
// bin, with apiKey as its live key, and returns its number.
func CreateMerchant(ctx context.Context, bin, dsn, name, email, apiKey string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "merchant", "create", "--name", name, "--email", email,
		"--api-key", apiKey, "--mode", "live", "--db", dsn, "--json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var created struct{ Number string }
	if err == nil {
		err = json.Unmarshal(out, &created)
	}
	if err != nil {
		return "", fmt.Errorf("fatora merchant create: %v %s", err, stderr.Bytes())
	}
	return created.Number, nil
}

// FreeAddr returns an address of the loopback interface whose port was
// free a moment ago.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// Process is a child process, such as `fatora serve`.
type Process struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error // Wait's answer, once done is closed
}

// StartProcess starts bin with args, its standard output and error going
// to log.
func StartProcess(bin string, args []string, log io.Writer) (*Process, error) {
	p := &Process{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = log, log
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Done is closed once the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Exited reports whether the process has exited.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Err is how the process ended (nil for exit status 0), once Done is
// closed.
func (p *Process) Err() error {
	<-p.done
	return p.err
}

// Pid is the process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Kill sends SIGKILL and waits for the process to exit.
func (p *Process) Kill() {
	p.cmd.Process.Kill()
	<-p.done
}

// Stop sends SIGTERM and waits up to grace for the process to exit, then
// kills it. It returns nil when the process exited with status 0, and
// otherwise how it ended.
func (p *Process) Stop(grace time.Duration) error {
	if p.Exited() {
		return p.err
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.err
	case <-time.After(grace):
		p.Kill()
		return fmt.Errorf("still running %s after SIGTERM; killed", grace)
	}
}

// WaitReady polls GET base/readyz until it answers 200, for at most limit,
// and gives up early when exited is closed (nil: never) or ctx ends.
func WaitReady(ctx context.Context, base string, limit time.Duration, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	last := "no answer"
	for {
		status, err := getStatus(ctx, client, base+"/readyz")
		switch {
		case status == http.StatusOK:
			return nil
		case err != nil:
			last = err.Error()
		default:
			last = fmt.Sprintf("status %d", status)
		}
		select {
		case <-exited:
			return errors.New("the process exited before it was ready")
		case <-ctx.Done():
			return fmt.Errorf("not ready within %s: %s", limit, last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func getStatus(ctx context.Context, c *http.Client, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// LogTail returns the last n lines of the file at path, for an error
// message.
func LogTail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	return string(bytes.Join(lines[max(0, len(lines)-n):], []byte("\n")))
}
