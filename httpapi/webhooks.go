package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/webhook"
)

// registerWebhooks adds the webhook endpoints' endpoints.
func (s *Server) registerWebhooks(rt *router) {
	mws := []middleware{acceptsJSON, s.authenticate}
	rt.handle("/v1/webhook_endpoints", map[string]handlerFunc{
		http.MethodGet: s.listWebhookEndpoints, http.MethodPost: s.createWebhookEndpoint,
	}, mws...)
	rt.handle("/v1/webhook_endpoints/{id}", map[string]handlerFunc{
		http.MethodGet: s.getWebhookEndpoint, http.MethodPatch: s.updateWebhookEndpoint, http.MethodDelete: s.deleteWebhookEndpoint,
	}, mws...)
	rt.handle("/v1/webhook_endpoints/{id}/rotate_secret", map[string]handlerFunc{http.MethodPost: s.rotateWebhookSecret}, mws...)
	rt.handle("/v1/webhook_endpoints/{id}/test", map[string]handlerFunc{http.MethodPost: s.testWebhookEndpoint}, mws...)
	rt.handle("/v1/webhook_endpoints/{id}/deliveries", map[string]handlerFunc{http.MethodGet: s.listDeliveries}, mws...)
}

// endpointBody is a create or update body; absent members are nil.
type endpointBody struct {
	URL         *string   `json:"url"`
	Description *string   `json:"description"`
	Events      *[]string `json:"events"`
	Enabled     *bool     `json:"enabled"`
}

// update is the body as an update, its URL checked against the targets.
func (b endpointBody) update(targets webhook.Targets) (fatora.WebhookEndpointUpdate, error) {
	u := fatora.WebhookEndpointUpdate{URL: b.URL, Description: b.Description, Enabled: b.Enabled}
	if b.URL != nil {
		if err := targets.CheckURL(*b.URL); err != nil {
			return u, err
		}
	}
	if b.Events != nil {
		types := []fatora.EventType{}
		for _, name := range *b.Events {
			if name == "*" && len(*b.Events) == 1 {
				break
			}
			types = append(types, fatora.EventType(name))
		}
		u.Events = &types
	}
	return u, nil
}

// createWebhookEndpoint handles POST /v1/webhook_endpoints: 201 with the
// endpoint and its secret, shown this once (and to a retry with the same
// Idempotency-Key, whose kept answer holds it).
func (s *Server) createWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	var b endpointBody
	if err := decodeStrict(w, r, &b); err != nil {
		return err
	}
	if b.URL == nil {
		return fatora.WebhookURLError("is required")
	}
	u, err := b.update(s.WebhookTargets)
	if err != nil {
		return err
	}
	e, err := u.Apply(fatora.WebhookEndpoint{ID: fatora.NewWebhookEndpointID(), Enabled: true, Secret: webhook.NewSecret()})
	if err != nil {
		return err
	}
	render := func(e fatora.WebhookEndpoint) fatora.StoredResponse {
		body, _ := encodeJSON(endpointResponse{Status: "SUCCESS", Endpoint: toEndpointJSON(e, true)})
		return fatora.StoredResponse{Status: http.StatusCreated, Location: "/v1/webhook_endpoints/" + e.ID, Body: body}
	}
	return s.changeEndpoint(w, r, b.canonical(), render, func(ctx context.Context) (fatora.WebhookEndpoint, error) {
		return e, s.Webhooks.CreateWebhookEndpoint(ctx, &e)
	})
}

// canonical is the body in one form, for an idempotency key's fingerprint.
func (b endpointBody) canonical() []byte {
	raw, _ := json.Marshal(b)
	return raw
}

// listWebhookEndpoints handles GET /v1/webhook_endpoints.
func (s *Server) listWebhookEndpoints(w http.ResponseWriter, r *http.Request) error {
	es, err := s.Webhooks.FindWebhookEndpoints(r.Context())
	if err != nil {
		return err
	}
	out := endpointListResponse{Status: "SUCCESS", Endpoints: make([]endpointJSON, len(es))}
	for i, e := range es {
		out.Endpoints[i] = toEndpointJSON(e, false)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getWebhookEndpoint handles GET /v1/webhook_endpoints/{id}.
func (s *Server) getWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Webhooks.FindWebhookEndpointByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, endpointResponse{Status: "SUCCESS", Endpoint: toEndpointJSON(e, false)})
	return nil
}

