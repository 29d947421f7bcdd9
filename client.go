package fatora

import (
	"context"
	"maps"
	"time"
)

// Client is one of a merchant's customers.
type Client struct {
	ID int64
	ClientFields
	CreatedAt time.Time
	UpdatedAt time.Time
	// DeletedAt is when the client was deleted; zero for a live client.
	DeletedAt time.Time
}

// ClientFields are the fields a merchant sets on a client. An optional field
// that is empty is absent: the two are the same.
type ClientFields struct {
	Name    string
	Phone   string
	Email   string
	Address string
	Notes   string
	// Metadata links the client to other systems; it does not count for
	// the "same data" rule.
	Metadata Metadata
}

// Equal reports whether f and g hold the same values.
func (f ClientFields) Equal(g ClientFields) bool {
	return f.Name == g.Name && f.Phone == g.Phone && f.Email == g.Email && f.Address == g.Address && f.Notes == g.Notes &&
		maps.Equal(f.Metadata, g.Metadata)
}

// ClientUpdate names the fields to change; a nil field is left as it is and a
// field set to "" is cleared (Name cannot be cleared).
type ClientUpdate struct {
	Name    *string
	Phone   *string
	Email   *string
	Address *string
	Notes   *string
	// Metadata sets and removes the keys it names; others are kept.
	Metadata MetadataChange
}

// Apply returns f with the fields present in u replaced.
func (u ClientUpdate) Apply(f ClientFields) ClientFields {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&f.Name, u.Name)
	set(&f.Phone, u.Phone)
	set(&f.Email, u.Email)
	set(&f.Address, u.Address)
	set(&f.Notes, u.Notes)
	f.Metadata = u.Metadata.Apply(f.Metadata)
	return f
}

// NewClient validates f and returns the client to store, created and
// updated at now, with its match keys for a merchant in region (see
// MatchKeys). Errors: invalid_field.
func NewClient(f ClientFields, now time.Time, region string) (Client, MatchKeys, error) {
	f, err := f.Normalize()
	if err != nil {
		return Client{}, MatchKeys{}, err
	}
	return Client{ClientFields: f, CreatedAt: now, UpdatedAt: now}, f.MatchKeys(region), nil
}

// Paging limits.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
	MaxPage         = 1_000_000
	MaxKeywordRunes = 200
)

// ClientFilter selects a page of clients. Empty Keyword and Email match every
// client; Page counts from 1.
type ClientFilter struct {
	// Keyword matches a substring of the folded name, e-mail, phone or
	// address (see KeywordForms); notes are not searched.
	Keyword string
	// Email matches the whole address, case-insensitively.
	Email    string
	Page     int
	PageSize int
	// After, when not zero, asks for the clients after that id instead of a
	// numbered page (cursor pagination: no rows are skipped to get there).
	// After means after in Order: below it for OrderNewest.
	After int64
	// Order is the order of the list (OrderOldest, by id, unless set).
	Order ClientOrder
	// AfterName, with OrderName and After, is the name of the client After
	// names: the page starts after (AfterName, After).
	AfterName string
	// Status selects live clients (the default) or deleted ones.
	Status ClientStatus
	// Metadata, when set, matches the clients whose metadata holds every
	// key with exactly its value.
	Metadata MetadataFilter
}

// ClientOrder is the order of a client list.
type ClientOrder int

// The orders of a client list. OrderName compares names code point by
// code point (as their UTF-8 bytes), the same in every store, ties broken
// by id; it is for lists without a keyword.
const (
	OrderOldest ClientOrder = iota // ascending id: the API's order
	OrderNewest                    // descending id
	OrderName                      // ascending name, then id
)

// ClientPage is one page of a client list, in the filter's order.
type ClientPage struct {
	Clients    []Client
	Page       int
	PageSize   int
	TotalCount int
	TotalPages int
	// More reports that clients follow this page; the next page starts
	// after the id of its last client.
	More bool
	// TotalExact is false when a keyword search or a metadata filter
	// stopped counting at MaxKeywordCount: TotalCount is then a lower
	// bound.
	TotalExact bool
}

// MaxKeywordCount is where a keyword search stops counting its matches: a
// search matching a large share of a merchant's clients would otherwise
// read them all to count them.
const MaxKeywordCount = 100

