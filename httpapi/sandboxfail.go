package httpapi

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/fatora-oss/fatora"
)

// Failure tells a sandbox to fail requests instead of serving them, so
// that an integrator can test their retry paths: the next Count requests
// matching Method and Path (one in Every of them) get Status.
type Failure struct {
	// Status is the answer: 500 (internal), 503 (unavailable) or 429
	// (rate_limited) in the API's error shape, 502 as a reverse proxy
	// answers it (an HTML page: the API never says 502 itself), or 0 to
	// close the connection without answering.
	Status int `json:"status"`
	// Count is how many requests fail (1 to MaxFailureCount; 0 means 1).
	Count int `json:"count"`
	// Method, when set, is the only method failed (GET, POST, ...).
	Method string `json:"method,omitempty"`
	// Path, when set, is the only path failed, compared as the API
	// compares paths (any ASCII letter case, a trailing slash ignored);
	// a final * matches any rest: /v1/clients/* is every client's path.
	// The sandbox's own /sandbox/ paths never fail.
	Path string `json:"path,omitempty"`
	// Every fails one matching request in Every, the others served (1 to
	// 1000; 0 means 1, each one): 3 makes a server that fails now and then.
	Every int `json:"every"`
	// RetryAfter is the Retry-After header of a 429 or 503, in seconds (0
	// to 3600): 0, the default, lets the client retry at once.
	RetryAfter int `json:"retry_after"`
}

// MaxFailureCount bounds Failure.Count.
const MaxFailureCount = 10000

// failableStatuses are the statuses a Failure may have. 429 is answered as
// the rate limits answer it (rate_limited, with Retry-After).
var failableStatuses = []int{0, http.StatusTooManyRequests, http.StatusInternalServerError,
	http.StatusBadGateway, http.StatusServiceUnavailable}

// normalize checks f and returns it with its defaults filled in, Method
// upper case and Path in the form requests are compared in. Errors:
// invalid_field.
func (f Failure) normalize() (Failure, error) {
	var fields []fatora.FieldError
	bad := func(field, msg string) { fields = append(fields, fatora.FieldError{Field: field, Message: msg}) }
	if !slices.Contains(failableStatuses, f.Status) {
		bad("status", "must be 0 (drop the connection), 429, 500, 502 or 503")
	}
	if f.Count == 0 {
		f.Count = 1
	}
	if f.Count < 1 || f.Count > MaxFailureCount {
		bad("count", "must be 1 to "+strconv.Itoa(MaxFailureCount))
	}
	if f.Every == 0 {
		f.Every = 1
	}
	if f.Every < 1 || f.Every > 1000 {
		bad("every", "must be 1 to 1000")
	}
	if f.RetryAfter < 0 || f.RetryAfter > 3600 {
		bad("retry_after", "must be 0 to 3600 seconds")
	}
	f.Method = strings.ToUpper(f.Method)
	if f.Method != "" && !slices.Contains([]string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}, f.Method) {
		bad("method", "must be GET, HEAD, POST, PUT, PATCH or DELETE")
	}
	if f.Path != "" && (!strings.HasPrefix(f.Path, "/") || len(f.Path) > 1000 || strings.ContainsAny(f.Path, "?# ")) {
		bad("path", "must start with / and hold no query, fragment or space (at most 1000 characters)")
	}
	f.Path = comparablePath(f.Path)
	if len(fields) > 0 {
		return f, &fatora.Error{Code: fatora.CodeInvalidField, Fields: fields,
			Message: "The failure is not one the sandbox can make: " + fields[0].Field + " " + fields[0].Message + "."}
	}
	return f, nil
}

// comparablePath is a path as failures and requests are compared: ASCII
// letters lower case, without a trailing slash.
func comparablePath(p string) string {
	p = asciiLower(p)
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	return p
}

// matches reports whether the request with this method and comparable
// path is one f fails.
func (f Failure) matches(method, path string) bool {
	if f.Method != "" && f.Method != method {
		return false
	}
	if prefix, ok := strings.CutSuffix(f.Path, "*"); ok {
		return strings.HasPrefix(path, prefix)
	}
	return f.Path == "" || f.Path == path
}

// pendingFailure is a Failure with what is left of it.
type pendingFailure struct {
	Failure
	seen int // matching requests so far
	left int // failures still to make
}

// failureQueue holds the failures a sandbox was told to make, in the order
// it was told.
type failureQueue struct {
	mu      sync.Mutex
	pending []*pendingFailure
}

func (q *failureQueue) add(f Failure) {
	q.mu.Lock()
	q.pending = append(q.pending, &pendingFailure{Failure: f, left: f.Count})
	q.mu.Unlock()
}

func (q *failureQueue) clear() {
	q.mu.Lock()
	q.pending = nil
	q.mu.Unlock()
}

// take returns the failure a request is to get, if any: the first pending
// failure that matches it decides, failing it if its turn has come
// (Every). A failure used up is forgotten.
func (q *failureQueue) take(method, path string) (Failure, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, p := range q.pending {
		if !p.matches(method, path) {
			continue
		}
		p.seen++
		if p.seen%p.Every != 0 {
			return Failure{}, false
		}
		if p.left--; p.left == 0 {
			q.pending = append(q.pending[:i], q.pending[i+1:]...)
		}
		return p.Failure, true
	}
	return Failure{}, false
}

// errInjected is the internal error an injected 500 stands for: the
// client gets the generic 500 of any internal error.
var errInjected = errors.New("sandbox: a failure asked for with POST /sandbox/fail")

// injectedMessage ends the message of an injected 429 or 503, so that
// nobody debugging takes it for a real one.
const injectedMessage = " (The sandbox was told to fail this request: POST /sandbox/fail.)"

// badGatewayPage is what a reverse proxy such as nginx answers with 502.
const badGatewayPage = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
	"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"

// fail answers a request with f; for status 0 it closes the connection
// without an answer.
func fail(w http.ResponseWriter, r *http.Request, f Failure) {
	switch f.Status {
	case 0:
		dropConnection(w)
	case http.StatusBadGateway:
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", strconv.Itoa(len(badGatewayPage)))
		w.WriteHeader(http.StatusBadGateway)
		w.Write([]byte(badGatewayPage))
	case http.StatusServiceUnavailable:
		writeError(retryAfterWriter{w, f.RetryAfter}, r,
			fatora.Errorf(fatora.CodeUnavailable, "The service is unavailable; retry later."+injectedMessage))
	case http.StatusTooManyRequests:
		writeError(retryAfterWriter{w, f.RetryAfter}, r,
			fatora.RateLimited("Too many requests; retry after Retry-After."+injectedMessage, 0))
	default:
		writeError(w, r, errInjected)
	}
}

// retryAfterWriter sends seconds as the Retry-After header, whatever the
// error writer set.
type retryAfterWriter struct {
	http.ResponseWriter
	seconds int
}

func (w retryAfterWriter) WriteHeader(status int) {
	w.Header().Set("Retry-After", strconv.Itoa(w.seconds))
	w.ResponseWriter.WriteHeader(status)
}

// dropConnection closes the request's connection without answering. Where
// the connection cannot be taken over (HTTP/2), the handler is aborted,
// which resets the stream.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}
