package httpapi_test

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/internal/apitest"
)

// TestMerchantRateLimit: each merchant and mode has its own token bucket,
// told in the RateLimit headers; an empty one answers 429 rate_limited
// with Retry-After until the (injected) clock refills it.
func TestMerchantRateLimit(t *testing.T) {
	e := newEnvWith(t, apitest.Options{Configure: func(s *httpapi.Server) {
		s.RateLimit = httpapi.RateLimit{PerSecond: 2, Burst: 3}
	}})
	list := func(m *apitest.Merchant, mode fatora.Mode) response {
		return e.do(request{method: "GET", path: "/v1/clients", as: m, mode: mode})
	}
	// The harness authorized alpha's test key: one of the 3 is taken.
	for left, refill := range []string{"1;t=1", "0;t=2"} {
		resp := list(e.alpha, fatora.ModeTest)
		if resp.status != http.StatusOK {
			t.Fatalf("request %d of the burst: %d %s", left+2, resp.status, resp.body)
		}
		wantHeader(t, resp, "RateLimit-Policy", `"default";q=3;w=2`)
		wantHeader(t, resp, "RateLimit", `"default";r=`+refill)
	}
	resp := list(e.alpha, fatora.ModeTest)
	if resp.status != http.StatusTooManyRequests || resp.code() != "rate_limited" {
		t.Fatalf("past the burst: %d %s, want 429 rate_limited", resp.status, resp.body)
	}
	wantHeader(t, resp, "Retry-After", "1")
	wantHeader(t, resp, "RateLimit", `"default";r=0;t=2`)

	if resp := list(e.alpha, fatora.ModeLive); resp.status != http.StatusOK {
		t.Errorf("alpha's live mode, another bucket: %d", resp.status)
	}
	if resp := list(e.beta, fatora.ModeTest); resp.status != http.StatusOK {
		t.Errorf("beta, another merchant: %d", resp.status)
	}
	authorize := e.do(request{method: "GET", path: "/v1/Authorization/Authorize", header: http.Header{"Api_key": {e.alpha.Keys[fatora.ModeTest]}}})
	if authorize.status != http.StatusTooManyRequests || authorize.code() != "rate_limited" {
		t.Errorf("Authorize with alpha's empty bucket: %d %s, want 429", authorize.status, authorize.body)
	}
	e.Clock.Advance(500 * time.Millisecond)
	if resp := list(e.alpha, fatora.ModeTest); resp.status != http.StatusOK {
		t.Errorf("half a second later (one request refilled): %d %s", resp.status, resp.body)
	}
	if resp := list(e.alpha, fatora.ModeTest); resp.status != http.StatusTooManyRequests {
		t.Errorf("and the next: %d, want 429", resp.status)
	}
}

// TestNoRateLimitByDefault: a server without a limit sends no RateLimit
// headers and refuses nothing.
func TestNoRateLimitByDefault(t *testing.T) {
	e := newEnv(t, apitest.SQLite())
	for range 50 {
		resp := e.do(request{method: "GET", path: "/v1/clients", as: e.alpha})
		if resp.status != http.StatusOK || resp.header.Get("RateLimit") != "" {
			t.Fatalf("%d, RateLimit %q: want 200 without the header", resp.status, resp.header.Get("RateLimit"))
		}
	}
}

func wantHeader(t *testing.T, resp response, name, want string) {
	t.Helper()
	if got := resp.header.Get(name); got != want {
		t.Errorf("%s: %q, want %q", name, got, want)
	}
}

// wrongKey is a key that does not exist but shows the same prefix as key.
func wrongKey(key string, n int) string {
	return key[:13] + strings.Repeat(string(rune('a'+n%26)), len(key)-13)
}

// authorizeFrom calls Authorize with key from the address remote.
func (e *env) authorizeFrom(remote, key string) response {
	e.t.Helper()
	return e.do(request{method: "POST", path: "/v1/Authorization/Authorize", remote: net.JoinHostPort(remote, "40000"),
		header: http.Header{"Api_key": {key}}})
}

// TestKeyFailuresLimitedByAddress: one address trying keys that do not
// exist is refused (429, Retry-After) past the burst, even with a correct
// key, until the clock refills its bucket; another address, with the
// correct key, is not slowed at all.
func TestKeyFailuresLimitedByAddress(t *testing.T) {
	e := newEnv(t, apitest.SQLite())
	key := e.alpha.Keys[fatora.ModeTest]
	for i := range httpapi.KeyFailureBurst {
		if resp := e.authorizeFrom("203.0.113.7", "not-a-key-"+string(rune('a'+i))); resp.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, resp.status)
		}
	}
	resp := e.authorizeFrom("203.0.113.7", "not-a-key-z")
	if resp.status != http.StatusTooManyRequests || resp.code() != "rate_limited" {
		t.Fatalf("past the burst: %d %s, want 429 rate_limited", resp.status, resp.body)
	}
	wantHeader(t, resp, "Retry-After", "6")
	if resp := e.authorizeFrom("203.0.113.7", key); resp.status != http.StatusTooManyRequests {
		t.Errorf("the limited address with a correct key: %d, want 429", resp.status)
	}
	clients := e.do(request{method: "GET", path: "/v1/clients", remote: "203.0.113.7:1", header: http.Header{"Api_key": {"other"}}})
	if clients.status != http.StatusTooManyRequests {
		t.Errorf("the api_key header on /v1/clients from the limited address: %d, want 429", clients.status)
	}
	if resp := e.authorizeFrom("198.51.100.1", key); resp.status != http.StatusOK {
		t.Errorf("another address with the correct key: %d %s", resp.status, resp.body)
	}
	e.Clock.Advance(httpapi.KeyFailureEvery)
	if resp := e.authorizeFrom("203.0.113.7", key); resp.status != http.StatusOK {
		t.Errorf("after %s, one more try: %d %s", httpapi.KeyFailureEvery, resp.status, resp.body)
	}
}

// TestKeyFailuresLimitedByPrefix: many addresses guessing one key (its
// prefix) each get a try or so, not a burst each; the key's owner, from an
// address with no failures, is never refused.
func TestKeyFailuresLimitedByPrefix(t *testing.T) {
	e := newEnv(t, apitest.SQLite())
	key := e.alpha.Keys[fatora.ModeTest]
	for i := range httpapi.KeyFailureBurst {
		remote := "203.0.113." + string(rune('1'+i))
		if resp := e.authorizeFrom(remote, wrongKey(key, i)); resp.status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d, want 401", i+1, resp.status)
		}
	}
	// The prefix is out of tries: an address that failed is refused at
	// once, though its own bucket has tries left.
	resp := e.authorizeFrom("203.0.113.1", wrongKey(key, 20))
	if resp.status != http.StatusTooManyRequests || resp.code() != "rate_limited" {
		t.Fatalf("a second guess of the prefix: %d %s, want 429", resp.status, resp.body)
	}
	if resp := e.authorizeFrom("198.51.100.1", key); resp.status != http.StatusOK {
		t.Errorf("the owner, from a clean address: %d %s", resp.status, resp.body)
	}
	// IPv6 addresses count by /64.
	e.authorizeFrom("2001:db8:1:2::1", wrongKey(key, 21))
	if resp := e.authorizeFrom("2001:db8:1:2::ffff", wrongKey(key, 22)); resp.status != http.StatusTooManyRequests {
		t.Errorf("another address of the same /64: %d, want 429", resp.status)
	}
	if resp := e.authorizeFrom("2001:db8:1:3::1", key); resp.status != http.StatusOK {
		t.Errorf("the owner from another /64: %d", resp.status)
	}
}
