package fatora

import (
	"encoding/json"
	"time"
)

// storedEventData is how stores keep an event's client and previous
// values: JSON with names of its own, so that renaming a Go field never
// breaks a stored event. The client's id is the event's ClientID column
// and is not repeated, so that a store can write the event in the same
// statement that draws the id.
type storedEventData struct {
	Client   *storedClient   `json:"c,omitempty"`
	Previous *storedPrevious `json:"p,omitempty"`
}

type storedClient struct {
	Name      string    `json:"name"`
	Phone     string    `json:"phone,omitempty"`
	Email     string    `json:"email,omitempty"`
	Address   string    `json:"address,omitempty"`
	Notes     string    `json:"notes,omitempty"`
	Metadata  Metadata  `json:"metadata,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

type storedPrevious struct {
	Name      *string        `json:"name,omitempty"`
	Phone     *string        `json:"phone,omitempty"`
	Email     *string        `json:"email,omitempty"`
	Address   *string        `json:"address,omitempty"`
	Notes     *string        `json:"notes,omitempty"`
	Metadata  MetadataChange `json:"metadata,omitempty"`
	UpdatedAt time.Time      `json:"updated_at"`
}

// EncodeEventData returns the stored form of e's Client and Previous (nil
// when it has neither, as a test event).
func EncodeEventData(e Event) []byte {
	var d storedEventData
	if c := e.Client; c != nil {
		d.Client = &storedClient{Name: c.Name, Phone: c.Phone, Email: c.Email, Address: c.Address, Notes: c.Notes,
			Metadata: c.Metadata, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	}
	if p := e.Previous; p != nil {
		f := p.Fields
		d.Previous = &storedPrevious{Name: f.Name, Phone: f.Phone, Email: f.Email, Address: f.Address, Notes: f.Notes,
			Metadata: f.Metadata, UpdatedAt: p.UpdatedAt}
	}
	if d.Client == nil && d.Previous == nil {
		return nil
	}
	b, _ := json.Marshal(d) // plain strings and times: it cannot fail
	return b
}

// DecodeData fills e.Client and e.Previous from data, the stored form
// EncodeEventData made; nil or empty data (a test event, or an event whose
// body was purged) leaves both nil. e.ClientID must be set.
func (e *Event) DecodeData(data []byte) error {
	if len(data) == 0 {
		return nil
	}
	var d storedEventData
	if err := json.Unmarshal(data, &d); err != nil {
		return err
	}
	if c := d.Client; c != nil {
		e.Client = &Client{ID: e.ClientID, ClientFields: ClientFields{Name: c.Name, Phone: c.Phone, Email: c.Email,
			Address: c.Address, Notes: c.Notes, Metadata: c.Metadata}, CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC()}
	}
	if p := d.Previous; p != nil {
		e.Previous = &ClientPrevious{Fields: ClientUpdate{Name: p.Name, Phone: p.Phone, Email: p.Email, Address: p.Address,
			Notes: p.Notes, Metadata: p.Metadata}, UpdatedAt: p.UpdatedAt.UTC()}
	}
	return nil
}
