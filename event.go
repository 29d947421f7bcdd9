package fatora

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
)

// EventType names what an event records, dot-separated as the Standard
// Webhooks specification asks.
type EventType string

// The event types. Every create, update and delete of a client writes one
// event in the same transaction as the change. EventClientRestored is
// written by the restore of the lifecycle (soft delete) work; WebhookTest
// is the event an endpoint's test sends, to that endpoint only.
const (
	EventClientCreated  EventType = "client.created"
	EventClientUpdated  EventType = "client.updated"
	EventClientDeleted  EventType = "client.deleted"
	EventClientRestored EventType = "client.restored"
	EventWebhookTest    EventType = "webhook.test"
)

// EventTypes lists the types a list of events may be filtered by.
var EventTypes = []EventType{EventClientCreated, EventClientUpdated, EventClientDeleted, EventClientRestored, EventWebhookTest}

// ClientEventTypes lists the types an endpoint may subscribe to: the
// changes of clients, delivered to every subscribed endpoint. (A test event
// goes only to the endpoint tested.)
var ClientEventTypes = EventTypes[:4]

// Valid reports whether t is one of EventTypes.
func (t EventType) Valid() bool {
	for _, known := range EventTypes {
		if t == known {
			return true
		}
	}
	return false
}

// DefaultEventRetention is how long events are kept.
const DefaultEventRetention = 30 * 24 * time.Hour

// Event is one change of a client, as written in the transaction that made
// it. Its Client is the client after the change (for a delete, as it was
// when deleted) and, for an update, Previous holds the earlier values of
// the fields that changed. A purged event keeps its ids only: Client and
// Previous are nil and ClientID still names the client.
type Event struct {
	// ID is "evt_" and a time-ordered UUID (version 7) in hex.
	ID        string
	Type      EventType
	Mode      Mode
	CreatedAt time.Time
	// ClientID names the client changed; 0 for a test event.
	ClientID int64
	Client   *Client
	Previous *ClientPrevious
	// Position is where the event stands in its merchant's stream, for
	// cursors (see EventFilter.After).
	Position EventPosition
}

// ClientPrevious is what an update changed: the earlier values of the
// fields present in Fields, and the earlier UpdatedAt.
type ClientPrevious struct {
	Fields    ClientUpdate
	UpdatedAt time.Time
}

// EventPosition orders a merchant's events: by the writing transaction
// (PostgreSQL's xid8; always 0 on SQLite, whose single writer commits in
// Seq order) and then by Seq, the order of writing. A cursor holds the
// position of the last event read; stores only ever show events whose
// transaction no running transaction precedes, so no event can later
// appear before a position already read.
type EventPosition struct {
	Tx  int64
	Seq int64
}

// Before reports whether p comes before q.
func (p EventPosition) Before(q EventPosition) bool {
	return p.Tx < q.Tx || (p.Tx == q.Tx && p.Seq < q.Seq)
}

// NewEventID returns a new event id: "evt_" and a UUIDv7 in hex, so ids
// sort by the time they were made.
func NewEventID() string {
	return "evt_" + strings.ReplaceAll(uuid.Must(uuid.NewV7()).String(), "-", "")
}

// ClientCreated is the event of a new client c.
func ClientCreated(mode Mode, c Client) Event {
	return Event{ID: NewEventID(), Type: EventClientCreated, Mode: mode, CreatedAt: c.CreatedAt, ClientID: c.ID, Client: &c}
}

// ClientUpdated is the event of a change from before to after; it names
// in Previous the fields whose stored value changed.
func ClientUpdated(mode Mode, before, after Client) Event {
	prev := &ClientPrevious{UpdatedAt: before.UpdatedAt}
	pick := func(dst **string, was, now string) {
		if was != now {
			*dst = &was
		}
	}
	pick(&prev.Fields.Name, before.Name, after.Name)
	pick(&prev.Fields.Phone, before.Phone, after.Phone)
	pick(&prev.Fields.Email, before.Email, after.Email)
	pick(&prev.Fields.Address, before.Address, after.Address)
	pick(&prev.Fields.Notes, before.Notes, after.Notes)
	prev.Fields.Metadata = before.Metadata.Changes(after.Metadata)
	return Event{ID: NewEventID(), Type: EventClientUpdated, Mode: mode, CreatedAt: after.UpdatedAt, ClientID: after.ID,
		Client: &after, Previous: prev}
}

