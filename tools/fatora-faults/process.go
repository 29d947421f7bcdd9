package main

import (
	"os"
	"sync"
	"time"

	"github.com/fatora-oss/fatora/internal/testenv"
)

// process is the fatora server as a child process that can be killed and
// started again with the same command line.
type process struct {
	bin  string
	args []string
	log  *os.File // every incarnation appends its log here

	mu  sync.Mutex
	cur *testenv.Process // the latest incarnation; nil before the first
}

func newProcess(bin string, args []string, log *os.File) *process {
	return &process{bin: bin, args: args, log: log}
}

// start starts a new incarnation; the previous one must have exited.
func (p *process) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	cur, err := testenv.StartProcess(p.bin, p.args, p.log)
	if err != nil {
		return err
	}
	p.cur = cur
	return nil
}

// exited reports whether no incarnation is running.
func (p *process) exited() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.exitedLocked()
}

func (p *process) exitedLocked() bool {
	return p.cur == nil || p.cur.Exited()
}

// kill sends SIGKILL and waits for the process to die. It reports whether
// there was a running process to kill.
func (p *process) kill() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.exitedLocked() {
		return false
	}
	p.cur.Kill()
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
	if err := p.cur.Stop(grace); err != nil {
		return err.Error()
	}
	return "exit status 0"
}
