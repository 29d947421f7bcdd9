package sdk_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fatora-oss/fatora/sdk"
)

// TestClientsMetadataAndRestore: metadata set, merged and filtered on;
// a deleted client listed with Status "deleted" and restored; a permanent
// delete that Restore cannot undo.
func TestClientsMetadataAndRestore(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := newClient(t, ts)
	ctx := context.Background()
	created, err := c.Clients.Create(ctx, sdk.ClientCreateParams{Name: "Meta Maha", Metadata: map[string]string{"crm_id": "42", "tier": "gold"}})
	if err != nil {
		t.Fatal(err)
	}
	updated, err := c.Clients.Update(ctx, created.ID, sdk.ClientUpdateParams{Metadata: map[string]*string{"tier": nil, "erp": sdk.String("E-1")}})
	if want := map[string]string{"crm_id": "42", "erp": "E-1"}; err != nil || !cmp.Equal(updated.Metadata, want) {
		t.Fatalf("Update = %v (%v), want metadata %v", updated.Metadata, err, want)
	}
	list, err := c.Clients.List(ctx, sdk.ClientListParams{Metadata: map[string]string{"crm_id": "42"}})
	if err != nil || len(list.Clients) != 1 || list.Clients[0].ID != created.ID {
		t.Fatalf("List by metadata = %+v, %v", list, err)
	}
	if err := c.Clients.Delete(ctx, created.ID, sdk.ClientDeleteParams{}); err != nil {
		t.Fatal(err)
	}
	gone, err := c.Clients.List(ctx, sdk.ClientListParams{Status: "deleted"})
	if err != nil || len(gone.Clients) != 1 || gone.Clients[0].DeletedAt.IsZero() {
		t.Fatalf("List of deleted clients = %+v, %v", gone, err)
	}
	back, err := c.Clients.Restore(ctx, created.ID, sdk.ClientRestoreParams{})
	if err != nil || back.ID != created.ID || !back.DeletedAt.IsZero() || back.Metadata["erp"] != "E-1" {
		t.Fatalf("Restore = %+v, %v", back, err)
	}
	if err := c.Clients.Delete(ctx, created.ID, sdk.ClientDeleteParams{Permanent: true}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Clients.Restore(ctx, created.ID, sdk.ClientRestoreParams{})
	if e := apiError(t, err); e.HTTPStatus != http.StatusNotFound {
		t.Errorf("Restore after a permanent delete: %+v, want 404", e)
	}
}
