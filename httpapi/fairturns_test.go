package httpapi

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

// waitQueued returns once tenant has n requests waiting; it fails the
// test if that does not happen within a minute.
func waitQueued(t *testing.T, f *fairTurns, tenant fatora.Scope, n int) {
	t.Helper()
	for give := time.Now().Add(time.Minute); time.Now().Before(give); runtime.Gosched() {
		f.mu.Lock()
		got := len(f.queues[tenant])
		f.mu.Unlock()
		if got == n {
			return
		}
	}
	t.Fatalf("%d of tenant %d's requests never waited", n, tenant.MerchantID)
}

// TestFairTurnsRoundRobin: with the one turn taken by tenant B and three
// of B's requests waiting before one of A's, A (running nothing) gets the
// next turn freed, not the fourth; tenants that each run something take
// the turns in rotation.
func TestFairTurnsRoundRobin(t *testing.T) {
	clock := &testClock{at: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	a, b, c := fatora.Scope{MerchantID: 1, Mode: fatora.ModeLive}, fatora.Scope{MerchantID: 2, Mode: fatora.ModeLive},
		fatora.Scope{MerchantID: 3, Mode: fatora.ModeLive}
	names := map[fatora.Scope]string{a: "A", b: "B", c: "C"}
	f := newFairTurns(1, clock.Now)
	granted := make(chan fatora.Scope)
	wait := func(s fatora.Scope, n int) {
		go func() {
			if err := f.enter(context.Background(), s); err == nil {
				granted <- s
			}
		}()
		waitQueued(t, f, s, n)
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

	f = newFairTurns(3, clock.Now)
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

// TestFairTurnsKeepATurn: a tenant alone takes every turn; while another
// tenant searches (within activeWindow), it takes all but one, which the
// other gets at once, without waiting for the first one's searches.
func TestFairTurnsKeepATurn(t *testing.T) {
	a, b := fatora.Scope{MerchantID: 1, Mode: fatora.ModeLive}, fatora.Scope{MerchantID: 2, Mode: fatora.ModeLive}
	clock := &testClock{at: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	f := newFairTurns(2, clock.Now)
	for range 2 {
		if err := f.enter(context.Background(), b); err != nil {
			t.Fatal(err)
		}
	}
	if f.free != 0 {
		t.Fatalf("a tenant alone left %d turns free, want none", f.free)
	}
	f.leave(b)
	f.leave(b)

	f.enter(context.Background(), a) // a searches once
	f.leave(a)
	clock.Advance(activeWindow / 2)
	f.enter(context.Background(), b)
	go f.enter(context.Background(), b)
	waitQueued(t, f, b, 1) // the last turn is kept: a searched just now
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // a wait would fail at once
	if err := f.enter(ctx, a); err != nil {
		t.Fatalf("a tenant running nothing waited beside one running one search of two turns: %v", err)
	}
	f.leave(a)
	if f.free != 1 || len(f.queues[b]) != 1 {
		t.Fatalf("a's turn ended while a is active: %d free, %d of b's waiting; want the turn kept free", f.free, len(f.queues[b]))
	}
	clock.Advance(activeWindow) // a stopped searching
	f.leave(b)                  // b's waiting search takes the turn freed
	if err := f.enter(ctx, b); err != nil {
		t.Errorf("once a stopped, b's new search did not take the last turn: %v", err)
	}
}

// testClock is a clock the test moves.
type testClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.at }

func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); c.at = c.at.Add(d); c.mu.Unlock() }

// TestFairTurnsAbandoned: a waiting request whose context ends leaves the
// queue, and the turn freed goes to the next one.
func TestFairTurnsAbandoned(t *testing.T) {
	clock := &testClock{at: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	a, b := fatora.Scope{MerchantID: 1, Mode: fatora.ModeTest}, fatora.Scope{MerchantID: 2, Mode: fatora.ModeTest}
	f := newFairTurns(1, clock.Now)
	if err := f.enter(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	gave := make(chan error)
	go func() { gave <- f.enter(ctx, a) }()
	waitQueued(t, f, a, 1)
	got := make(chan struct{})
	go func() {
		if f.enter(context.Background(), b) == nil {
			close(got)
		}
	}()
	waitQueued(t, f, b, 1)
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
