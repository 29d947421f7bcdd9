package httpapi

import (
	"github.com/fatora-oss/fatora"
)

// endpointJSON is a webhook endpoint on the wire. Secret is shown only in
// the answers that make one: create and rotate_secret.
type endpointJSON struct {
	ID             string   `json:"id"`
	URL            string   `json:"url"`
	Description    string   `json:"description"`
	Events         []string `json:"events"`
	Enabled        bool     `json:"enabled"`
	DisabledReason string   `json:"disabled_reason"`
	FailingSince   *string  `json:"failing_since"`
	Secret         string   `json:"secret,omitempty"`
	CreatedAt      string   `json:"created_at"`
	UpdatedAt      string   `json:"updated_at"`
}

// toEndpointJSON shows e; withSecret adds its current secret. Events are
// ["*"] for an endpoint taking every type.
func toEndpointJSON(e fatora.WebhookEndpoint, withSecret bool) endpointJSON {
	out := endpointJSON{ID: e.ID, URL: e.URL, Description: e.Description, Events: []string{"*"}, Enabled: e.Enabled,
		DisabledReason: e.DisabledReason, FailingSince: endpointTime(e.FailingSince),
		CreatedAt: e.CreatedAt.UTC().Format(timeFormat), UpdatedAt: e.UpdatedAt.UTC().Format(timeFormat)}
	if len(e.Events) > 0 {
		out.Events = make([]string, len(e.Events))
		for i, t := range e.Events {
			out.Events[i] = string(t)
		}
	}
	if withSecret {
		out.Secret = e.Secret
	}
	return out
}

type endpointResponse struct {
	Status   string       `json:"status"`
	Endpoint endpointJSON `json:"webhook_endpoint"`
}

type endpointListResponse struct {
	Status    string         `json:"status"`
	Endpoints []endpointJSON `json:"webhook_endpoints"`
}

// attemptJSON is one delivery attempt on the wire.
type attemptJSON struct {
	ID         int64  `json:"id"`
	EventID    string `json:"event_id"`
	Attempt    int    `json:"attempt"`
	At         string `json:"at"`
	Status     int    `json:"status"`
	LatencyMS  int64  `json:"latency_ms"`
	Succeeded  bool   `json:"succeeded"`
	Error      string `json:"error"`
	EndpointID string `json:"endpoint_id"`
}

func toAttemptJSON(a fatora.DeliveryAttempt) attemptJSON {
	return attemptJSON{ID: a.ID, EventID: a.EventID, Attempt: a.Attempt, At: a.At.UTC().Format(timeFormat), Status: a.Status,
		LatencyMS: a.Latency.Milliseconds(), Succeeded: a.Succeeded(), Error: a.Error, EndpointID: a.EndpointID}
}

type deliveryListResponse struct {
	Status     string        `json:"status"`
	Deliveries []attemptJSON `json:"deliveries"`
	// NextCursor fetches older attempts; "" when none are left.
	NextCursor string `json:"next_cursor"`
}
