package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
)

// EventService implements fatora.EventService and fatora.EventPurger on
// the store.
type EventService struct {
	db *DB
}

// NewEventService returns the event service of db.
func NewEventService(db *DB) *EventService { return &EventService{db: db} }

var _ fatora.EventService = (*EventService)(nil)

// fanOutSQL schedules the delivery of the events a statement's "ev" CTE
// wrote (RETURNING eventReturning) to every enabled endpoint of their
// merchant and mode that takes their type. Statements that write a
// client's event end with it, so the change, its event and its
// deliveries are one statement.
const fanOutSQL = `INSERT INTO webhook_deliveries (merchant_id, endpoint_id, event_seq, client_id, state, attempts, next_at)
	SELECT ev.merchant_id, w.id, ev.seq, ev.client_id, 'pending', 0, ev.created_at
	FROM ev JOIN webhook_endpoints w ON w.merchant_id = ev.merchant_id AND w.mode = ev.mode AND w.enabled
		AND (cardinality(w.events) = 0 OR ev.type = ANY (w.events))`

// eventReturning is what an "ev" CTE returns for fanOutSQL.
const eventReturning = "RETURNING merchant_id, mode, seq, client_id, type, created_at"

// writeEvent stores e, written by a change of scope in tx, and schedules
// its deliveries.
func writeEvent(ctx context.Context, tx pgx.Tx, scope fatora.Scope, e fatora.Event) error {
	_, err := tx.Exec(ctx, `WITH ev AS (
			INSERT INTO events (merchant_id, id, mode, type, client_id, created_at, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7) `+eventReturning+`
		) `+fanOutSQL,
		scope.MerchantID, e.ID, string(scope.Mode), string(e.Type), e.ClientID, e.CreatedAt, fatora.EncodeEventData(e))
	return mapError(err)
}

const eventColumns = "xid::text::bigint, seq, id, type, client_id, created_at, data"

// FindEvents implements fatora.EventService. Only events below the
// horizon are read (see eventHorizonSQL), in (xid, seq) order, so a cursor
// never passes over an event.
func (s *EventService) FindEvents(ctx context.Context, f fatora.EventFilter) (fatora.EventPage, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.EventPage{}, err
	}
	if f, err = f.Normalize(); err != nil {
		return fatora.EventPage{}, err
	}
	horizon, err := s.db.eventHorizon(ctx)
	if err != nil {
		return fatora.EventPage{}, err
	}
	args := []any{scope.MerchantID, string(scope.Mode), f.After.Tx, f.After.Seq, horizon}
	conds := []string{"merchant_id = $1", "mode = $2", "xid < $5::bigint::text::xid8", "(xid, seq) > ($3::bigint::text::xid8, $4)"}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Type != "" {
		add("type = ?", string(f.Type))
	}
	if f.ClientID != 0 {
		add("client_id = ?", f.ClientID)
	}
	if !f.CreatedAfter.IsZero() {
		add("created_at > ?", f.CreatedAfter)
	}
	if !f.CreatedBefore.IsZero() {
		add("created_at < ?", f.CreatedBefore)
	}
	args = append(args, f.Limit+1)
	events, err := queryEvents(ctx, s.db.pool, scope, "SELECT "+eventColumns+" FROM events WHERE "+
		strings.Join(conds, " AND ")+" ORDER BY xid, seq LIMIT $"+strconv.Itoa(len(args)), args...)
	return fatora.NewEventPage(f, events), err
}

// FindEventByID implements fatora.EventService.
func (s *EventService) FindEventByID(ctx context.Context, id string) (fatora.Event, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.Event{}, err
	}
	events, err := queryEvents(ctx, s.db.pool, scope, "SELECT "+eventColumns+" FROM events WHERE merchant_id = $1 AND mode = $2 AND id = $3",
		scope.MerchantID, string(scope.Mode), id)
	if err != nil {
		return fatora.Event{}, err
	}
	if len(events) == 0 {
		return fatora.Event{}, fatora.EventNotFound()
	}
	return events[0], nil
}

func queryEvents(ctx context.Context, q queryer, scope fatora.Scope, query string, args ...any) ([]fatora.Event, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, mapError(err)
	}
	events, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fatora.Event, error) { return scanEvent(r, scope.Mode) })
	if events == nil {
		events = []fatora.Event{}
	}
	return events, mapError(err)
}

func scanEvent(r pgx.Row, mode fatora.Mode) (fatora.Event, error) {
	e := fatora.Event{Mode: mode}
	var data []byte
	if err := r.Scan(&e.Position.Tx, &e.Position.Seq, &e.ID, &e.Type, &e.ClientID, &e.CreatedAt, &data); err != nil {
		return e, err
	}
	e.CreatedAt = e.CreatedAt.UTC()
	return e, e.DecodeData(data)
}

// ResendEvent implements fatora.EventService.
func (s *EventService) ResendEvent(ctx context.Context, id, endpointID string) (int, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.db.inTx(ctx, func(tx pgx.Tx) error {
		var seq int64
		err := tx.QueryRow(ctx, "SELECT seq FROM events WHERE merchant_id = $1 AND mode = $2 AND id = $3",
			scope.MerchantID, string(scope.Mode), id).Scan(&seq)
		if errors.Is(err, pgx.ErrNoRows) {
			return fatora.EventNotFound()
		} else if err != nil {
			return mapError(err)
		}
		n, err = resend(ctx, tx, scope, seq, endpointID, s.db.now())
		return err
	})
	return int(n), err
}

// resend makes the delivery of event seq to the endpoint named (or every
// enabled endpoint taking its type) pending again, due at now.
func resend(ctx context.Context, tx pgx.Tx, scope fatora.Scope, seq int64, endpointID string, now time.Time) (int64, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO webhook_deliveries (merchant_id, endpoint_id, event_seq, client_id, state, attempts, next_at)
		SELECT w.merchant_id, w.id, e.seq, e.client_id, 'pending', 0, $5
		FROM events e JOIN webhook_endpoints w ON w.merchant_id = e.merchant_id AND w.mode = e.mode AND w.enabled
			AND (w.id = $4 OR ($4 = '' AND (cardinality(w.events) = 0 OR e.type = ANY (w.events))))
		WHERE e.merchant_id = $1 AND e.mode = $2 AND e.seq = $3
		ON CONFLICT (merchant_id, endpoint_id, event_seq) DO UPDATE SET state = 'pending', next_at = excluded.next_at`,
		scope.MerchantID, string(scope.Mode), seq, endpointID, now)
	if err != nil {
		return 0, mapError(err)
	}
	if tag.RowsAffected() == 0 && endpointID != "" {
		return 0, fatora.WebhookEndpointNotFound()
	}
	return tag.RowsAffected(), nil
}

// PurgeEvents implements fatora.EventPurger.
func (s *EventService) PurgeEvents(ctx context.Context, cutoff time.Time) (int64, error) {
	var total int64
	for {
		tag, err := s.db.pool.Exec(ctx, `DELETE FROM events WHERE (merchant_id, seq) IN
			(SELECT merchant_id, seq FROM events WHERE created_at < $1 ORDER BY created_at LIMIT $2)`, cutoff, purgeBatch)
		if err != nil {
			return total, mapError(err)
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < purgeBatch {
			return total, nil
		}
	}
}
