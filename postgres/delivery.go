package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
)

// DeliveryQueue implements fatora.DeliveryQueue on the store. Any number of
// servers may claim at once: each claim skips the rows another holds
// (FOR UPDATE SKIP LOCKED) and moves what it takes past its lease.
type DeliveryQueue struct {
	db *DB
}

// NewDeliveryQueue returns the delivery queue of db.
func NewDeliveryQueue(db *DB) *DeliveryQueue { return &DeliveryQueue{db: db} }

var _ fatora.DeliveryQueue = (*DeliveryQueue)(nil)

// claimSQL takes the due deliveries of enabled endpoints, each the oldest
// pending event of its client at its endpoint, and returns them with their
// event and endpoint. It must walk webhook_deliveries_due in order and stop
// at $3, and find a client's oldest pending event in
// webhook_deliveries_order; claimPlanSQL keeps the planner to that.
const claimSQL = `WITH due AS (
		SELECT d.merchant_id, d.endpoint_id, d.event_seq FROM webhook_deliveries d
		JOIN webhook_endpoints w ON w.merchant_id = d.merchant_id AND w.id = d.endpoint_id AND w.enabled
		WHERE d.state = 'pending' AND d.next_at <= $1
			AND d.event_seq = (SELECT p.event_seq FROM webhook_deliveries p WHERE p.merchant_id = d.merchant_id
				AND p.endpoint_id = d.endpoint_id AND p.client_id = d.client_id AND p.state = 'pending'
				ORDER BY p.client_id, p.event_seq LIMIT 1)
		ORDER BY d.next_at LIMIT $3
		FOR UPDATE OF d SKIP LOCKED
	)
	UPDATE webhook_deliveries d SET next_at = $2, attempts = d.attempts + 1
	FROM due, events e, webhook_endpoints w
	WHERE d.merchant_id = due.merchant_id AND d.endpoint_id = due.endpoint_id AND d.event_seq = due.event_seq
		AND e.merchant_id = d.merchant_id AND e.seq = d.event_seq AND w.merchant_id = d.merchant_id AND w.id = d.endpoint_id
	RETURNING d.merchant_id, d.attempts, e.mode, e.xid::text::bigint, e.seq, e.id, e.type, e.client_id, e.created_at, e.data,
		w.id, w.url, w.description, w.events, w.enabled, w.disabled_reason, w.failing_since, w.secret, w.previous_secret,
		w.previous_secret_until, w.created_at, w.updated_at`

// claimPlanSQL sets, for the claim's transaction, what keeps its plan
// right whatever the table's statistics say. The queue fills from empty
// faster than autovacuum analyzes it, and a crash of the database forgets
// the counts that would start an analyze; planned from no statistics, the
// claim sorted every due delivery and checked each against every earlier
// one, 47 s a claim at 40,000 pending (see TestClaimPlanWithoutStatistics).
const claimPlanSQL = `SELECT set_config('enable_sort', 'off', true), set_config('enable_bitmapscan', 'off', true),
	set_config('enable_seqscan', 'off', true)`

// ClaimDeliveries implements fatora.DeliveryQueue.
func (q *DeliveryQueue) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]fatora.Delivery, error) {
	var out []fatora.Delivery
	err := q.db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, claimPlanSQL); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, claimSQL, now, now.Add(lease), limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, scanClaimed)
		return err
	})
	return out, mapError(err)
}

// scanClaimed reads a delivery that claimSQL returned.
func scanClaimed(r pgx.CollectableRow) (fatora.Delivery, error) {
	var d fatora.Delivery
	var mode fatora.Mode
	var data []byte
	e := &d.Event
	rest := &endpointScanner{row: r, before: []any{&d.MerchantID, &d.Attempt, &mode, &e.Position.Tx, &e.Position.Seq,
		&e.ID, &e.Type, &e.ClientID, &e.CreatedAt, &data}}
	w, err := scanEndpoint(rest)
	if err != nil {
		return d, err
	}
	d.Endpoint, e.Mode, e.CreatedAt = w, mode, e.CreatedAt.UTC()
	return d, e.DecodeData(data)
}

// endpointScanner scans the columns before into before, then the
// endpoint's.
type endpointScanner struct {
	row    pgx.Row
	before []any
}

func (s *endpointScanner) Scan(dest ...any) error { return s.row.Scan(append(s.before, dest...)...) }

// RecordAttempt implements fatora.DeliveryQueue.
func (q *DeliveryQueue) RecordAttempt(ctx context.Context, d fatora.Delivery, a fatora.DeliveryAttempt, out fatora.DeliveryOutcome) error {
	return q.db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET state = $4, next_at = $5
			WHERE merchant_id = $1 AND endpoint_id = $2 AND event_seq = $3 AND attempts = $6 AND state = 'pending'`,
			d.MerchantID, d.Endpoint.ID, d.Event.Position.Seq, out.State, nextAt(out), d.Attempt)
		if err != nil || tag.RowsAffected() == 0 {
			return mapError(err) // none: claimed again since, the other server records
		}
		_, err = tx.Exec(ctx, `INSERT INTO webhook_attempts (merchant_id, endpoint_id, event_seq, attempt, at, status, latency_us, error)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, d.MerchantID, d.Endpoint.ID, d.Event.Position.Seq, d.Attempt, a.At,
			a.Status, a.Latency.Microseconds(), a.Error)
		if err != nil {
			return mapError(err)
		}
		_, err = tx.Exec(ctx, `UPDATE webhook_endpoints SET failing_since = $3,
			enabled = enabled AND $4 = '', disabled_reason = CASE WHEN $4 = '' THEN disabled_reason ELSE $4 END
			WHERE merchant_id = $1 AND id = $2`, d.MerchantID, d.Endpoint.ID, nullTime(out.FailingSince), out.Disable)
		if err != nil || out.Disable == "" {
			return mapError(err)
		}
		return failPending(ctx, tx, d.MerchantID, d.Endpoint.ID)
	})
}

// nextAt is when a delivery's next attempt is due; one that is over keeps
// a time in the past.
func nextAt(out fatora.DeliveryOutcome) time.Time {
	if out.NextAt.IsZero() {
		return time.Unix(0, 0)
	}
	return out.NextAt
}

// FindDeliveryAttempts implements fatora.WebhookService.
func (s *WebhookService) FindDeliveryAttempts(ctx context.Context, endpointID string, before int64, limit int) ([]fatora.DeliveryAttempt, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := findEndpoint(ctx, s.db.pool, scope, endpointID, ""); err != nil {
		return nil, err
	}
	rows, err := s.db.pool.Query(ctx, `SELECT a.id, e.id, a.attempt, a.at, a.status, a.latency_us, a.error
		FROM webhook_attempts a JOIN events e ON e.merchant_id = a.merchant_id AND e.seq = a.event_seq
		WHERE a.merchant_id = $1 AND a.endpoint_id = $2 AND ($3 = 0 OR a.id < $3) ORDER BY a.id DESC LIMIT $4`,
		scope.MerchantID, endpointID, before, limit)
	if err != nil {
		return nil, mapError(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fatora.DeliveryAttempt, error) {
		a := fatora.DeliveryAttempt{EndpointID: endpointID}
		var latency int64
		err := r.Scan(&a.ID, &a.EventID, &a.Attempt, &a.At, &a.Status, &latency, &a.Error)
		a.At, a.Latency = a.At.UTC(), time.Duration(latency)*time.Microsecond
		return a, err
	})
	if out == nil {
		out = []fatora.DeliveryAttempt{}
	}
	return out, mapError(err)
}
