// Package dashboard is the merchants' web dashboard, served by the same
// binary as the API under /dashboard/: sign-in with an API key (or a
// one-time link) to a server-side session, the clients table with search,
// a client's page with edit and delete, CSV import and export, and the
// mode's API keys, in English and Arabic (right to left).
//
// Pages are html/template files and static assets embedded in the binary;
// htmx and Pico CSS are vendored (static/vendor/VENDOR.md). Every change
// goes through the same domain services as the API, so validation and
// rules exist once. The browser holds nothing but the session cookie.
package dashboard

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/fatora-oss/fatora"
)

// Guard is what the dashboard takes from the API server: the sign-in
// check that counts failed keys, the per-merchant rate limit, the search
// turns and the status of an error. *httpapi.Server is one.
type Guard interface {
	// SignIn returns the active credential of an API key, counting a
	// failed key towards the brute-force limits.
	SignIn(r *http.Request, apiKey string) (fatora.Credential, error)
	// Admit takes a request of scope from its merchant's rate limit.
	Admit(w http.ResponseWriter, scope fatora.Scope, keyID string) error
	// SearchTurn waits for a turn to run a keyword search.
	SearchTurn(ctx context.Context) (leave func(), err error)
	// ErrorStatus is the HTTP status of an error.
	ErrorStatus(err error) int
}

// Server serves the dashboard. Set the fields, then call Handler.
type Server struct {
	Clients  fatora.ClientService
	Sessions fatora.SessionService
	// Merchants lists, makes and revokes the merchant's keys.
	Merchants fatora.MerchantService
	Guard     Guard
	Logger    *slog.Logger
	// Now is the clock of sessions (time.Now if nil).
	Now fatora.Clock
	// RequestTimeout bounds a page's work (10s if zero); an import has
	// ImportTimeout.
	RequestTimeout time.Duration
}

// ImportTimeout bounds the work of one import.
const ImportTimeout = 10 * time.Minute

// Handler returns the dashboard's handler, for the paths under /dashboard.
// Cross-origin form posts are refused (http.CrossOriginProtection).
func (s *Server) Handler() http.Handler {
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.RequestTimeout <= 0 {
		s.RequestTimeout = 10 * time.Second
	}
	mux := http.NewServeMux()
	mux.Handle("GET /dashboard/static/{name}", http.HandlerFunc(serveStatic))
	mux.Handle("GET /dashboard", s.page(s.home))
	mux.Handle("GET /dashboard/login", s.page(s.loginPage))
	mux.Handle("POST /dashboard/login", s.page(s.login))
	mux.Handle("POST /dashboard/logout", s.page(s.logout))
	s.registerClients(mux)
	s.registerFiles(mux)
	s.registerKeys(mux)
	mux.Handle("/", s.page(func(w http.ResponseWriter, r *http.Request) error { return errNoPage }))
	return withSecurityHeaders(http.NewCrossOriginProtection().Handler(mux))
}

// contentSecurityPolicy allows the page's own scripts, styles, forms and
// requests only: no inline script or style, no frames, no other origin.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// withSecurityHeaders sets on every answer the headers that keep the pages
// from being framed, leaking their addresses or being cached by others.
func withSecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// handlerFunc is a page handler that returns its error instead of
// writing it (see page).
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// page adapts a handlerFunc: it bounds its work by RequestTimeout and
// renders the error it returns as a page.
func (s *Server) page(h handlerFunc) http.Handler { return s.pageWithin(s.RequestTimeout, h) }

// pageWithin is page with another bound on the work.
func (s *Server) pageWithin(d time.Duration, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		r = r.WithContext(ctx)
		w.Header().Set("Cache-Control", "no-store")
		if err := h(w, r); err != nil {
			s.renderError(w, r, err)
		}
	})
}

// home handles GET /dashboard: the clients for a signed-in merchant, the
// sign-in page for anyone else.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.session(r); err != nil {
		return redirect(w, r, "/dashboard/login")
	}
	return redirect(w, r, "/dashboard/clients")
}

// redirect answers 303 See Other to target; to an htmx request, which
// would follow it inside the page, HX-Redirect makes the browser go.
func redirect(w http.ResponseWriter, r *http.Request, target string) error {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// errNoPage is the error for a path the dashboard has no page at.
var errNoPage = fatora.Errorf(fatora.CodeNotFound, "No such page.")
