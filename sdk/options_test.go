package sdk_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/sdk"
)

func TestNewRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, base, key string
		opts            []sdk.Option
	}{
		{"no scheme", "api.fatora.io", "k", nil},
		{"ftp", "ftp://api.fatora.io", "k", nil},
		{"query", "https://api.fatora.io/v1?x=1", "k", nil},
		{"no key", "https://api.fatora.io", "", nil},
		{"key with a line break", "https://api.fatora.io", "k\r\nX: y", nil},
		{"nil http client", "https://api.fatora.io", "k", []sdk.Option{sdk.WithHTTPClient(nil)}},
		{"negative retries", "https://api.fatora.io", "k", []sdk.Option{sdk.WithMaxRetries(-1)}},
		{"backoff min over max", "https://api.fatora.io", "k", []sdk.Option{sdk.WithBackoff(time.Second, time.Millisecond)}},
		{"empty user agent", "https://api.fatora.io", "k", []sdk.Option{sdk.WithUserAgent("")}},
		{"nil logger", "https://api.fatora.io", "k", []sdk.Option{sdk.WithLogger(nil)}},
	}
	for _, tt := range tests {
		if c, err := sdk.New(tt.base, tt.key, tt.opts...); err == nil || c != nil {
			t.Errorf("%s: New = %v, %v; want an error", tt.name, c, err)
		}
	}
}

// TestBaseURLForms: the server's root and Fatora's documented base URL
// (with /v1) reach the same API, and the user agent is sent.
func TestBaseURLForms(t *testing.T) {
	t.Parallel()
	var agents []string
	ts := newTestServer(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			agents = append(agents, r.UserAgent()) // one call at a time
			next.ServeHTTP(w, r)
		})
	})
	for _, base := range []string{ts.URL, ts.URL + "/", ts.URL + "/v1", ts.URL + "/V1/"} {
		c, err := sdk.New(base, ts.apiKey, sdk.WithHTTPClient(ts.Client()), sdk.WithUserAgent("shop/1.0"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Clients.List(context.Background(), sdk.ClientListParams{}); err != nil {
			t.Errorf("base %q: %v", base, err)
		}
	}
	if got := strings.Join(agents, ","); got != strings.Repeat("shop/1.0,", 7)+"shop/1.0" {
		t.Errorf("user agents %q, want shop/1.0 on every request", got)
	}
}
