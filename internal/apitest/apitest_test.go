package apitest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

// TestEnv checks what the package promises on each store: the merchants'
// tokens and keys are accepted in their own mode, the store stamps rows
// with the Env's clock, and Advance moves it.
func TestEnv(t *testing.T) {
	EachStore(t, func(t *testing.T, st Store) {
		start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		e := New(t, Options{Store: st, Start: start})
		a, b := e.NewMerchant("a"), e.NewMerchant("b")
		if a.Number == b.Number || a.Email != "a@example.com" {
			t.Errorf("merchants %+v and %+v; want two numbers and name@example.com", a.Merchant, b.Merchant)
		}
		for _, mode := range []fatora.Mode{fatora.ModeTest, fatora.ModeLive} {
			for name, header := range map[string][2]string{
				"token": {"Authorization", "Bearer " + a.Tokens[mode]},
				"key":   {"api_key", a.Keys[mode]},
			} {
				r := httptest.NewRequest(http.MethodGet, "/v1/clients", nil)
				r.Header.Set(header[0], header[1])
				rec := httptest.NewRecorder()
				e.Handler.ServeHTTP(rec, r)
				if rec.Code != http.StatusOK {
					t.Errorf("%s %s: %d %s", mode, name, rec.Code, rec.Body)
				}
			}
		}
		e.Clock.Advance(time.Hour)
		c, err := e.Services.Clients.CreateClient(fatora.WithScope(context.Background(), a.Scope(fatora.ModeLive)), fatora.ClientFields{Name: "Stamped"})
		if err != nil {
			t.Fatal(err)
		}
		if want := start.Add(time.Hour); !c.CreatedAt.Equal(want) {
			t.Errorf("created_at %v, want the clock's %v", c.CreatedAt, want)
		}
	})
}

// TestServeFronts checks that Serve puts the first front outermost.
func TestServeFronts(t *testing.T) {
	e := New(t, Options{})
	var mu sync.Mutex
	var order []string
	front := func(name string) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				order = append(order, name)
				mu.Unlock()
				next.ServeHTTP(w, r)
			})
		}
	}
	srv := e.Serve(front("outer"), front("inner"))
	resp, err := srv.Client().Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	mu.Lock()
	defer mu.Unlock()
	if resp.StatusCode != http.StatusOK || len(order) != 2 || order[0] != "outer" || order[1] != "inner" {
		t.Errorf("/healthz %d through %v; want 200 through outer then inner", resp.StatusCode, order)
	}
}
