package sdk

import "time"

// clientBody is the JSON of a create or update: a nil member is not sent,
// a pointer to "" is sent as "" (which clears the field in an update).
type clientBody struct {
	Name    *string `json:"name,omitempty"`
	Phone   *string `json:"phone,omitempty"`
	Email   *string `json:"email,omitempty"`
	Address *string `json:"address,omitempty"`
	Notes   *string `json:"notes,omitempty"`
	// Metadata's nil values are sent as null, which removes the key.
	Metadata map[string]*string `json:"metadata,omitempty"`
}

// clientJSON is a client in an answer. Fatora's pages disagree on note and
// notes; the server sends both.
type clientJSON struct {
	ID        int64             `json:"id"`
	Name      string            `json:"name"`
	Phone     string            `json:"phone"`
	Email     string            `json:"email"`
	Address   string            `json:"address"`
	Note      string            `json:"note"`
	Notes     string            `json:"notes"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
	DeletedAt time.Time         `json:"deleted_at"`
	Metadata  map[string]string `json:"metadata"`
}

func (c clientJSON) record() ClientRecord {
	notes := c.Notes
	if notes == "" {
		notes = c.Note
	}
	if len(c.Metadata) == 0 {
		c.Metadata = nil // {} on the wire, nil here, as for a client made without it
	}
	return ClientRecord{ID: c.ID, Name: c.Name, Phone: c.Phone, Email: c.Email, Address: c.Address,
		Notes: notes, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, DeletedAt: c.DeletedAt,
		Metadata: c.Metadata}
}

// clientEnvelope is {"status":"SUCCESS","client":{...}}.
type clientEnvelope struct {
	Client clientJSON `json:"client"`
}

// clientListEnvelope is {"status":"SUCCESS","clients":[...],"page":...}.
type clientListEnvelope struct {
	Clients    []clientJSON `json:"clients"`
	Page       int          `json:"page"`
	PageSize   int          `json:"page_size"`
	TotalCount int          `json:"total_count"`
	TotalPages int          `json:"total_pages"`
	NextCursor string       `json:"next_cursor"`
	// TotalExact is absent from Fatora's own answers: absent means exact.
	TotalExact *bool `json:"total_count_exact"`
}