// ClientDeleted is the event of deleting c, at now.
func ClientDeleted(mode Mode, c Client, now time.Time) Event {
	return Event{ID: NewEventID(), Type: EventClientDeleted, Mode: mode, CreatedAt: now, ClientID: c.ID, Client: &c}
}

// WebhookTestEvent is the event an endpoint's test sends, at now.
func WebhookTestEvent(mode Mode, now time.Time) Event {
	return Event{ID: NewEventID(), Type: EventWebhookTest, Mode: mode, CreatedAt: now}
}

// Event list limits.
const (
	DefaultEventLimit = 10
	MaxEventLimit     = 100
)

// EventFilter selects events, oldest first. Zero fields select everything.
type EventFilter struct {
	Type          EventType
	ClientID      int64
	CreatedAfter  time.Time
	CreatedBefore time.Time
	// After is the position of the last event already read (a cursor).
	After EventPosition
	Limit int
	// Newest lists the newest events first: After, when set, is then the
	// position of the last (oldest) event read, and the page holds the
	// events before it.
	Newest bool
}

// Normalize fills the default limit and checks f. Errors: invalid_query.
func (f EventFilter) Normalize() (EventFilter, error) {
	if f.Limit == 0 {
		f.Limit = DefaultEventLimit
	}
	switch {
	case f.Limit < 1 || f.Limit > MaxEventLimit:
		return f, Errorf(CodeInvalidQuery, "limit must be a whole number from 1 to %d.", MaxEventLimit)
	case f.Type != "" && !f.Type.Valid():
		return f, Errorf(CodeInvalidQuery, "type %q is not an event type.", f.Type)
	case f.ClientID < 0 || f.After.Tx < 0 || f.After.Seq < 0:
		return f, Errorf(CodeInvalidQuery, "client_id and cursor must not be negative.")
	}
	return f, nil
}

// EventPage is a page of events, oldest first.
type EventPage struct {
	Events []Event
	// More reports that more events follow now.
	More bool
	// Next is the position to read on from: that of the page's last event,
	// or the filter's After when the page is empty.
	Next EventPosition
}

// NewEventPage makes the page of f from the events a store read: at most
// one more than f.Limit, which only tells that more follow.
func NewEventPage(f EventFilter, events []Event) EventPage {
	p := EventPage{Events: events, Next: f.After}
	if len(events) > f.Limit {
		p.Events, p.More = events[:f.Limit], true
	}
	if n := len(p.Events); n > 0 {
		p.Next = p.Events[n-1].Position
	}
	return p
}

// EventService reads the events of the Scope carried by ctx (see
// WithScope); without a scope it returns CodeUnauthorized.
type EventService interface {
	// FindEvents returns a page of events matching f, after Normalize.
	// Errors: invalid_query, unavailable.
	FindEvents(ctx context.Context, f EventFilter) (EventPage, error)
	// FindEventByID returns one event. Errors: not_found, unavailable.
	FindEventByID(ctx context.Context, id string) (Event, error)
	// FindClientEvents returns a page of the events of client id (its
	// history), newest first, filtered by f (whose ClientID and Newest it
	// sets). The client must be live or deleted within the retention
	// period. Errors: not_found, invalid_query, unavailable.
	FindClientEvents(ctx context.Context, id int64, f EventFilter) (EventPage, error)
	// ResendEvent delivers the event again, at now, to the endpoint named
	// (to every enabled endpoint subscribed to its type when endpointID is
	// ""), and returns how many deliveries it scheduled. Errors:
	// not_found (no such event or endpoint), unavailable.
	ResendEvent(ctx context.Context, id, endpointID string) (int, error)
}

// EventNotFound is the error for an event id the caller's scope does not
// hold.
func EventNotFound() *Error {
	return Errorf(CodeNotFound, "No event with this id exists.")
}

// EventPurger removes events kept past their time.
type EventPurger interface {
	// PurgeEvents deletes events created before cutoff (with their
	// deliveries), in batches, and returns how many it deleted.
	PurgeEvents(ctx context.Context, cutoff time.Time) (int64, error)
}
