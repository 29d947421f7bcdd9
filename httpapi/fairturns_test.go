package httpapi

import (
	"context"
	"runtime"
	"slices"
	"testing"

	"github.com/fatora-oss/fatora"
)

// waitQueued returns once tenant has n requests waiting.
func (f *fairTurns) waitQueued(tenant fatora.Scope, n int) {
	for {
		f.mu.Lock()
		got := len(f.queues[tenant])
		f.mu.Unlock()
		if got == n {
			return
		}
		runtime.Gosched()
	}
}

// TestFairTurnsRoundRobin: with the one turn taken and five of tenant B's
// requests waiting before one of A's, A gets the second turn freed, not
// the sixth.
func TestFairTurnsRoundRobin(t *testing.T) {
	a, b := fatora.Scope{MerchantID: 1, Mode: fatora.ModeLive}, fatora.Scope{MerchantID: 2, Mode: fatora.ModeLive}
	f := newFairTurns(1)
	if err := f.enter(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	granted := make(chan string)
	wait := func(name string, s fatora.Scope) {
		go func() {
			if err := f.enter(context.Background(), s); err == nil {
				granted <- name
			}
		}()
	}
	for i := range 5 {
		wait("B", b)
		f.waitQueued(b, i+1)
	}
	wait("A", a)
	f.waitQueued(a, 1)
	var order []string
	for range 6 {
		f.leave()
		order = append(order, <-granted)
	}
	if want := []string{"B", "A", "B", "B", "B", "B"}; !slices.Equal(order, want) {
		t.Errorf("turns went to %v, want %v", order, want)
	}
	f.leave()
	if f.free != 1 || len(f.ring) != 0 || len(f.queues) != 0 {
		t.Errorf("after the last leave: free %d, ring %v, queues %d; want 1 free turn and nothing waiting", f.free, f.ring, len(f.queues))
	}
}

// TestFairTurnsAbandoned: a waiting request whose context ends leaves the
// queue, and the turn freed goes to the next one.
func TestFairTurnsAbandoned(t *testing.T) {
	a, b := fatora.Scope{MerchantID: 1, Mode: fatora.ModeTest}, fatora.Scope{MerchantID: 2, Mode: fatora.ModeTest}
	f := newFairTurns(1)
	if err := f.enter(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	gave := make(chan error)
	go func() { gave <- f.enter(ctx, a) }()
	f.waitQueued(a, 1)
	got := make(chan struct{})
	go func() {
		if f.enter(context.Background(), b) == nil {
			close(got)
		}
	}()
	f.waitQueued(b, 1)
	cancel()
	if err := <-gave; err == nil {
		t.Fatal("a cancelled wait got a turn")
	}
	f.leave()
	<-got // b has the turn
	f.leave()
	if f.free != 1 || len(f.queues) != 0 || len(f.ring) != 0 {
		t.Errorf("free %d, queues %d, ring %v; want the turn back and nothing waiting", f.free, len(f.queues), f.ring)
	}
}
