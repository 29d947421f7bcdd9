package webhook

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"code.dny.dev/ssrf"

	"github.com/fatora-oss/fatora"
)

// UserAgent is sent with every delivery.
const UserAgent = "fatora-webhooks/1"

// Worker is a delivery loop: it claims due deliveries from its queue and
// makes their attempts, several at once. Any number of workers may share a
// PostgreSQL queue; an SQLite database has one.
type Worker struct {
	Queue fatora.DeliveryQueue
	// Client sends the attempts (see NewHTTPClient).
	Client *http.Client
	// Render makes the body of an event: the JSON the API shows for it.
	Render func(fatora.Event) []byte
	// Now is the clock of attempts and schedules (time.Now if nil).
	Now fatora.Clock
	// Jitter returns the fraction (0 to 0.1) by which a retry's wait is
	// stretched, so endpoints that failed together are not retried
	// together (random if nil).
	Jitter func() float64
	// Log receives a line per failed attempt, never a secret or a body.
	Log *slog.Logger
	// Batch is how many deliveries are claimed, and attempted at once (32
	// if zero).
	Batch int
	// Schedule is the wait before each retry (fatora.RetrySchedule if nil).
	Schedule []time.Duration
}

func (w *Worker) now() time.Time {
	if w.Now == nil {
		return time.Now()
	}
	return w.Now()
}

func (w *Worker) jitter() float64 {
	if w.Jitter == nil {
		return rand.Float64() / 10
	}
	return w.Jitter()
}

// RunOnce claims the deliveries due now and makes their attempts, all at
// once, returning when each is recorded; it returns how many it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	batch := w.Batch
	if batch <= 0 {
		batch = 32
	}
	ds, err := w.Queue.ClaimDeliveries(ctx, w.now(), fatora.DeliveryLease, batch)
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	errs := make([]error, len(ds))
	for i, d := range ds {
		wg.Go(func() { errs[i] = w.deliver(ctx, d) })
	}
	wg.Wait()
	return len(ds), errors.Join(errs...)
}

// Run calls RunOnce every interval, and again at once after a full batch,
// until ctx ends. wake, when it receives, cuts a wait short.
func (w *Worker) Run(ctx context.Context, every time.Duration, wake <-chan struct{}) {
	for ctx.Err() == nil {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil && w.Log != nil {
			w.Log.Warn("webhook deliveries", "error", err.Error())
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
		case <-time.After(every):
		case <-wake:
		}
	}
}

// deliver makes one attempt and records it with its outcome.
func (w *Worker) deliver(ctx context.Context, d fatora.Delivery) error {
	a := w.attempt(ctx, d)
	if a.Error != "" && w.Log != nil {
		w.Log.Info("webhook attempt failed", "endpoint", d.Endpoint.ID, "event", d.Event.ID, "attempt", d.Attempt,
			"endpoint_status", a.Status, "error", a.Error)
	}
	schedule := w.Schedule
	if schedule == nil {
		schedule = fatora.RetrySchedule
	}
	out := d.Outcome(a, w.now(), schedule, w.jitter())
	return w.Queue.RecordAttempt(context.WithoutCancel(ctx), d, a, out)
}

// attempt posts the event to the endpoint, signed, and returns what
// happened.
func (w *Worker) attempt(ctx context.Context, d fatora.Delivery) fatora.DeliveryAttempt {
	now := w.now()
	a := fatora.DeliveryAttempt{EventID: d.Event.ID, EndpointID: d.Endpoint.ID, Attempt: d.Attempt, At: now}
	body := w.Render(d.Event)
	sig, err := Signature(d.Endpoint.SigningSecrets(now), d.Event.ID, now, body)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Endpoint.URL, bytes.NewReader(body))
	if err != nil {
		a.Error = "the endpoint URL cannot be requested"
		return a
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", UserAgent)
	h.Set(HeaderID, d.Event.ID)
	h.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	h.Set(HeaderSignature, sig)
	start := time.Now()
	resp, err := w.Client.Do(req)
	a.Latency = time.Since(start)
	if err != nil {
		a.Error = describe(err)
		return a
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponseBytes))
	resp.Body.Close()
	a.Status = resp.StatusCode
	switch {
	case a.Status >= 300 && a.Status < 400:
		a.Error = "answered " + strconv.Itoa(a.Status) + "; redirects are not followed"
	case a.Status < 200 || a.Status >= 300:
		a.Error = "answered " + strconv.Itoa(a.Status)
	}
	return a
}

// describe says why an attempt got no answer, without details a merchant
// should not see.
func describe(err error) string {
	var timeout interface{ Timeout() bool }
	switch {
	case errors.Is(err, ssrf.ErrProhibitedIP), errors.Is(err, ssrf.ErrProhibitedPort), errors.Is(err, ssrf.ErrProhibitedNetwork):
		return errRefusedAddress.Error()
	case errors.As(err, &timeout) && timeout.Timeout():
		return "no answer within " + fatora.DeliveryTimeout.String()
	case errors.Is(err, context.Canceled):
		return "the server stopped during the attempt"
	}
	return "no answer: the connection failed"
}
