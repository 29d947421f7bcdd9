package sdk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// maxResponseBytes bounds what is read of an answer (a full page of 100
// clients is well under 1 MiB).
const maxResponseBytes = 8 << 20

// request is one logical call to the API. It holds its body as bytes, so
// every attempt sends it again.
type request struct {
	method string
	path   string // from the root, e.g. "/v1/clients/12"
	query  url.Values
	body   []byte // JSON, nil when there is none
	// idempotencyKey is sent on every attempt of a call that changes data.
	idempotencyKey string
	// answer is the successful answer, set by call.
	answer *response
}

// response is an answer read in full.
type response struct {
	status int
	header http.Header
	body   []byte
}

// connError is a failure to get an answer at all (refused, reset, timed
// out, cut off): the request may or may not have reached the server.
type connError struct{ err error }

func (e *connError) Error() string { return e.err.Error() }
func (e *connError) Unwrap() error { return e.err }

// send makes one attempt of r, with credential header name set to value.
// It returns the answer on a 2xx, an *Error on any other status, and a
// *connError when no answer came.
func (c *Client) send(ctx context.Context, r *request, name, value string) (*response, error) {
	hr, err := c.newHTTPRequest(ctx, r)
	if err != nil {
		return nil, err
	}
	hr.Header.Set(name, value)
	hresp, err := c.http.Do(hr)
	if err != nil {
		return nil, &connError{err}
	}
	defer hresp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(hresp.Body, maxResponseBytes))
	if err != nil {
		return nil, &connError{err}
	}
	resp := &response{status: hresp.StatusCode, header: hresp.Header, body: body}
	if resp.status < 200 || resp.status > 299 {
		return nil, newError(resp, c.now())
	}
	return resp, nil
}

// newHTTPRequest builds an attempt of r with a fresh reader on its body.
func (c *Client) newHTTPRequest(ctx context.Context, r *request) (*http.Request, error) {
	u := c.base + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	hr, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("build the request: %w", err)
	}
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("User-Agent", c.userAgent)
	if r.body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.idempotencyKey != "" {
		hr.Header.Set("Idempotency-Key", r.idempotencyKey)
	}
	return hr, nil
}

// wrap gives an error of call r its context. An *Error is returned as it
// is: it names the call's outcome already.
func (r *request) wrap(err error) error {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return err
	}
	return fmt.Errorf("fatora: %s %s: %w", r.method, r.path, err)
}
