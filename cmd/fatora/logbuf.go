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
	// after runs f once d has passed; time.AfterFunc, or a test's timer.
	after func(d time.Duration, f func())
}

// newBufferedLog returns a buffer in front of w whose lines are flushed by
// after (nil: time.AfterFunc).
func newBufferedLog(w io.Writer, after func(time.Duration, func())) *bufferedLog {
	if after == nil {
		after = func(d time.Duration, f func()) { time.AfterFunc(d, f) }
	}
	return &bufferedLog{buf: bufio.NewWriterSize(w, 64<<10), after: after}
}

// Write implements io.Writer. The handler writes a whole line per call.
func (b *bufferedLog) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.pending {
		b.pending = true
		b.after(logFlushEvery, func() { b.Flush() })
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
