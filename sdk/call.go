package sdk

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// call runs r as an authenticated call with retries and decodes a JSON
// answer into out (unless out is nil).
func (c *Client) call(ctx context.Context, r *request, out any) error {
	if r.method != http.MethodGet && r.idempotencyKey == "" {
		r.idempotencyKey = newIdempotencyKey()
	}
	if !validIdempotencyKey(r.idempotencyKey) {
		return r.wrap(errors.New("the idempotency key must be 1 to 255 printable ASCII characters"))
	}
	renewed := false
	resp, err := c.withRetries(ctx, r, func() (*response, error) { return c.attempt(ctx, r, &renewed) })
	if err != nil {
		return r.wrap(err)
	}
	r.answer = resp
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.body, out); err != nil {
		return r.wrap(fmt.Errorf("decode the answer: %w", err))
	}
	return nil
}

// attempt sends r with the bearer token. When the server refuses the token
// (401 invalid_token), it renews the token and sends r again, once per
// call (*renewed records that).
func (c *Client) attempt(ctx context.Context, r *request, renewed *bool) (*response, error) {
	tok, err := c.bearer(ctx, "")
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, r, "Authorization", "Bearer "+tok)
	var apiErr *Error
	if *renewed || !errors.As(err, &apiErr) || apiErr.HTTPStatus != http.StatusUnauthorized || apiErr.Code != CodeInvalidToken {
		return resp, err
	}
	*renewed = true
	if tok, err = c.bearer(ctx, tok); err != nil {
		return nil, err
	}
	return c.send(ctx, r, "Authorization", "Bearer "+tok)
}

// newIdempotencyKey returns a random key: 26 base32 characters, 130 bits.
func newIdempotencyKey() string { return rand.Text() }

// validIdempotencyKey reports whether k is empty (no key: a GET) or 1 to
// 255 printable ASCII characters, as the server requires.
func validIdempotencyKey(k string) bool { return len(k) <= 255 && printableASCII(k) }
