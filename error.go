package fatora

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. Each is stable: clients may switch on it. The HTTP layer maps
// each to one status code.
const (
	CodeMalformedJSON        = "malformed_json"
	CodeInvalidField         = "invalid_field"
	CodeUnknownField         = "unknown_field"
	CodeDuplicateField       = "duplicate_field"
	CodeInvalidQuery         = "invalid_query"
	CodeUnauthorized         = "unauthorized"
	CodeInvalidToken         = "invalid_token"
	CodeInvalidAPIKey        = "invalid_api_key"
	CodeKeyRevoked           = "key_revoked"
	CodeMerchantDisabled     = "merchant_disabled"
	CodeNotFound             = "not_found"
	CodeMethodNotAllowed     = "method_not_allowed"
	CodeNotAcceptable        = "not_acceptable"
	CodeDuplicateClient      = "duplicate_client"
	CodeConflict             = "conflict"
	CodePayloadTooLarge      = "payload_too_large"
	CodeUnsupportedMediaType = "unsupported_media_type"
	CodeUnavailable          = "unavailable"
	CodeInternal             = "internal"
	CodeRateLimited          = "rate_limited"
	CodeMalformedRequest     = "malformed_request"
)

// FieldError names one field of a request and what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the one error type of the application. Code is machine-readable
// and stable, Message is meant for the integrator. Errors of other types are
// internal: they reach the caller as a generic 500 and only the log sees them.
type Error struct {
	Code    string
	Message string
	// Fields lists per-field problems of an invalid_field error.
	Fields []FieldError
	// ExistingClientID names the client a duplicate_client error collides with.
	ExistingClientID int64
	// RetryAfter, when not zero, is how long the caller should wait before
	// trying again (a rate_limited error says it).
	RetryAfter time.Duration
	// Cause is the underlying failure, for the log only; callers never see it.
	Cause error
}

// Unwrap returns the underlying failure.
func (e *Error) Unwrap() error { return e.Cause }

// Error implements the error interface.
// The cause, when there is one, is included: Error is for logs, Message for
// callers.
func (e *Error) Error() string {
	if e.Cause != nil {
		return e.Code + ": " + e.Message + ": " + e.Cause.Error()
	}
	return e.Code + ": " + e.Message
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, and
// CodeInternal otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the message of err if it is (or wraps) an *Error, and
// a generic message otherwise, so internal details never reach a caller.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "An internal error occurred."
}

// DatabaseTimedOut is the error for a database that did not answer in
// time; cause, for the log, is the store's failure.
func DatabaseTimedOut(cause error) *Error {
	return &Error{Code: CodeUnavailable, Message: "The database did not answer in time; retry later.", Cause: cause}
}

// DatabaseUnavailable is the error for a database that could not do the
// work now but may later (lost, busy, full, shutting down); cause, for the
// log, is the store's failure.
func DatabaseUnavailable(cause error) *Error {
	return &Error{Code: CodeUnavailable, Message: "The database is unavailable; retry later.", Cause: cause}
}

// DatabaseClosing is the error for a write that comes after its store
// began to close: another server, or this one restarted, may take it.
func DatabaseClosing() *Error {
	return Errorf(CodeUnavailable, "The database is closing; retry later.")
}

// ClientNotFound is the error for a client id the caller's scope does not
// hold: the same for an id that never existed, one that was deleted and one
// of another merchant or mode.
func ClientNotFound() *Error {
	return Errorf(CodeNotFound, "No client with this id exists.")
}

// DuplicateClient is the error for a client whose data equals that of the
// existing client id (see ClientFields.MatchKeys).
func DuplicateClient(id int64) *Error {
	return &Error{Code: CodeDuplicateClient, ExistingClientID: id,
		Message: "A client with the same name, e-mail, phone and address already exists."}
}

// RateLimited is the error for a request refused by a rate limit; the
// caller may try again after wait.
func RateLimited(message string, wait time.Duration) *Error {
	return &Error{Code: CodeRateLimited, Message: message, RetryAfter: wait}
}