// CountLimit is how many matches a store needs to count for f: one more
// than MaxKeywordCount for a keyword search or a metadata filter (a value
// half the clients share would otherwise read them all to count them), 0
// (all) otherwise.
func (f ClientFilter) CountLimit() int {
	if f.Keyword != "" || len(f.Metadata) > 0 {
		return MaxKeywordCount + 1
	}
	return 0
}

// NewClientPage fills the page arithmetic for clients found with f out of
// total matches (counted up to f.CountLimit()). Stores read one client past
// the page size to tell whether more follow; NewClientPage drops it.
func NewClientPage(f ClientFilter, clients []Client, total int) ClientPage {
	more := len(clients) > f.PageSize
	if more {
		clients = clients[:f.PageSize]
	}
	exact := f.CountLimit() == 0 || total <= MaxKeywordCount
	if !exact {
		total = MaxKeywordCount
	}
	pages := (total + f.PageSize - 1) / f.PageSize
	return ClientPage{Clients: clients, Page: f.Page, PageSize: f.PageSize, TotalCount: total, TotalPages: pages,
		More: more, TotalExact: exact}
}

// ClientService stores clients. Every method acts for the Scope carried by
// ctx (see WithScope) and sees only that merchant's clients in that mode;
// without a scope it returns CodeUnauthorized. A client of another merchant
// or mode does not exist for it: CodeNotFound.
//
// When ctx carries an Idempotency (see WithIdempotency), CreateClient,
// UpdateClient, DeleteClient, RestoreClient and EraseClient make their change at most once per key: a
// repeated key with the same request returns *Replay, with another request
// idempotency_key_reused, and while the first is still running (where the
// store can tell) idempotency_in_progress. Refusals (invalid_field,
// not_found, duplicate_client...) are not kept, so a corrected retry with
// the same key goes ahead.
type ClientService interface {
	// CreateClient validates and stores a new client. Errors: invalid_field,
	// duplicate_client (with ExistingClientID), unavailable.
	CreateClient(ctx context.Context, f ClientFields) (Client, error)
	// FindClientByID returns one client. Errors: not_found, unavailable.
	FindClientByID(ctx context.Context, id int64) (Client, error)
	// FindClients returns one page of clients matching f, after NormalizeFilter.
	// Errors: invalid_query, unavailable.
	FindClients(ctx context.Context, f ClientFilter) (ClientPage, error)
	// UpdateClient changes the fields present in u and returns the result.
	// Errors: not_found, invalid_field, duplicate_client, unavailable.
	UpdateClient(ctx context.Context, id int64, u ClientUpdate) (Client, error)
	// DeleteClient deletes a live client: it is then invisible to finds
	// and lists (but a list of StatusDeleted), leaves the "same data" rule
	// and can be restored for the store's retention period. Errors:
	// not_found, unavailable.
	DeleteClient(ctx context.Context, id int64) error
	// RestoreClient brings back a client deleted within the retention
	// period. Errors: not_found, duplicate_client (a live client holds
	// the same data now), unavailable.
	RestoreClient(ctx context.Context, id int64) (Client, error)
	// EraseClient removes a client, live or deleted, for good at once,
	// with its data in its events' bodies (they keep only ids) and in the
	// answers kept for idempotency keys. Errors: not_found, unavailable.
	EraseClient(ctx context.Context, id int64) error
	// BulkChangeClients checks b (see ClientBulk.Check), then makes its
	// action on each client in one transaction, at most once for the
	// idempotency key ctx may carry, and fills b.Results. A refusal of one
	// client is its result; the errors returned are b's own
	// (invalid_field), the key's and unavailable, which change nothing.
	BulkChangeClients(ctx context.Context, b *ClientBulk) error
}

// Update applies u to c: the fields present in u change, validated and
// normalised (see ClientFields.Normalize). UpdatedAt moves to now only when
// a field's stored form changed, so writing a client back unchanged is no
// change. It reports whether one was made; on an error c is unchanged.
func (c *Client) Update(u ClientUpdate, now time.Time) (changed bool, err error) {
	next, err := u.Apply(c.ClientFields).Normalize()
	if err != nil || next.Equal(c.ClientFields) {
		return false, err
	}
	c.ClientFields, c.UpdatedAt = next, now
	return true, nil
}
