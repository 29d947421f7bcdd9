package sdk

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client calls the Fatora Clients API for one merchant API key. Make it with
// New; it is safe for concurrent use by many goroutines.
//
// It is named Client after the convention of net/http and most Go SDKs; the
// API's records, which the API also calls clients, are ClientRecord.
type Client struct {
	// Clients creates, reads, lists, changes and deletes the merchant's
	// clients (customers).
	Clients *ClientsService

	base       string // scheme://host[/prefix], without "/v1" or a final "/"
	apiKey     string
	http       *http.Client
	maxRetries int
	minBackoff time.Duration
	maxBackoff time.Duration
	userAgent  string
	log        *slog.Logger
	now        func() time.Time
	jitter     func(n int64) int64 // a random number in [0, n)
	tokens     tokenCache
}

// New returns a Client for the API at baseURL that authenticates with
// apiKey. baseURL is the server's root or Fatora's documented base URL:
// "https://api.fatora.io" and "https://api.fatora.io/v1" are the same.
// New makes no request: the first call fetches the bearer token.
func New(baseURL, apiKey string, opts ...Option) (*Client, error) {
	base, err := normalizeBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	if apiKey == "" || !printableASCII(apiKey) {
		return nil, errors.New("fatora: the API key is empty or not printable ASCII")
	}
	c := &Client{
		base: base, apiKey: apiKey, http: &http.Client{Timeout: DefaultTimeout},
		maxRetries: DefaultMaxRetries, minBackoff: DefaultMinBackoff, maxBackoff: DefaultMaxBackoff,
		userAgent: DefaultUserAgent, log: slog.New(slog.DiscardHandler), now: time.Now, jitter: rand.Int64N,
		tokens: tokenCache{renewing: make(chan struct{}, 1)},
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	c.Clients = &ClientsService{c: c}
	return c, nil
}

// normalizeBaseURL checks an http(s) URL and returns it without a final "/"
// or "/v1", the prefix every path of the API starts with.
func normalizeBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("fatora: the base URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("fatora: the base URL %q is not http(s)://host[/path]", raw)
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	if strings.HasSuffix(strings.ToLower(path), "/v1") {
		path = path[:len(path)-len("/v1")]
	}
	return u.Scheme + "://" + u.Host + path, nil
}

// String returns a pointer to s, for the optional fields of the params
// types: sdk.String("") clears a field in an update.
func String(s string) *string { return &s }
