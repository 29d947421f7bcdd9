package httpapi

import (
	"net/netip"
	"sync"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/token"
	"golang.org/x/time/rate"
)

// The limits on failed API key attempts (an unknown key, to Authorize or
// in the api_key header), on each server: KeyFailureBurst failures at
// once, then one more every KeyFailureEvery. They count per client
// address (IPv6 by /64) and per key prefix (token.DisplayPrefix), so that
// neither one address trying many keys nor many addresses trying one key
// get far: a 122-bit key stays out of reach for ever.
const (
	KeyFailureBurst = 10
	KeyFailureEvery = 6 * time.Second
)

// maxKeyGuardEntries bounds each table of the guard. An entry whose bucket
// is full again says nothing and is swept; past the bound, new addresses or
// prefixes go uncounted until a sweep makes room.
const maxKeyGuardEntries = 100_000

// keyGuard counts failed API key attempts. An address out of attempts is
// refused before its key is looked up. A prefix out of attempts (many
// addresses guessing one key) refuses only addresses that failed within
// the last minute or so (their bucket is not full): an address with no
// recent failure, such as the key's owner, is always let through, so a
// correct key from it is never slowed.
type keyGuard struct {
	now fatora.Clock
	on  bool // false: nothing is counted or refused

	mu       sync.Mutex
	byAddr   map[string]*rate.Limiter
	byPrefix map[string]*rate.Limiter
}

func newKeyGuard(now fatora.Clock, on bool) *keyGuard {
	return &keyGuard{now: now, on: on, byAddr: map[string]*rate.Limiter{}, byPrefix: map[string]*rate.Limiter{}}
}

// refuse returns a rate_limited error if a key attempt from addr, with a
// key of this prefix, is to be refused before it is looked up.
func (g *keyGuard) refuse(addr, prefix string) error {
	if !g.on {
		return nil
	}
	now := g.now()
	g.mu.Lock()
	a, p := g.byAddr[addrKey(addr)], g.byPrefix[prefix]
	g.mu.Unlock()
	switch {
	case a != nil && a.TokensAt(now) < 1:
		return errTooManyKeyFailures(retryAfter(a, now, KeyFailureEvery))
	case p != nil && a != nil && p.TokensAt(now) < 1 && a.TokensAt(now) < KeyFailureBurst:
		return errTooManyKeyFailures(retryAfter(p, now, KeyFailureEvery))
	}
	return nil
}

func errTooManyKeyFailures(wait time.Duration) error {
	return fatora.RateLimited("Too many attempts with API keys that do not exist; retry after Retry-After.", wait)
}

// failed counts a failed attempt against addr and prefix.
func (g *keyGuard) failed(addr, prefix string) {
	if !g.on {
		return
	}
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, e := range []struct {
		table map[string]*rate.Limiter
		key   string
	}{{g.byAddr, addrKey(addr)}, {g.byPrefix, prefix}} {
		b := e.table[e.key]
		if b == nil {
			if len(e.table) >= maxKeyGuardEntries && sweep(e.table, now) >= maxKeyGuardEntries {
				continue
			}
			b = rate.NewLimiter(rate.Every(KeyFailureEvery), KeyFailureBurst)
			e.table[e.key] = b
		}
		b.AllowN(now, 1)
	}
}

// sweep drops the entries whose bucket is full again, and returns how many
// are left.
func sweep(table map[string]*rate.Limiter, now time.Time) int {
	for k, b := range table {
		if b.TokensAt(now) >= KeyFailureBurst {
			delete(table, k)
		}
	}
	return len(table)
}

// addrKey is what failures are counted by: an IPv4 address, or the /64
// network of an IPv6 one (a single host commonly holds a whole /64).
func addrKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Is4() {
		return addr
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// keyPrefixOf is the prefix failures of a key value are counted by: what
// the key lists and logs show of it.
func keyPrefixOf(key string) string { return token.DisplayPrefix(token.CanonicalAPIKey(key)) }
