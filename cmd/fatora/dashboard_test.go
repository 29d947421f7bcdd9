package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestDashboardLink prints a sign-in link with `fatora dashboard link` and
// follows it on a running server: its page has the sign-in button, the
// button begins a session of the link's mode, and the link works once.
func TestDashboardLink(t *testing.T) {
	t.Parallel()
	dsn, _ := testDB(t)
	m := createMerchant(t, dsn, "shop@example.com")
	ts := startTestServer(t, dsn)
	ts.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	link := strings.TrimSpace(mustRun(t, "dashboard", "link", "--db", dsn, "--merchant", m.Number, "--mode", "live", "--url", ts.base+"/"))
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(link, ts.base+"/dashboard/login?link=") || len(u.Query().Get("link")) < 40 {
		t.Fatalf("dashboard link printed %q", link)
	}
	page := ts.do(t, http.MethodGet, strings.TrimPrefix(link, ts.base), "")
	if page.status != http.StatusOK || !strings.Contains(string(page.body), `name="link" value="`+u.Query().Get("link")+`"`) {
		t.Fatalf("the link's page (%d) has no sign-in button for it:\n%s", page.status, page.body)
	}
	form := url.Values{"link": {u.Query().Get("link")}}.Encode()
	signIn := ts.do(t, http.MethodPost, "/dashboard/login", form, "Content-Type", "application/x-www-form-urlencoded")
	cookie := signIn.header.Get("Set-Cookie")
	if signIn.status != http.StatusSeeOther || !strings.HasPrefix(cookie, "fatora_session=") {
		t.Fatalf("signing in with the link: %d, cookie %q", signIn.status, cookie)
	}
	clients := ts.do(t, http.MethodGet, "/dashboard/clients", "", "Cookie", strings.Split(cookie, ";")[0])
	if clients.status != http.StatusOK || !strings.Contains(string(clients.body), `class="mode mode-live"`) {
		t.Fatalf("the link's session: %d, want the live clients", clients.status)
	}
	again := ts.do(t, http.MethodPost, "/dashboard/login", form, "Content-Type", "application/x-www-form-urlencoded")
	if again.status != http.StatusNotFound || !strings.Contains(string(again.body), "has been used or has expired") {
		t.Fatalf("the link's second use: %d, want 404 saying it is used", again.status)
	}
	if _, _, err := runFatora(t, "dashboard", "link", "--db", dsn, "--merchant", m.Number, "--mode", "both"); err == nil {
		t.Errorf("--mode both was taken")
	}
	ts.checkLogsHide(t, u.Query().Get("link"))
}
