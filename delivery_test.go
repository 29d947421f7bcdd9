package fatora

import (
	"testing"
	"time"
)

func TestDeliveryOutcome(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	failed := DeliveryAttempt{Status: 500, Error: "answered 500"}
	tests := []struct {
		name    string
		d       Delivery
		a       DeliveryAttempt
		jitter  float64
		state   string
		next    time.Time
		disable bool
	}{
		{"success", Delivery{Attempt: 3}, DeliveryAttempt{Status: 204}, 0, DeliverySucceeded, time.Time{}, false},
		{"first failure", Delivery{Attempt: 1}, failed, 0, DeliveryPending, now.Add(5 * time.Second), false},
		{"jitter stretches the wait", Delivery{Attempt: 2}, failed, 0.1, DeliveryPending, now.Add(330 * time.Second), false},
		{"last retry fails", Delivery{Attempt: 10}, failed, 0, DeliveryFailed, time.Time{}, false},
		{"410 disables", Delivery{Attempt: 1}, DeliveryAttempt{Status: 410, Error: "answered 410"}, 0, DeliveryFailed, time.Time{}, true},
		{"redirect fails", Delivery{Attempt: 1}, DeliveryAttempt{Status: 302, Error: "answered 302"}, 0, DeliveryPending, now.Add(5 * time.Second), false},
		{"five days of failures disable", Delivery{Attempt: 4, Endpoint: WebhookEndpoint{FailingSince: now.Add(-DisableAfterFailing)}},
			failed, 0, DeliveryFailed, time.Time{}, true},
		{"four days do not", Delivery{Attempt: 4, Endpoint: WebhookEndpoint{FailingSince: now.Add(-96 * time.Hour)}},
			failed, 0, DeliveryPending, now.Add(2 * time.Hour), false},
	}
	for _, tt := range tests {
		out := tt.d.Outcome(tt.a, now, RetrySchedule, tt.jitter)
		if out.State != tt.state || !out.NextAt.Equal(tt.next) || (out.Disable != "") != tt.disable {
			t.Errorf("%s: %+v, want %s next %v disable %v", tt.name, out, tt.state, tt.next, tt.disable)
		}
		if tt.state != DeliverySucceeded && out.FailingSince.IsZero() {
			t.Errorf("%s: a failure leaves FailingSince zero", tt.name)
		}
	}
}

func TestClientUpdatedNamesChangedFields(t *testing.T) {
	before := Client{ID: 1, ClientFields: ClientFields{Name: "A", Phone: "1", Notes: "n"}, UpdatedAt: time.Unix(10, 0)}
	after := before
	after.Phone, after.Notes, after.UpdatedAt = "2", "", time.Unix(20, 0)
	e := ClientUpdated(ModeLive, before, after)
	p := e.Previous
	if p.Fields.Name != nil || p.Fields.Email != nil || *p.Fields.Phone != "1" || *p.Fields.Notes != "n" || !p.UpdatedAt.Equal(before.UpdatedAt) {
		t.Errorf("previous %+v", p)
	}
	var back Event
	back.ClientID = 1
	if err := back.DecodeData(EncodeEventData(e)); err != nil || *back.Previous.Fields.Phone != "1" || back.Client.Phone != "2" || back.Client.ID != 1 {
		t.Errorf("stored form round trip: %+v %v", back, err)
	}
}
