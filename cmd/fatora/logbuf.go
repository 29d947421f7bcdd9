package main

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// logFlushEvery is how long a log line may wait in the buffer.
const logFlushEvery = 100 * time.Millisecond

// bufferedLog gathers log lines and writes them out together, at most
// logFlushEvery after the first one (or sooner when the buffer fills), so a
// busy server does not make a write system call per request line.
type bufferedLog struct {
	mu      sync.Mutex
	buf     *bufio.Writer
	pending bool
	timer   *time.Timer
}

func newBufferedLog(w io.Writer) *bufferedLog {
	b := &bufferedLog{buf: bufio.NewWriterSize(w, 64<<10)}
	b.timer = time.AfterFunc(time.Hour, func() { b.Flush() })
	b.timer.Stop()
	return b
}

// Write implements io.Writer. The handler writes a whole line per call.
func (b *bufferedLog) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.pending {
		b.pending = true
		b.timer.Reset(logFlushEvery)
	}
	return b.buf.Write(p)
}

// Flush writes out what is buffered.
func (b *bufferedLog) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = false
	return b.buf.Flush()
}
