package testenv

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// WaitLimit is how long Receive waits: far longer than any wait of a
// passing test, even under the race detector on a loaded machine, and far
// shorter than go test's own 10-minute timeout, whose report CI cuts.
const WaitLimit = 2 * time.Minute

// Receive returns the next value from ch, or fails the test naming what it
// waited for (what) and logging every goroutine's stack if none comes
// within WaitLimit: a wait that never ends then fails on its own line
// instead of hanging the package until go test's timeout.
func Receive[T any](t testing.TB, ch <-chan T, what string) T {
	t.Helper()
	return receiveWithin(t, ch, what, WaitLimit)
}

func receiveWithin[T any](t testing.TB, ch <-chan T, what string, limit time.Duration) T {
	t.Helper()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		t.Log(allStacks())
		t.Fatal(fmt.Sprintf("waited %v for %s", limit, what))
		panic("unreachable")
	}
}

// allStacks returns every goroutine's stack.
func allStacks() string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}
