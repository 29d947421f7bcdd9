package httpapi

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/token"
)

// DashboardPath is where Server.Dashboard is served: /dashboard and every
// path under it.
const DashboardPath = "/dashboard"

// withDashboard sends the dashboard's paths to s.Dashboard, outside the
// API's deadline (the dashboard sets its own: an import takes longer), and
// a browser asking for / to the dashboard; everything else goes to next.
func (s *Server) withDashboard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case p == DashboardPath || strings.HasPrefix(p, DashboardPath+"/"):
			infoOf(r).route = DashboardPath + "/"
			s.Dashboard.ServeHTTP(w, r)
		case p == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead) && prefersHTML(r.Header.Values("Accept")):
			infoOf(r).route = "/"
			w.Header().Set("Location", DashboardPath+"/")
			w.WriteHeader(http.StatusSeeOther)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// prefersHTML reports whether an Accept header ranks text/html above
// application/json, as a browser's does (text/html first, */* last). A
// request without Accept, or one that names JSON as highly, gets JSON.
func prefersHTML(accept []string) bool {
	html, json := 0.0, 0.0
	for _, part := range strings.Split(strings.Join(accept, ","), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, err := strconv.ParseFloat(params["q"], 64); err == nil {
			q = v
		}
		switch mt {
		case "text/html", "application/xhtml+xml":
			html = max(html, q)
		case "application/json":
			json = max(json, q)
		}
	}
	return html > json
}

// SignIn checks an API key for the dashboard's sign-in form, as the
// Authorize endpoint checks it: a key that does not exist counts towards
// the limits on failed keys of the client's address and the key's prefix,
// and past them the attempt is refused (rate_limited) before the key is
// looked up. It returns the key's active credential. Errors:
// invalid_api_key, key_revoked, merchant_disabled, rate_limited.
func (s *Server) SignIn(r *http.Request, apiKey string) (fatora.Credential, error) {
	if apiKey == "" {
		return fatora.Credential{}, errInvalidAPIKey
	}
	if len(apiKey) > token.MaxAPIKeyLen {
		s.keyGuard.failed(s.TrustedProxies.ClientAddr(r), keyPrefixOf(apiKey[:token.MaxAPIKeyLen]))
		return fatora.Credential{}, errInvalidAPIKey
	}
	return s.credentialByKey(r, apiKey, false)
}

// Admit lets a dashboard request of a merchant's scope through its rate
// limit (the API's: one bucket per merchant and mode), setting the
// RateLimit headers, and notes that keyID (if not "") was used. Errors:
// rate_limited.
func (s *Server) Admit(w http.ResponseWriter, scope fatora.Scope, keyID string) error {
	if err := s.tenants.take(w, scope); err != nil {
		return err
	}
	if keyID != "" {
		s.keyUses.note(keyID, s.Now())
	}
	return nil
}

// SearchTurn waits for a turn to run a keyword search for the scope ctx
// carries, shared fairly with the API's searches, and returns the function
// that ends it. Errors: unauthorized, unavailable.
func (s *Server) SearchTurn(ctx context.Context) (leave func(), err error) {
	return s.searchTurn(ctx)
}

// ErrorStatus is the HTTP status the API answers err with (the one table,
// statusOf): 500 for an error of another type or an unknown code.
func (s *Server) ErrorStatus(err error) int {
	var e *fatora.Error
	if errors.As(err, &e) {
		if status, ok := statusOf[e.Code]; ok {
			return status
		}
	}
	return http.StatusInternalServerError
}
