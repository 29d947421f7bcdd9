package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/fatora-oss/fatora/internal/testenv"
)

// TestTwoServersOnePostgres runs two servers on one PostgreSQL database,
// started at the same moment (migrations serialise on an advisory lock): a
// token from either works on both, concurrent creates through both lose
// and duplicate nothing, and a revoked key is refused by both.
func TestTwoServersOnePostgres(t *testing.T) {
	dsn := testenv.PostgresSchema(t)
	var a, b *testServer
	var errA, errB error
	var wg sync.WaitGroup
	wg.Go(func() { a, errA = newTestServer(t, dsn) })
	wg.Go(func() { b, errB = newTestServer(t, dsn) })
	wg.Wait()
	if errA != nil || errB != nil {
		t.Fatalf("starting two servers at once: %v / %v", errA, errB)
	}
	m := createMerchant(t, dsn, "shop@example.com")
	key := m.key(t, "live")
	servers := []*testServer{a, b}
	tokens := []string{"Bearer " + a.authorize(t, key.APIKey), "Bearer " + b.authorize(t, key.APIKey)}

	const workers, each = 20, 5
	statuses := make([][]int, workers)
	sameIDs := make([]string, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				s := servers[(w+i)%2]
				r := s.do(t, http.MethodPost, "/v1/clients", fmt.Sprintf(`{"name":"Worker %d client %d"}`, w, i),
					"Authorization", tokens[(w+i+1)%2], "Content-Type", "application/json")
				statuses[w] = append(statuses[w], r.status)
			}
			r := servers[w%2].do(t, http.MethodPost, "/v1/clients", `{"name":"Everyone's client","email":"same@example.com"}`,
				"Authorization", tokens[w%2], "Content-Type", "application/json")
			sameIDs[w] = sameClientID(t, r)
		})
	}
	wg.Wait()
	for w, ss := range statuses {
		for i, s := range ss {
			if s != http.StatusCreated {
				t.Errorf("worker %d create %d: status %d", w, i, s)
			}
		}
		if sameIDs[w] != sameIDs[0] {
			t.Errorf("the shared client has ids %s and %s", sameIDs[0], sameIDs[w])
		}
	}
	for i, s := range servers {
		names := listNames(t, s, tokens[i])
		if len(names) != workers*each+1 {
			t.Errorf("server %d lists %d clients, want %d", i, len(names), workers*each+1)
		}
		for w := range workers {
			for j := range each {
				if !names[fmt.Sprintf("Worker %d client %d", w, j)] {
					t.Errorf("server %d lost worker %d's client %d", i, w, j)
				}
			}
		}
	}

	mustRun(t, "key", "revoke", "--merchant", m.Number, "--id", key.ID, "--db", dsn)
	for _, s := range servers {
		r := s.do(t, http.MethodGet, "/v1/Authorization/Authorize", "", "api_key", key.APIKey)
		wantError(t, r, http.StatusForbidden, "key_revoked")
	}
}

// sameClientID returns the id a create of the shared client got: its own
// on 201, the existing one on 409.
func sameClientID(t testing.TB, r response) string {
	var body struct {
		Client struct {
			ID json.Number `json:"id"`
		} `json:"client"`
		Error struct {
			Code     string      `json:"code"`
			Existing json.Number `json:"existing_client_id"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Errorf("shared client create: %d %s: %v", r.status, r.body, err)
		return ""
	}
	switch {
	case r.status == http.StatusCreated:
		return body.Client.ID.String()
	case r.status == http.StatusConflict && body.Error.Code == "duplicate_client":
		return body.Error.Existing.String()
	}
	t.Errorf("shared client create: %d %s", r.status, r.body)
	return ""
}

// listNames reads every client through s and returns their names, failing
// on a name seen twice.
func listNames(t testing.TB, s *testServer, auth string) map[string]bool {
	names := map[string]bool{}
	for page := 1; ; page++ {
		r := s.do(t, http.MethodGet, fmt.Sprintf("/v1/clients?page=%d&page_size=100", page), "", "Authorization", auth)
		wantStatus(t, r, http.StatusOK)
		var body struct {
			Clients []struct {
				Name string `json:"name"`
			} `json:"clients"`
		}
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		if len(body.Clients) == 0 {
			return names
		}
		for _, c := range body.Clients {
			if names[c.Name] {
				t.Errorf("%q is listed twice", c.Name)
			}
			names[c.Name] = true
		}
	}
}

// TestOneKeyAcrossTwoServers sends 50 identical creates with one
// Idempotency-Key at once, spread over two servers on one PostgreSQL
// database: one client is made, and every answer is its 201 or a 409
// idempotency_in_progress.
func TestOneKeyAcrossTwoServers(t *testing.T) {
	dsn := testenv.PostgresSchema(t)
	a, b := startTestServer(t, dsn), startTestServer(t, dsn)
	key := createMerchant(t, dsn, "shop@example.com").key(t, "test").APIKey
	auth := "Bearer " + a.authorize(t, key)
	const n = 50
	answers := make([]response, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			answers[i] = []*testServer{a, b}[i%2].do(t, http.MethodPost, "/v1/clients", seedCurlBody,
				"Authorization", auth, "Content-Type", "application/json", "Idempotency-Key", "one-key")
		})
	}
	wg.Wait()
	var created string
	for _, r := range answers {
		switch {
		case r.status == http.StatusCreated && (created == "" || string(r.body) == created):
			created = string(r.body)
		case r.status == http.StatusConflict && r.header.Get("Retry-After") != "":
		default:
			t.Errorf("answer %d %s; want the one client's 201 or 409 in progress", r.status, r.body)
		}
	}
	if names := listNames(t, b, auth); created == "" || len(names) != 1 {
		t.Fatalf("50 creates with one key over two servers made %d clients, want 1", len(names))
	}
}
