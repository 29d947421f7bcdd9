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
	return &bufferedLog{buf: bufio.NewWriterSize(w, 64<<10)}
}

// Write implements io.Writer. The handler writes a whole line per call.
func (b *bufferedLog) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.pending:
	case b.timer == nil:
		b.timer = time.AfterFunc(logFlushEvery, func() { b.Flush() })
	default:
		b.timer.Reset(logFlushEvery)
	}
	b.pending = true
	return b.buf.Write(p)
}

// Flush writes out what is buffered.
func (b *bufferedLog) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = false
	return b.buf.Flush()
}
