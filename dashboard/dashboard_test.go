package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/internal/apitest"
)

// TestSecurityHeaders holds every kind of answer (a page, a redirect, an
// error page) to the headers that keep pages from running other scripts,
// being framed or leaking their address.
func TestSecurityHeaders(t *testing.T) {
	s := newSite(t, apitest.Options{})
	b := s.agent(t)
	b.signIn(fatora.ModeTest)
	for _, path := range []string{"/dashboard/login", "/dashboard/clients", "/dashboard/clients/999", "/dashboard/nowhere", "/dashboard"} {
		a := b.do(http.MethodGet, path, nil)
		h := a.header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") ||
			!strings.Contains(csp, "frame-ancestors 'none'") || h.Get("X-Frame-Options") != "DENY" ||
			h.Get("Referrer-Policy") != "same-origin" || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s (%d): headers %v", path, a.status, h)
		}
		if strings.Contains(a.body, "<script>") || strings.Contains(a.body, " style=") {
			t.Errorf("GET %s: an inline script or style the policy would refuse", path)
		}
	}
}

// TestSignIn holds the session's cookie to its rules and the pages to the
// session: none before sign-in, the merchant's after, none after sign-out.
func TestSignIn(t *testing.T) {
	s := newSite(t, apitest.Options{})
	b := s.agent(t)
	if a := b.do(http.MethodGet, "/dashboard/clients", nil); a.status != http.StatusSeeOther ||
		a.header.Get("Location") != "/dashboard/login" {
		t.Fatalf("clients without a session: %d to %q, want 303 to the sign-in page", a.status, a.header.Get("Location"))
	}
	a := b.do(http.MethodPost, "/dashboard/login", url.Values{"api_key": {s.merchant.Keys[fatora.ModeLive]}})
	cookie := a.header.Get("Set-Cookie")
	if a.status != http.StatusSeeOther || !strings.HasPrefix(cookie, "fatora_session=") || !strings.Contains(cookie, "HttpOnly") ||
		!strings.Contains(cookie, "SameSite=Lax") || !strings.Contains(cookie, "Path=/") {
		t.Fatalf("sign-in: %d, Set-Cookie %q", a.status, cookie)
	}
	page := b.do(http.MethodGet, "/dashboard/clients", nil).wantStatus(t, http.StatusOK)
	if !strings.Contains(page.body, `class="mode mode-live"`) || strings.Contains(page.body, "test-banner") {
		t.Errorf("a live session's page lacks the live badge, or shows the test banner")
	}
	b.do(http.MethodPost, "/dashboard/logout", url.Values{}).wantStatus(t, http.StatusSeeOther)
	if a := b.do(http.MethodGet, "/dashboard/clients", nil); a.status != http.StatusSeeOther {
		t.Fatalf("clients after sign-out: %d, want 303", a.status)
	}
}

// TestSecureCookie holds a request that came over HTTPS (here: to a host
// that is not this machine's loopback) to the __Host- cookie with Secure.
func TestSecureCookie(t *testing.T) {
	s := newSite(t, apitest.Options{})
	req, _ := http.NewRequest(http.MethodPost, s.url+"/dashboard/login",
		strings.NewReader(url.Values{"api_key": {s.merchant.Keys[fatora.ModeTest]}}.Encode()))
	req.Host = "dashboard.example.com"
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.agent(t).c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookie := resp.Header.Get("Set-Cookie")
	if !strings.HasPrefix(cookie, "__Host-fatora_session=") || !strings.Contains(cookie, "Secure") {
		t.Fatalf("Set-Cookie %q for dashboard.example.com, want __Host-fatora_session with Secure", cookie)
	}
}

