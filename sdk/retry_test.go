package sdk_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/internal/apitest"
	"github.com/fatora-oss/fatora/sdk"
)

// TestRetryCreate fails the first attempts of a create in the ways a
// sandbox does not (TestRetryCreateThroughSandboxFailures has the others),
// in front of the real server: the create succeeds, every attempt carries
// the same Idempotency-Key, and one client exists.
func TestRetryCreate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		failures int
		fail     func(http.ResponseWriter, *http.Request)
	}{
		{"429 with Retry-After 0", 2, answer(http.StatusTooManyRequests, "rate_limited", "0")},
		{"409 idempotency_in_progress", 2, answer(http.StatusConflict, sdk.CodeIdempotencyInProgress, "0")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &flaky{match: method(http.MethodPost), failures: tt.failures, fail: tt.fail}
			ts := newTestServer(t, f.wrap)
			c := newClient(t, ts)
			rec, err := c.Clients.Create(context.Background(), seedParams())
			if err != nil {
				t.Fatal(err)
			}
			if rec.Name != "Client Name" {
				t.Errorf("created %+v", rec)
			}
			keys := f.attempts()
			if len(keys) != tt.failures+1 {
				t.Errorf("%d attempts, want %d", len(keys), tt.failures+1)
			}
			sameKeys(t, keys)
			if n := countClients(t, ts); n != 1 {
				t.Errorf("%d clients stored, want 1", n)
			}
		})
	}
}

// TestRetryAfterLostAnswer: the server makes the change but the answer is
// lost on the way. The retry, with the same key, gets the kept answer from
// a double of the server's Idempotency-Key feature, and nothing is done
// twice.
func TestRetryAfterLostAnswer(t *testing.T) {
	t.Parallel()
	p := &replayer{drops: 2}
	ts := newTestServer(t, p.wrap)
	c := newClient(t, ts)
	ctx := context.Background()
	rec, err := c.Clients.Create(ctx, seedParams())
	if err != nil {
		t.Fatal(err)
	}
	if n := countClients(t, ts); n != 1 {
		t.Errorf("%d clients stored, want 1", n)
	}
	if _, err := c.Clients.Update(ctx, rec.ID, sdk.ClientUpdateParams{Notes: sdk.String("")}); err != nil {
		t.Fatal(err)
	}
	if err := c.Clients.Delete(ctx, rec.ID, sdk.ClientDeleteParams{}); err != nil {
		t.Fatal(err)
	}
	sent := p.requests()
	if len(sent) != 3 {
		t.Errorf("%d keys sent, want one for each of 3 changes", len(sent))
	}
	for key, n := range sent {
		if n != p.drops+1 {
			t.Errorf("key %q sent %d times, want %d", key, n, p.drops+1)
		}
	}
}

// TestIdempotencyKeys: every change carries a key, reads carry none, and a
// key the caller gives is sent as it is.
func TestIdempotencyKeys(t *testing.T) {
	t.Parallel()
	all := &flaky{match: func(r *http.Request) bool { return r.URL.Path != "/v1/Authorization/Authorize" }}
	ts := newTestServer(t, all.wrap)
	c := newClient(t, ts)
	ctx := context.Background()
	p := seedParams()
	p.IdempotencyKey = "order-42 line 7"
	rec, err := c.Clients.Create(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	steps := []func() error{
		func() error { _, err := c.Clients.Get(ctx, rec.ID); return err },
		func() error { _, err := c.Clients.List(ctx, sdk.ClientListParams{}); return err },
		func() error {
			_, err := c.Clients.Update(ctx, rec.ID, sdk.ClientUpdateParams{Name: sdk.String("B")})
			return err
		},
		func() error {
			_, err := c.Clients.Update(ctx, rec.ID, sdk.ClientUpdateParams{Name: sdk.String("C")})
			return err
		},
		func() error { return c.Clients.Delete(ctx, rec.ID, sdk.ClientDeleteParams{IdempotencyKey: "del-1"}) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	keys := all.attempts()
	if len(keys) != 6 || keys[0] != "order-42 line 7" || keys[1] != "" || keys[2] != "" || keys[5] != "del-1" {
		t.Fatalf("keys %q, want the caller's, none for reads, then generated, then the caller's", keys)
	}
	if keys[3] == "" || keys[4] == "" || keys[3] == keys[4] {
		t.Errorf("updates carried keys %q and %q, want two different keys", keys[3], keys[4])
	}

	for _, bad := range []string{"line\nbreak", "ключ", strings.Repeat("k", 256)} {
		_, err := c.Clients.Create(ctx, sdk.ClientCreateParams{Name: "X", IdempotencyKey: bad})
		if err == nil || errors.As(err, new(*sdk.Error)) {
			t.Errorf("key %.20q: error %v, want a local refusal", bad, err)
		}
	}
	if n := len(all.attempts()); n != 6 {
		t.Errorf("%d requests after refused keys, want 6", n)
	}
}

// TestNoRetry: an answer that another attempt cannot change is returned at
// once.
func TestNoRetry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		fail   func(http.ResponseWriter, *http.Request)
		status int
	}{
		{"400 from the server", nil, http.StatusBadRequest},
		{"409 other than in progress", answer(http.StatusConflict, "conflict", "0"), http.StatusConflict},
		{"422 key reused", answer(http.StatusUnprocessableEntity, sdk.CodeIdempotencyKeyReused, ""), http.StatusUnprocessableEntity},
		{"403", answer(http.StatusForbidden, sdk.CodeKeyRevoked, ""), http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &flaky{match: method(http.MethodPost), failures: 1, fail: tt.fail}
			if tt.fail == nil {
				f.failures = 0
			}
			ts := newTestServer(t, f.wrap)
			c := newClient(t, ts)
			_, err := c.Clients.Create(context.Background(), sdk.ClientCreateParams{Name: ""})
			if e := apiError(t, err); e.HTTPStatus != tt.status {
				t.Errorf("error %v, want status %d", e, tt.status)
			}
			if n := len(f.attempts()); n != 1 {
				t.Errorf("%d attempts, want 1", n)
			}
		})
	}
}

