package sdk

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// authorizePath is Fatora's endpoint that exchanges an API key for a token.
const authorizePath = "/v1/Authorization/Authorize"

// renewMargin is how long before its expiry a token is renewed, at most:
// a token is renewed when less than renewMargin or a tenth of its lifetime
// is left, whichever is shorter, so a short-lived token is not renewed on
// every call.
const renewMargin = time.Minute

// tokenCache holds the bearer token. mu guards the fields; renewing is a
// lock, held by the one caller renewing, that waiters can give up on when
// their context ends.
type tokenCache struct {
	mu    sync.Mutex
	token string
	// renewAt is when to renew the token; zero means only when refused.
	renewAt  time.Time
	renewing chan struct{}
}

// authorizeResponse is the answer of Authorize.
type authorizeResponse struct {
	Success     bool   `json:"success"`
	BearerToken string `json:"bearer_token"`
	ExpiresAt   string `json:"expires_at"`
}

// bearer returns a token to send: the cached one unless it is due for
// renewal or is rejected, the one the server just refused. Concurrent
// callers wait for one renewal rather than each asking Authorize.
func (c *Client) bearer(ctx context.Context, rejected string) (string, error) {
	if tok, ok := c.cachedToken(rejected); ok {
		return tok, nil
	}
	select {
	case c.tokens.renewing <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-c.tokens.renewing }()
	if tok, ok := c.cachedToken(rejected); ok { // renewed while we waited
		return tok, nil
	}
	return c.authorize(ctx)
}

// cachedToken returns the cached token if it is still good to send.
func (c *Client) cachedToken(rejected string) (string, bool) {
	t := &c.tokens
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.token == "" || t.token == rejected || (!t.renewAt.IsZero() && !c.now().Before(t.renewAt)) {
		return "", false
	}
	return t.token, true
}

// authorize makes one Authorize attempt and caches the token it returns.
func (c *Client) authorize(ctx context.Context) (string, error) {
	r := &request{method: http.MethodGet, path: authorizePath}
	resp, err := c.send(ctx, r, "api_key", c.apiKey)
	if err != nil {
		return "", err
	}
	var out authorizeResponse
	if err := json.Unmarshal(resp.body, &out); err != nil || !out.Success || out.BearerToken == "" {
		return "", fmt.Errorf("authorize: the answer of %s holds no bearer token", authorizePath)
	}
	now := c.now()
	c.tokens.mu.Lock()
	c.tokens.token, c.tokens.renewAt = out.BearerToken, renewTime(now, out.ExpiresAt)
	c.tokens.mu.Unlock()
	return out.BearerToken, nil
}

// renewTime is when to renew a token received at now that expires at exp
// (RFC 3339). When exp is missing, or already past by our clock (a skewed
// clock), it returns zero: the token is then renewed only when refused.
func renewTime(now time.Time, exp string) time.Time {
	t, err := time.Parse(time.RFC3339, exp)
	if err != nil || !t.After(now) {
		return time.Time{}
	}
	return t.Add(-min(renewMargin, t.Sub(now)/10))
}
