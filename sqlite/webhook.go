package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

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

// CreateWebhookEndpoint implements fatora.WebhookService.
func (s *WebhookService) CreateWebhookEndpoint(ctx context.Context, w *fatora.WebhookEndpoint) error {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return err
	}
	if err := w.Normalize(); err != nil {
		return err
	}
	w.CreatedAt, w.UpdatedAt = s.db.now(), s.db.now()
	return s.db.keyedEndpointChange(ctx, scope, w.CreatedAt, func(tx runner) (fatora.WebhookEndpoint, error) {
		var n int
		err := tx.QueryRowContext(ctx, "SELECT count(*) FROM webhook_endpoints WHERE merchant_id = ? AND mode = ?",
			scope.MerchantID, scope.Mode).Scan(&n)
		if err != nil {
			return *w, mapError(err)
		}
		if n >= fatora.MaxWebhookEndpoints {
			return *w, fatora.WebhookEndpointLimit()
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO webhook_endpoints (id, merchant_id, mode, url, description, events, enabled,
			disabled_reason, failing_since, secret, previous_secret, previous_secret_until, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, '', NULL, ?, '', 0, ?, ?)`,
			w.ID, scope.MerchantID, scope.Mode, w.URL, w.Description, joinTypes(w.Events), w.Enabled, w.Secret,
			w.CreatedAt.UnixMicro(), w.UpdatedAt.UnixMicro())
		return *w, mapError(err)
	})
}

// FindWebhookEndpoints implements fatora.WebhookService.
func (s *WebhookService) FindWebhookEndpoints(ctx context.Context) ([]fatora.WebhookEndpoint, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return nil, err
	}
	r, leave, err := s.db.readTurn(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	rows, err := r.QueryContext(ctx, "SELECT "+endpointColumns+" FROM webhook_endpoints WHERE merchant_id = ? AND mode = ? ORDER BY created_at, id",
		scope.MerchantID, scope.Mode)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	out := []fatora.WebhookEndpoint{}
	for rows.Next() {
		w, err := scanEndpoint(rows)
		if err != nil {
			return nil, mapError(err)
		}
		out = append(out, w)
	}
	return out, mapError(rows.Err())
}

// FindWebhookEndpointByID implements fatora.WebhookService.
func (s *WebhookService) FindWebhookEndpointByID(ctx context.Context, id string) (fatora.WebhookEndpoint, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.WebhookEndpoint{}, err
	}
	r, leave, err := s.db.readTurn(ctx)
	if err != nil {
		return fatora.WebhookEndpoint{}, err
	}
	defer leave()
	return findEndpoint(ctx, uncancelled{r}, scope, id)
}

func findEndpoint(ctx context.Context, q runner, scope fatora.Scope, id string) (fatora.WebhookEndpoint, error) {
	w, err := scanEndpoint(q.QueryRowContext(ctx, "SELECT "+endpointColumns+" FROM webhook_endpoints WHERE merchant_id = ? AND mode = ? AND id = ?",
		scope.MerchantID, scope.Mode, id))
	if err == sql.ErrNoRows {
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
	now := s.db.now()
	var w fatora.WebhookEndpoint
	err = s.db.keyedEndpointChange(ctx, scope, now, func(tx runner) (fatora.WebhookEndpoint, error) {
		old, err := findEndpoint(ctx, tx, scope, id)
		if err != nil {
			return w, err
		}
		if w, err = u.Apply(old); err != nil {
			return w, err
		}
		w.UpdatedAt = now
		return w, saveEndpoint(ctx, tx, w, old.Enabled && !w.Enabled, "The endpoint was disabled.")
	})
	return w, err
}

// saveEndpoint writes w's members that change; when ended, w was just
// disabled and its pending deliveries fail, for reason.
func saveEndpoint(ctx context.Context, tx runner, w fatora.WebhookEndpoint, ended bool, reason string) error {
	_, err := tx.ExecContext(ctx, `UPDATE webhook_endpoints SET url = ?, description = ?, events = ?, enabled = ?,
		disabled_reason = ?, failing_since = ?, secret = ?, previous_secret = ?, previous_secret_until = ?, updated_at = ?
		WHERE id = ?`, w.URL, w.Description, joinTypes(w.Events), w.Enabled, w.DisabledReason, nullTime(w.FailingSince),
		w.Secret, w.PreviousSecret, w.PreviousSecretUntil.UnixMicro(), w.UpdatedAt.UnixMicro(), w.ID)
	if err != nil || !ended {
		return mapError(err)
	}
	_, err = tx.ExecContext(ctx, "UPDATE webhook_deliveries SET state = 'failed' WHERE endpoint_id = ? AND state = 'pending'", w.ID)
	return mapError(err)
}

// DeleteWebhookEndpoint implements fatora.WebhookService.
func (s *WebhookService) DeleteWebhookEndpoint(ctx context.Context, id string) error {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return err
	}
	return s.db.keyedEndpointChange(ctx, scope, s.db.now(), func(tx runner) (fatora.WebhookEndpoint, error) {
		res, err := tx.ExecContext(ctx, "DELETE FROM webhook_endpoints WHERE merchant_id = ? AND mode = ? AND id = ?",
			scope.MerchantID, scope.Mode, id)
		if err != nil {
			return fatora.WebhookEndpoint{}, mapError(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return fatora.WebhookEndpoint{}, errorsOr(mapError(err), fatora.WebhookEndpointNotFound())
		}
		return fatora.WebhookEndpoint{}, nil
	})
}

// RotateWebhookSecret implements fatora.WebhookService.
func (s *WebhookService) RotateWebhookSecret(ctx context.Context, id, secret string, until time.Time) (fatora.WebhookEndpoint, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.WebhookEndpoint{}, err
	}
	var w fatora.WebhookEndpoint
	err = s.db.inBatch(ctx, func(tx runner) error {
		if w, err = findEndpoint(ctx, tx, scope, id); err != nil {
			return err
		}
		w.PreviousSecret, w.PreviousSecretUntil, w.Secret, w.UpdatedAt = w.Secret, until, secret, s.db.now()
		return saveEndpoint(ctx, tx, w, false, "")
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
	err = s.db.inBatch(ctx, func(tx runner) error {
		if _, err := findEndpoint(ctx, tx, scope, id); err != nil {
			return err
		}
		seq, err := insertEvent(ctx, tx, scope, e)
		if err != nil {
			return err
		}
		_, err = resend(ctx, tx, scope, seq, 0, string(e.Type), id, e.CreatedAt)
		return err
	})
	return e, err
}

// scanEndpoint reads endpointColumns, then into extra any columns after
// them.
func scanEndpoint(r scanner, extra ...any) (fatora.WebhookEndpoint, error) {
	var w fatora.WebhookEndpoint
	var events string
	var failing sql.NullInt64
	var prevUntil, created, updated int64
	err := r.Scan(append([]any{&w.ID, &w.URL, &w.Description, &events, &w.Enabled, &w.DisabledReason, &failing, &w.Secret,
		&w.PreviousSecret, &prevUntil, &created, &updated}, extra...)...)
	w.Events = splitTypes(events)
	if failing.Valid {
		w.FailingSince = time.UnixMicro(failing.Int64).UTC()
	}
	w.PreviousSecretUntil = time.UnixMicro(prevUntil).UTC()
	w.CreatedAt, w.UpdatedAt = time.UnixMicro(created).UTC(), time.UnixMicro(updated).UTC()
	return w, err
}

// joinTypes is the stored form of an endpoint's event types: comma
// separated, "" for every type.
func joinTypes(types []fatora.EventType) string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = string(t)
	}
	return strings.Join(names, ",")
}

func splitTypes(s string) []fatora.EventType {
	if s == "" {
		return nil
	}
	var out []fatora.EventType
	for name := range strings.SplitSeq(s, ",") {
		out = append(out, fatora.EventType(name))
	}
	return out
}

// nullTime is t in microseconds, or NULL when t is zero.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}
