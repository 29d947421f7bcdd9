package sqlite

import (
	"context"
	"time"

	"github.com/fatora-oss/fatora"
)

// DeliveryQueue implements fatora.DeliveryQueue on the store: one delivery
// loop per database.
type DeliveryQueue struct {
	db *DB
}

// NewDeliveryQueue returns the delivery queue of db.
func NewDeliveryQueue(db *DB) *DeliveryQueue { return &DeliveryQueue{db: db} }

var _ fatora.DeliveryQueue = (*DeliveryQueue)(nil)

// claimSQL takes the due deliveries: of enabled endpoints, each the oldest
// pending event of its client at its endpoint.
const claimSQL = `UPDATE webhook_deliveries SET next_at = ?, attempts = attempts + 1
	WHERE (endpoint_id, event_seq) IN (
		SELECT d.endpoint_id, d.event_seq FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
		WHERE d.state = 'pending' AND d.next_at <= ? AND w.enabled = 1
			AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id
				AND p.client_id = d.client_id AND p.state = 'pending' AND p.event_seq < d.event_seq)
		ORDER BY d.next_at LIMIT ?)
	RETURNING endpoint_id, event_seq, attempts`

// ClaimDeliveries implements fatora.DeliveryQueue.
func (q *DeliveryQueue) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]fatora.Delivery, error) {
	var out []fatora.Delivery
	err := q.db.inBatch(ctx, func(tx runner) error {
		out = out[:0]
		type claim struct {
			endpoint string
			seq      int64
			attempt  int
		}
		rows, err := tx.QueryContext(ctx, claimSQL, now.Add(lease).UnixMicro(), now.UnixMicro(), limit)
		if err != nil {
			return mapError(err)
		}
		var claims []claim
		for rows.Next() {
			var c claim
			if err := rows.Scan(&c.endpoint, &c.seq, &c.attempt); err != nil {
				rows.Close()
				return mapError(err)
			}
			claims = append(claims, c)
		}
		if err := rows.Close(); err != nil {
			return mapError(err)
		}
		for _, c := range claims {
			d, err := loadDelivery(ctx, tx, c.endpoint, c.seq)
			if err != nil {
				return err
			}
			d.Attempt = c.attempt
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

// loadDelivery reads the event seq and the endpoint it goes to.
func loadDelivery(ctx context.Context, tx runner, endpointID string, seq int64) (fatora.Delivery, error) {
	var d fatora.Delivery
	var mode fatora.Mode
	w, err := scanEndpoint(tx.QueryRowContext(ctx, "SELECT "+endpointColumns+", merchant_id, mode FROM webhook_endpoints WHERE id = ?",
		endpointID), &d.MerchantID, &mode)
	if err != nil {
		return d, mapError(err)
	}
	d.Endpoint = w
	d.Event, err = scanEvent(tx.QueryRowContext(ctx, "SELECT "+eventColumns+" FROM events WHERE seq = ?", seq), mode)
	return d, err
}

// RecordAttempt implements fatora.DeliveryQueue.
func (q *DeliveryQueue) RecordAttempt(ctx context.Context, d fatora.Delivery, a fatora.DeliveryAttempt, out fatora.DeliveryOutcome) error {
	return q.db.inBatch(ctx, func(tx runner) error {
		res, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET state = ?, next_at = ?
			WHERE endpoint_id = ? AND event_seq = ? AND attempts = ? AND state = 'pending'`,
			out.State, out.NextAt.UnixMicro(), d.Endpoint.ID, d.Event.Position.Seq, d.Attempt)
		if err != nil {
			return mapError(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return mapError(err) // claimed again since: the other loop records
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO webhook_attempts (endpoint_id, event_seq, attempt, at, status, latency_us, error)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, d.Endpoint.ID, d.Event.Position.Seq, d.Attempt, a.At.UnixMicro(), a.Status,
			a.Latency.Microseconds(), a.Error)
		if err != nil {
			return mapError(err)
		}
		return recordEndpoint(ctx, tx, d.Endpoint.ID, out, a.At)
	})
}

// recordEndpoint notes on the endpoint whether it is failing, and disables
// it when out says so, failing its pending deliveries.
func recordEndpoint(ctx context.Context, tx runner, id string, out fatora.DeliveryOutcome, now time.Time) error {
	_, err := tx.ExecContext(ctx, "UPDATE webhook_endpoints SET failing_since = ? WHERE id = ?", nullTime(out.FailingSince), id)
	if err != nil || out.Disable == "" {
		return mapError(err)
	}
	_, err = tx.ExecContext(ctx, "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ?",
		out.Disable, now.UnixMicro(), id)
	if err != nil {
		return mapError(err)
	}
	_, err = tx.ExecContext(ctx, "UPDATE webhook_deliveries SET state = 'failed' WHERE endpoint_id = ? AND state = 'pending'", id)
	return mapError(err)
}

// FindDeliveryAttempts implements fatora.WebhookService.
func (s *WebhookService) FindDeliveryAttempts(ctx context.Context, endpointID string, before int64, limit int) ([]fatora.DeliveryAttempt, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return nil, err
	}
	r, leave, err := s.db.readTurn(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	if _, err := findEndpoint(ctx, uncancelled{r}, scope, endpointID); err != nil {
		return nil, err
	}
	rows, err := r.QueryContext(ctx, `SELECT a.id, e.id, a.attempt, a.at, a.status, a.latency_us, a.error
		FROM webhook_attempts a JOIN events e ON e.seq = a.event_seq
		WHERE a.endpoint_id = ? AND (? = 0 OR a.id < ?) ORDER BY a.id DESC LIMIT ?`, endpointID, before, before, limit)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	out := []fatora.DeliveryAttempt{}
	for rows.Next() {
		a := fatora.DeliveryAttempt{EndpointID: endpointID}
		var at, latency int64
		if err := rows.Scan(&a.ID, &a.EventID, &a.Attempt, &at, &a.Status, &latency, &a.Error); err != nil {
			return nil, mapError(err)
		}
		a.At, a.Latency = time.UnixMicro(at).UTC(), time.Duration(latency)*time.Microsecond
		out = append(out, a)
	}
	return out, mapError(rows.Err())
}
