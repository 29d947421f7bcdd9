package apitest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/token"
)

// Merchant is a merchant of an Env with an API key of each mode and a
// bearer token for each key.
type Merchant struct {
	fatora.Merchant
	// Keys, KeyIDs and Tokens hold, by mode, the API key, its id (the
	// tokens' hash claim) and a bearer token issued for it.
	Keys   map[fatora.Mode]string
	KeyIDs map[fatora.Mode]string
	Tokens map[fatora.Mode]string
}

// Scope returns the merchant's scope in mode, for calling the store
// directly.
func (m *Merchant) Scope(mode fatora.Mode) fatora.Scope {
	return fatora.Scope{MerchantID: m.ID, Mode: mode}
}

// NewMerchant registers a merchant named name, whose e-mail is
// name@example.com, with a test and a live key, and authorizes each key
// at the server for a token.
func (e *Env) NewMerchant(name string) *Merchant {
	e.t.Helper()
	m := &Merchant{Merchant: fatora.Merchant{Name: name, Email: name + "@example.com"},
		Keys: map[fatora.Mode]string{}, KeyIDs: map[fatora.Mode]string{}, Tokens: map[fatora.Mode]string{}}
	modes := []fatora.Mode{fatora.ModeTest, fatora.ModeLive}
	var keys []*fatora.APIKey
	for _, mode := range modes {
		m.Keys[mode] = token.GenerateAPIKey(string(mode))
		k := &fatora.APIKey{ID: token.NewID(), Mode: mode, Prefix: token.DisplayPrefix(m.Keys[mode]), Hash: token.HashAPIKey(m.Keys[mode])}
		m.KeyIDs[mode] = k.ID
		keys = append(keys, k)
	}
	if err := e.Services.Merchants.CreateMerchant(context.Background(), &m.Merchant, keys); err != nil {
		e.t.Fatal(err)
	}
	for _, mode := range modes {
		m.Tokens[mode] = e.Authorize(m.Keys[mode])
	}
	return m
}

// Authorize exchanges key for a bearer token at the server: a merchant
// that another Env on the same database registered gets a token of this
// one's.
func (e *Env) Authorize(key string) string {
	e.t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/v1/Authorization/Authorize", nil)
	r.Header.Set("api_key", key)
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, r)
	var body struct {
		BearerToken string `json:"bearer_token"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); rec.Code != http.StatusOK || err != nil || body.BearerToken == "" {
		e.t.Fatalf("Authorize answered %d %s", rec.Code, rec.Body)
	}
	return body.BearerToken
}
