package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/fatora-oss/fatora"
)

// Sandbox makes a Server a sandbox for integrators' tests (`fatora
// sandbox`, package fatoratest): it serves the controls under /sandbox/,
// fails the requests it is told to fail, and remembers the last requests
// it received. A Server without one answers 404 under /sandbox/, as it
// does for any path it does not serve. Its methods are safe for
// concurrent use; set Erase before the Server's Handler is made.
type Sandbox struct {
	// Erase, if set, empties the database but for merchants and keys (see
	// Reset).
	Erase func(ctx context.Context) error

	failures failureQueue
	requests requestLog
}

// Fail queues f: the next requests it matches fail as it says. It returns
// f as it is kept (its defaults filled in). Errors: invalid_field.
func (sb *Sandbox) Fail(f Failure) (Failure, error) {
	f, err := f.normalize()
	if err != nil {
		return f, err
	}
	sb.failures.add(f)
	return f, nil
}

// Requests returns the last requests received (MaxRecordedRequests at
// most), oldest first, without those to /sandbox/.
func (sb *Sandbox) Requests() []RecordedRequest { return sb.requests.list() }

// Reset starts the sandbox again from nothing: Erase empties the data,
// and the failures not yet made and the requests remembered are
// forgotten. Merchants and their keys stay, and tokens issued before go on
// working.
func (sb *Sandbox) Reset(ctx context.Context) error {
	if sb.Erase != nil {
		if err := sb.Erase(ctx); err != nil {
			return err
		}
	}
	sb.failures.clear()
	sb.requests.clear()
	return nil
}

// isSandboxPath reports whether a comparable path is one of the sandbox's
// controls, which are neither failed nor remembered.
func isSandboxPath(p string) bool { return p == "/sandbox" || strings.HasPrefix(p, "/sandbox/") }

// withSandbox fails the requests the sandbox was told to fail and
// remembers every request outside /sandbox/ with its answer's status. It
// runs inside the request log, so that every request, failed ones too,
// has a request id and a log line.
func (s *Server) withSandbox(next http.Handler) http.Handler {
	sb := s.Sandbox
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := comparablePath(r.URL.Path)
		if isSandboxPath(path) {
			next.ServeHTTP(w, r)
			return
		}
		rw := &recordingWriter{ResponseWriter: w, log: &sb.requests, rr: RecordedRequest{RequestID: requestIDOf(r),
			ReceivedAt: s.Now().UTC(), Method: r.Method, Path: r.URL.Path, Query: recordedQuery(r.URL.RawQuery),
			Headers: recordedHeaders(r.Header)}}
		if f, injected := sb.failures.take(r.Method, path); injected {
			rw.rr.Injected = true
			if f.Status == 0 {
				rw.record(0)
			}
			fail(rw, r, f)
			return
		}
		next.ServeHTTP(rw, r)
		rw.record(http.StatusOK) // what net/http answers for a handler that wrote nothing
	})
}

// recordingWriter adds its request to the log when the answer's status is
// written, before any of the answer leaves: a client that has its answer
// finds its request listed.
type recordingWriter struct {
	http.ResponseWriter
	log      *requestLog
	rr       RecordedRequest
	recorded bool
}

// record adds the request with status to the log, once.
func (w *recordingWriter) record(status int) {
	if !w.recorded {
		w.recorded, w.rr.Status = true, status
		w.log.add(w.rr)
	}
}

func (w *recordingWriter) WriteHeader(status int) {
	w.record(status)
	w.ResponseWriter.WriteHeader(status)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	w.record(http.StatusOK)
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// registerSandbox adds the sandbox's controls.
func (s *Server) registerSandbox(rt *router) {
	rt.handle("/sandbox/reset", map[string]handlerFunc{http.MethodPost: s.resetSandbox}, acceptsJSON)
	rt.handle("/sandbox/fail", map[string]handlerFunc{http.MethodPost: s.failSandbox}, acceptsJSON)
	rt.handle("/sandbox/requests", map[string]handlerFunc{http.MethodGet: s.listSandboxRequests}, acceptsJSON)
}

// resetSandbox handles POST /sandbox/reset: see Sandbox.Reset.
func (s *Server) resetSandbox(w http.ResponseWriter, r *http.Request) error {
	if err := s.Sandbox.Reset(r.Context()); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusResponse{Status: "SUCCESS"})
	return nil
}

// failureBody is the body of POST /sandbox/fail; status is required.
type failureBody struct {
	Status     *int   `json:"status"`
	Count      int    `json:"count"`
	Method     string `json:"method"`
	Path       string `json:"path"`
	Every      int    `json:"every"`
	RetryAfter int    `json:"retry_after"`
}

type failureResponse struct {
	Status  string  `json:"status"`
	Failure Failure `json:"failure"`
}

// failSandbox handles POST /sandbox/fail: see Sandbox.Fail.
func (s *Server) failSandbox(w http.ResponseWriter, r *http.Request) error {
	var b failureBody
	if err := decodeStrict(w, r, &b); err != nil {
		return err
	}
	if b.Status == nil {
		return &fatora.Error{Code: fatora.CodeInvalidField, Message: "status is required.",
			Fields: []fatora.FieldError{{Field: "status", Message: "is required"}}}
	}
	f, err := s.Sandbox.Fail(Failure{Status: *b.Status, Count: b.Count, Method: b.Method, Path: b.Path,
		Every: b.Every, RetryAfter: b.RetryAfter})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, failureResponse{Status: "SUCCESS", Failure: f})
	return nil
}

type requestsResponse struct {
	Status   string        `json:"status"`
	Requests []requestJSON `json:"requests"`
}

// requestJSON is a RecordedRequest as the API writes it, its time as every
// time of the API.
type requestJSON struct {
	RequestID  string              `json:"request_id"`
	ReceivedAt string              `json:"received_at"`
	Method     string              `json:"method"`
	Path       string              `json:"path"`
	Query      string              `json:"query,omitempty"`
	Status     int                 `json:"status"`
	Injected   bool                `json:"injected"`
	Headers    map[string][]string `json:"headers"`
}

// listSandboxRequests handles GET /sandbox/requests: see Sandbox.Requests.
func (s *Server) listSandboxRequests(w http.ResponseWriter, r *http.Request) error {
	out := requestsResponse{Status: "SUCCESS", Requests: []requestJSON{}}
	for _, rr := range s.Sandbox.Requests() {
		out.Requests = append(out.Requests, requestJSON{RequestID: rr.RequestID, ReceivedAt: rr.ReceivedAt.UTC().Format(timeFormat),
			Method: rr.Method, Path: rr.Path, Query: rr.Query, Status: rr.Status, Injected: rr.Injected, Headers: rr.Headers})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
