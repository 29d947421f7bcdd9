package sdk

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ClientsService manages the merchant's clients: /v1/clients. Get it from
// Client.Clients.
type ClientsService struct {
	c *Client
}

// ClientRecord is one of the merchant's clients (customers), as the API
// returns it. An optional field that is not set reads as "".
type ClientRecord struct {
	ID        int64
	Name      string
	Phone     string
	Email     string
	Address   string
	Notes     string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Metadata links the client to other systems (nil when it has none).
	Metadata map[string]string
	// DeletedAt is when the client was deleted; zero for a live client
	// (only a list with Status "deleted" shows deleted clients).
	DeletedAt time.Time
}

// ClientCreateParams are the fields of a new client. Name is required; a
// nil optional field is not sent.
type ClientCreateParams struct {
	Name    string
	Phone   *string
	Email   *string
	Address *string
	Notes   *string
	// Metadata sets keys that link the client to other systems: up to 50
	// keys of letters, digits, "_", "-" and "." (at most 40), with values
	// of up to 500 characters.
	Metadata map[string]string
	// IdempotencyKey, when set, is sent instead of a generated one, so
	// that a call repeated later (after a crash, say) creates nothing twice.
	IdempotencyKey string
}

// ClientUpdateParams are the fields to change. A nil field is left as it
// is; a field set to String("") is cleared (Name cannot be cleared).
type ClientUpdateParams struct {
	Name    *string
	Phone   *string
	Email   *string
	Address *string
	Notes   *string
	// Metadata sets the keys given to their values; a key set to nil or
	// String("") is removed. Keys not named keep their values.
	Metadata map[string]*string
	// IdempotencyKey, when set, is sent instead of a generated one.
	IdempotencyKey string
}

// ClientDeleteParams are the options of a delete.
type ClientDeleteParams struct {
	// Permanent erases the client at once, with its data in its events,
	// instead of a delete that Restore can undo within the retention
	// period.
	Permanent bool
	// IdempotencyKey, when set, is sent instead of a generated one.
	IdempotencyKey string
}

// ClientRestoreParams are the options of a restore.
type ClientRestoreParams struct {
	// IdempotencyKey, when set, is sent instead of a generated one.
	IdempotencyKey string
}

// ClientListParams select a page of clients. Zero values are left to the
// server: every client, page 1, 20 a page (at most 100).
type ClientListParams struct {
	// Keyword matches a part of the client's name, e-mail, phone or address
	// (not notes), compared after a fold that ignores letter case, Arabic
	// diacritics and letter variants (احمد finds أحمد, فاطمه finds فاطمة) and
	// reads every script's digits as ASCII. A phone-like keyword also
	// matches the number in E.164 read in the merchant's region (5512 3456
	// finds +974 5512 3456 in QA). One or two characters match the start of
	// a word.
	Keyword string
	// Email matches the whole address, case-insensitively.
	Email    string
	Page     int
	PageSize int
	// Cursor, when set, asks for the clients after the page whose
	// NextCursor it is, instead of a numbered page (leave Page zero). No
	// client is skipped or repeated when others are deleted meanwhile.
	Cursor string
	// Status is "live" (the default when empty) or "deleted": the clients
	// deleted within the retention period, which Restore brings back.
	Status string
	// Metadata lists only the clients whose metadata holds every key with
	// exactly its value.
	Metadata map[string]string
}

// ClientList is one page of clients, in ascending id order.
type ClientList struct {
	Clients    []ClientRecord
	Page       int
	PageSize   int
	TotalCount int
	TotalPages int
	// NextCursor fetches the page after this one (see
	// ClientListParams.Cursor); "" when this page is the last, or when the
	// server does not give cursors.
	NextCursor string
	// TotalCountCapped reports that a keyword search stopped counting its
	// matches: TotalCount is then a lower bound (the server counts up to
	// 100).
	TotalCountCapped bool
}

// Create adds a client: POST /v1/clients. Errors: invalid_field (with
// Fields), duplicate_client (with ExistingClientID).
func (s *ClientsService) Create(ctx context.Context, p ClientCreateParams) (*ClientRecord, error) {
	rec, _, err := s.CreateWithResponse(ctx, p)
	return rec, err
}

// CreateWithResponse is Create that also describes the answer: whether it
// was a replay of an earlier create with the same IdempotencyKey, say.
func (s *ClientsService) CreateWithResponse(ctx context.Context, p ClientCreateParams) (*ClientRecord, *Response, error) {
	body := clientBody{Name: &p.Name, Phone: p.Phone, Email: p.Email, Address: p.Address, Notes: p.Notes}
	if p.Metadata != nil {
		body.Metadata = make(map[string]*string, len(p.Metadata))
		for k, v := range p.Metadata {
			body.Metadata[k] = &v
		}
	}
	return s.send(ctx, http.MethodPost, "/v1/clients", body, p.IdempotencyKey)
}

