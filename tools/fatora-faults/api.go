package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// api talks to the server under test. Every call is bounded by timeout.
type api struct {
	base    string
	http    *http.Client
	timeout time.Duration
}

// requestTimeout bounds a worker's request: long enough for a healthy
// server, short enough that a hung one is noticed.
const requestTimeout = 2 * time.Second

func newAPI(base string) *api {
	tr := &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, IdleConnTimeout: 30 * time.Second}
	return &api{base: base, http: &http.Client{Transport: tr}, timeout: requestTimeout}
}

// patient returns an api on the same connections whose calls may take up
// to d, for the phases after the faults.
func (a *api) patient(d time.Duration) *api {
	c := *a
	c.timeout = d
	return &c
}

// answer is the outcome of one HTTP exchange: a complete response, or err.
type answer struct {
	status   int
	body     []byte
	replayed bool   // Idempotent-Replayed: true
	code     string // the error code of a 4xx or 5xx
	err      error  // no complete response
}

// create sends POST /v1/clients as the merchant with apiKey.
func (a *api) create(ctx context.Context, apiKey, idemKey string, body []byte) answer {
	return a.do(ctx, http.MethodPost, "/v1/clients", bytes.NewReader(body),
		"api_key", apiKey, "Idempotency-Key", idemKey, "Content-Type", "application/json")
}

// listPage sends GET /v1/clients for one page of 100 clients of status
// (live or deleted).
func (a *api) listPage(ctx context.Context, apiKey string, page int, status string) answer {
	return a.do(ctx, http.MethodGet, "/v1/clients?status="+status+"&page="+strconv.Itoa(page)+"&page_size=100", nil, "api_key", apiKey)
}

func (a *api) do(ctx context.Context, method, path string, body io.Reader, headers ...string) answer {
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, body)
	if err != nil {
		return answer{err: err}
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{status: resp.StatusCode, err: fmt.Errorf("reading the body of a %d: %w", resp.StatusCode, err)}
	}
	ans := answer{status: resp.StatusCode, body: b, replayed: resp.Header.Get("Idempotent-Replayed") == "true"}
	if ans.status >= 400 {
		ans.code = errorCode(b)
	}
	return ans
}

// errorCode reads the code of the API's error shape, "" if there is none.
func errorCode(body []byte) string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	json.Unmarshal(body, &e)
	return e.Error.Code
}

// sleep waits d or until ctx ends; it reports whether the whole d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
