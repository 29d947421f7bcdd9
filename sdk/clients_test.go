package sdk_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/sdk"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestClientsLifecycle walks the seed's client through every operation
// against the real server.
func TestClientsLifecycle(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := newClient(t, ts)
	ctx := context.Background()

	created, err := c.Clients.Create(ctx, seedParams())
	if err != nil {
		t.Fatal(err)
	}
	want := sdk.ClientRecord{ID: created.ID, Name: "Client Name", Phone: "Client Phone", Email: "client@example.com",
		Address: "Client Address", Notes: "Additional notes"}
	if diff := cmp.Diff(want, *created, cmpopts.IgnoreFields(sdk.ClientRecord{}, "CreatedAt", "UpdatedAt")); diff != "" {
		t.Errorf("Create (-want +got):\n%s", diff)
	}
	if created.ID <= 0 || time.Since(created.CreatedAt).Abs() > time.Minute || !created.UpdatedAt.Equal(created.CreatedAt) {
		t.Errorf("Create: id %d, created_at %v, updated_at %v", created.ID, created.CreatedAt, created.UpdatedAt)
	}

	got, err := c.Clients.Get(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(created, got); diff != "" {
		t.Errorf("Get differs from Create (-created +got):\n%s", diff)
	}

	ts.clock.Advance(time.Second)
	updated, err := c.Clients.Update(ctx, created.ID, sdk.ClientUpdateParams{Phone: sdk.String("+974 5555 1234"), Address: sdk.String("")})
	if err != nil {
		t.Fatal(err)
	}
	want.Phone, want.Address = "+974 5555 1234", ""
	if diff := cmp.Diff(want, *updated, cmpopts.IgnoreFields(sdk.ClientRecord{}, "CreatedAt", "UpdatedAt")); diff != "" {
		t.Errorf("Update (-want +got):\n%s", diff)
	}
	if !updated.UpdatedAt.After(created.UpdatedAt) {
		t.Errorf("Update: updated_at %v, not after %v", updated.UpdatedAt, created.UpdatedAt)
	}

	if err := c.Clients.Delete(ctx, created.ID, sdk.ClientDeleteParams{}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Clients.Get(ctx, created.ID)
	if e := apiError(t, err); e.HTTPStatus != http.StatusNotFound || e.Code != sdk.CodeNotFound || e.RequestID == "" {
		t.Errorf("Get after Delete: %+v, want 404 not_found with a request id", e)
	}
	err = c.Clients.Delete(ctx, created.ID, sdk.ClientDeleteParams{})
	if e := apiError(t, err); e.Code != sdk.CodeNotFound {
		t.Errorf("Delete twice: %v, want not_found", e)
	}
}

func TestClientsList(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := newClient(t, ts)
	ctx := context.Background()
	seed, err := c.Clients.Create(ctx, seedParams())
	if err != nil {
		t.Fatal(err)
	}
	other, err := c.Clients.Create(ctx, sdk.ClientCreateParams{Name: "Other", Email: sdk.String("other@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		params sdk.ClientListParams
		want   []int64
		total  int
	}{
		{"everyone", sdk.ClientListParams{}, []int64{seed.ID, other.ID}, 2},
		{"keyword in any case", sdk.ClientListParams{Keyword: "CLIENT name"}, []int64{seed.ID}, 1},
		{"email in any case", sdk.ClientListParams{Email: "Other@Example.com"}, []int64{other.ID}, 1},
		{"no match", sdk.ClientListParams{Keyword: "nobody"}, nil, 0},
		{"second page", sdk.ClientListParams{Page: 2, PageSize: 1}, []int64{other.ID}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := c.Clients.List(ctx, tt.params)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, rec := range list.Clients {
				ids = append(ids, rec.ID)
			}
			if !slices.Equal(ids, tt.want) || list.TotalCount != tt.total {
				t.Errorf("ids %v total %d, want %v total %d", ids, list.TotalCount, tt.want, tt.total)
			}
		})
	}
	_, err = c.Clients.List(ctx, sdk.ClientListParams{PageSize: 101})
	if e := apiError(t, err); e.HTTPStatus != http.StatusBadRequest || e.Code != sdk.CodeInvalidQuery {
		t.Errorf("page_size 101: %v, want 400 invalid_query", e)
	}
}

func TestClientsCreateRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := newClient(t, ts)
	ctx := context.Background()
	first, err := c.Clients.Create(ctx, seedParams())
	if err != nil {
		t.Fatal(err)
	}

	_, err = c.Clients.Create(ctx, sdk.ClientCreateParams{Name: " ", Email: sdk.String("not an address")})
	e := apiError(t, err)
	if e.HTTPStatus != http.StatusBadRequest || e.Code != sdk.CodeInvalidField {
		t.Fatalf("invalid client: %v, want 400 invalid_field", e)
	}
	fields := map[string]bool{}
	for _, f := range e.Fields {
		fields[f.Field] = f.Message != ""
	}
	if !fields["name"] {
		t.Errorf("invalid client: fields %+v, want name with a message", e.Fields)
	}

	dup := seedParams()
	dup.Email = sdk.String("  CLIENT@example.com ")
	dup.Notes = nil
	_, err = c.Clients.Create(ctx, dup)
	e = apiError(t, err)
	if e.HTTPStatus != http.StatusConflict || e.Code != sdk.CodeDuplicateClient || e.ExistingClientID != first.ID {
		t.Errorf("duplicate: %v (existing %d), want 409 duplicate_client naming %d", e, e.ExistingClientID, first.ID)
	}
	if !strings.Contains(e.Error(), "409 duplicate_client") {
		t.Errorf("Error() = %q, want the status and the code", e.Error())
	}
	if n := countClients(t, ts); n != 1 {
		t.Errorf("%d clients stored, want 1", n)
	}
}

func TestClientsAll(t *testing.T) {
	t.Parallel()
	lists := &flaky{match: method(http.MethodGet)} // counts, fails nothing
	ts := newTestServer(t, lists.wrap)
	c := newClient(t, ts)
	want := seedClients(t, ts, 250)

	tests := []struct {
		name   string
		params sdk.ClientListParams
		stop   int // break after this many clients (0: never)
		want   []int64
		pages  int
	}{
		{"pages of 100, the last short", sdk.ClientListParams{}, 0, want, 3},
		{"pages of 50, none short", sdk.ClientListParams{PageSize: 50}, 0, want, 5},
		{"from page 2", sdk.ClientListParams{Page: 2}, 0, want[100:], 2},
		{"break", sdk.ClientListParams{}, 150, want[:150], 2},
		{"filtered", sdk.ClientListParams{Keyword: "bulk 24"}, 0, want[240:250], 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(lists.attempts())
			var got []int64
			for rec, err := range c.Clients.All(context.Background(), tt.params) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, rec.ID)
				if len(got) == tt.stop {
					break
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			if pages := len(lists.attempts()) - before; pages != tt.pages {
				t.Errorf("%d pages read, want %d", pages, tt.pages)
			}
		})
	}
}

func TestClientsAllError(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := newClient(t, ts)
	seedClients(t, ts, 3)
	var errs, recs int
	for _, err := range c.Clients.All(context.Background(), sdk.ClientListParams{Keyword: "bad\x01"}) {
		if err != nil {
			errs++
			if e := apiError(t, err); e.Code != sdk.CodeInvalidQuery {
				t.Errorf("error %v, want invalid_query", e)
			}
			continue
		}
		recs++
	}
	if errs != 1 || recs != 0 {
		t.Errorf("%d errors and %d clients, want one error alone", errs, recs)
	}
}
