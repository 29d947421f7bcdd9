package fatora

import (
	"context"
	"time"
)

// RetrySchedule is how long after each failed attempt of a delivery the
// next one is made (before jitter): the Standard Webhooks example schedule.
// The first attempt is made at once; after the last retry fails the
// delivery has failed for good.
var RetrySchedule = []time.Duration{
	5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour,
	10 * time.Hour, 14 * time.Hour, 20 * time.Hour, 24 * time.Hour,
}

// DisableAfterFailing is how long an endpoint may fail every attempt
// before it is disabled.
const DisableAfterFailing = 5 * 24 * time.Hour

// DeliveryTimeout is how long an endpoint has to answer an attempt.
const DeliveryTimeout = 15 * time.Second

// DeliveryLease is how long a claimed delivery is kept from other
// delivery loops: longer than an attempt can take, so that only a loop
// that died leaves it to another.
const DeliveryLease = 30 * time.Second

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliverySucceeded = "succeeded"
	DeliveryFailed    = "failed"
)

// Delivery is one event to send to one endpoint, as a delivery loop
// claimed it.
type Delivery struct {
	MerchantID int64
	Event      Event
	Endpoint   WebhookEndpoint
	// Attempt numbers this attempt, from 1.
	Attempt int
}

// DeliveryAttempt is the record of one attempt.
type DeliveryAttempt struct {
	// ID orders an endpoint's attempts.
	ID         int64
	EventID    string
	EndpointID string
	Attempt    int
	At         time.Time
	// Status is the endpoint's HTTP status; 0 when it gave none.
	Status  int
	Latency time.Duration
	// Error says why the attempt failed ("" when it succeeded).
	Error string
}

// Succeeded reports whether the endpoint accepted the delivery (a 2xx).
func (a DeliveryAttempt) Succeeded() bool { return a.Error == "" && a.Status >= 200 && a.Status < 300 }

// DeliveryOutcome is what a store records after an attempt.
type DeliveryOutcome struct {
	// State is the delivery's new state; NextAt, for a pending one, when
	// the next attempt is due.
	State  string
	NextAt time.Time
	// FailingSince is the endpoint's new FailingSince.
	FailingSince time.Time
	// Disable, when not "", disables the endpoint for this reason.
	Disable string
}

// Outcome decides what follows attempt a of d, made at now: success ends
// the delivery and clears the endpoint's failing time; a failure schedules
// the next attempt (after schedule's wait for the attempt, normally
// RetrySchedule, stretched by jitter, a fraction from 0 to 0.1) or, after
// the last, fails the delivery. A 410 Gone disables the
// endpoint at once, and so does failing for DisableAfterFailing.
func (d Delivery) Outcome(a DeliveryAttempt, now time.Time, schedule []time.Duration, jitter float64) DeliveryOutcome {
	if a.Succeeded() {
		return DeliveryOutcome{State: DeliverySucceeded}
	}
	out := DeliveryOutcome{State: DeliveryFailed, FailingSince: d.Endpoint.FailingSince}
	if out.FailingSince.IsZero() {
		out.FailingSince = now
	}
	switch {
	case a.Status == 410:
		out.Disable = "The endpoint answered 410 Gone at " + now.UTC().Format(time.RFC3339) + "."
	case now.Sub(out.FailingSince) >= DisableAfterFailing:
		out.Disable = "Every delivery failed from " + out.FailingSince.UTC().Format(time.RFC3339) + " to " +
			now.UTC().Format(time.RFC3339) + "; the last: " + a.Error
	case d.Attempt <= len(schedule):
		wait := schedule[d.Attempt-1]
		out.State, out.NextAt = DeliveryPending, now.Add(wait+time.Duration(float64(wait)*jitter))
	}
	return out
}

// DeliveryQueue is what a delivery loop needs of a store. It is not scoped
// to a merchant: it serves every merchant's deliveries.
type DeliveryQueue interface {
	// ClaimDeliveries takes up to limit deliveries due at now, of enabled
	// endpoints, keeping them from other loops until now+lease, and
	// numbers their attempt. For one endpoint and one client it takes only
	// the oldest pending event, so a client's events arrive in order.
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Delivery, error)
	// RecordAttempt keeps a, the attempt of d, and applies out, unless the
	// delivery was claimed again since (its lease ran out).
	RecordAttempt(ctx context.Context, d Delivery, a DeliveryAttempt, out DeliveryOutcome) error
}
