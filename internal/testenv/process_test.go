package testenv

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestWaitReady checks the three ends of the wait: ready after some
// refusals, still refusing at the limit, and the process gone.
func TestWaitReady(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" || calls.Add(1) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	if err := WaitReady(context.Background(), srv.URL, time.Minute, nil); err != nil || calls.Load() != 3 {
		t.Errorf("WaitReady = %v after %d calls, want nil after the third", err, calls.Load())
	}

	never := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer never.Close()
	if err := WaitReady(context.Background(), never.URL, 200*time.Millisecond, nil); err == nil || !strings.Contains(err.Error(), "status 503") {
		t.Errorf("WaitReady on a server never ready = %v, want an error naming the 503", err)
	}
	exited := make(chan struct{})
	close(exited)
	if err := WaitReady(context.Background(), never.URL, time.Minute, exited); err == nil || !strings.Contains(err.Error(), "exited") {
		t.Errorf("WaitReady after the process exited = %v, want an error saying so", err)
	}
}

// TestProcessStop checks how a child ends: by itself with status 0, and
// on SIGTERM.
func TestProcessStop(t *testing.T) {
	done, err := StartProcess("true", nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := done.Err(); err != nil || !done.Exited() {
		t.Errorf("true ended with %v (exited %v), want nil", err, done.Exited())
	}
	sleeper, err := StartProcess("sleep", []string{"60"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if sleeper.Exited() {
		t.Fatal("sleep 60 has already exited")
	}
	if err := sleeper.Stop(30 * time.Second); err == nil || !strings.Contains(err.Error(), "terminated") {
		t.Errorf("Stop = %v, want sleep ended by SIGTERM", err)
	}
}
