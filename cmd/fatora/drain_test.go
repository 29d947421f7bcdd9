package main

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestDrainRefusesNothing keeps a steady load on the server (keep-alive
// connections and a new connection per request) while it drains after
// SIGTERM: /readyz turns 503, and every request sent until the drain
// period ends is answered 200. Only then does the server stop.
func TestDrainRefusesNothing(t *testing.T) {
	t.Parallel()
	dsn, _ := testDB(t)
	key := createMerchant(t, dsn, "shop@example.com").key(t, "test").APIKey
	ts := startTestServer(t, dsn)
	bearer := "Bearer " + ts.authorize(t, key)

	const workers, afterDrainBegan = 6, 20 // requests each worker sends once /readyz says 503
	var draining atomic.Bool
	var refused, duringDrain atomic.Int64
	stopLoad := make(chan struct{})
	var load sync.WaitGroup
	for w := range workers {
		client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: w%2 == 0}}
		load.Go(func() {
			sent := 0
			for {
				select {
				case <-stopLoad:
					return
				default:
				}
				wasDraining := draining.Load()
				status, err := get(client, ts.base+"/v1/clients", bearer)
				if err != nil || status != http.StatusOK {
					refused.Add(1)
					t.Errorf("worker %d: a request during the drain got %d %v", w, status, err)
				}
				if wasDraining {
					duringDrain.Add(1)
					if sent++; sent == afterDrainBegan {
						return
					}
				}
			}
		})
	}

	drained := make(chan time.Time)
	stopped := make(chan error, 1)
	go func() { stopped <- ts.drainAndStop(drained, time.Minute) }()
	probe := &http.Client{Timeout: 10 * time.Second}
	for {
		status, err := get(probe, ts.base+"/readyz", "")
		if err != nil {
			t.Fatal(err)
		}
		if status == http.StatusServiceUnavailable {
			break
		}
	}
	draining.Store(true)
	load.Wait() // each worker sent its requests after /readyz said 503
	close(stopLoad)
	if got := duringDrain.Load(); got < workers*afterDrainBegan {
		t.Fatalf("%d requests were sent during the drain, want %d", got, workers*afterDrainBegan)
	}
	select {
	case err := <-stopped:
		t.Fatalf("the server stopped (%v) before the drain period ended", err)
	default:
	}
	close(drained)
	if err := <-stopped; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if _, err := get(probe, ts.base+"/healthz", ""); err == nil {
		t.Error("the server still answers after its shutdown")
	}
	if refused.Load() > 0 {
		t.Errorf("%d requests were refused during the drain", refused.Load())
	}
}

// get sends GET url (with an Authorization header when auth is not "")
// and returns the status.
func get(c *http.Client, url, auth string) (int, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, fmt.Errorf("GET %s: %w", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
