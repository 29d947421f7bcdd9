package dashboard_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/dashboard"
	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/internal/apitest"
)

// site is the API server with the dashboard mounted, served on a
// loopback port, and a merchant with a test and a live key.
type site struct {
	env      *apitest.Env
	url      string
	merchant *apitest.Merchant
}

// newSite starts a site on a fresh SQLite database (opts.Store to change
// it), the dashboard wired as `fatora serve` wires it.
func newSite(t testing.TB, opts apitest.Options) *site {
	t.Helper()
	var services *apitest.Services
	opts.Configure = func(s *httpapi.Server) {
		s.Dashboard = (&dashboard.Server{Clients: services.Clients, Sessions: services.Sessions,
			Merchants: services.Merchants, Guard: s, Now: s.Now, Logger: s.Logger}).Handler()
	}
	replace := opts.Replace
	opts.Replace = func(sv *apitest.Services) {
		if replace != nil {
			replace(sv)
		}
		services = sv
	}
	env := apitest.New(t, opts)
	srv := env.Serve()
	return &site{env: env, url: srv.URL, merchant: env.NewMerchant("shop")}
}

// browserless is a user agent without a browser: a cookie jar, no
// redirects followed, so each answer can be looked at.
type browserless struct {
	t    testing.TB
	site *site
	c    *http.Client
}

func (s *site) agent(t testing.TB) *browserless {
	jar, _ := cookiejar.New(nil)
	return &browserless{t: t, site: s, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// answer is a response read whole.
type answer struct {
	status int
	header http.Header
	body   string
}

// do sends a request to the site's path, a form when form is not nil.
func (b *browserless) do(method, path string, form url.Values, header ...string) answer {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.site.url+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(raw)}
}

// signIn signs the agent in with the merchant's key of mode.
func (b *browserless) signIn(mode fatora.Mode) {
	b.t.Helper()
	a := b.do(http.MethodPost, "/dashboard/login", url.Values{"api_key": {b.site.merchant.Keys[mode]}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/dashboard/clients" {
		b.t.Fatalf("sign-in answered %d (Location %q): %s", a.status, a.header.Get("Location"), a.body)
	}
}

// wantStatus fails the test unless a has status.
func (a answer) wantStatus(t testing.TB, status int) answer {
	t.Helper()
	if a.status != status {
		body := a.body
		if len(body) > 2000 {
			body = body[:2000]
		}
		t.Fatalf("status %d, want %d; body:\n%s", a.status, status, body)
	}
	return a
}
