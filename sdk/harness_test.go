package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/apitest"
	"github.com/fatora-oss/fatora/sdk"
)

// testServer is the real API server (internal/apitest), on a fresh SQLite
// database with one merchant, served over HTTP on a loopback port.
type testServer struct {
	*httptest.Server
	apiKey string
	clock  *apitest.Clock
	store  fatora.ClientService
	scope  fatora.Scope
	// authorizes counts requests to Authorize that reached the server.
	authorizes atomic.Int64
	// refused counts 401 answers of the server.
	refused atomic.Int64
}

// newTestServer starts the server, its clock at the current time (the
// SDK's own clock reads the tokens' expiry). fronts wrap it, first
// outermost: test doubles that fail requests before (or after) the server
// sees them.
func newTestServer(t testing.TB, fronts ...func(http.Handler) http.Handler) *testServer {
	t.Helper()
	api := apitest.New(t, apitest.Options{})
	m := api.NewMerchant("shop")
	ts := &testServer{apiKey: m.Keys[fatora.ModeTest], clock: api.Clock, store: api.Services.Clients,
		scope: m.Scope(fatora.ModeTest)}
	ts.Server = api.Serve(append(fronts, ts.count)...)
	return ts
}

// count counts Authorize requests and 401 answers.
func (ts *testServer) count(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.URL.Path, "/v1/Authorization/Authorize") {
			ts.authorizes.Add(1)
		}
		rec := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == http.StatusUnauthorized {
			ts.refused.Add(1)
		}
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) { s.status = code; s.ResponseWriter.WriteHeader(code) }

// newClient returns an SDK client of ts's merchant with a tiny backoff.
func newClient(t testing.TB, ts *testServer, opts ...sdk.Option) *sdk.Client {
	t.Helper()
	base := []sdk.Option{sdk.WithHTTPClient(ts.Client()), sdk.WithBackoff(time.Microsecond, time.Millisecond)}
	c, err := sdk.New(ts.URL, ts.apiKey, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// seedParams is the client of the seed's curl sample.
func seedParams() sdk.ClientCreateParams {
	return sdk.ClientCreateParams{Name: "Client Name", Phone: sdk.String("Client Phone"),
		Email: sdk.String("client@example.com"), Address: sdk.String("Client Address"), Notes: sdk.String("Additional notes")}
}

// seedClients stores n distinct clients straight into the store and
// returns their ids.
func seedClients(t testing.TB, ts *testServer, n int) []int64 {
	t.Helper()
	ctx := fatora.WithScope(context.Background(), ts.scope)
	ids := make([]int64, n)
	for i := range ids {
		c, err := ts.store.CreateClient(ctx, fatora.ClientFields{Name: fmt.Sprintf("Bulk %03d", i)})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = c.ID
	}
	return ids
}

// countClients returns how many clients the merchant has, read from the
// store.
func countClients(t testing.TB, ts *testServer) int {
	t.Helper()
	page, err := ts.store.FindClients(fatora.WithScope(context.Background(), ts.scope), fatora.ClientFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return page.TotalCount
}

// apiError returns err as an *sdk.Error, failing the test if it is not one.
func apiError(t testing.TB, err error) *sdk.Error {
	t.Helper()
	var e *sdk.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *sdk.Error", err, err)
	}
	return e
}
