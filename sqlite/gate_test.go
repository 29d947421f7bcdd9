package sqlite

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/testenv"
)

// waitQueued returns once n callers wait for a turn at the read gates,
// failing t if that takes longer than a few seconds (a caller that never
// queues). The tests make callers wait at one gate at a time.
func waitQueued(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if queuedAtGates() == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d callers never queued at the gate", n)
		}
		runtime.Gosched()
	}
}

// queuedAtGates counts the goroutines blocked in a read gate's
// semaphore.Weighted.Acquire: such a goroutine has joined the semaphore's
// queue (Acquire queues the caller before it blocks), so one started after
// it is served after it. The semaphore does not tell how many wait, so the
// goroutines' stacks do.
func queuedAtGates() int {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	queued := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		header, frames, _ := strings.Cut(g, "\n")
		if strings.Contains(header, "[select") && strings.Contains(frames, "semaphore.(*Weighted).Acquire(") &&
			strings.Contains(frames, "(*readGate).enter(") {
			queued++
		}
	}
	return queued
}

func TestReadGateLetsWaitersInInArrivalOrder(t *testing.T) {
	g := newReadGate(1)
	if err := g.enter(context.Background()); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	const waiters = 8
	for i := range waiters {
		wg.Go(func() {
			if err := g.enter(context.Background()); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			g.leave()
		})
		waitQueued(t, i+1) // the next one comes only once this one waits
	}
	g.leave()
	wg.Wait()
	for i, got := range order {
		if got != i {
			t.Fatalf("waiters got in as %v, want 0 to %d in order", order, waiters-1)
		}
	}
	if waits, _ := g.stats(); waits != waiters {
		t.Errorf("counted %d waits, want %d", waits, waiters)
	}
}

func TestReadGateWaiterGivesUpWithItsContext(t *testing.T) {
	g := newReadGate(1)
	if err := g.enter(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- g.enter(ctx) }()
	waitQueued(t, 1)
	cancel()
	if err := testenv.Receive(t, done, "the waiting reader"); !errors.Is(err, context.Canceled) {
		t.Fatalf("enter = %v, want context.Canceled", err)
	}
	waitQueued(t, 0)
	g.leave()
	// The abandoned wait took no turn: the one turn is free again.
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := g.enter(ctx); err != nil {
		t.Fatalf("the gate's turn was lost: %v", err)
	}
}

// Waiters that give up while turns are handed out must never lose or
// duplicate a turn.
func TestReadGateKeepsItsTurnsUnderCancellation(t *testing.T) {
	const turns = 3
	g := newReadGate(turns)
	var inside, most int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if i%3 == 0 {
				go cancel() // gives up at some point of its wait
			}
			if g.enter(ctx) != nil {
				return
			}
			mu.Lock()
			inside++
			most = max(most, inside)
			mu.Unlock()
			runtime.Gosched()
			mu.Lock()
			inside--
			mu.Unlock()
			g.leave()
		})
	}
	wg.Wait()
	if most > turns {
		t.Errorf("%d readers were in at once, want at most %d", most, turns)
	}
	for range turns { // every turn is back
		if err := g.enter(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if queued := queuedAtGates(); queued != 0 {
		t.Errorf("%d still queued", queued)
	}
}

// Every read of the store but a keyword search takes its turn at the gate.
func TestReadsWaitForTheirTurn(t *testing.T) {
	db, _, ctx := openTenant(t)
	clients := NewClientService(db)
	c, err := clients.CreateClient(ctx, fatora.ClientFields{Name: "Gate Keeper", Phone: "+97455501234"})
	if err != nil {
		t.Fatal(err)
	}
	merchants := NewMerchantService(db)
	reads := map[string]func() error{
		"FindClientByID": func() error { _, err := clients.FindClientByID(ctx, c.ID); return err },
		"FindClients": func() error {
			_, err := clients.FindClients(ctx, fatora.ClientFilter{Email: "none@example.com"})
			return err
		},
		"FindAPIKeys":           func() error { _, err := merchants.FindAPIKeys(ctx, 1); return err },
		"FindMerchantByNumber":  func() error { _, err := merchants.FindMerchantByNumber(ctx, "none"); return notFoundIsNil(err) },
		"FindCredentialByKeyID": func() error { _, err := merchants.FindCredentialByKeyID(ctx, "none"); return notFoundIsNil(err) },
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			db.gate = newReadGate(1)
			if err := db.gate.enter(context.Background()); err != nil {
				t.Fatal(err)
			}
			done := make(chan error)
			go func() { done <- read() }()
			waitQueued(t, 1)
			db.gate.leave()
			if err := testenv.Receive(t, done, "the read behind the gate"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func notFoundIsNil(err error) error {
	if fatora.ErrorCode(err) == fatora.CodeNotFound {
		return nil
	}
	return err
}

// A keyword search waits for a search turn; other reads pass it by, and it
// passes them by.
func TestSearchesWaitForASearchTurn(t *testing.T) {
	db, _, ctx := openTenant(t)
	clients := NewClientService(db)
	if _, err := clients.CreateClient(ctx, fatora.ClientFields{Name: "Gate Keeper", Phone: "+97455501234"}); err != nil {
		t.Fatal(err)
	}
	db.searchGate = newReadGate(1)
	if err := db.searchGate.enter(context.Background()); err != nil {
		t.Fatal(err)
	}
	searched := make(chan error)
	go func() {
		_, err := clients.FindClients(ctx, fatora.ClientFilter{Keyword: "Keeper"})
		searched <- err
	}()
	waitQueued(t, 1)
	listCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	page, err := clients.FindClients(listCtx, fatora.ClientFilter{})
	if err != nil || page.TotalCount != 1 {
		t.Fatalf("a list behind a waiting search: %+v, %v", page, err)
	}
	db.searchGate.leave()
	if err := testenv.Receive(t, searched, "the search behind the search gate"); err != nil {
		t.Fatal(err)
	}
	db.gate = newReadGate(1)
	if err := db.gate.enter(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer db.gate.leave()
	page, err = clients.FindClients(listCtx, fatora.ClientFilter{Keyword: "Keeper"})
	if err != nil || page.TotalCount != 1 {
		t.Fatalf("a search while every read turn is taken: %+v, %v", page, err)
	}
}
