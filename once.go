package fatora

import (
	"context"
	"time"
)

// IdempotencyRecords is a store's table of idempotency records as one
// transaction sees it, for one Scope. Each store implements it with its own
// SQL; ChangeOnce decides what to do with them.
type IdempotencyRecords interface {
	// FindRecord returns the record kept for key, or nil when there is none.
	FindRecord(ctx context.Context, key string) (*IdempotencyRecord, error)
	// DeleteRecord forgets the record kept for key.
	DeleteRecord(ctx context.Context, key string) error
	// InsertRecord keeps r for key.
	InsertRecord(ctx context.Context, key string, r IdempotencyRecord) error
}

// ChangeOnce makes a change at most once for idem, inside the transaction
// that records and change share, so that a crash leaves the change and its
// record together or neither. It looks the key up and acts on Decide: a
// *Replay or idempotency_key_reused stops it before change runs; an
// expired record is forgotten first. Once change succeeds it keeps the
// answer naming the client change returns (zero for a delete), made at now.
// A refusal from change is returned and nothing is kept, so a corrected
// retry with the key goes ahead. With a nil idem it only runs change.
//
// The caller makes sure no other change with the key runs meanwhile (a
// write lock, or a lock on the key).
func ChangeOnce(ctx context.Context, idem *Idempotency, records IdempotencyRecords, now time.Time, change func() (Client, error)) error {
	return changeOnce(ctx, idem, records, now, change, func(c Client) IdempotencyRecord { return idem.Record(c, now) })
}

// ChangeEndpointOnce is ChangeOnce for a change of a webhook endpoint: the
// answer kept is idem.RenderEndpoint's of the endpoint change returns.
func ChangeEndpointOnce(ctx context.Context, idem *Idempotency, records IdempotencyRecords, now time.Time,
	change func() (WebhookEndpoint, error)) error {
	return changeOnce(ctx, idem, records, now, change, func(w WebhookEndpoint) IdempotencyRecord {
		return IdempotencyRecord{Fingerprint: idem.Fingerprint, CreatedAt: now, Response: nonNilBody(idem.RenderEndpoint(w))}
	})
}

func changeOnce[T any](ctx context.Context, idem *Idempotency, records IdempotencyRecords, now time.Time,
	change func() (T, error), record func(T) IdempotencyRecord) error {
	if idem == nil {
		_, err := change()
		return err
	}
	kept, err := records.FindRecord(ctx, idem.Key)
	if err != nil {
		return err
	}
	forget, err := idem.Decide(kept, now)
	if forget {
		err = records.DeleteRecord(ctx, idem.Key)
	}
	if err != nil {
		return err
	}
	v, err := change()
	if err != nil {
		return err
	}
	return records.InsertRecord(ctx, idem.Key, record(v))
}
