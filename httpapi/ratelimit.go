package httpapi

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/fatora-oss/fatora"
	"golang.org/x/time/rate"
)

// RateLimit is a token bucket: PerSecond requests a second on average and
// up to Burst at once. The zero value (PerSecond 0) sets no limit.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

// Default rate limits of `fatora serve`, per merchant and mode on each
// server: above what `fatora clients import` sends (about 1,250 creates a
// second on 2 CPUs; at 1,000 it was slowed), and a bound on what one
// merchant's flood takes of a server.
const (
	DefaultRatePerSecond = 2000
	DefaultRateBurst     = 4000
)

// limits are a server's limits (see makeLimits).
type limits struct {
	tenants  *tenantLimits
	keyGuard *keyGuard
	searches *fairTurns
	// secretReloads spaces the calls of ReloadSecrets.
	secretReloads *rate.Limiter
}

// makeLimits makes the server's limits: the merchants' buckets, the failed
// key counts, the search turns and the spacing of secret reloads. A
// sandbox has neither buckets nor failed key counts.
func (s *Server) makeLimits() {
	if s.Sandbox != nil { // a sandbox serves test suites: no limits
		s.RateLimit = RateLimit{}
	}
	s.tenants = newTenantLimits(s.RateLimit, s.Now)
	s.keyGuard = newKeyGuard(s.Now, s.Sandbox == nil)
	if s.SearchTurns <= 0 {
		s.SearchTurns = DefaultSearchTurns()
	}
	s.searches = newFairTurns(s.SearchTurns, s.Now)
	s.secretReloads = rate.NewLimiter(rate.Every(time.Second), 1)
}

// rateLimitPolicy names the one quota policy in the RateLimit headers.
const rateLimitPolicy = `"default"`

// tenantLimits holds one token bucket per merchant and mode.
type tenantLimits struct {
	limit RateLimit
	now   fatora.Clock

	mu      sync.Mutex
	buckets map[fatora.Scope]*rate.Limiter
}

func newTenantLimits(limit RateLimit, now fatora.Clock) *tenantLimits {
	return &tenantLimits{limit: limit, now: now, buckets: map[fatora.Scope]*rate.Limiter{}}
}

func (t *tenantLimits) bucket(s fatora.Scope) *rate.Limiter {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, ok := t.buckets[s]
	if !ok {
		b = rate.NewLimiter(rate.Limit(t.limit.PerSecond), t.limit.Burst) // full
		t.buckets[s] = b
	}
	return b
}

// take takes one request from the scope's bucket and sets the RateLimit
// headers (draft-ietf-httpapi-ratelimit-headers) on w. It returns a
// rate_limited error, which says when to retry, if the bucket is empty.
func (t *tenantLimits) take(w http.ResponseWriter, s fatora.Scope) error {
	if t.limit.PerSecond <= 0 {
		return nil
	}
	b, now := t.bucket(s), t.now()
	res := b.ReserveN(now, 1)
	if wait := res.DelayFrom(now); !res.OK() || wait > 0 {
		res.CancelAt(now)
		t.setHeaders(w, 0, b.TokensAt(now))
		return fatora.RateLimited(fmt.Sprintf(
			"Too many requests: this merchant and mode may send %g a second (bursts of %d) to each server; retry after Retry-After.",
			t.limit.PerSecond, t.limit.Burst), wait)
	}
	left := b.TokensAt(now)
	t.setHeaders(w, int(math.Max(0, left)), left)
	return nil
}

// setHeaders writes the policy (the burst as a quota over the seconds the
// bucket takes to fill) and what is left of it: remaining requests, and
// the seconds until the bucket is full again.
func (t *tenantLimits) setHeaders(w http.ResponseWriter, remaining int, tokens float64) {
	fill := func(n float64) int64 { return int64(math.Ceil(n / t.limit.PerSecond)) }
	window := max(1, fill(float64(t.limit.Burst)))
	reset := max(0, fill(float64(t.limit.Burst)-tokens))
	h := w.Header()
	h.Set("RateLimit-Policy", rateLimitPolicy+";q="+strconv.Itoa(t.limit.Burst)+";w="+strconv.FormatInt(window, 10))
	h.Set("RateLimit", rateLimitPolicy+";r="+strconv.Itoa(remaining)+";t="+strconv.FormatInt(reset, 10))
}

// retryAfter is how long until one more try is allowed by a bucket that
// refills at every: never less than a second, as Retry-After counts.
func retryAfter(b *rate.Limiter, now time.Time, every time.Duration) time.Duration {
	missing := 1 - b.TokensAt(now)
	return max(time.Second, time.Duration(missing*float64(every)))
}
