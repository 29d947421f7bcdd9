package fatora

import (
	"context"
	"time"
)

// Idempotency error codes.
const (
	CodeIdempotencyKeyInvalid = "idempotency_key_invalid"
	CodeIdempotencyKeyReused  = "idempotency_key_reused"
	CodeIdempotencyInProgress = "idempotency_in_progress"
)

// DefaultIdempotencyTTL is how long a key is remembered.
const DefaultIdempotencyTTL = 24 * time.Hour

// MaxIdempotencyKeyLen bounds the length of an Idempotency-Key.
const MaxIdempotencyKeyLen = 255

// Idempotency asks a store to make a change at most once per key: the
// store claims the key, makes the change and keeps the answer to it in one
// transaction, so a crash leaves all of it or none. A later request with the
// same key gets the kept answer (see Replay) or, if it differs from the
// first, idempotency_key_reused. Keys belong to the Scope of the request.
type Idempotency struct {
	Key string
	// Fingerprint identifies the request (method, path, canonical body).
	Fingerprint string
	// Render makes the answer to keep for a change that succeeded; c is
	// the client changed (zero for a delete).
	Render func(c Client) StoredResponse
	// RenderEndpoint makes the answer to keep for a change of a webhook
	// endpoint (see ChangeEndpointOnce); w is zero for a delete.
	RenderEndpoint func(w WebhookEndpoint) StoredResponse
	// TTL is how long the key is kept; after it a key is new again.
	TTL time.Duration
}

// StoredResponse is an answer kept for an idempotency key.
type StoredResponse struct {
	Status   int
	Location string
	Body     []byte
}

// IdempotencyRecord is what a store keeps for a key whose change was made:
// the fingerprint of the request that made it, when, and its answer.
type IdempotencyRecord struct {
	// ClientID names the client the change made or changed (0 if none),
	// so that erasing the client can empty the kept answer.
	ClientID    int64
	Fingerprint string
	CreatedAt   time.Time
	Response    StoredResponse
}

// Record returns the record to keep for a change made at now that
// succeeded on c. Its Response.Body is never nil: a 204 keeps an empty body.
func (idem *Idempotency) Record(c Client, now time.Time) IdempotencyRecord {
	return IdempotencyRecord{ClientID: c.ID, Fingerprint: idem.Fingerprint, CreatedAt: now, Response: nonNilBody(idem.Render(c))}
}

// nonNilBody returns resp with an empty body for none.
func nonNilBody(resp StoredResponse) StoredResponse {
	if resp.Body == nil {
		resp.Body = []byte{}
	}
	return resp
}

// Decide tells a store what to do with a request whose key it looked up
// in the change's transaction; kept is the record found for the key, or nil.
// The four outcomes:
//
//   - no record: err is nil and forget false, go ahead with the change;
//   - a record older than the TTL at now: forget is true and err nil, delete
//     the record and go ahead as for a new key;
//   - a record of another request: idempotency_key_reused;
//   - a record of this request: a *Replay of its answer, change nothing.
//
// Decide does no I/O: the store reads and deletes the record.
func (idem *Idempotency) Decide(kept *IdempotencyRecord, now time.Time) (forget bool, err error) {
	switch {
	case kept == nil:
		return false, nil
	case kept.CreatedAt.Add(idem.TTL).Before(now):
		return true, nil
	case kept.Fingerprint != idem.Fingerprint:
		return false, IdempotencyKeyReused()
	}
	return false, &Replay{Response: kept.Response}
}

// Replay is the error a store returns, instead of changing anything, for a
// key whose change was already made: Response is the answer kept for it.
type Replay struct {
	Response StoredResponse
}

// Error implements error.
func (r *Replay) Error() string { return "idempotent replay" }

// ValidIdempotencyKey reports whether k is 1 to 255 printable ASCII
// characters.
func ValidIdempotencyKey(k string) bool {
	if len(k) == 0 || len(k) > MaxIdempotencyKeyLen {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// IdempotencyKeyReused is the error for a key sent again with a request
// that differs from the first one.
func IdempotencyKeyReused() *Error {
	return Errorf(CodeIdempotencyKeyReused,
		"This Idempotency-Key was already used for a different request; use a new key for a new request.")
}

type idempotencyKey struct{}

// WithIdempotency returns a context asking the store to make its change at
// most once for idem.
func WithIdempotency(ctx context.Context, idem *Idempotency) context.Context {
	return context.WithValue(ctx, idempotencyKey{}, idem)
}

// IdempotencyFrom returns the idempotency request carried by ctx, or nil.
func IdempotencyFrom(ctx context.Context) *Idempotency {
	idem, _ := ctx.Value(idempotencyKey{}).(*Idempotency)
	return idem
}

// IdempotencyPurger removes keys kept past their time.
type IdempotencyPurger interface {
	// PurgeIdempotencyKeys deletes keys created before cutoff and returns
	// how many it deleted.
	PurgeIdempotencyKeys(ctx context.Context, cutoff time.Time) (int64, error)
}

// IdempotencyInProgress is the error for a key whose first request is still
// running.
func IdempotencyInProgress() *Error {
	return Errorf(CodeIdempotencyInProgress,
		"A request with this Idempotency-Key is still in progress; retry after it finishes.")
}
