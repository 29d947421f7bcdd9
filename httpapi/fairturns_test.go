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

// TestFairTurnsRoundRobin: with the one turn taken by tenant B and three
// of B's requests waiting before one of A's, A (running nothing) gets the
// next turn freed, not the fourth; tenants that each run something take
// the turns in rotation.
func TestFairTurnsRoundRobin(t *testing.T) {
	a, b, c := fatora.Scope{MerchantID: 1, Mode: fatora.ModeLive}, fatora.Scope{MerchantID: 2, Mode: fatora.ModeLive},
		fatora.Scope{MerchantID: 3, Mode: fatora.ModeLive}
	names := map[fatora.Scope]string{a: "A", b: "B", c: "C"}
	f := newFairTurns(1)
	granted := make(chan fatora.Scope)
	wait := func(s fatora.Scope, n int) {
		go func() {
			if err := f.enter(context.Background(), s); err == nil {
				granted <- s
			}
		}()
		f.waitQueued(s, n)
	}
	// turns frees the turn held by holder n times, each time to the
	// tenant granted last, and lists who got them.
	turns := func(holder fatora.Scope, n int) []string {
		var order []string
		for range n {
			f.leave(holder)
			holder = <-granted
			order = append(order, names[holder])
		}
		f.leave(holder)
		return order
	}
	if err := f.enter(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		wait(b, i+1)
	}
	wait(a, 1)
	if got, want := turns(b, 4), []string{"A", "B", "B", "B"}; !slices.Equal(got, want) {
		t.Errorf("turns went to %v, want %v", got, want)
	}

	f = newFairTurns(3)
	f.enter(context.Background(), b)
	f.enter(context.Background(), c)
	wait(b, 1)
	wait(b, 2)
	wait(c, 1)
	wait(c, 2)
	var order []string
	holders := []fatora.Scope{b, c}
	for i := range 4 {
		f.leave(holders[i%2])
		got := <-granted
		holders[i%2] = got
		order = append(order, names[got])
	}
	if want := []string{"B", "C", "B", "C"}; !slices.Equal(order, want) {
		t.Errorf("two busy tenants got the turns %v, want %v", order, want)
	}
	f.leave(holders[0])
	f.leave(holders[1])
	if f.free != 3 || len(f.ring) != 0 || len(f.queues) != 0 || len(f.running) != 0 {
		t.Errorf("after the last leave: free %d, ring %v, queues %d, running %v; want 3 free turns and nothing else",
			f.free, f.ring, len(f.queues), f.running)
	}
}

// TestFairTurnsKeepATurn: one tenant alone takes all turns but one, which
// another tenant gets at once, without waiting for the first one's.
func TestFairTurnsKeepATurn(t *testing.T) {
	a, b := fatora.Scope{MerchantID: 1, Mode: fatora.ModeLive}, fatora.Scope{MerchantID: 2, Mode: fatora.ModeLive}
	f := newFairTurns(2)
	if err := f.enter(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	go f.enter(context.Background(), b)
	f.waitQueued(b, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // a wait would fail at once
	if err := f.enter(ctx, a); err != nil {
		t.Fatalf("a tenant running nothing waited beside one running one search of two turns: %v", err)
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
	f.leave(a)
	<-got // b has the turn
	f.leave(b)
	if f.free != 1 || len(f.queues) != 0 || len(f.ring) != 0 {
		t.Errorf("free %d, queues %d, ring %v; want the turn back and nothing waiting", f.free, len(f.queues), f.ring)
	}
}
