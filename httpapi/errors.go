package httpapi

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/fatora-oss/fatora"
)

// statusOf is the one table from error code to HTTP status. A code missing
// here is answered as a 500.
var statusOf = map[string]int{
	fatora.CodeMalformedJSON:         http.StatusBadRequest,
	fatora.CodeInvalidField:          http.StatusBadRequest,
	fatora.CodeUnknownField:          http.StatusBadRequest,
	fatora.CodeDuplicateField:        http.StatusBadRequest,
	fatora.CodeInvalidQuery:          http.StatusBadRequest,
	fatora.CodeUnauthorized:          http.StatusUnauthorized,
	fatora.CodeInvalidToken:          http.StatusUnauthorized,
	fatora.CodeInvalidAPIKey:         http.StatusUnauthorized,
	fatora.CodeKeyRevoked:            http.StatusForbidden,
	fatora.CodeMerchantDisabled:      http.StatusForbidden,
	fatora.CodeNotFound:              http.StatusNotFound,
	fatora.CodeMethodNotAllowed:      http.StatusMethodNotAllowed,
	fatora.CodeNotAcceptable:         http.StatusNotAcceptable,
	fatora.CodeDuplicateClient:       http.StatusConflict,
	fatora.CodeConflict:              http.StatusConflict,
	fatora.CodePayloadTooLarge:       http.StatusRequestEntityTooLarge,
	fatora.CodeUnsupportedMediaType:  http.StatusUnsupportedMediaType,
	fatora.CodeUnavailable:           http.StatusServiceUnavailable,
	fatora.CodeIdempotencyKeyInvalid: http.StatusBadRequest,
	fatora.CodeIdempotencyKeyReused:  http.StatusUnprocessableEntity,
	fatora.CodeIdempotencyInProgress: http.StatusConflict,
	fatora.CodeRateLimited:           http.StatusTooManyRequests,
	fatora.CodeMalformedRequest:      http.StatusBadRequest,
	fatora.CodeLimitReached:          http.StatusConflict,
}

// errorBody is the contract's error shape:
// {"status":"ERROR","error":{"code":...,"message":...,"request_id":...}}.
type errorBody struct {
	Status string      `json:"status"`
	Error  errorDetail `json:"error"`
}

type errorDetail struct {
	Code             string              `json:"code"`
	Message          string              `json:"message"`
	Fields           []fatora.FieldError `json:"fields,omitempty"`
	ExistingClientID int64               `json:"existing_client_id,omitempty"`
	RequestID        string              `json:"request_id"`
}

// retryAfterSeconds is what a 503, or a 409 for an idempotency key still
// in use, tells the caller to wait.
const retryAfterSeconds = "1"

// wholeSeconds is d in whole seconds, rounded up, as Retry-After wants it.
func wholeSeconds(d time.Duration) string {
	return strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10)
}

// writeError answers err in the error shape. An error that is not a
// *fatora.Error, or whose code has no status, becomes a generic 500 and
// its details go to the log only; so does the cause of any 5xx.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *fatora.Error
	status, known := 0, errors.As(err, &e)
	if known {
		status, known = statusOf[e.Code]
	}
	if !known {
		e, status = &fatora.Error{Code: fatora.CodeInternal, Message: fatora.ErrorMessage(nil)}, http.StatusInternalServerError
	}
	if status >= 500 {
		infoOf(r).log.ErrorContext(r.Context(), "request failed", "request_id", requestIDOf(r), "code", e.Code, "error", err.Error())
	}
	setAuthChallenge(w, e.Code)
	switch {
	case e.RetryAfter > 0:
		w.Header().Set("Retry-After", wholeSeconds(e.RetryAfter))
	case status == http.StatusServiceUnavailable || e.Code == fatora.CodeIdempotencyInProgress:
		w.Header().Set("Retry-After", retryAfterSeconds)
	}
	if infoOf(r).route == authorizeRoute {
		writeJSON(w, status, authorizeErrorBody{Status: "ERROR", Error: e.Message, Code: e.Code, RequestID: requestIDOf(r)})
		return
	}
	writeJSON(w, status, errorBody{Status: "ERROR", Error: errorDetail{
		Code: e.Code, Message: e.Message, Fields: e.Fields, ExistingClientID: e.ExistingClientID, RequestID: requestIDOf(r),
	}})
}

// authorizeErrorBody is the shape of Authorize's failures, which Fatora
// documents with error as a string ({"status":"ERROR","error":"Invalid API
// Key"}), so code written against it reads them; code and request_id are
// ours, beside it.
type authorizeErrorBody struct {
	Status    string `json:"status"`
	Error     string `json:"error"`
	Code      string `json:"code"`
	RequestID string `json:"request_id"`
}

// setAuthChallenge adds the WWW-Authenticate header RFC 6750 asks of a 401.
func setAuthChallenge(w http.ResponseWriter, code string) {
	switch code {
	case fatora.CodeUnauthorized, fatora.CodeInvalidAPIKey:
		w.Header().Set("WWW-Authenticate", `Bearer realm="fatora"`)
	case fatora.CodeInvalidToken:
		w.Header().Set("WWW-Authenticate", `Bearer realm="fatora", error="invalid_token"`)
	}
}
