package httpapi

import (
	"context"
	"runtime"
	"slices"
	"sync"

	"github.com/fatora-oss/fatora"
)

// DefaultSearchTurns is how many keyword searches run at once on a server
// unless it sets another number: one a CPU (at least 2). A search is CPU
// work; more at once only queue for the CPUs.
func DefaultSearchTurns() int { return max(2, runtime.GOMAXPROCS(0)) }

// fairTurns shares the turns of expensive work (keyword searches) between
// tenants. At most n run at once; when all are taken the waiting requests
// get the turns freed round-robin by tenant (each tenant's in the order
// they came), so a tenant's flood delays another tenant's search by about
// one search, not by the whole flood queued before it.
type fairTurns struct {
	mu     sync.Mutex
	free   int
	queues map[fatora.Scope][]chan struct{} // waiting requests by tenant
	ring   []fatora.Scope                   // tenants with waiting requests, in turn order
}

func newFairTurns(n int) *fairTurns {
	return &fairTurns{free: n, queues: map[fatora.Scope][]chan struct{}{}}
}

// enter returns once tenant may run, or with ctx's error if ctx ends
// first. Every nil return must be matched by one leave.
func (f *fairTurns) enter(ctx context.Context, tenant fatora.Scope) error {
	f.mu.Lock()
	if f.free > 0 {
		f.free--
		f.mu.Unlock()
		return nil
	}
	turn := make(chan struct{})
	if len(f.queues[tenant]) == 0 {
		f.ring = append(f.ring, tenant)
	}
	f.queues[tenant] = append(f.queues[tenant], turn)
	f.mu.Unlock()
	select {
	case <-turn:
		return nil
	case <-ctx.Done():
		f.abandon(tenant, turn)
		return ctx.Err()
	}
}

// abandon takes a waiting request out of its queue; if its turn came
// meanwhile, it is passed on.
func (f *fairTurns) abandon(tenant fatora.Scope, turn chan struct{}) {
	f.mu.Lock()
	select {
	case <-turn:
		f.mu.Unlock()
		f.leave()
		return
	default:
	}
	q := slices.DeleteFunc(f.queues[tenant], func(c chan struct{}) bool { return c == turn })
	f.queues[tenant] = q
	if len(q) == 0 {
		delete(f.queues, tenant)
		f.ring = slices.DeleteFunc(f.ring, func(s fatora.Scope) bool { return s == tenant })
	}
	f.mu.Unlock()
}

// leave ends a turn: the next tenant in the ring gets it for its first
// waiting request, and goes to the end of the ring if it has more.
func (f *fairTurns) leave() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.ring) == 0 {
		f.free++
		return
	}
	tenant := f.ring[0]
	f.ring = f.ring[1:]
	q := f.queues[tenant]
	turn := q[0]
	if len(q) > 1 {
		f.queues[tenant] = q[1:]
		f.ring = append(f.ring, tenant)
	} else {
		delete(f.queues, tenant)
	}
	close(turn)
}

// searchTurn waits for a turn to search, shared fairly with the other
// tenants (see fairTurns), and returns the function that ends it.
func (s *Server) searchTurn(ctx context.Context) (leave func(), err error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.searches.enter(ctx, scope); err != nil {
		return nil, &fatora.Error{Code: fatora.CodeUnavailable, Message: "Too many searches are waiting; retry later.", Cause: err}
	}
	return s.searches.leave, nil
}
