package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// listed is a client as a list shows it: the list of live clients, or
// (deleted) that of deleted ones.
type listed struct {
	id      int64
	name    string
	client  map[string]any
	deleted bool
}

// readBack lists every client of each merchant, live then deleted, in
// merchant order.
func readBack(ctx context.Context, cl *api, merchants []merchant) ([][]listed, error) {
	patient := cl.patient(30 * time.Second)
	lists := make([][]listed, len(merchants))
	for i, m := range merchants {
		live, err := readMerchant(ctx, patient, m.apiKey, "live")
		if err != nil {
			return nil, fmt.Errorf("reading back %s's clients: %w", m.name, err)
		}
		deleted, err := readMerchant(ctx, patient, m.apiKey, "deleted")
		if err != nil {
			return nil, fmt.Errorf("reading back %s's deleted clients: %w", m.name, err)
		}
		lists[i] = append(live, deleted...)
	}
	return lists, nil
}

// readMerchant pages through one merchant's clients, checking that the
// pages add up to total_count in ascending id order.
func readMerchant(ctx context.Context, cl *api, apiKey, status string) ([]listed, error) {
	var all []listed
	total := 0
	for page, pages := 1, 1; page <= pages; page++ {
		p, err := readPage(ctx, cl, apiKey, page, status)
		if err != nil {
			return nil, err
		}
		pages, total = p.TotalPages, p.TotalCount
		for _, raw := range p.Clients {
			c, id, err := decodeClient(raw)
			if err != nil {
				return nil, fmt.Errorf("page %d: %w", page, err)
			}
			if n := len(all); n > 0 && all[n-1].id >= id {
				return nil, fmt.Errorf("page %d: id %d after id %d: the list is not in ascending id order", page, id, all[n-1].id)
			}
			name, _ := c["name"].(string)
			all = append(all, listed{id: id, name: name, client: c, deleted: status == "deleted"})
		}
	}
	if len(all) != total {
		return nil, fmt.Errorf("the pages hold %d clients, total_count says %d", len(all), total)
	}
	return all, nil
}

// listPage is the part of a list answer the read-back uses.
type listPage struct {
	Clients    []json.RawMessage `json:"clients"`
	TotalCount int               `json:"total_count"`
	TotalPages int               `json:"total_pages"`
}

// readPage gets one page, retrying a few times on anything but a 200.
func readPage(ctx context.Context, cl *api, apiKey string, page int, status string) (listPage, error) {
	var last string
	for range 10 {
		a := cl.listPage(ctx, apiKey, page, status)
		if a.err == nil && a.status == http.StatusOK {
			var p listPage
			err := json.Unmarshal(a.body, &p)
			return p, err
		}
		last = describe(a)
		if !sleep(ctx, time.Second) {
			break
		}
	}
	return listPage{}, fmt.Errorf("page %d: %s", page, last)
}
