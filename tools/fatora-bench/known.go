package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"

	"github.com/fatora-oss/fatora"
)

// knownPages is how many pages of existing clients (of the largest size)
// a run reads, from places spread over the merchant's clients, before it
// creates any.
const knownPages = preseedCount / fatora.MaxPageSize

// loadKnownClients adds to t's pool clients the server holds already, read
// through the list API from pages spread over all of them, and returns
// how many it added. A kept database is then measured as it is: creating
// clients first would change it and keep its writer (and, on SQLite, the
// search index's merging) busy while the run measures.
func loadKnownClients(ctx context.Context, t *target) (int, error) {
	first, total, err := t.listPage(ctx, 1)
	added := t.addKnown(first)
	if err != nil || total <= len(first) {
		return added, err
	}
	rnd := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	lastPage := min((total+fatora.MaxPageSize-1)/fatora.MaxPageSize, fatora.MaxPage)
	for range knownPages - 1 {
		page, _, err := t.listPage(ctx, 2+rnd.IntN(max(lastPage-1, 1)))
		if err != nil {
			return added, err
		}
		added += t.addKnown(page)
	}
	return added, nil
}

// listPage reads a page of the largest size and the count of all clients.
func (t *target) listPage(ctx context.Context, page int) ([]knownClient, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.base+"/v1/clients?page_size="+strconv.Itoa(fatora.MaxPageSize)+"&page="+strconv.Itoa(page), nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Authorization", t.bearer)
	resp, err := t.client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	var out struct {
		Clients []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"clients"`
		TotalCount int `json:"total_count"`
	}
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, resp.Body)
		return nil, 0, fmt.Errorf("listing clients: status %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, 0, fmt.Errorf("listing clients: %w", err)
	}
	clients := make([]knownClient, len(out.Clients))
	for i, c := range out.Clients {
		clients[i] = knownClient{id: c.ID, name: c.Name}
	}
	return clients, out.TotalCount, nil
}

// addKnown adds clients to the pool and returns how many.
func (t *target) addKnown(clients []knownClient) int {
	rnd := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	for _, c := range clients {
		t.pool.add(c, rnd)
	}
	return len(clients)
}
