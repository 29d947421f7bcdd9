package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"
)

// requestInfo is filled in as a request goes through the layers and logged
// when it is answered.
type requestInfo struct {
	log      *slog.Logger
	id       string
	route    string
	merchant string
	mode     string
}

type infoKey struct{}

func infoOf(r *http.Request) *requestInfo {
	if info, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{log: slog.Default()}
}

func requestIDOf(r *http.Request) string { return infoOf(r).id }

// statusRecorder remembers the status and size of a response.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (a sandbox
// closes it to fail a request without an answer).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// RequestObserver is told of every answered request: the route pattern the
// router matched ("unmatched" for none), the method, the status and the
// time taken.
type RequestObserver func(route, method string, status int, took time.Duration)

// maxLoggedUserAgent caps the User-Agent kept in a log line, in bytes.
const maxLoggedUserAgent = 200

// withRequestLog gives every request an id (a sane incoming X-Request-Id is
// kept), echoes it, and logs one line when the request is answered: the
// client's address (after the trusted proxies) and User-Agent, but no
// other header value, no query string and no body, so keys and tokens stay
// out.
func withRequestLog(log *slog.Logger, observe RequestObserver, proxies TrustedProxies, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{log: log, id: requestID(r.Header.Get("X-Request-Id")), route: "unmatched"}
		w.Header().Set("X-Request-Id", info.id)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), infoKey{}, info)))
		took := time.Since(start)
		if observe != nil {
			observe(info.route, r.Method, rec.status, took)
		}
		log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("request_id", info.id), slog.String("merchant", info.merchant), slog.String("mode", info.mode),
			slog.String("method", r.Method), slog.String("route", info.route), slog.Int("status", rec.status),
			slog.Int("bytes", rec.bytes), slog.Float64("latency_ms", float64(took.Microseconds())/1000),
			slog.String("remote", proxies.ClientAddr(r)), slog.String("user_agent", loggedUserAgent(r)))
	})
}

// loggedUserAgent is the request's User-Agent, cut to maxLoggedUserAgent
// bytes (on a character boundary).
func loggedUserAgent(r *http.Request) string {
	ua := r.UserAgent()
	if len(ua) <= maxLoggedUserAgent {
		return ua
	}
	cut := maxLoggedUserAgent
	for cut > 0 && !utf8.RuneStart(ua[cut]) {
		cut--
	}
	return ua[:cut] + "…"
}

// requestID returns the incoming id when it is 1 to 128 characters of
// letters, digits and -_.:, and a new random one otherwise.
func requestID(in string) string {
	if len(in) > 0 && len(in) <= 128 && strings.Trim(in, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") == "" {
		return in
	}
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// withRecovery turns a panic into a generic 500 and a log line with the
// stack, and keeps the server running.
func withRecovery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil || v == http.ErrAbortHandler {
				if v != nil {
					panic(v)
				}
				return
			}
			infoOf(r).log.ErrorContext(r.Context(), "panic", "request_id", requestIDOf(r), "panic", v, "stack", string(debug.Stack()))
			if rec, ok := w.(*statusRecorder); !ok || rec.status == 0 {
				writeError(w, r, errPanic)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// errPanic is an internal error: writeError answers it with a generic 500.
var errPanic = panicError{}

type panicError struct{}

func (panicError) Error() string { return "handler panicked" }

// withCanonicalPath hands on a copy of the request whose path is matched
// as Fatora's ASP.NET routes match it: ASCII letter case does not matter
// and one trailing slash is ignored. Any other letter stays as it is, so
// /v1/CLİENTS (a dotted capital I) names no endpoint. A path that is not
// clean (//, /./, /../) is answered with a redirect to its clean form,
// without a body.
func withCanonicalPath(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if clean := cleanPath(r.URL.Path); clean != r.URL.Path {
			redirectTo(w, r, clean)
			return
		}
		p := asciiLower(r.URL.Path)
		if len(p) > 1 {
			p = strings.TrimSuffix(p, "/")
		}
		u := *r.URL
		u.Path, u.RawPath = p, ""
		canonical := *r // shallow, as WithContext copies: the handlers share the rest
		canonical.URL = &u
		next.ServeHTTP(w, &canonical)
	})
}

// cleanPath returns p without empty, "." and ".." elements, keeping a
// trailing slash, as http.ServeMux cleans paths.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean
}

// redirectTo answers 307 to the clean path, the query kept, with no body
// (http.ServeMux would send an HTML one).
func redirectTo(w http.ResponseWriter, r *http.Request, clean string) {
	u := url.URL{Path: clean, RawQuery: r.URL.RawQuery}
	w.Header().Set("Location", u.String())
	w.WriteHeader(http.StatusTemporaryRedirect)
}

// asciiLower lowers the ASCII letters of s and nothing else.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// withDeadline hands on the request with a context that ends after d, so a
// slow database answers 503 instead of holding the caller.
func withDeadline(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
