// Package storetest is the conformance suite every store runs: the same
// calls must give the same results on SQLite and on PostgreSQL.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/token"
)

// Store is what a store under test provides: its two services on a fresh,
// empty database.
type Store struct {
	Clients   fatora.ClientService
	Merchants fatora.MerchantService
	Purger    fatora.IdempotencyPurger
	Events    interface {
		fatora.EventService
		fatora.EventPurger
	}
	Webhooks   fatora.WebhookService
	Deliveries fatora.DeliveryQueue
	Sessions   fatora.SessionService
	// SetNow replaces the store's clock.
	SetNow func(fatora.Clock)
	// TablesHolding names the tables in which a value contains text,
	// ignoring letter case.
	TablesHolding func(ctx context.Context, text string) ([]string, error)
}

// Run runs the whole suite; open must return a fresh empty store each call.
func Run(t *testing.T, open func(t testing.TB) Store) {
	t.Run("Merchants", func(t *testing.T) { testMerchants(t, open) })
	t.Run("Keys", func(t *testing.T) { testKeys(t, open) })
	t.Run("SigningSecret", func(t *testing.T) { testSigningSecret(t, open) })
	t.Run("Region", func(t *testing.T) { testRegion(t, open) })
	t.Run("SigningSecretRotation", func(t *testing.T) { testSigningSecretRotation(t, open) })
	t.Run("AdminLists", func(t *testing.T) { testAdminLists(t, open) })
	t.Run("ScheduledRevocation", func(t *testing.T) { testScheduledRevocation(t, open) })
	t.Run("UnusualText", func(t *testing.T) { testUnusualText(t, open) })
	t.Run("ClientRoundTrip", func(t *testing.T) { testClientRoundTrip(t, open) })
	t.Run("ClientValidation", func(t *testing.T) { testClientValidation(t, open) })
	t.Run("Isolation", func(t *testing.T) { testIsolation(t, open) })
	t.Run("Duplicates", func(t *testing.T) { testDuplicates(t, open) })
	t.Run("ConcurrentDuplicates", func(t *testing.T) { testConcurrentDuplicates(t, open) })
	t.Run("Update", func(t *testing.T) { testUpdate(t, open) })
	t.Run("ConcurrentUpdates", func(t *testing.T) { testConcurrentUpdates(t, open) })
	t.Run("BatchIsolation", func(t *testing.T) { testBatchIsolation(t, open) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, open) })
	t.Run("SoftDelete", func(t *testing.T) { testSoftDelete(t, open) })
	t.Run("DeletedRetention", func(t *testing.T) { testDeletedRetention(t, open) })
	t.Run("ConcurrentPurges", func(t *testing.T) { testConcurrentPurges(t, open) })
	t.Run("Erase", func(t *testing.T) { testErase(t, open) })
	t.Run("Metadata", func(t *testing.T) { testMetadata(t, open) })
	t.Run("ClientHistory", func(t *testing.T) { testClientHistory(t, open) })
	t.Run("Bulk", func(t *testing.T) { testBulk(t, open) })
	t.Run("MetadataValidation", func(t *testing.T) { testMetadataValidation(t, open) })
	t.Run("List", func(t *testing.T) { testList(t, open) })
	t.Run("KeywordCountCap", func(t *testing.T) { testKeywordCountCap(t, open) })
	t.Run("Search", func(t *testing.T) { testSearch(t, open) })
	t.Run("Cursor", func(t *testing.T) { testCursor(t, open) })
	t.Run("Orders", func(t *testing.T) { testOrders(t, open) })
	t.Run("IdempotentCreate", func(t *testing.T) { testIdempotentCreate(t, open) })
	t.Run("IdempotentUpdateDelete", func(t *testing.T) { testIdempotentUpdateDelete(t, open) })
	t.Run("IdempotencyExpiry", func(t *testing.T) { testIdempotencyExpiry(t, open) })
	t.Run("ConcurrentIdempotentCreates", func(t *testing.T) { testConcurrentIdempotentCreates(t, open) })
	t.Run("Events", func(t *testing.T) { testEvents(t, open) })
	t.Run("EventFilters", func(t *testing.T) { testEventFilters(t, open) })
	t.Run("EventsOfRefusals", func(t *testing.T) { testEventsOfRefusals(t, open) })
	t.Run("ConcurrentEvents", func(t *testing.T) { testConcurrentEvents(t, open) })
	t.Run("EventPurge", func(t *testing.T) { testEventPurge(t, open) })
	t.Run("WebhookEndpoints", func(t *testing.T) { testWebhookEndpoints(t, open) })
	t.Run("DeliveryOrder", func(t *testing.T) { testDeliveryOrder(t, open) })
	t.Run("DeliveryOutcomes", func(t *testing.T) { testDeliveryOutcomes(t, open) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, open) })
	t.Run("SignInLinks", func(t *testing.T) { testSignInLinks(t, open) })
}

// tenant is a merchant of the store under test with a scope per mode.
type tenant struct {
	merchant fatora.Merchant
	test     context.Context
	live     context.Context
}

// newTenant creates a merchant named name with a test and a live key.
func newTenant(t testing.TB, s Store, name string) tenant {
	t.Helper()
	m := fatora.Merchant{Name: name, Email: name + "@example.com"}
	keys := []*fatora.APIKey{newKey(fatora.ModeTest), newKey(fatora.ModeLive)}
	if err := s.Merchants.CreateMerchant(context.Background(), &m, keys); err != nil {
		t.Fatalf("CreateMerchant(%s): %v", name, err)
	}
	scope := func(mode fatora.Mode) context.Context {
		return fatora.WithScope(context.Background(), fatora.Scope{MerchantID: m.ID, Mode: mode})
	}
	return tenant{merchant: m, test: scope(fatora.ModeTest), live: scope(fatora.ModeLive)}
}

func newKey(mode fatora.Mode) *fatora.APIKey {
	v := token.GenerateAPIKey(string(mode))
	return &fatora.APIKey{ID: token.NewID(), Mode: mode, Prefix: token.DisplayPrefix(v), Hash: token.HashAPIKey(v)}
}

// mustCreate creates a client or fails the test.
func mustCreate(t testing.TB, s Store, ctx context.Context, f fatora.ClientFields) fatora.Client {
	t.Helper()
	c, err := s.Clients.CreateClient(ctx, f)
	if err != nil {
		t.Fatalf("CreateClient(%+v): %v", f, err)
	}
	return c
}

// wantCode fails the test unless err carries code.
func wantCode(t testing.TB, err error, code string) *fatora.Error {
	t.Helper()
	var e *fatora.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	return e
}

func named(name string) fatora.ClientFields { return fatora.ClientFields{Name: name} }

func str(s string) *string { return &s }

func nameOf(i int) string { return fmt.Sprintf("Client %03d", i) }
