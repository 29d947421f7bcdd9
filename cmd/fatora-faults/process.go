package main

import (
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// process is the fatora server as a child process that can be killed and
// started again with the same command line.
type process struct {
	bin  string
	args []string
	log  *os.File // every incarnation appends its log here

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
}

func newProcess(bin string, args []string, log *os.File) *process {
	return &process{bin: bin, args: args, log: log}
}

// start starts a new incarnation; the previous one must have exited.
func (p *process) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	cmd := exec.Command(p.bin, p.args...)
	cmd.Stdout, cmd.Stderr = p.log, p.log
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		close(done)
	}()
	p.cmd, p.done = cmd, done
	return nil
}

// exited reports whether no incarnation is running.
func (p *process) exited() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.exitedLocked()
}

func (p *process) exitedLocked() bool {
	if p.done == nil {
		return true
	}
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// kill sends SIGKILL and waits for the process to die. It reports whether
// there was a running process to kill.
func (p *process) kill() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.exitedLocked() {
		return false
	}
	p.cmd.Process.Kill()
	<-p.done
	return true
}

// terminate sends SIGTERM, waits up to grace for the process to exit (then
// kills it) and describes how it ended, such as "exit status 0".
func (p *process) terminate(grace time.Duration) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.exitedLocked() {
		return "not running when it was to be stopped"
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.cmd.ProcessState.String()
	case <-time.After(grace):
		p.cmd.Process.Kill()
		<-p.done
		return "still running " + grace.String() + " after SIGTERM; killed"
	}
}