// updateWebhookEndpoint handles PATCH /v1/webhook_endpoints/{id}: url,
// description, events and enabled, each only when sent.
func (s *Server) updateWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	var b endpointBody
	if err := decodeStrict(w, r, &b); err != nil {
		return err
	}
	u, err := b.update(s.WebhookTargets)
	if err != nil {
		return err
	}
	render := func(e fatora.WebhookEndpoint) fatora.StoredResponse {
		body, _ := encodeJSON(endpointResponse{Status: "SUCCESS", Endpoint: toEndpointJSON(e, false)})
		return fatora.StoredResponse{Status: http.StatusOK, Body: body}
	}
	return s.changeEndpoint(w, r, b.canonical(), render, func(ctx context.Context) (fatora.WebhookEndpoint, error) {
		return s.Webhooks.UpdateWebhookEndpoint(ctx, r.PathValue("id"), u)
	})
}

// deleteWebhookEndpoint handles DELETE /v1/webhook_endpoints/{id}.
func (s *Server) deleteWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	noContent := func(fatora.WebhookEndpoint) fatora.StoredResponse {
		return fatora.StoredResponse{Status: http.StatusNoContent}
	}
	return s.changeEndpoint(w, r, nil, noContent, func(ctx context.Context) (fatora.WebhookEndpoint, error) {
		return fatora.WebhookEndpoint{}, s.Webhooks.DeleteWebhookEndpoint(ctx, r.PathValue("id"))
	})
}

// rotateWebhookSecret handles POST /v1/webhook_endpoints/{id}/rotate_secret:
// a new secret, shown this once; the old one keeps signing beside it for
// 24 hours.
func (s *Server) rotateWebhookSecret(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Webhooks.RotateWebhookSecret(r.Context(), r.PathValue("id"), webhook.NewSecret(), s.Now().Add(fatora.SecretOverlap))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, endpointResponse{Status: "SUCCESS", Endpoint: toEndpointJSON(e, true)})
	return nil
}

// testWebhookEndpoint handles POST /v1/webhook_endpoints/{id}/test: a
// webhook.test event, delivered to this endpoint only.
func (s *Server) testWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Webhooks.SendTestEvent(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	s.wakeDeliveries()
	writeJSON(w, http.StatusAccepted, eventResponse{Status: "SUCCESS", Event: toEventJSON(e)})
	return nil
}

// listDeliveries handles GET /v1/webhook_endpoints/{id}/deliveries?limit=&cursor=:
// the endpoint's attempts, newest first.
func (s *Server) listDeliveries(w http.ResponseWriter, r *http.Request) error {
	limit, before, err := parseDeliveryQuery(r)
	if err != nil {
		return err
	}
	as, err := s.Webhooks.FindDeliveryAttempts(r.Context(), r.PathValue("id"), before, limit+1)
	if err != nil {
		return err
	}
	out := deliveryListResponse{Status: "SUCCESS", Deliveries: []attemptJSON{}}
	if len(as) > limit {
		as = as[:limit]
		out.NextCursor = strconv.FormatInt(as[limit-1].ID, 10)
	}
	for _, a := range as {
		out.Deliveries = append(out.Deliveries, toAttemptJSON(a))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// parseDeliveryQuery reads limit (1 to 100, 20 by default) and cursor.
func parseDeliveryQuery(r *http.Request) (limit int, before int64, err error) {
	limit = 20
	for name, vals := range r.URL.Query() {
		var n int64
		n, err = positiveParam(name, vals[0])
		switch {
		case len(vals) > 1:
			err = fatora.Errorf(fatora.CodeInvalidQuery, "The parameter %q is given more than once.", name)
		case name == "limit" && n > 100:
			err = fatora.Errorf(fatora.CodeInvalidQuery, "limit must be a whole number from 1 to 100.")
		case name == "limit" && n > 0:
			limit = int(n)
		case name == "cursor":
			before = n
		case name != "limit":
			err = fatora.Errorf(fatora.CodeInvalidQuery, "%q is not a parameter of this list; use limit and cursor.", name)
		}
		if err != nil {
			return 0, 0, err
		}
	}
	return limit, before, nil
}

// wakeDeliveries tells the delivery loop of this server that a delivery
// is due, if it listens.
func (s *Server) wakeDeliveries() {
	if s.WakeDeliveries != nil {
		s.WakeDeliveries()
	}
}

// endpointTime formats an optional time: nil when zero.
func endpointTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	v := t.UTC().Format(timeFormat)
	return &v
}
