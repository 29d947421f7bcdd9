package main

import (
	"bytes"
	"testing"
	"time"
)

// manualTimer stands for time.AfterFunc: it keeps what was scheduled, and
// the test runs it when it likes.
type manualTimer struct {
	delays []time.Duration
	funcs  []func()
}

func (m *manualTimer) after(d time.Duration, f func()) {
	m.delays = append(m.delays, d)
	m.funcs = append(m.funcs, f)
}

// fire runs the flush scheduled i-th.
func (m *manualTimer) fire(t *testing.T, i int) {
	t.Helper()
	if i >= len(m.funcs) {
		t.Fatalf("flush %d was never scheduled (%d were)", i, len(m.funcs))
	}
	m.funcs[i]()
}

// TestBufferedLogWritesLinesTogether: lines wait in the buffer and leave in
// one write when the flush scheduled logFlushEvery after the first of them
// runs; the next line schedules the next flush.
func TestBufferedLogWritesLinesTogether(t *testing.T) {
	var out bytes.Buffer
	timer := &manualTimer{}
	b := newBufferedLog(&out, timer.after)
	b.Write([]byte("one\n"))
	b.Write([]byte("two\n"))
	if out.Len() != 0 || len(timer.funcs) != 1 || timer.delays[0] != logFlushEvery {
		t.Fatalf("after two lines: written %q, flushes scheduled %v; want nothing written and one flush in %v",
			out.String(), timer.delays, logFlushEvery)
	}
	timer.fire(t, 0)
	if got := out.String(); got != "one\ntwo\n" {
		t.Fatalf("the flush wrote %q, want both lines", got)
	}
	b.Write([]byte("three\n"))
	if len(timer.funcs) != 2 {
		t.Fatalf("%d flushes scheduled after a line following a flush, want 2", len(timer.funcs))
	}
	timer.fire(t, 1)
	if got := out.String(); got != "one\ntwo\nthree\n" {
		t.Fatalf("the second flush left %q, want the third line written", got)
	}
}

// TestBufferedLogFlush: Flush writes out at once what waits, whatever the
// timer does.
func TestBufferedLogFlush(t *testing.T) {
	var out bytes.Buffer
	b := newBufferedLog(&out, (&manualTimer{}).after)
	b.Write([]byte("last words\n"))
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "last words\n" {
		t.Fatalf("Flush wrote %q", got)
	}
}
