// Package fatora holds the vocabulary of the Fatora-compatible Clients API:
// merchants, their API keys, their clients, the services that manage them and
// the one error type every layer speaks. It imports nothing of this module;
// the stores (sqlite, postgres), the HTTP API (httpapi) and the commands in
// cmd/ all depend on it, never the other way round.
package fatora

import (
	"context"
	"time"
)

// Mode separates a merchant's test data from its live data. Every API key
// belongs to one mode, and data created with one mode's key is invisible to
// the other mode.
type Mode string

// The two account modes.
const (
	ModeTest Mode = "test"
	ModeLive Mode = "live"
)

// Valid reports whether m is one of the known modes.
func (m Mode) Valid() bool { return m == ModeTest || m == ModeLive }

// ParseMode returns the mode named s, or an invalid_field error.
func ParseMode(s string) (Mode, error) {
	m := Mode(s)
	if !m.Valid() {
		return "", Errorf(CodeInvalidField, "mode must be %q or %q", ModeTest, ModeLive)
	}
	return m, nil
}

// Scope is the tenant a request acts for: one merchant in one mode. Stores
// read it from the context and filter every query by it.
type Scope struct {
	MerchantID int64
	Mode       Mode
	// Region is the merchant's default region (see Merchant.Region); ""
	// reads as DefaultRegion.
	Region string
}

type scopeKey struct{}

// WithScope returns a context that carries the authenticated scope.
func WithScope(ctx context.Context, s Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, s)
}

// ScopeFrom returns the authenticated scope carried by ctx. It returns an
// unauthorized error when ctx carries none, so a store refuses to run a
// tenant query that nobody authenticated.
func ScopeFrom(ctx context.Context) (Scope, error) {
	s, ok := ctx.Value(scopeKey{}).(Scope)
	if !ok || s.MerchantID == 0 || !s.Mode.Valid() {
		return Scope{}, Errorf(CodeUnauthorized, "no authenticated merchant")
	}
	return s, nil
}

// Clock tells the time. Stores and token issuers take one so tests control it.
type Clock func() time.Time
