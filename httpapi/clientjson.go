package httpapi

import (
	"errors"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/strictjson"
)

// clientJSON is a client on the wire: the seed's members in its order (note
// singular, as its response has it), then notes (as the Get Client page has
// it) and the timestamps.
type clientJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	Email     string `json:"email"`
	Address   string `json:"address"`
	Note      string `json:"note"`
	Notes     string `json:"notes"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
	// Metadata is the client's metadata, {} when it has none.
	Metadata map[string]string `json:"metadata"`
	// DeletedAt is set for a deleted client only (a list of status
	// deleted).
	DeletedAt string `json:"deleted_at,omitempty"`
}

// timeFormat is RFC 3339 in UTC with milliseconds.
const timeFormat = "2006-01-02T15:04:05.000Z07:00"

func toClientJSON(c fatora.Client) clientJSON {
	out := clientJSON{
		ID: c.ID, Name: c.Name, Phone: c.Phone, Email: c.Email, Address: c.Address, Note: c.Notes, Notes: c.Notes,
		CreatedAt: c.CreatedAt.UTC().Format(timeFormat), UpdatedAt: c.UpdatedAt.UTC().Format(timeFormat),
		Metadata: c.Metadata,
	}
	if out.Metadata == nil {
		out.Metadata = map[string]string{}
	}
	if c.Deleted() {
		out.DeletedAt = c.DeletedAt.UTC().Format(timeFormat)
	}
	return out
}

type clientResponse struct {
	Status string     `json:"status"`
	Client clientJSON `json:"client"`
}

type clientListResponse struct {
	Status     string       `json:"status"`
	Clients    []clientJSON `json:"clients"`
	Page       int          `json:"page"`
	PageSize   int          `json:"page_size"`
	TotalCount int          `json:"total_count"`
	TotalPages int          `json:"total_pages"`
	// TotalCountExact is false when a keyword search stopped counting at
	// 100 matches: total_count is then a lower bound.
	TotalCountExact bool `json:"total_count_exact"`
	// NextCursor fetches the clients after this page (see the cursor
	// parameter); "" when this page is the last.
	NextCursor string `json:"next_cursor"`
}

func toClientList(p fatora.ClientPage) clientListResponse {
	out := clientListResponse{Status: "SUCCESS", Clients: make([]clientJSON, len(p.Clients)),
		Page: p.Page, PageSize: p.PageSize, TotalCount: p.TotalCount, TotalPages: p.TotalPages,
		TotalCountExact: p.TotalExact}
	for i, c := range p.Clients {
		out.Clients[i] = toClientJSON(c)
	}
	if p.More && len(p.Clients) > 0 {
		out.NextCursor = encodeCursor(p.Clients[len(p.Clients)-1].ID)
	}
	return out
}

func invalidField(field, msg string) *fatora.Error {
	return &fatora.Error{Code: fatora.CodeInvalidField, Message: "Invalid client: " + field + " " + msg + ".",
		Fields: []fatora.FieldError{{Field: field, Message: msg}}}
}

// bodyError maps a strictjson error to the API's codes.
func bodyError(err error) error {
	var e *strictjson.Error
	if !errors.As(err, &e) {
		return err
	}
	code := map[strictjson.Kind]string{
		strictjson.Malformed: fatora.CodeMalformedJSON, strictjson.UnknownField: fatora.CodeUnknownField,
		strictjson.DuplicateField: fatora.CodeDuplicateField, strictjson.WrongType: fatora.CodeInvalidField,
		strictjson.InvalidText: fatora.CodeInvalidField,
	}[e.Kind]
	out := &fatora.Error{Code: code, Message: e.Message}
	if e.Field != "" {
		out.Fields = []fatora.FieldError{{Field: e.Field, Message: e.Message}}
	}
	return out
}
