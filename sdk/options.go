package sdk

import (
	"errors"
	"log/slog"
	"net/http"
	"time"
)

// Defaults of a Client that no Option changes.
const (
	DefaultMaxRetries = 3
	DefaultMinBackoff = 500 * time.Millisecond
	DefaultMaxBackoff = 5 * time.Second
	DefaultTimeout    = 30 * time.Second
	DefaultUserAgent  = "fatora-sdk-go"
)

// Option changes a setting of a Client made by New.
type Option func(*Client) error

// WithHTTPClient makes the Client send its requests through hc (its
// transport, timeout and redirect policy). The default is an http.Client
// with DefaultTimeout on http.DefaultTransport. hc is not modified.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("fatora: WithHTTPClient: the client is nil")
		}
		c.http = hc
		return nil
	}
}

// WithMaxRetries sets how many times a failed call is tried again (0: never).
func WithMaxRetries(n int) Option {
	return func(c *Client) error {
		if n < 0 {
			return errors.New("fatora: WithMaxRetries: n must not be negative")
		}
		c.maxRetries = n
		return nil
	}
}

// WithBackoff sets the backoff between attempts: before retry k (from 0) the
// Client waits a random time between 0 and min(max, min·2^k), or longer
// when the server's Retry-After asks for it.
func WithBackoff(min, max time.Duration) Option {
	return func(c *Client) error {
		if min < 0 || max < min {
			return errors.New("fatora: WithBackoff: want 0 <= min <= max")
		}
		c.minBackoff, c.maxBackoff = min, max
		return nil
	}
}

// WithUserAgent sets the User-Agent header of every request, in place of
// DefaultUserAgent.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if ua == "" || !printableASCII(ua) {
			return errors.New("fatora: WithUserAgent: want printable ASCII text")
		}
		c.userAgent = ua
		return nil
	}
}

// WithLogger makes the Client log each retry (at Info: method, path,
// attempt, wait and reason) to log. It never logs keys, tokens, query
// strings or bodies. The default discards.
func WithLogger(log *slog.Logger) Option {
	return func(c *Client) error {
		if log == nil {
			return errors.New("fatora: WithLogger: the logger is nil")
		}
		c.log = log
		return nil
	}
}

// printableASCII reports whether s holds only the characters 0x20 to 0x7E,
// the ones every header value may carry as they are.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
