package sdk

import "strings"

// Response describes the successful HTTP answer to a call.
type Response struct {
	// StatusCode is the HTTP status of the answer (201 for a create).
	StatusCode int
	// RequestID identifies the request in the server's logs.
	RequestID string
	// IdempotencyKey is the key the call was sent with: the caller's, or
	// the one the Client made up.
	IdempotencyKey string
	// Replayed reports that the server answered with the kept answer of an
	// earlier request with the same IdempotencyKey (Idempotent-Replayed:
	// true): this call changed nothing. A call the Client retried after
	// losing the first attempt's answer can be Replayed too.
	Replayed bool
}

// newResponse describes the answer of r, a call that succeeded.
func newResponse(r *request) *Response {
	out := &Response{IdempotencyKey: r.idempotencyKey}
	if a := r.answer; a != nil {
		out.StatusCode = a.status
		out.RequestID = a.header.Get("X-Request-Id")
		out.Replayed = strings.EqualFold(a.header.Get("Idempotent-Replayed"), "true")
	}
	return out
}
