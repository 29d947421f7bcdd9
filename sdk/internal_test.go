package sdk

import (
	"net/http"
	"testing"
	"time"
)

func TestBackoffCeilings(t *testing.T) {
	t.Parallel()
	c, err := New("http://localhost", "k", WithBackoff(100*time.Millisecond, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	c.jitter = func(n int64) int64 { return n - 1 } // the largest draw
	want := []time.Duration{100, 200, 400, 800, 1000, 1000, 1000}
	for n, w := range want {
		if got := c.backoff(n); got != w*time.Millisecond-1 {
			t.Errorf("backoff(%d) = %v, want just under %v", n, got, w*time.Millisecond)
		}
	}
	c.jitter = func(n int64) int64 { return 0 }
	if got := c.backoff(3); got != 0 {
		t.Errorf("smallest draw: %v, want 0 (full jitter)", got)
	}
	c.jitter = func(n int64) int64 { return n - 1 }
	c.minBackoff, c.maxBackoff = time.Hour, 1<<62
	if got := c.backoff(200); got <= 0 {
		t.Errorf("backoff(200) = %v, overflowed", got)
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"":     0,
		"0":    0,
		"5":    5 * time.Second,
		"-3":   0,
		"soon": 0,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
	}
	for v, want := range tests {
		if got := retryAfter(v, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestRenewTime(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		exp  string
		want time.Time
	}{
		{now.Add(24 * time.Hour).Format(time.RFC3339), now.Add(24*time.Hour - time.Minute)},
		{now.Add(100 * time.Second).Format(time.RFC3339), now.Add(90 * time.Second)},
		{now.Add(-time.Hour).Format(time.RFC3339), time.Time{}},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		if got := renewTime(now, tt.exp); !got.Equal(tt.want) {
			t.Errorf("renewTime(%q) = %v, want %v", tt.exp, got, tt.want)
		}
	}
}

func TestErrorRetryable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e    Error
		want bool
	}{
		{Error{HTTPStatus: 503}, true},
		{Error{HTTPStatus: 500}, true},
		{Error{HTTPStatus: 429}, true},
		{Error{HTTPStatus: 409, Code: CodeIdempotencyInProgress}, true},
		{Error{HTTPStatus: 409, Code: CodeDuplicateClient}, false},
		{Error{HTTPStatus: 400, Code: CodeInvalidField}, false},
		{Error{HTTPStatus: 401, Code: CodeInvalidToken}, false},
		{Error{HTTPStatus: 404}, false},
	}
	for _, tt := range tests {
		if got := tt.e.retryable(); got != tt.want {
			t.Errorf("%d %s: retryable = %v, want %v", tt.e.HTTPStatus, tt.e.Code, got, tt.want)
		}
	}
}
