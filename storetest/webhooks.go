package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

// newEndpoint registers an endpoint of ctx's scope taking types (every
// type when none).
func newEndpoint(t testing.TB, s Store, ctx context.Context, types ...fatora.EventType) fatora.WebhookEndpoint {
	t.Helper()
	w := fatora.WebhookEndpoint{ID: fatora.NewWebhookEndpointID(), URL: "https://hooks.example.com/in", Events: types,
		Enabled: true, Secret: "whsec_first"}
	if err := s.Webhooks.CreateWebhookEndpoint(ctx, &w); err != nil {
		t.Fatal(err)
	}
	return w
}

func testWebhookEndpoints(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a, b := newTenant(t, s, "alpha"), newTenant(t, s, "beta")
	w := newEndpoint(t, s, a.test, fatora.EventClientCreated)
	got, err := s.Webhooks.FindWebhookEndpointByID(a.test, w.ID)
	if err != nil || got.URL != w.URL || got.Secret != "whsec_first" || len(got.Events) != 1 || !got.Enabled {
		t.Fatalf("FindWebhookEndpointByID = %+v, %v", got, err)
	}
	for name, ctx := range map[string]context.Context{"other merchant": b.test, "other mode": a.live} {
		if _, err := s.Webhooks.FindWebhookEndpointByID(ctx, w.ID); fatora.ErrorCode(err) != fatora.CodeNotFound {
			t.Errorf("%s: %v, want not_found", name, err)
		}
		if list, _ := s.Webhooks.FindWebhookEndpoints(ctx); len(list) != 0 {
			t.Errorf("%s lists %d endpoints", name, len(list))
		}
		if err := s.Webhooks.DeleteWebhookEndpoint(ctx, w.ID); fatora.ErrorCode(err) != fatora.CodeNotFound {
			t.Errorf("%s deleted alpha's endpoint: %v", name, err)
		}
	}
	off, url := false, "https://other.example.com/"
	upd, err := s.Webhooks.UpdateWebhookEndpoint(a.test, w.ID, fatora.WebhookEndpointUpdate{Enabled: &off, URL: &url})
	if err != nil || upd.Enabled || upd.URL != url {
		t.Errorf("UpdateWebhookEndpoint = %+v, %v", upd, err)
	}
	bad := []fatora.EventType{"client.exploded"}
	_, err = s.Webhooks.UpdateWebhookEndpoint(a.test, w.ID, fatora.WebhookEndpointUpdate{Events: &bad})
	wantCode(t, err, fatora.CodeInvalidField)
	until := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	rot, err := s.Webhooks.RotateWebhookSecret(a.test, w.ID, "whsec_second", until)
	if err != nil || rot.Secret != "whsec_second" || rot.PreviousSecret != "whsec_first" || !rot.PreviousSecretUntil.Equal(until) {
		t.Errorf("RotateWebhookSecret = %+v, %v", rot, err)
	}
	for range fatora.MaxWebhookEndpoints - 1 {
		newEndpoint(t, s, a.test)
	}
	extra := fatora.WebhookEndpoint{ID: fatora.NewWebhookEndpointID(), URL: "https://x.example.com/", Secret: "s"}
	wantCode(t, s.Webhooks.CreateWebhookEndpoint(a.test, &extra), fatora.CodeLimitReached)
	newEndpoint(t, s, a.live) // the limit is per mode
	if err := s.Webhooks.DeleteWebhookEndpoint(a.test, w.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Webhooks.FindWebhookEndpoints(a.test); len(list) != fatora.MaxWebhookEndpoints-1 {
		t.Errorf("%d endpoints after a delete, want %d", len(list), fatora.MaxWebhookEndpoints-1)
	}
}

// claimAll claims every delivery due at now.
func claimAll(t testing.TB, s Store, now time.Time) []fatora.Delivery {
	t.Helper()
	ds, err := s.Deliveries.ClaimDeliveries(context.Background(), now, fatora.DeliveryLease, 100)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// record records attempt d with status at now and returns the outcome.
func record(t testing.TB, s Store, d fatora.Delivery, status int, now time.Time) fatora.DeliveryOutcome {
	t.Helper()
	a := fatora.DeliveryAttempt{At: now, Status: status, Latency: time.Millisecond}
	if status >= 300 {
		a.Error = "status"
	}
	out := d.Outcome(a, now, fatora.RetrySchedule, 0)
	if err := s.Deliveries.RecordAttempt(context.Background(), d, a, out); err != nil {
		t.Fatal(err)
	}
	return out
}

// testDeliveryOrder checks fan-out to subscribed endpoints, per-client
// order, leases and the attempts kept.
func testDeliveryOrder(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	s.SetNow(func() time.Time { return now })
	all := newEndpoint(t, s, a.test)
	newEndpoint(t, s, a.test, fatora.EventClientDeleted)
	newEndpoint(t, s, a.live)
	c1 := mustCreate(t, s, a.test, named("One"))
	c2 := mustCreate(t, s, a.test, named("Two"))
	if _, err := s.Clients.UpdateClient(a.test, c1.ID, fatora.ClientUpdate{Notes: str("x")}); err != nil {
		t.Fatal(err)
	}
	first := claimAll(t, s, now)
	if len(first) != 2 || first[0].Endpoint.ID != all.ID || first[0].Event.Type != fatora.EventClientCreated ||
		first[0].Attempt != 1 || first[0].MerchantID != a.merchant.ID || first[0].Endpoint.Secret != "whsec_first" {
		t.Fatalf("first claim %+v: want the creates of both clients, to the endpoint taking every type", first)
	}
	if again := claimAll(t, s, now.Add(time.Second)); len(again) != 0 {
		t.Fatalf("claimed %d deliveries already claimed", len(again))
	}
	for _, d := range first {
		if d.Event.ClientID == c1.ID {
			record(t, s, d, 500, now) // c1's update waits for c1's create
		} else {
			record(t, s, d, 204, now)
		}
	}
	if next := claimAll(t, s, now.Add(time.Second)); len(next) != 0 {
		t.Fatalf("claimed %+v while client 1's create waits for its retry", next)
	}
	retry := claimAll(t, s, now.Add(fatora.RetrySchedule[0]))
	if len(retry) != 1 || retry[0].Event.ClientID != c1.ID || retry[0].Attempt != 2 || retry[0].Event.Type != fatora.EventClientCreated {
		t.Fatalf("retry claim %+v, want client 1's create, attempt 2", retry)
	}
	record(t, s, retry[0], 200, now.Add(fatora.RetrySchedule[0]))
	update := claimAll(t, s, now.Add(fatora.RetrySchedule[0]))
	if len(update) != 1 || update[0].Event.Type != fatora.EventClientUpdated || update[0].Event.Previous == nil {
		t.Fatalf("claim after the retry %+v, want client 1's update", update)
	}
	attempts, err := s.Webhooks.FindDeliveryAttempts(a.test, all.ID, 0, 10)
	if err != nil || len(attempts) != 3 || attempts[0].Attempt != 2 || attempts[0].Status != 200 || attempts[2].Status != 0 && attempts[2].Error == "" {
		t.Errorf("attempts %+v, %v", attempts, err)
	}
	_ = c2
}

// testDeliveryOutcomes checks a lease running out, 410, resend and the test
// event.
func testDeliveryOutcomes(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	a := newTenant(t, s, "alpha")
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	s.SetNow(func() time.Time { return now })
	w := newEndpoint(t, s, a.test)
	mustCreate(t, s, a.test, named("One"))
	claimed := claimAll(t, s, now)
	later := now.Add(fatora.DeliveryLease + time.Second)
	reclaimed := claimAll(t, s, later) // the first loop died
	if len(claimed) != 1 || len(reclaimed) != 1 || reclaimed[0].Attempt != 2 {
		t.Fatalf("claims %+v then %+v, want the delivery again after its lease", claimed, reclaimed)
	}
	record(t, s, claimed[0], 200, later) // too late: ignored
	out := record(t, s, reclaimed[0], 410, later)
	if out.Disable == "" {
		t.Fatalf("410 gave %+v", out)
	}
	got, _ := s.Webhooks.FindWebhookEndpointByID(a.test, w.ID)
	if got.Enabled || got.DisabledReason == "" {
		t.Errorf("after 410 the endpoint is %+v", got)
	}
	if attempts, _ := s.Webhooks.FindDeliveryAttempts(a.test, w.ID, 0, 10); len(attempts) != 1 {
		t.Errorf("%d attempts kept, want 1 (the late record is ignored)", len(attempts))
	}
	on := true
	if _, err := s.Webhooks.UpdateWebhookEndpoint(a.test, w.ID, fatora.WebhookEndpointUpdate{Enabled: &on}); err != nil {
		t.Fatal(err)
	}
	ev, err := s.Webhooks.SendTestEvent(a.test, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	events := allEvents(t, s, a.test, fatora.EventFilter{})
	if n, err := s.Events.ResendEvent(a.test, events[0].ID, ""); err != nil || n != 1 {
		t.Fatalf("ResendEvent = %d, %v", n, err)
	}
	if _, err := s.Events.ResendEvent(a.test, events[0].ID, "we_none"); fatora.ErrorCode(err) != fatora.CodeNotFound {
		t.Errorf("ResendEvent to no endpoint: %v", err)
	}
	sent := claimAll(t, s, later.Add(time.Minute))
	if len(sent) != 2 {
		t.Fatalf("claimed %+v, want the resent event and the test event %s", sent, ev.ID)
	}
}