// TestCrossSitePost holds form posts from another site to a refusal.
func TestCrossSitePost(t *testing.T) {
	s := newSite(t, apitest.Options{})
	b := s.agent(t)
	b.signIn(fatora.ModeTest)
	a := b.do(http.MethodPost, "/dashboard/clients", url.Values{"name": {"Mallory"}}, "Sec-Fetch-Site", "cross-site")
	a.wantStatus(t, http.StatusForbidden)
	a = b.do(http.MethodPost, "/dashboard/clients", url.Values{"name": {"Mallory"}}, "Origin", "https://evil.example")
	a.wantStatus(t, http.StatusForbidden)
	page, err := s.env.Services.Clients.FindClients(fatora.WithScope(context.Background(), s.merchant.Scope(fatora.ModeTest)), fatora.ClientFilter{})
	if err != nil || page.TotalCount != 0 {
		t.Fatalf("clients after refused posts: %d, %v; want none", page.TotalCount, err)
	}
}

// TestFailedSignInsCount holds sign-ins with keys that do not exist to
// the API's limit on failed keys: past it, even the right key waits.
func TestFailedSignInsCount(t *testing.T) {
	s := newSite(t, apitest.Options{})
	b := s.agent(t)
	for i := range httpapi.KeyFailureBurst {
		a := b.do(http.MethodPost, "/dashboard/login", url.Values{"api_key": {"ftr_test_nosuchkey" + strings.Repeat("x", i)}})
		a.wantStatus(t, http.StatusUnauthorized)
		if !strings.Contains(a.body, `id="api_key-error"`) {
			t.Fatalf("a refused key is not said beside the field:\n%s", a.body)
		}
	}
	a := b.do(http.MethodPost, "/dashboard/login", url.Values{"api_key": {s.merchant.Keys[fatora.ModeTest]}})
	a.wantStatus(t, http.StatusTooManyRequests)
	if a.header.Get("Retry-After") == "" {
		t.Errorf("429 without Retry-After")
	}
	// The API's own counts are the same counts.
	req, _ := http.NewRequest(http.MethodGet, s.url+"/v1/Authorization/Authorize", nil)
	req.Header.Set("api_key", "ftr_test_another")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("Authorize after the dashboard's failures: %d, want 429", resp.StatusCode)
	}
}

// TestRevokedKeyEndsSession holds a session to its key: revoked, the next
// page is the sign-in page, and the session is gone for good.
func TestRevokedKeyEndsSession(t *testing.T) {
	s := newSite(t, apitest.Options{})
	b := s.agent(t)
	b.signIn(fatora.ModeTest)
	b.do(http.MethodGet, "/dashboard/clients", nil).wantStatus(t, http.StatusOK)
	if err := s.env.Services.Merchants.RevokeAPIKey(context.Background(), s.merchant.ID, s.merchant.KeyIDs[fatora.ModeTest]); err != nil {
		t.Fatal(err)
	}
	s.env.Clock.Advance(1)
	a := b.do(http.MethodGet, "/dashboard/clients", nil)
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/dashboard/login?ended=1" {
		t.Fatalf("after the key's revocation: %d to %q, want 303 to the sign-in page", a.status, a.header.Get("Location"))
	}
}

// TestRootSendsBrowsersToTheDashboard holds GET / to its two answers: a
// browser goes to the dashboard, an API client keeps its JSON 404.
func TestRootSendsBrowsersToTheDashboard(t *testing.T) {
	s := newSite(t, apitest.Options{})
	b := s.agent(t)
	a := b.do(http.MethodGet, "/", nil, "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/dashboard/" {
		t.Fatalf("a browser's GET /: %d to %q", a.status, a.header.Get("Location"))
	}
	for _, accept := range []string{"", "application/json", "*/*", "application/json, text/html"} {
		a := b.do(http.MethodGet, "/", nil, "Accept", accept)
		if a.status != http.StatusNotFound || !strings.Contains(a.body, `"code":"not_found"`) {
			t.Errorf("GET / with Accept %q: %d %s, want the JSON 404", accept, a.status, a.body)
		}
	}
}