// Get returns one client: GET /v1/clients/{id}. Errors: not_found.
func (s *ClientsService) Get(ctx context.Context, id int64) (*ClientRecord, error) {
	var out clientEnvelope
	if err := s.c.call(ctx, &request{method: http.MethodGet, path: clientPath(id)}, &out); err != nil {
		return nil, err
	}
	rec := out.Client.record()
	return &rec, nil
}

// Update changes the fields set in p and returns the client: PUT
// /v1/clients/{id}. Errors: not_found, invalid_field, duplicate_client.
func (s *ClientsService) Update(ctx context.Context, id int64, p ClientUpdateParams) (*ClientRecord, error) {
	body := clientBody{Name: p.Name, Phone: p.Phone, Email: p.Email, Address: p.Address, Notes: p.Notes, Metadata: p.Metadata}
	rec, _, err := s.send(ctx, http.MethodPut, clientPath(id), body, p.IdempotencyKey)
	return rec, err
}

// Delete removes a client: DELETE /v1/clients/{id}. The client can be
// restored within the server's retention period unless p.Permanent.
// Errors: not_found.
func (s *ClientsService) Delete(ctx context.Context, id int64, p ClientDeleteParams) error {
	r := &request{method: http.MethodDelete, path: clientPath(id), idempotencyKey: p.IdempotencyKey}
	if p.Permanent {
		r.query = url.Values{"permanent": {"true"}}
	}
	return s.c.call(ctx, r, nil)
}

// Restore brings back a deleted client and returns it: POST
// /v1/clients/{id}/restore. Errors: not_found (no client deleted within
// the retention period), duplicate_client (a live client holds its data
// now; ExistingClientID names it).
func (s *ClientsService) Restore(ctx context.Context, id int64, p ClientRestoreParams) (*ClientRecord, error) {
	var out clientEnvelope
	r := &request{method: http.MethodPost, path: clientPath(id) + "/restore", idempotencyKey: p.IdempotencyKey}
	if err := s.c.call(ctx, r, &out); err != nil {
		return nil, err
	}
	rec := out.Client.record()
	return &rec, nil
}

// List returns one page of clients: GET /v1/clients. Errors:
// invalid_query.
func (s *ClientsService) List(ctx context.Context, p ClientListParams) (*ClientList, error) {
	var out clientListEnvelope
	if err := s.c.call(ctx, &request{method: http.MethodGet, path: "/v1/clients", query: p.query()}, &out); err != nil {
		return nil, err
	}
	list := &ClientList{Clients: make([]ClientRecord, len(out.Clients)),
		Page: out.Page, PageSize: out.PageSize, TotalCount: out.TotalCount, TotalPages: out.TotalPages, NextCursor: out.NextCursor,
		TotalCountCapped: out.TotalExact != nil && !*out.TotalExact}
	for i, c := range out.Clients {
		list.Clients[i] = c.record()
	}
	return list, nil
}

// send makes a create or an update and returns the client in the answer.
func (s *ClientsService) send(ctx context.Context, method, path string, body clientBody, key string) (*ClientRecord, *Response, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, nil, err
	}
	var out clientEnvelope
	r := &request{method: method, path: path, body: raw, idempotencyKey: key}
	if err := s.c.call(ctx, r, &out); err != nil {
		return nil, nil, err
	}
	rec := out.Client.record()
	return &rec, newResponse(r), nil
}

func clientPath(id int64) string { return "/v1/clients/" + strconv.FormatInt(id, 10) }

// query encodes the parameters that are set.
func (p ClientListParams) query() url.Values {
	q := url.Values{}
	if p.Keyword != "" {
		q.Set("keyword", p.Keyword)
	}
	if p.Email != "" {
		q.Set("email", p.Email)
	}
	if p.Page > 0 {
		q.Set("page", strconv.Itoa(p.Page))
	}
	if p.PageSize > 0 {
		q.Set("page_size", strconv.Itoa(p.PageSize))
	}
	if p.Cursor != "" {
		q.Set("cursor", p.Cursor)
	}
	if p.Status != "" {
		q.Set("status", p.Status)
	}
	for k, v := range p.Metadata {
		q.Set("metadata["+k+"]", v)
	}
	return q
}
