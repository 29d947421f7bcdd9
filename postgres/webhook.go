package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
)

// WebhookService implements fatora.WebhookService on the store.
type WebhookService struct {
	db *DB
}

// NewWebhookService returns the webhook service of db.
func NewWebhookService(db *DB) *WebhookService { return &WebhookService{db: db} }

var _ fatora.WebhookService = (*WebhookService)(nil)

const endpointColumns = `id, url, description, events, enabled, disabled_reason, failing_since, secret, previous_secret,
	previous_secret_until, created_at, updated_at`

// CreateWebhookEndpoint implements fatora.WebhookService. The merchant's
// row is locked first, so concurrent creates count the endpoints in turn.
func (s *WebhookService) CreateWebhookEndpoint(ctx context.Context, w *fatora.WebhookEndpoint) error {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return err
	}
	if err := w.Normalize(); err != nil {
		return err
	}
	w.CreatedAt, w.UpdatedAt = s.db.now(), s.db.now()
	return s.db.inTx(ctx, func(tx pgx.Tx) error {
		var n int
		err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM webhook_endpoints WHERE merchant_id = $1 AND mode = $2)
			FROM merchants WHERE id = $1 FOR UPDATE`, scope.MerchantID, string(scope.Mode)).Scan(&n)
		if err != nil {
			return mapError(err)
		}
		if n >= fatora.MaxWebhookEndpoints {
			return fatora.WebhookEndpointLimit()
		}
		_, err = tx.Exec(ctx, `INSERT INTO webhook_endpoints (merchant_id, id, mode, url, description, events, enabled,
			disabled_reason, failing_since, secret, previous_secret, previous_secret_until, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, '', NULL, $8, '', 'epoch', $9, $9)`,
			scope.MerchantID, w.ID, string(scope.Mode), w.URL, w.Description, typeNames(w.Events), w.Enabled, w.Secret, w.CreatedAt)
		return mapError(err)
	})
}

// FindWebhookEndpoints implements fatora.WebhookService.
func (s *WebhookService) FindWebhookEndpoints(ctx context.Context) ([]fatora.WebhookEndpoint, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.pool.Query(ctx, "SELECT "+endpointColumns+" FROM webhook_endpoints WHERE merchant_id = $1 AND mode = $2 ORDER BY created_at, id",
		scope.MerchantID, string(scope.Mode))
	if err != nil {
		return nil, mapError(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fatora.WebhookEndpoint, error) { return scanEndpoint(r) })
	if out == nil {
		out = []fatora.WebhookEndpoint{}
	}
	return out, mapError(err)
}

// FindWebhookEndpointByID implements fatora.WebhookService.
func (s *WebhookService) FindWebhookEndpointByID(ctx context.Context, id string) (fatora.WebhookEndpoint, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.WebhookEndpoint{}, err
	}
	return findEndpoint(ctx, s.db.pool, scope, id, "")
}

// findEndpoint reads one endpoint of scope; lock is "" or "FOR UPDATE".
func findEndpoint(ctx context.Context, q queryer, scope fatora.Scope, id, lock string) (fatora.WebhookEndpoint, error) {
	w, err := scanEndpoint(q.QueryRow(ctx, "SELECT "+endpointColumns+" FROM webhook_endpoints WHERE merchant_id = $1 AND mode = $2 AND id = $3 "+lock,
		scope.MerchantID, string(scope.Mode), id))
	if errors.Is(err, pgx.ErrNoRows) {
		return w, fatora.WebhookEndpointNotFound()
	}
	return w, mapError(err)
}

// UpdateWebhookEndpoint implements fatora.WebhookService.
func (s *WebhookService) UpdateWebhookEndpoint(ctx context.Context, id string, u fatora.WebhookEndpointUpdate) (fatora.WebhookEndpoint, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.WebhookEndpoint{}, err
	}
	var w fatora.WebhookEndpoint
	err = s.db.inTx(ctx, func(tx pgx.Tx) error {
		old, err := findEndpoint(ctx, tx, scope, id, "FOR UPDATE")
		if err != nil {
			return err
		}
		if w, err = u.Apply(old); err != nil {
			return err
		}
		w.UpdatedAt = s.db.now()
		return saveEndpoint(ctx, tx, scope, w, old.Enabled && !w.Enabled)
	})
	return w, err
}

// saveEndpoint writes w; when ended, w was just disabled and its pending
// deliveries fail.
func saveEndpoint(ctx context.Context, tx pgx.Tx, scope fatora.Scope, w fatora.WebhookEndpoint, ended bool) error {
	_, err := tx.Exec(ctx, `UPDATE webhook_endpoints SET url = $3, description = $4, events = $5, enabled = $6,
		disabled_reason = $7, failing_since = $8, secret = $9, previous_secret = $10, previous_secret_until = $11, updated_at = $12
		WHERE merchant_id = $1 AND id = $2`, scope.MerchantID, w.ID, w.URL, w.Description, typeNames(w.Events), w.Enabled,
		w.DisabledReason, nullTime(w.FailingSince), w.Secret, w.PreviousSecret, w.PreviousSecretUntil, w.UpdatedAt)
	if err != nil || !ended {
		return mapError(err)
	}
	return failPending(ctx, tx, scope.MerchantID, w.ID)
}

// failPending ends the pending deliveries of an endpoint being disabled.
func failPending(ctx context.Context, tx pgx.Tx, merchantID int64, endpointID string) error {
	_, err := tx.Exec(ctx, "UPDATE webhook_deliveries SET state = 'failed' WHERE merchant_id = $1 AND endpoint_id = $2 AND state = 'pending'",
		merchantID, endpointID)
	return mapError(err)
}

// DeleteWebhookEndpoint implements fatora.WebhookService.
func (s *WebhookService) DeleteWebhookEndpoint(ctx context.Context, id string) error {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return err
	}
	tag, err := s.db.pool.Exec(ctx, "DELETE FROM webhook_endpoints WHERE merchant_id = $1 AND mode = $2 AND id = $3",
		scope.MerchantID, string(scope.Mode), id)
	if err != nil {
		return mapError(err)
	}
	if tag.RowsAffected() == 0 {
		return fatora.WebhookEndpointNotFound()
	}
	return nil
}

// RotateWebhookSecret implements fatora.WebhookService.
func (s *WebhookService) RotateWebhookSecret(ctx context.Context, id, secret string, until time.Time) (fatora.WebhookEndpoint, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.WebhookEndpoint{}, err
	}
	var w fatora.WebhookEndpoint
	err = s.db.inTx(ctx, func(tx pgx.Tx) error {
		if w, err = findEndpoint(ctx, tx, scope, id, "FOR UPDATE"); err != nil {
			return err
		}
		w.PreviousSecret, w.PreviousSecretUntil, w.Secret, w.UpdatedAt = w.Secret, until, secret, s.db.now()
		return saveEndpoint(ctx, tx, scope, w, false)
	})
	return w, err
}

// SendTestEvent implements fatora.WebhookService.
func (s *WebhookService) SendTestEvent(ctx context.Context, id string) (fatora.Event, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.Event{}, err
	}
	e := fatora.WebhookTestEvent(scope.Mode, s.db.now())
	err = s.db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := findEndpoint(ctx, tx, scope, id, ""); err != nil {
			return err
		}
		var seq int64
		err := tx.QueryRow(ctx, `INSERT INTO events (merchant_id, id, mode, type, client_id, created_at, data)
			VALUES ($1, $2, $3, $4, 0, $5, NULL) RETURNING seq`,
			scope.MerchantID, e.ID, string(scope.Mode), string(e.Type), e.CreatedAt).Scan(&seq)
		if err != nil {
			return mapError(err)
		}
		_, err = resend(ctx, tx, scope, seq, id, e.CreatedAt)
		return err
	})
	return e, err
}

func scanEndpoint(r pgx.Row) (fatora.WebhookEndpoint, error) {
	var w fatora.WebhookEndpoint
	var events []string
	var failing *time.Time
	err := r.Scan(&w.ID, &w.URL, &w.Description, &events, &w.Enabled, &w.DisabledReason, &failing, &w.Secret,
		&w.PreviousSecret, &w.PreviousSecretUntil, &w.CreatedAt, &w.UpdatedAt)
	for _, name := range events {
		w.Events = append(w.Events, fatora.EventType(name))
	}
	if failing != nil {
		w.FailingSince = failing.UTC()
	}
	w.PreviousSecretUntil, w.CreatedAt, w.UpdatedAt = w.PreviousSecretUntil.UTC(), w.CreatedAt.UTC(), w.UpdatedAt.UTC()
	return w, err
}

// typeNames is the stored form of an endpoint's event types (empty for
// every type).
func typeNames(types []fatora.EventType) []string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = string(t)
	}
	return names
}

// nullTime is t, or NULL when t is zero.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
