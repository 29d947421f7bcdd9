package sdk

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Error codes of the API (the code member of an error body), as the API
// description (api/openapi.json, components.schemas.ErrorCode) lists them.
// They are stable: switch on them.
const (
	CodeMalformedJSON         = "malformed_json"
	CodeInvalidField          = "invalid_field"
	CodeUnknownField          = "unknown_field"
	CodeDuplicateField        = "duplicate_field"
	CodeInvalidQuery          = "invalid_query"
	CodeUnauthorized          = "unauthorized"
	CodeInvalidToken          = "invalid_token"
	CodeInvalidAPIKey         = "invalid_api_key"
	CodeKeyRevoked            = "key_revoked"
	CodeMerchantDisabled      = "merchant_disabled"
	CodeNotFound              = "not_found"
	CodeMethodNotAllowed      = "method_not_allowed"
	CodeNotAcceptable         = "not_acceptable"
	CodeDuplicateClient       = "duplicate_client"
	CodePayloadTooLarge       = "payload_too_large"
	CodeUnsupportedMediaType  = "unsupported_media_type"
	CodeUnavailable           = "unavailable"
	CodeInternal              = "internal"
	CodeIdempotencyKeyInvalid = "idempotency_key_invalid"
	CodeIdempotencyKeyReused  = "idempotency_key_reused"
	CodeIdempotencyInProgress = "idempotency_in_progress"
	CodeRateLimited           = "rate_limited"
	CodeMalformedRequest      = "malformed_request"
	CodeLimitReached          = "limit_reached"
)

// Error is an answer of the API that is not a success. Get it with
// errors.As:
//
//	var e *sdk.Error
//	if errors.As(err, &e) && e.Code == sdk.CodeNotFound { ... }
type Error struct {
	// HTTPStatus is the status code of the answer.
	HTTPStatus int
	// Code is the API's error code (see the Code constants); empty when
	// the body was not the API's error shape (a proxy's page, say).
	Code string
	// Message is the API's explanation, meant for a person.
	Message string
	// RequestID identifies the request in the server's logs.
	RequestID string
	// Fields lists the fields at fault of an invalid_field error.
	Fields []FieldError
	// ExistingClientID is the client a duplicate_client error collides with.
	ExistingClientID int64
	// RetryAfter is the wait the server asked for in Retry-After (zero if
	// none).
	RetryAfter time.Duration
}

// FieldError names one field of a request and what is wrong with it.
type FieldError struct {
	Field   string
	Message string
}

// Error implements error: "fatora: <status> <code>: <message> (request <id>)".
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "fatora: %d", e.HTTPStatus)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	b.WriteString(": " + e.Message)
	if e.RequestID != "" {
		b.WriteString(" (request " + e.RequestID + ")")
	}
	return b.String()
}

// errorBody is either of the API's error shapes: its own,
// {"status":"ERROR","error":{"code":...,"message":...,"fields":[...],...}},
// and Fatora's, which Authorize answers with,
// {"status":"ERROR","error":"Invalid API Key","code":...,"request_id":...}.
type errorBody struct {
	Error     json.RawMessage `json:"error"`
	Code      string          `json:"code"`
	RequestID string          `json:"request_id"`
}

// errorDetail is the error member of the API's own shape.
type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Fields  []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"fields"`
	ExistingClientID int64  `json:"existing_client_id"`
	RequestID        string `json:"request_id"`
}

// newError reads an answer that is not a success.
func newError(resp *response, now time.Time) *Error {
	e := &Error{HTTPStatus: resp.status, RetryAfter: retryAfter(resp.header.Get("Retry-After"), now)}
	var body errorBody
	if json.Unmarshal(resp.body, &body) == nil {
		e.readBody(body)
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.status)
	}
	if e.RequestID == "" {
		e.RequestID = resp.header.Get("X-Request-Id")
	}
	return e
}

// readBody fills e from an error body of either shape.
func (e *Error) readBody(body errorBody) {
	e.Code, e.RequestID = body.Code, body.RequestID
	var d errorDetail
	if json.Unmarshal(body.Error, &e.Message) == nil || json.Unmarshal(body.Error, &d) != nil {
		return
	}
	e.Code, e.Message, e.ExistingClientID, e.RequestID = d.Code, d.Message, d.ExistingClientID, d.RequestID
	for _, f := range d.Fields {
		e.Fields = append(e.Fields, FieldError{Field: f.Field, Message: f.Message})
	}
}

// retryAfter reads a Retry-After value, whole seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 32); err == nil && secs > 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// retryable reports whether the API may answer differently if asked again.
func (e *Error) retryable() bool {
	switch {
	case e.HTTPStatus == http.StatusTooManyRequests, e.HTTPStatus >= 500:
		return true
	case e.HTTPStatus == http.StatusConflict:
		return e.Code == CodeIdempotencyInProgress
	}
	return false
}