// TestRetriesRunOut: after MaxRetries retries the last answer is returned.
func TestRetriesRunOut(t *testing.T) {
	t.Parallel()
	for _, retries := range []int{0, 2} {
		f := &flaky{match: method(http.MethodGet), failures: 1 << 30, fail: answer(http.StatusServiceUnavailable, sdk.CodeUnavailable, "0")}
		ts := newTestServer(t, f.wrap)
		c := newClient(t, ts, sdk.WithMaxRetries(retries))
		_, err := c.Clients.Get(context.Background(), 1)
		if e := apiError(t, err); e.HTTPStatus != http.StatusServiceUnavailable || e.Code != sdk.CodeUnavailable || e.RequestID != "req-injected" {
			t.Errorf("retries %d: error %+v, want the injected 503", retries, e)
		}
		if n := len(f.attempts()); n != retries+1 {
			t.Errorf("retries %d: %d attempts, want %d", retries, n, retries+1)
		}
	}
}

// TestCancelDuringBackoff: the server asks for a 5 s wait; cancelling the
// context during it ends the call at once, with no further attempt.
func TestCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	f := &flaky{match: method(http.MethodPost), failures: 1 << 30, fail: answer(http.StatusServiceUnavailable, sdk.CodeUnavailable, "5")}
	ts := newTestServer(t, f.wrap)
	waiting := make(retrySignal, 1)
	c := newClient(t, ts, sdk.WithLogger(slog.New(waiting)))
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-waiting; cancel() }()
	start := time.Now()
	_, err := c.Clients.Create(ctx, seedParams())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if elapsed := time.Since(start); elapsed > 4*time.Second {
		t.Errorf("returned after %v, not at the cancellation", elapsed)
	}
	if n := len(f.attempts()); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}

	_, err = c.Clients.Create(ctx, seedParams()) // already cancelled: no attempt
	if !errors.Is(err, context.Canceled) || len(f.attempts()) != 1 {
		t.Errorf("cancelled context: error %v after %d attempts, want context.Canceled and no attempt", err, len(f.attempts()))
	}
}

// TestNoWaitPastDeadline: a Retry-After longer than the context has left
// returns the answer at once instead of waiting in vain.
func TestNoWaitPastDeadline(t *testing.T) {
	t.Parallel()
	f := &flaky{match: method(http.MethodGet), failures: 1 << 30, fail: answer(http.StatusTooManyRequests, "rate_limited", "60")}
	ts := newTestServer(t, f.wrap)
	c := newClient(t, ts)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := c.Clients.Get(ctx, 1)
	if e := apiError(t, err); e.HTTPStatus != http.StatusTooManyRequests || e.RetryAfter != time.Minute {
		t.Errorf("error %+v, want the 429 with RetryAfter 1m", e)
	}
	if n := len(f.attempts()); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

// TestConnectionRefused: with no server, the error is the wrapped
// net/http error, not an *sdk.Error, after every retry.
func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.Close()
	c := newClient(t, ts)
	_, err := c.Clients.Get(context.Background(), 7)
	var urlErr *url.Error
	if err == nil || errors.As(err, new(*sdk.Error)) || !errors.As(err, &urlErr) {
		t.Fatalf("error %v (%T), want a wrapped *url.Error", err, err)
	}
	if !strings.HasPrefix(err.Error(), "fatora: GET /v1/clients/7: ") {
		t.Errorf("error %q, want it to name the call", err)
	}
}

// TestRetryLogs: a retry is logged with its reason, and the log holds no
// key, token or query string. (net/http may itself retry a GET on a
// connection closed by the server, so not every hang-up is an SDK retry.)
func TestRetryLogs(t *testing.T) {
	t.Parallel()
	f := &flaky{match: method(http.MethodGet), failures: 2, fail: hangUp}
	ts := newTestServer(t, f.wrap)
	var logs apitest.LogBuffer
	c := newClient(t, ts, sdk.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	if _, err := c.Clients.List(context.Background(), sdk.ClientListParams{Email: "secret@example.com"}); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if !strings.Contains(out, `"msg":"fatora: retrying"`) || !strings.Contains(out, `"path":"/v1/clients"`) {
		t.Errorf("logs do not show a retry of /v1/clients:\n%s", out)
	}
	for _, secret := range []string{ts.apiKey, "Bearer", "eyJ", "secret@example.com", "secret%40example.com"} {
		if strings.Contains(out, secret) {
			t.Errorf("logs hold %q:\n%s", secret, out)
		}
	}
}
