package httpapi_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/internal/apitest"
)

func TestHTTPServerLimits(t *testing.T) {
	s := httpapi.NewHTTPServer(":0", http.NotFoundHandler(), slog.Default())
	if s.ReadHeaderTimeout <= 0 || s.ReadTimeout <= 0 || s.WriteTimeout <= 0 || s.IdleTimeout <= 0 {
		t.Errorf("a timeout is unset: %+v", s)
	}
	if s.MaxHeaderBytes <= 0 || s.MaxHeaderBytes > 64<<10 {
		t.Errorf("MaxHeaderBytes = %d, want a limit of at most 64 KiB", s.MaxHeaderBytes)
	}
}

// TestOversizedHeaderIs431 sends a 100 KiB header to a real listener.
func TestOversizedHeaderIs431(t *testing.T) { apitest.EachStore(t, testOversizedHeaderIs431) }

func testOversizedHeaderIs431(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	ts := httptest.NewUnstartedServer(e.Handler)
	ts.Config = httpapi.NewHTTPServer("", e.Handler, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ts.Start()
	defer ts.Close()
	req, _ := http.NewRequest("GET", ts.URL+"/healthz", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 100<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("status = %d, want 431", resp.StatusCode)
	}
}
