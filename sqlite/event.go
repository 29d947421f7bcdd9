package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

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

// writeEvent stores e, written by a change of scope in the transaction tx,
// and schedules its delivery to every enabled endpoint of scope that takes
// its type.
func writeEvent(ctx context.Context, tx runner, scope fatora.Scope, e fatora.Event) error {
	seq, err := insertEvent(ctx, tx, scope, e)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO webhook_deliveries (endpoint_id, event_seq, client_id, state, attempts, next_at)
		SELECT id, ?, ?, 'pending', 0, ? FROM webhook_endpoints
		WHERE merchant_id = ? AND mode = ? AND enabled = 1 AND (events = '' OR instr(',' || events || ',', ?) > 0)`,
		seq, e.ClientID, e.CreatedAt.UnixMicro(), scope.MerchantID, scope.Mode, ","+string(e.Type)+",")
	return mapError(err)
}

// insertEvent stores e and returns its seq.
func insertEvent(ctx context.Context, tx runner, scope fatora.Scope, e fatora.Event) (int64, error) {
	var seq int64
	err := tx.QueryRowContext(ctx, `INSERT INTO events (id, merchant_id, mode, type, client_id, created_at, data)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
		e.ID, scope.MerchantID, scope.Mode, string(e.Type), e.ClientID, e.CreatedAt.UnixMicro(), fatora.EncodeEventData(e),
	).Scan(&seq)
	return seq, mapError(err)
}

const eventColumns = "seq, id, type, client_id, created_at, data"

// FindEvents implements fatora.EventService.
func (s *EventService) FindEvents(ctx context.Context, f fatora.EventFilter) (fatora.EventPage, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.EventPage{}, err
	}
	if f, err = f.Normalize(); err != nil {
		return fatora.EventPage{}, err
	}
	conds := []string{"merchant_id = ?", "mode = ?"}
	args := []any{scope.MerchantID, scope.Mode}
	add := func(cond string, v any) { conds, args = append(conds, cond), append(args, v) }
	order := "seq"
	switch {
	case !f.Newest:
		add("seq > ?", f.After.Seq)
	case f.After.Seq > 0:
		add("seq < ?", f.After.Seq)
	}
	if f.Newest {
		order = "seq DESC"
	}
	if f.Type != "" {
		add("type = ?", string(f.Type))
	}
	if f.ClientID != 0 {
		add("client_id = ?", f.ClientID)
	}
	if !f.CreatedAfter.IsZero() {
		add("created_at > ?", f.CreatedAfter.UnixMicro())
	}
	if !f.CreatedBefore.IsZero() {
		add("created_at < ?", f.CreatedBefore.UnixMicro())
	}
	r, leave, err := s.db.readTurn(ctx)
	if err != nil {
		return fatora.EventPage{}, err
	}
	defer leave()
	events, err := queryEvents(ctx, r, scope, "SELECT "+eventColumns+" FROM events WHERE "+strings.Join(conds, " AND ")+
		" ORDER BY "+order+" LIMIT ?", append(args, f.Limit+1)...)
	return fatora.NewEventPage(f, events), err
}

// FindClientEvents implements fatora.EventService.
func (s *EventService) FindClientEvents(ctx context.Context, id int64, f fatora.EventFilter) (fatora.EventPage, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.EventPage{}, err
	}
	r, leave, err := s.db.readTurn(ctx)
	if err != nil {
		return fatora.EventPage{}, err
	}
	var n int
	err = r.QueryRowContext(ctx, `SELECT count(*) FROM clients WHERE merchant_id = ? AND mode = ? AND id = ?
		AND (deleted_at IS NULL OR deleted_at >= ?)`, scope.MerchantID, scope.Mode, id, s.db.restorableSince().UnixMicro()).Scan(&n)
	leave()
	if err != nil || n == 0 {
		return fatora.EventPage{}, errorsOr(mapError(err), fatora.ClientNotFound())
	}
	f.ClientID, f.Newest = id, true
	return s.FindEvents(ctx, f)
}

