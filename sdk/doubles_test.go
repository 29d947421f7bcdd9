package sdk_test

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// flaky is a test double in front of the server: it fails the first
// failures requests that match, with fail, and lets the others through. It
// records the Idempotency-Key of every matching request.
type flaky struct {
	match    func(*http.Request) bool
	failures int
	fail     func(http.ResponseWriter, *http.Request)

	mu   sync.Mutex
	keys []string
}

func (f *flaky) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !f.match(r) {
			next.ServeHTTP(w, r)
			return
		}
		f.mu.Lock()
		f.keys = append(f.keys, r.Header.Get("Idempotency-Key"))
		n := len(f.keys)
		f.mu.Unlock()
		if n <= f.failures {
			f.fail(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// attempts returns the Idempotency-Key of each matching request so far.
func (f *flaky) attempts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.keys...)
}

// method matches the requests of one method to the clients endpoints.
func method(m string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Method == m && r.URL.Path != "/v1/Authorization/Authorize" }
}

// answer returns a fail function that answers an error in the API's shape.
func answer(status int, code, retryAfter string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"status":"ERROR","error":{"code":%q,"message":"injected","request_id":"req-injected"}}`, code)
	}
}

// hangUp closes the connection without answering.
func hangUp(w http.ResponseWriter, r *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	conn.Close()
}

// replayer is a test double of the server's Idempotency-Key feature: the
// first request with a key goes to the server and its answer is kept. That
// answer is then lost, the connection closed, for the first drops requests
// with the key, as when a network fails after the server committed. Later
// requests with the key get the kept answer with Idempotent-Replayed: true.
//
// net/http itself re-sends a request with an Idempotency-Key once when a
// reused connection closes; drops of 2 or more make the SDK retry too.
type replayer struct {
	drops int

	mu   sync.Mutex
	kept map[string]*httptest.ResponseRecorder
	sent map[string]int // requests per key
}

func (p *replayer) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		if key == "" {
			next.ServeHTTP(w, r)
			return
		}
		p.mu.Lock()
		defer p.mu.Unlock() // one keyed request at a time: enough for a double
		if p.kept == nil {
			p.kept, p.sent = map[string]*httptest.ResponseRecorder{}, map[string]int{}
		}
		p.sent[key]++
		rec, replayed := p.kept[key]
		if !replayed {
			rec = httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			p.kept[key] = rec
		}
		if p.sent[key] <= p.drops {
			hangUp(w, r)
			return
		}
		writeKept(w, rec, replayed)
	})
}

// requests returns how many requests the double has seen with each key.
func (p *replayer) requests() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.sent)
}

// writeKept writes a kept answer, marked as a replay if replayed.
func writeKept(w http.ResponseWriter, rec *httptest.ResponseRecorder, replayed bool) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// retrySignal is a slog handler that signals each retry the SDK logs, so a
// test knows the SDK is about to wait.
type retrySignal chan struct{}

func (h retrySignal) Enabled(context.Context, slog.Level) bool { return true }
func (h retrySignal) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h retrySignal) WithGroup(string) slog.Handler            { return h }

func (h retrySignal) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "fatora: retrying" {
		select {
		case h <- struct{}{}:
		default:
		}
	}
	return nil
}

// sameKeys checks that every attempt carried one non-empty key.
func sameKeys(t testing.TB, keys []string) {
	t.Helper()
	if len(keys) == 0 || keys[0] == "" {
		t.Fatalf("attempts carried keys %q, want a non-empty key", keys)
	}
	for i, k := range keys {
		if k != keys[0] {
			t.Errorf("attempt %d carried Idempotency-Key %q, attempt 1 %q", i+1, k, keys[0])
		}
	}
}
