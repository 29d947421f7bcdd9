package sdk_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/sdk"
)

// wantAuthorizes checks how many times ts saw Authorize.
func wantAuthorizes(t testing.TB, ts *testServer, want int64) {
	t.Helper()
	if got := ts.authorizes.Load(); got != want {
		t.Errorf("Authorize called %d times, want %d", got, want)
	}
}

// createAndGet makes one client and reads it back, failing the test on an
// error.
func createAndGet(t testing.TB, c *sdk.Client) {
	t.Helper()
	rec, err := c.Clients.Create(context.Background(), sdk.ClientCreateParams{Name: "Client " + time.Now().String()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Clients.Get(context.Background(), rec.ID); err != nil {
		t.Fatal(err)
	}
}

func TestTokenIsCached(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := newClient(t, ts)
	createAndGet(t, c)
	createAndGet(t, c)
	wantAuthorizes(t, ts, 1)
}

// TestTokenRenewedAfterRefusal moves the server's clock past the token's
// expiry: the server refuses the token, the SDK renews it and the call
// succeeds.
func TestTokenRenewedAfterRefusal(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := newClient(t, ts)
	createAndGet(t, c)
	ts.clock.Advance(25 * time.Hour)
	createAndGet(t, c)
	wantAuthorizes(t, ts, 2)
	if n := ts.refused.Load(); n != 1 {
		t.Errorf("server refused %d requests, want 1 (the expired token)", n)
	}
}

// TestTokenRenewedBeforeExpiry shares the server's clock with the SDK: the
// token is renewed in its last minute, before the server would refuse it.
func TestTokenRenewedBeforeExpiry(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := newClient(t, ts)
	sdk.SetClock(c, ts.clock.Now)
	createAndGet(t, c)
	ts.clock.Advance(24*time.Hour - 2*time.Minute)
	createAndGet(t, c)
	wantAuthorizes(t, ts, 1)
	ts.clock.Advance(90 * time.Second) // 30 s left
	createAndGet(t, c)
	wantAuthorizes(t, ts, 2)
	if n := ts.refused.Load(); n != 0 {
		t.Errorf("server refused %d requests, want none", n)
	}
}

// TestTokenRefusedTwice: the SDK renews once per call, then gives up.
func TestTokenRefusedTwice(t *testing.T) {
	t.Parallel()
	refuse := &flaky{match: method(http.MethodGet), failures: 1 << 30, fail: answer(http.StatusUnauthorized, sdk.CodeInvalidToken, "")}
	ts := newTestServer(t, refuse.wrap)
	c := newClient(t, ts)
	_, err := c.Clients.Get(context.Background(), 1)
	if e := apiError(t, err); e.HTTPStatus != http.StatusUnauthorized || e.Code != sdk.CodeInvalidToken {
		t.Errorf("error %v, want 401 invalid_token", e)
	}
	wantAuthorizes(t, ts, 2)
	if n := len(refuse.attempts()); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
}

func TestBadAPIKey(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c, err := sdk.New(ts.URL, "ftr_test_wrong", sdk.WithHTTPClient(ts.Client()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Clients.Get(context.Background(), 1)
	// Authorize answers in Fatora's shape, error as a string; the SDK reads
	// its code and request id from beside it.
	e := apiError(t, err)
	if e.HTTPStatus != http.StatusUnauthorized || e.Code != sdk.CodeInvalidAPIKey || e.Message != "Invalid API Key" || e.RequestID == "" {
		t.Errorf("error %+v, want 401 invalid_api_key \"Invalid API Key\" with a request id", e)
	}
	wantAuthorizes(t, ts, 1)
}

// TestConcurrentCallersShareRenewals: many goroutines on a new client ask
// Authorize once, and after the server refuses the token, renew it once.
// The first Authorize is held until every caller has started.
func TestConcurrentCallersShareRenewals(t *testing.T) {
	t.Parallel()
	const callers = 16
	var started sync.WaitGroup
	started.Add(callers)
	ts := newTestServer(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/Authorization/Authorize" {
				started.Wait()
			}
			next.ServeHTTP(w, r)
		})
	})
	c := newClient(t, ts)
	run := func(start func()) {
		var wg sync.WaitGroup
		for range callers {
			wg.Go(func() {
				start()
				if _, err := c.Clients.List(context.Background(), sdk.ClientListParams{}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	run(started.Done)
	wantAuthorizes(t, ts, 1)

	ts.clock.Advance(25 * time.Hour)
	run(func() {})
	wantAuthorizes(t, ts, 2)
}
