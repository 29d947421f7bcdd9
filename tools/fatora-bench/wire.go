package main

import (
	"time"

	"github.com/fatora-oss/fatora"
)

// clientJSON is a client as the real server writes it (httpapi's clientJSON),
// so the baseline's answers have the same shape and size.
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
}

// timeFormat is the real server's: RFC 3339 in UTC with milliseconds.
const timeFormat = "2006-01-02T15:04:05.000Z07:00"

func toClientJSON(id int64, f fatora.ClientFields, stamp string) clientJSON {
	return clientJSON{ID: id, Name: f.Name, Phone: f.Phone, Email: f.Email, Address: f.Address,
		Note: f.Notes, Notes: f.Notes, CreatedAt: stamp, UpdatedAt: stamp}
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
}

// fixedBodies returns the baseline's answer to a get (one client) and to a
// list (a page of 20 clients out of 1000).
func fixedBodies() (one, page []byte) {
	stamp := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Format(timeFormat)
	client := func(id int64) clientJSON {
		p := newPerson(uint64(id), "baseline")
		return toClientJSON(id, fatora.ClientFields{Name: p.name, Email: p.email, Phone: p.phone}, stamp)
	}
	one, _ = encodeJSON(clientResponse{Status: "SUCCESS", Client: client(1)})
	list := clientListResponse{Status: "SUCCESS", Page: 1, PageSize: 20, TotalCount: 1000, TotalPages: 50}
	for id := range int64(20) {
		list.Clients = append(list.Clients, client(id+1))
	}
	page, _ = encodeJSON(list)
	return one, page
}
