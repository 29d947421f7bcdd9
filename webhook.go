package fatora

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxWebhookEndpoints is how many endpoints a merchant may have in one mode.
const MaxWebhookEndpoints = 16

// Webhook endpoint text limits.
const (
	MaxWebhookURLLen         = 2048
	MaxWebhookDescriptionLen = 500
)

// SecretOverlap is how long a rotated secret keeps signing beside the new
// one.
const SecretOverlap = 24 * time.Hour

// CodeLimitReached is the error code for a resource a merchant has the most
// of already (webhook endpoints).
const CodeLimitReached = "limit_reached"

// WebhookEndpoint is a URL of the merchant's systems that events are
// delivered to.
type WebhookEndpoint struct {
	// ID is "we_" and a UUIDv7 in hex.
	ID          string
	URL         string
	Description string
	// Events are the types delivered; empty means every type.
	Events  []EventType
	Enabled bool
	// DisabledReason says why the server disabled the endpoint (a 410
	// answer, or failing for DisableAfterFailing); "" when enabled or
	// disabled by the merchant.
	DisabledReason string
	// FailingSince is when deliveries began to fail without a success
	// since; zero while they succeed.
	FailingSince time.Time
	// Secret signs deliveries; PreviousSecret signs beside it until
	// PreviousSecretUntil, after a rotation.
	Secret              string
	PreviousSecret      string
	PreviousSecretUntil time.Time
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// Subscribed reports whether the endpoint takes events of type t.
func (w WebhookEndpoint) Subscribed(t EventType) bool {
	return len(w.Events) == 0 || slices.Contains(w.Events, t)
}

// SigningSecrets returns the secrets that sign a delivery at now: the
// current one, and the previous one during its overlap.
func (w WebhookEndpoint) SigningSecrets(now time.Time) []string {
	if w.PreviousSecret != "" && now.Before(w.PreviousSecretUntil) {
		return []string{w.Secret, w.PreviousSecret}
	}
	return []string{w.Secret}
}

// WebhookEndpointUpdate names the members of an endpoint to change; nil
// leaves a member as it is.
type WebhookEndpointUpdate struct {
	URL         *string
	Description *string
	Events      *[]EventType
	Enabled     *bool
}

// Normalize checks a new endpoint's description and events (the URL is
// checked by the caller, which knows what addresses it may reach): the
// description at most MaxWebhookDescriptionLen characters of valid UTF-8,
// every event a known type, given once. Errors: invalid_field.
func (w *WebhookEndpoint) Normalize() error {
	if !utf8.ValidString(w.Description) || utf8.RuneCountInString(w.Description) > MaxWebhookDescriptionLen {
		return fieldError("description", "must be valid UTF-8 of at most 500 characters")
	}
	if _, bad := forbiddenControl(w.Description, false); bad {
		return fieldError("description", "must not contain control characters")
	}
	seen := map[EventType]bool{}
	for _, t := range w.Events {
		if !slices.Contains(ClientEventTypes, t) || seen[t] {
			return fieldError("events", "must list client event types ("+eventTypeNames()+"), each once")
		}
		seen[t] = true
	}
	return nil
}

// Apply returns w with the members present in u replaced, normalised.
// Errors: invalid_field.
func (u WebhookEndpointUpdate) Apply(w WebhookEndpoint) (WebhookEndpoint, error) {
	if u.URL != nil {
		w.URL = *u.URL
	}
	if u.Description != nil {
		w.Description = *u.Description
	}
	if u.Events != nil {
		w.Events = *u.Events
	}
	if u.Enabled != nil {
		w.Enabled = *u.Enabled
		if w.Enabled {
			w.DisabledReason, w.FailingSince = "", time.Time{}
		}
	}
	return w, w.Normalize()
}

func eventTypeNames() string {
	names := make([]string, len(ClientEventTypes))
	for i, t := range ClientEventTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// fieldError is an invalid_field error naming one field.
func fieldError(field, msg string) *Error {
	return &Error{Code: CodeInvalidField, Message: "Invalid webhook endpoint: " + field + " " + msg + ".",
		Fields: []FieldError{{Field: field, Message: msg}}}
}

// WebhookURLError is the invalid_field error for an endpoint URL.
func WebhookURLError(msg string) *Error { return fieldError("url", msg) }

// WebhookEndpointNotFound is the error for an endpoint id the caller's
// scope does not hold.
func WebhookEndpointNotFound() *Error {
	return Errorf(CodeNotFound, "No webhook endpoint with this id exists.")
}

// WebhookEndpointLimit is the error for a merchant's seventeenth endpoint
// in one mode.
func WebhookEndpointLimit() *Error {
	return Errorf(CodeLimitReached, "A merchant may have at most %d webhook endpoints in each mode; delete one first.",
		MaxWebhookEndpoints)
}

// WebhookService manages the webhook endpoints of the Scope carried by ctx
// (see WithScope); without a scope it returns CodeUnauthorized. Endpoints
// of another merchant or mode do not exist for it: CodeNotFound.
type WebhookService interface {
	// CreateWebhookEndpoint stores w (whose URL, secret and id the caller
	// made), filling its times. Errors: invalid_field, limit_reached.
	CreateWebhookEndpoint(ctx context.Context, w *WebhookEndpoint) error
	// FindWebhookEndpoints lists the endpoints, oldest first.
	FindWebhookEndpoints(ctx context.Context) ([]WebhookEndpoint, error)
	// FindWebhookEndpointByID returns one endpoint. Errors: not_found.
	FindWebhookEndpointByID(ctx context.Context, id string) (WebhookEndpoint, error)
	// UpdateWebhookEndpoint changes the members present in u. Disabling an
	// endpoint ends its pending deliveries. Errors: not_found,
	// invalid_field.
	UpdateWebhookEndpoint(ctx context.Context, id string, u WebhookEndpointUpdate) (WebhookEndpoint, error)
	// DeleteWebhookEndpoint removes an endpoint and its deliveries.
	// Errors: not_found.
	DeleteWebhookEndpoint(ctx context.Context, id string) error
	// RotateWebhookSecret makes secret the endpoint's secret; the one it
	// replaces keeps signing until until. Errors: not_found.
	RotateWebhookSecret(ctx context.Context, id, secret string, until time.Time) (WebhookEndpoint, error)
	// SendTestEvent writes a test event and schedules its delivery to the
	// endpoint only. Errors: not_found.
	SendTestEvent(ctx context.Context, id string) (Event, error)
	// FindDeliveryAttempts lists the endpoint's latest attempts, newest
	// first: at most limit, before the attempt numbered before (0: the
	// latest). Errors: not_found.
	FindDeliveryAttempts(ctx context.Context, endpointID string, before int64, limit int) ([]DeliveryAttempt, error)
}

// NewWebhookEndpointID returns a new endpoint id: "we_" and a UUIDv7 in
// hex.
func NewWebhookEndpointID() string {
	return "we_" + NewEventID()[len("evt_"):]
}
