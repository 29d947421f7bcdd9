package sdk

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"time"
)

// withRetries runs attempt until it succeeds, fails for good, or has been
// retried maxRetries times. It never starts an attempt, nor goes on
// waiting, once ctx is done.
func (c *Client) withRetries(ctx context.Context, r *request, attempt func() (*response, error)) (*response, error) {
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		resp, err := attempt()
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		wait, ok := c.retryWait(ctx, n, err)
		if !ok {
			return nil, err
		}
		c.logRetry(ctx, r, n+1, wait, err)
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// retryWait says whether to retry after the failure err of attempt n (from
// 0), and after how long: the backoff, or the server's Retry-After when
// that is longer. It says no when the wait would outlast ctx's deadline.
func (c *Client) retryWait(ctx context.Context, n int, err error) (time.Duration, bool) {
	if n >= c.maxRetries {
		return 0, false
	}
	wait := c.backoff(n)
	var apiErr *Error
	switch {
	case errors.As(err, &apiErr):
		if !apiErr.retryable() {
			return 0, false
		}
		wait = max(wait, apiErr.RetryAfter)
	case !errors.As(err, new(*connError)):
		return 0, false
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
		return 0, false
	}
	return wait, true
}

// backoff is the wait before retry n (from 0): full jitter, a random time
// in [0, min(maxBackoff, minBackoff·2^n)).
func (c *Client) backoff(n int) time.Duration {
	ceiling := c.minBackoff
	for i := 0; i < n && ceiling < c.maxBackoff; i++ {
		ceiling = min(2*ceiling, c.maxBackoff)
		if ceiling < 0 { // doubled past the largest Duration
			ceiling = c.maxBackoff
		}
	}
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(c.jitter(int64(ceiling)))
}

// sleep waits for d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// logRetry logs a retry with its reason: the status and code of an *Error,
// or a connection error without its URL (the query may hold an e-mail).
func (c *Client) logRetry(ctx context.Context, r *request, attempt int, wait time.Duration, err error) {
	attrs := []slog.Attr{slog.String("method", r.method), slog.String("path", r.path),
		slog.Int("retry", attempt), slog.Duration("wait", wait)}
	var apiErr *Error
	var urlErr *url.Error
	switch {
	case errors.As(err, &apiErr):
		attrs = append(attrs, slog.Int("status", apiErr.HTTPStatus), slog.String("code", apiErr.Code),
			slog.String("request_id", apiErr.RequestID))
	case errors.As(err, &urlErr):
		attrs = append(attrs, slog.String("error", urlErr.Err.Error()))
	default:
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.log.LogAttrs(ctx, slog.LevelInfo, "fatora: retrying", attrs...)
}
