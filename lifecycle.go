package fatora

import (
	"context"
	"time"
)

// DefaultDeletedRetention is how long a deleted client can be restored;
// after it the purge removes the client for good (see ClientPurger).
const DefaultDeletedRetention = 30 * 24 * time.Hour

// ClientStatus selects the clients a list shows: the live ones (the
// default) or the deleted ones still within their retention period.
type ClientStatus int

// The statuses of a client list.
const (
	StatusLive ClientStatus = iota
	StatusDeleted
)

// Deleted reports whether c is deleted (and restorable within retention).
func (c Client) Deleted() bool { return !c.DeletedAt.IsZero() }

// RetentionCutoff is the oldest deletion time still restorable at now
// with retention (DefaultDeletedRetention when retention is not positive).
func RetentionCutoff(now time.Time, retention time.Duration) time.Time {
	if retention <= 0 {
		retention = DefaultDeletedRetention
	}
	return now.Add(-retention)
}

// ClientRestored is the event of bringing back the deleted client c, at now.
func ClientRestored(mode Mode, c Client, now time.Time) Event {
	c.DeletedAt = time.Time{}
	return Event{ID: NewEventID(), Type: EventClientRestored, Mode: mode, CreatedAt: now, ClientID: c.ID, Client: &c}
}

// ClientErased is the event of erasing the live client id at once (a
// permanent delete): a client.deleted event that keeps only ids.
func ClientErased(mode Mode, id int64, now time.Time) Event {
	return Event{ID: NewEventID(), Type: EventClientDeleted, Mode: mode, CreatedAt: now, ClientID: id}
}

// ClientPurger removes deleted clients kept past their retention period.
type ClientPurger interface {
	// PurgeDeletedClients removes, in batches, the clients deleted before
	// cutoff, and the client's data from their events' bodies (the events
	// keep only ids), and returns how many it removed. Several servers
	// may run it at once.
	PurgeDeletedClients(ctx context.Context, cutoff time.Time) (int64, error)
}
