package httpapi_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/internal/apitest"
)

// TestKeyUseIsWrittenDown: Authorize and requests with a token mark their
// key used; FlushKeyUses writes the latest time down, and keeps what it
// could not write for the next flush.
func TestKeyUseIsWrittenDown(t *testing.T) {
	var failNext bool
	var e *apitest.Env
	e = apitest.New(t, apitest.Options{Configure: func(s *httpapi.Server) {
		s.RecordKeyUse = func(ctx context.Context, uses map[string]time.Time) error {
			if failNext {
				failNext = false
				return errors.New("the database is away")
			}
			return e.Services.Merchants.RecordKeyUse(ctx, uses)
		}
	}})
	m := e.NewMerchant("shop") // authorizes both keys
	e.Clock.Advance(time.Hour)
	r := httptest.NewRequest(http.MethodGet, "/v1/clients", nil)
	r.Header.Set("Authorization", "Bearer "+m.Tokens[fatora.ModeLive])
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, r)
	if rec.Code != http.StatusOK {
		t.Fatalf("list: %d %s", rec.Code, rec.Body)
	}
	failNext = true
	if err := e.Server.FlushKeyUses(context.Background()); err == nil {
		t.Fatal("FlushKeyUses did not report the failed write")
	}
	if err := e.Server.FlushKeyUses(context.Background()); err != nil {
		t.Fatal(err)
	}
	keys, err := e.Services.Merchants.FindAPIKeys(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[fatora.Mode]time.Time{fatora.ModeTest: e.Clock.Now().Add(-time.Hour), fatora.ModeLive: e.Clock.Now()}
	for _, k := range keys {
		if !k.LastUsedAt.Equal(want[k.Mode].Truncate(time.Microsecond)) {
			t.Errorf("%s key last used %v, want %v", k.Mode, k.LastUsedAt, want[k.Mode])
		}
	}
}
