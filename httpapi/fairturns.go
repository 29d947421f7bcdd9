package httpapi

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/fatora-oss/fatora"
)

// DefaultSearchTurns is how many keyword searches run at once on a server
// unless it sets another number: one a CPU (at least 2). A search is CPU
// work; more at once only queue for the CPUs.
func DefaultSearchTurns() int { return max(2, runtime.GOMAXPROCS(0)) }

// fairTurns shares the turns of expensive work (keyword searches) between
// tenants. At most n run at once. While another tenant has searched within
// the last activeWindow, a tenant that already runs a search may not take
// the last free turn: it is kept for a tenant that runs nothing, whose
// search then starts at once, beside the others. (A tenant alone takes
// every turn.) Waiting requests get the turns freed round-robin by tenant
// (each tenant's in the order they came), a tenant that runs nothing
// joining the ring ahead of those that run something. So a tenant's flood
// delays another tenant's search by at most about one search, not by the
// whole flood queued before it.
type fairTurns struct {
	now fatora.Clock

	mu      sync.Mutex
	free    int
	queues  map[fatora.Scope][]chan struct{} // waiting requests by tenant
	ring    []fatora.Scope                   // tenants with waiting requests, in turn order
	running map[fatora.Scope]int             // turns taken, by tenant
	recent  [2]arrival                       // the last two tenants to ask for a turn, the latest first
}

// arrival is when a tenant last asked for a turn.
type arrival struct {
	tenant fatora.Scope
	at     time.Time
}

// activeWindow is how long after its last search a tenant still counts as
// searching, so that the others keep a turn free for it.
const activeWindow = time.Second

func newFairTurns(n int, now fatora.Clock) *fairTurns {
	return &fairTurns{now: now, free: n, queues: map[fatora.Scope][]chan struct{}{}, running: map[fatora.Scope]int{}}
}

// enter returns once tenant may run, or with ctx's error if ctx ends
// first. Every nil return must be matched by one leave.
func (f *fairTurns) enter(ctx context.Context, tenant fatora.Scope) error {
	f.mu.Lock()
	f.arrived(tenant)
	if len(f.queues[tenant]) == 0 && f.mayTake(tenant) {
		f.free--
		f.running[tenant]++
		f.mu.Unlock()
		return nil
	}
	turn := make(chan struct{})
	if len(f.queues[tenant]) == 0 {
		f.join(tenant)
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

// mayTake reports whether tenant may take a free turn now: the last free
// turn is kept for a tenant that runs nothing while another tenant is
// active, so that its search starts at once, beside the others, instead
// of after one of them.
func (f *fairTurns) mayTake(tenant fatora.Scope) bool {
	return f.free > 1 || (f.free == 1 && (f.running[tenant] == 0 || !f.othersActive(tenant)))
}

// arrived notes that tenant asks for a turn now.
func (f *fairTurns) arrived(tenant fatora.Scope) {
	a := arrival{tenant: tenant, at: f.now()}
	if f.recent[0].tenant != tenant {
		f.recent[1] = f.recent[0]
	}
	f.recent[0] = a
}

// othersActive reports whether a tenant other than tenant asked for a turn
// within activeWindow.
func (f *fairTurns) othersActive(tenant fatora.Scope) bool {
	other := f.recent[0]
	if other.tenant == tenant {
		other = f.recent[1]
	}
	return !other.at.IsZero() && f.now().Sub(other.at) < activeWindow
}

// join puts a tenant with a first waiting request in the ring: after the
// tenants that run nothing if it runs nothing either, else at the end.
func (f *fairTurns) join(tenant fatora.Scope) {
	at := len(f.ring)
	if f.running[tenant] == 0 {
		at = slices.IndexFunc(f.ring, func(s fatora.Scope) bool { return f.running[s] > 0 })
		if at < 0 {
			at = len(f.ring)
		}
	}
	f.ring = slices.Insert(f.ring, at, tenant)
}

// abandon takes a waiting request out of its queue; if its turn came
// meanwhile, it is passed on.
func (f *fairTurns) abandon(tenant fatora.Scope, turn chan struct{}) {
	f.mu.Lock()
	select {
	case <-turn:
		f.mu.Unlock()
		f.leave(tenant)
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

// leave ends one of tenant's turns and gives the free turns to waiting
// requests (see grant).
func (f *fairTurns) leave(tenant fatora.Scope) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.running[tenant]--; f.running[tenant] == 0 {
		delete(f.running, tenant)
	}
	f.free++
	f.grant()
}

// grant gives free turns, one at a time, to the first tenant in the ring
// that may take one, for its first waiting request; a tenant with more
// waiting goes to the end of the ring.
func (f *fairTurns) grant() {
	for {
		i := slices.IndexFunc(f.ring, f.mayTake)
		if i < 0 {
			return // none waiting, or the last free turn is kept
		}
		next := f.ring[i]
		f.ring = slices.Delete(f.ring, i, i+1)
		q := f.queues[next]
		turn := q[0]
		if len(q) > 1 {
			f.queues[next] = q[1:]
			f.ring = append(f.ring, next)
		} else {
			delete(f.queues, next)
		}
		f.free--
		f.running[next]++
		close(turn)
	}
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
	return func() { s.searches.leave(scope) }, nil
}
