package sdk_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/fatora-oss/fatora/sdk"
	"github.com/google/go-cmp/cmp"
)

// TestClientsListCursor reads a page by the cursor of the one before.
func TestClientsListCursor(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := newClient(t, ts)
	ids := seedClients(t, ts, 5)
	ctx := context.Background()
	first, err := c.Clients.List(ctx, sdk.ClientListParams{PageSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	if first.NextCursor == "" {
		t.Fatalf("page 1 of 2 has no next cursor: %+v", first)
	}
	second, err := c.Clients.List(ctx, sdk.ClientListParams{PageSize: 3, Cursor: first.NextCursor})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ids[3:], recordIDs(second.Clients)); diff != "" {
		t.Errorf("the page after the cursor (-want +got):\n%s", diff)
	}
	if second.NextCursor != "" {
		t.Errorf("the last page has next cursor %q, want none", second.NextCursor)
	}
}

// TestClientsAllFollowsCursor deletes a client already read while All runs:
// with cursors no later client is skipped, as it would be with page
// numbers.
func TestClientsAllFollowsCursor(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := newClient(t, ts)
	ids := seedClients(t, ts, 120)
	ctx := context.Background()
	var got []int64
	for rec, err := range c.Clients.All(ctx, sdk.ClientListParams{PageSize: 50}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rec.ID)
		if len(got) == 1 {
			if err := c.Clients.Delete(ctx, rec.ID, sdk.ClientDeleteParams{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if diff := cmp.Diff(ids, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
}

// TestClientsAllWithoutCursors checks that All still pages by number
// against a server that gives no next_cursor, as Fatora's own API.
func TestClientsAllWithoutCursors(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, dropNextCursor)
	c := newClient(t, ts)
	ids := seedClients(t, ts, 120)
	var got []int64
	for rec, err := range c.Clients.All(context.Background(), sdk.ClientListParams{PageSize: 40}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rec.ID)
	}
	if diff := cmp.Diff(ids, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
}

// TestClientsCreateWithResponse checks that a create repeated with its
// idempotency key is reported as a replay of the first.
func TestClientsCreateWithResponse(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := newClient(t, ts)
	ctx := context.Background()
	p := seedParams()
	p.IdempotencyKey = "import-test-1"
	first, resp, err := c.Clients.CreateWithResponse(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusCreated || resp.Replayed || resp.RequestID == "" || resp.IdempotencyKey != p.IdempotencyKey {
		t.Errorf("first create: %+v, want 201, not replayed, a request id and the key", resp)
	}
	again, resp, err := c.Clients.CreateWithResponse(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Replayed || resp.StatusCode != http.StatusCreated || again.ID != first.ID {
		t.Errorf("repeated create: %+v, client %d; want a replayed 201 of client %d", resp, again.ID, first.ID)
	}
	_, resp, err = c.Clients.CreateWithResponse(ctx, sdk.ClientCreateParams{Name: "Keyless"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.IdempotencyKey == "" || resp.Replayed {
		t.Errorf("create without a key: %+v, want a generated key, not replayed", resp)
	}
	if n := countClients(t, ts); n != 2 {
		t.Errorf("%d clients stored, want 2", n)
	}
}

// dropNextCursor removes next_cursor from list answers.
func dropNextCursor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var m map[string]json.RawMessage
		if r.Method == http.MethodGet && json.Unmarshal(body, &m) == nil && m["next_cursor"] != nil {
			delete(m, "next_cursor")
			body, _ = json.Marshal(m)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		w.Write(body)
	})
}

func recordIDs(recs []sdk.ClientRecord) []int64 {
	var ids []int64
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	return ids
}