// FindEventByID implements fatora.EventService.
func (s *EventService) FindEventByID(ctx context.Context, id string) (fatora.Event, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.Event{}, err
	}
	r, leave, err := s.db.readTurn(ctx)
	if err != nil {
		return fatora.Event{}, err
	}
	defer leave()
	return findEvent(ctx, uncancelled{r}, scope, id)
}

func findEvent(ctx context.Context, q runner, scope fatora.Scope, id string) (fatora.Event, error) {
	events, err := queryEvents(ctx, q, scope, "SELECT "+eventColumns+" FROM events WHERE merchant_id = ? AND mode = ? AND id = ?",
		scope.MerchantID, scope.Mode, id)
	if err != nil {
		return fatora.Event{}, err
	}
	if len(events) == 0 {
		return fatora.Event{}, fatora.EventNotFound()
	}
	return events[0], nil
}

func queryEvents(ctx context.Context, q runner, scope fatora.Scope, query string, args ...any) ([]fatora.Event, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	events := []fatora.Event{}
	for rows.Next() {
		e, err := scanEvent(rows, scope.Mode)
		if err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	return events, mapError(rows.Err())
}

func scanEvent(r scanner, mode fatora.Mode) (fatora.Event, error) {
	e := fatora.Event{Mode: mode}
	var created int64
	var data []byte
	if err := r.Scan(&e.Position.Seq, &e.ID, &e.Type, &e.ClientID, &created, &data); err != nil {
		return e, mapError(err)
	}
	e.CreatedAt = time.UnixMicro(created).UTC()
	return e, e.DecodeData(data)
}

// ResendEvent implements fatora.EventService.
func (s *EventService) ResendEvent(ctx context.Context, id, endpointID string) (int, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return 0, err
	}
	now := s.db.now()
	var n int64
	err = s.db.inBatch(ctx, func(tx runner) error {
		var seq, clientID int64
		var typ string
		err := tx.QueryRowContext(ctx, "SELECT seq, client_id, type FROM events WHERE merchant_id = ? AND mode = ? AND id = ?",
			scope.MerchantID, scope.Mode, id).Scan(&seq, &clientID, &typ)
		if err == sql.ErrNoRows {
			return fatora.EventNotFound()
		} else if err != nil {
			return mapError(err)
		}
		n, err = resend(ctx, tx, scope, seq, clientID, typ, endpointID, now)
		return err
	})
	return int(n), err
}

// resend makes the delivery of event seq to the endpoint named (or every
// enabled endpoint taking its type) pending again, due at now.
func resend(ctx context.Context, tx runner, scope fatora.Scope, seq, clientID int64, typ, endpointID string, now time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries (endpoint_id, event_seq, client_id, state, attempts, next_at)
		SELECT id, ?, ?, 'pending', 0, ? FROM webhook_endpoints
		WHERE merchant_id = ? AND mode = ? AND enabled = 1 AND (id = ? OR
			(? = '' AND (events = '' OR instr(',' || events || ',', ?) > 0)))
		ON CONFLICT (endpoint_id, event_seq) DO UPDATE SET state = 'pending', next_at = excluded.next_at`,
		seq, clientID, now.UnixMicro(), scope.MerchantID, scope.Mode, endpointID, endpointID, ","+typ+",")
	if err != nil {
		return 0, mapError(err)
	}
	n, err := res.RowsAffected()
	if err == nil && n == 0 && endpointID != "" {
		return 0, fatora.WebhookEndpointNotFound()
	}
	return n, mapError(err)
}

// PurgeEvents implements fatora.EventPurger.
func (s *EventService) PurgeEvents(ctx context.Context, cutoff time.Time) (int64, error) {
	return s.db.purge(ctx, `DELETE FROM events WHERE seq IN
		(SELECT seq FROM events WHERE created_at < ? ORDER BY created_at LIMIT ?)`, cutoff)
}
