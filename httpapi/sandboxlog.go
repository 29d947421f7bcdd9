package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// RecordedRequest is a request a sandbox received, as GET
// /sandbox/requests lists it: without its body, and with every credential
// (API key, bearer token, cookie) replaced by "[redacted]".
type RecordedRequest struct {
	// RequestID is the request's X-Request-Id (sent or made).
	RequestID  string
	ReceivedAt time.Time
	Method     string
	// Path is the path as sent; Query the query string, if any.
	Path  string
	Query string
	// Status is the answer's status; 0 when the connection was closed
	// without one.
	Status int
	// Injected reports that the answer was a failure the sandbox was told
	// to make (POST /sandbox/fail).
	Injected bool
	// Headers are the request's headers, by their canonical names.
	Headers map[string][]string
}

// MaxRecordedRequests is how many requests a sandbox remembers: the last
// ones.
const MaxRecordedRequests = 1000

// requestLog is a sandbox's last requests, oldest first.
type requestLog struct {
	mu       sync.Mutex
	requests []RecordedRequest
}

func (l *requestLog) add(rr RecordedRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.requests) == MaxRecordedRequests {
		l.requests = append(l.requests[:0], l.requests[1:]...)
	}
	l.requests = append(l.requests, rr)
}

func (l *requestLog) list() []RecordedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]RecordedRequest{}, l.requests...)
}

func (l *requestLog) clear() {
	l.mu.Lock()
	l.requests = nil
	l.mu.Unlock()
}

// redacted stands in for a credential in a recorded request.
const redacted = "[redacted]"

// credentialHeaders are the headers whose values are credentials, lower
// case; Authorization keeps its scheme ("Bearer [redacted]").
var credentialHeaders = map[string]bool{"authorization": true, "proxy-authorization": true, "api_key": true,
	"api-key": true, "apikey": true, "x-api-key": true, "cookie": true}

// credentialParams are the query parameters whose values are credentials,
// lower case.
var credentialParams = map[string]bool{"api_key": true, "api-key": true, "apikey": true, "token": true,
	"access_token": true, "bearer_token": true, "key": true}

// recordedHeaders returns a copy of h with credentials redacted.
func recordedHeaders(h http.Header) map[string][]string {
	out := make(map[string][]string, len(h))
	for name, values := range h {
		vs := append([]string{}, values...)
		if lower := strings.ToLower(name); credentialHeaders[lower] {
			for i, v := range vs {
				vs[i] = redactedCredential(lower, v)
			}
		}
		out[name] = vs
	}
	return out
}

// redactedCredential is a credential header's value as recorded: the
// scheme of an Authorization header, and the rest redacted.
func redactedCredential(header, value string) string {
	if scheme, _, found := strings.Cut(strings.TrimSpace(value), " "); found && strings.HasSuffix(header, "authorization") {
		return scheme + " " + redacted
	}
	return redacted
}

// recordedQuery returns a raw query string with the values of credential
// parameters redacted, the rest as sent.
func recordedQuery(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	for i, part := range parts {
		name, _, hasValue := strings.Cut(part, "=")
		if unescaped, err := url.QueryUnescape(name); err == nil && hasValue && credentialParams[strings.ToLower(unescaped)] {
			parts[i] = name + "=" + redacted
		}
	}
	return strings.Join(parts, "&")
}
