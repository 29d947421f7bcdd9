package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/apitest"
)

// TestKeys lists, makes, rotates and revokes keys from a test session: only
// the test mode's, the secret shown once and working.
func TestKeys(t *testing.T) {
	s := newSite(t, apitest.Options{})
	b := s.agent(t)
	b.signIn(fatora.ModeTest)
	page := b.do(http.MethodGet, "/dashboard/keys", nil).wantStatus(t, http.StatusOK).body
	if strings.Contains(page, s.merchant.KeyIDs[fatora.ModeLive]) || !strings.Contains(page, s.merchant.KeyIDs[fatora.ModeTest]) {
		t.Fatalf("a test session's keys page shows the live key, or not its own")
	}
	page = b.do(http.MethodPost, "/dashboard/keys", url.Values{}).wantStatus(t, http.StatusOK).body
	secret := regexp.MustCompile(`id="secret">(ftr_test_[^<]+)<`).FindStringSubmatch(page)
	if secret == nil {
		t.Fatalf("no secret shown after create:\n%s", page)
	}
	if strings.Contains(b.do(http.MethodGet, "/dashboard/keys", nil).body, secret[1]) {
		t.Fatalf("the secret is shown again")
	}
	other := s.agent(t)
	if a := other.do(http.MethodPost, "/dashboard/login", url.Values{"api_key": {secret[1]}}); a.status != http.StatusSeeOther {
		t.Fatalf("the new key does not sign in: %d", a.status)
	}
	b.do(http.MethodPost, "/dashboard/keys/revoke", url.Values{"id": {s.merchant.KeyIDs[fatora.ModeLive]}}).
		wantStatus(t, http.StatusNotFound)
	b.do(http.MethodPost, "/dashboard/keys/rotate", url.Values{"id": {s.merchant.KeyIDs[fatora.ModeTest]}, "grace": {"1d"}}).
		wantStatus(t, http.StatusOK)
	keys, err := s.env.Services.Merchants.FindAPIKeys(context.Background(), s.merchant.ID)
	if err != nil || len(keys) != 4 {
		t.Fatalf("after create and rotate: %d keys, %v; want 4", len(keys), err)
	}
	for _, k := range keys {
		want := k.ID == s.merchant.KeyIDs[fatora.ModeTest] // the rotated key, revoked in a day
		if k.Revoked() != want {
			t.Errorf("key %s (%s): revoked %v, want %v", k.ID, k.Mode, k.Revoked(), want)
		}
	}
	b.do(http.MethodGet, "/dashboard/clients", nil).wantStatus(t, http.StatusOK) // the grace keeps the session
	b.do(http.MethodPost, "/dashboard/keys/revoke", url.Values{"id": {s.merchant.KeyIDs[fatora.ModeTest]}}).
		wantStatus(t, http.StatusOK)
	s.env.Clock.Advance(1)
	if a := b.do(http.MethodGet, "/dashboard/clients", nil); a.status != http.StatusSeeOther {
		t.Fatalf("revoking the session's own key: the next page answered %d, want 303 to sign-in", a.status)
	}
}
