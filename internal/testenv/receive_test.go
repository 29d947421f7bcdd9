package testenv

import (
	"strings"
	"testing"
	"time"
)

// TestReceive: a value that comes is returned; a wait that never ends
// fails the test, naming what it waited for.
func TestReceive(t *testing.T) {
	ch := make(chan int, 1)
	ch <- 7
	if got := Receive(t, ch, "seven"); got != 7 {
		t.Fatalf("Receive = %d, want 7", got)
	}
	tb := &loggingTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		receiveWithin(tb, make(chan int), "nothing", 10*time.Millisecond)
		tb.failed = "returned"
	}()
	<-done
	if tb.failed != "waited 10ms for nothing" || !strings.Contains(tb.logged, "goroutine ") {
		t.Errorf("a wait that never ends: failed %q, logged %d bytes of stacks", tb.failed, len(tb.logged))
	}
}

// loggingTB is a recordingTB that keeps what is logged.
type loggingTB struct {
	recordingTB
	logged string
}

func (l *loggingTB) Log(args ...any) {
	for _, a := range args {
		l.logged += a.(string)
	}
}
