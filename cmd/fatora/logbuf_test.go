package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// signallingWriter keeps what is written and tells each write on a channel.
type signallingWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes chan struct{}
}

func (s *signallingWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf.Write(p)
	select {
	case s.writes <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (s *signallingWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// TestBufferedLogWritesLinesTogether: lines wait in the buffer, leave in
// one write, and leave by themselves soon after the first one.
func TestBufferedLogWritesLinesTogether(t *testing.T) {
	out := &signallingWriter{writes: make(chan struct{}, 1)}
	b := newBufferedLog(out)
	b.Write([]byte("one\n"))
	b.Write([]byte("two\n"))
	select {
	case <-out.writes:
	case <-time.After(10 * time.Second):
		t.Fatal("buffered lines were never written out")
	}
	if got := out.String(); got != "one\ntwo\n" {
		t.Fatalf("written %q, want both lines in one write", got)
	}
	b.Write([]byte("three\n"))
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasSuffix(got, "three\n") {
		t.Fatalf("Flush left a line behind: %q", got)
	}
}
