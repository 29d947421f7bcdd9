package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// newClient returns an HTTP client whose connections come from the
// loopback address ip, at most conns of them.
func newClient(ip string, conns int) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialContext: d.DialContext, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns,
	}}
}

// call sends one request and returns its status, the body read and
// dropped.
func call(ctx context.Context, c *http.Client, method, url, body string, header ...string) (int, error) {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return 0, err
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// authorize exchanges key for a bearer token ("Bearer ...").
func authorize(ctx context.Context, c *http.Client, base, key string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v1/Authorization/Authorize", nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("api_key", key)
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var body struct {
		BearerToken string `json:"bearer_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("Authorize: %d %v", resp.StatusCode, err)
	}
	return "Bearer " + body.BearerToken, nil
}

// tally counts answers by status, and keeps latencies when asked to.
type tally struct {
	mu        sync.Mutex
	byStatus  map[int]int
	errors    int
	latencies []time.Duration
	keep      bool
}

func newTally(keepLatencies bool) *tally { return &tally{byStatus: map[int]int{}, keep: keepLatencies} }

func (t *tally) add(status int, err error, took time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		t.errors++
		return
	}
	t.byStatus[status]++
	if t.keep {
		t.latencies = append(t.latencies, took)
	}
}

// percentile returns the q-th latency (0 < q <= 1).
func (t *tally) percentile(q float64) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.latencies) == 0 {
		return 0
	}
	s := slices.Clone(t.latencies)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

// total is the number of answers.
func (t *tally) total() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, c := range t.byStatus {
		n += c
	}
	return n
}

func (t *tally) count(status int) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.byStatus[status]
}

// statuses lists the counts by status, "200×123 429×4".
func (t *tally) statuses() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var parts []string
	for _, s := range slices.Sorted(func(yield func(int) bool) {
		for k := range t.byStatus {
			if !yield(k) {
				return
			}
		}
	}) {
		parts = append(parts, fmt.Sprintf("%d×%d", s, t.byStatus[s]))
	}
	if t.errors > 0 {
		parts = append(parts, fmt.Sprintf("errors×%d", t.errors))
	}
	return strings.Join(parts, " ")
}

// loop runs fn on conns goroutines until ctx ends, each call's outcome
// added to t; i numbers the calls.
func loop(ctx context.Context, conns int, t *tally, fn func(i int64) (int, error)) *sync.WaitGroup {
	var wg sync.WaitGroup
	var n atomic.Int64
	for range conns {
		wg.Go(func() {
			for ctx.Err() == nil {
				start := time.Now()
				status, err := fn(n.Add(1))
				if ctx.Err() != nil {
					return // cut off by the end of the phase: not counted
				}
				t.add(status, err, time.Since(start))
			}
		})
	}
	return &wg
}
