package httpapi

import (
	"context"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/token"
)

// authorizeResponse is Fatora's Authorize answer plus the token's expiry.
type authorizeResponse struct {
	Success     bool   `json:"success"`
	BearerToken string `json:"bearer_token"`
	ExpiresAt   string `json:"expires_at"`
}

// authorizeRoute is the pattern of the Authorize endpoint, whose errors
// keep Fatora's shape (see writeError).
const authorizeRoute = "/v1/authorization/authorize"

// authorize handles GET and POST /v1/Authorization/Authorize: it exchanges
// the api_key header for a bearer token. The key is read from the header
// only, never from the query string or the body.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) error {
	key, err := apiKeyHeader(r)
	if err != nil {
		return err
	}
	cred, err := s.credentialByKey(r, key, false)
	if err != nil {
		return err
	}
	info := infoOf(r)
	info.merchant, info.mode = cred.Merchant.Number, string(cred.Key.Mode)
	s.keyUses.note(cred.Key.ID, s.Now())
	raw, exp, err := s.Signer.Issue(token.Claims{
		UniqueName: cred.Merchant.Number + "-:" + cred.Merchant.Email,
		KeyID:      cred.Key.ID, Merchant: cred.Merchant.Number, Mode: string(cred.Key.Mode),
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, authorizeResponse{Success: true, BearerToken: raw, ExpiresAt: exp.UTC().Format(time.RFC3339)})
	return nil
}

// apiKeyHeaders are the names the API key may come under: api_key, as
// Fatora documents it, and api-key, for proxies (nginx by default) that
// drop header names with underscores. Both are in canonical form.
var apiKeyHeaders = []string{"Api_key", "Api-Key"}

// hasAPIKeyHeader reports whether r carries the API key under either name.
func hasAPIKeyHeader(r *http.Request) bool {
	_, underscore := r.Header[apiKeyHeaders[0]]
	_, hyphen := r.Header[apiKeyHeaders[1]]
	return underscore || hyphen
}

// apiKeyHeader returns the one API key header of r.
func apiKeyHeader(r *http.Request) (string, error) {
	vals := append(r.Header.Values(apiKeyHeaders[0]), r.Header.Values(apiKeyHeaders[1])...)
	switch {
	case len(vals) == 0 || vals[0] == "":
		return "", fatora.Errorf(fatora.CodeUnauthorized, "Send your API key in the api_key header.")
	case len(vals) > 1:
		return "", fatora.Errorf(fatora.CodeInvalidAPIKey, "Send exactly one api_key (or api-key) header.")
	case len(vals[0]) > token.MaxAPIKeyLen:
		return "", errInvalidAPIKey
	}
	return vals[0], nil
}

// errInvalidAPIKey says, in Fatora's words, that no active key has the
// value sent.
var errInvalidAPIKey = fatora.Errorf(fatora.CodeInvalidAPIKey, "Invalid API Key")

// credentialByKey finds the active credential of an API key value. cached
// allows an answer up to CredentialTTL old.
func (s *Server) credentialByKey(r *http.Request, key string, cached bool) (fatora.Credential, error) {
	canonical := token.CanonicalAPIKey(key)
	hash := token.HashAPIKey(canonical)
	load := func(ctx context.Context) (fatora.Credential, error) {
		cred, err := s.Credentials.FindCredentialByHash(ctx, hash)
		if fatora.ErrorCode(err) == fatora.CodeNotFound && canonical != key {
			// A GUID key stored before keys were made canonical kept its case.
			cred, err = s.Credentials.FindCredentialByHash(ctx, token.HashAPIKey(key))
		}
		return cred, err
	}
	var cred fatora.Credential
	var err error
	if cached {
		cred, err = s.creds.get(r.Context(), "hash:"+hex.EncodeToString(hash), load)
	} else {
		cred, err = load(r.Context())
	}
	if fatora.ErrorCode(err) == fatora.CodeNotFound {
		return cred, errInvalidAPIKey
	}
	if err != nil {
		return cred, err
	}
	return cred, cred.Check(s.Now())
}

// authenticate lets a request through only with a valid bearer token, or
// (as Fatora's older pages did) a valid api_key header, and puts the
// merchant's scope in its context.
func (s *Server) authenticate(next handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		cred, err := s.credential(r)
		if err != nil {
			return err
		}
		info := infoOf(r)
		info.merchant, info.mode = cred.Merchant.Number, string(cred.Key.Mode)
		s.keyUses.note(cred.Key.ID, s.Now())
		return next(w, r.WithContext(fatora.WithScope(r.Context(), cred.Scope())))
	}
}

func (s *Server) credential(r *http.Request) (fatora.Credential, error) {
	auth := r.Header.Values("Authorization")
	switch {
	case len(auth) > 1:
		return fatora.Credential{}, fatora.Errorf(fatora.CodeInvalidToken, "Send exactly one Authorization header.")
	case len(auth) == 1:
		return s.credentialByToken(r, auth[0])
	}
	if hasAPIKeyHeader(r) {
		key, err := apiKeyHeader(r)
		if err != nil {
			return fatora.Credential{}, err
		}
		return s.credentialByKey(r, key, true)
	}
	return fatora.Credential{}, fatora.Errorf(fatora.CodeUnauthorized,
		"Send a bearer token from /v1/Authorization/Authorize in the Authorization header.")
}

var errInvalidToken = fatora.Errorf(fatora.CodeInvalidToken, "The bearer token is not valid or has expired.")

// credentialByToken checks an Authorization header value, "Bearer <jwt>"
// (the scheme in any letter case), and the key the token was issued from.
func (s *Server) credentialByToken(r *http.Request, header string) (fatora.Credential, error) {
	scheme, raw, ok := strings.Cut(header, " ")
	raw = strings.TrimLeft(raw, " ") // RFC 9110: one or more spaces after the scheme
	if !ok || !strings.EqualFold(scheme, "Bearer") || raw == "" || strings.ContainsAny(raw, " \t") {
		return fatora.Credential{}, fatora.Errorf(fatora.CodeInvalidToken, "The Authorization header must be \"Bearer <token>\".")
	}
	claims, err := s.verifier.Verify(raw)
	if err != nil {
		return fatora.Credential{}, errInvalidToken
	}
	cred, err := s.creds.get(r.Context(), "id:"+claims.KeyID, func(ctx context.Context) (fatora.Credential, error) {
		return s.Credentials.FindCredentialByKeyID(ctx, claims.KeyID)
	})
	switch {
	case fatora.ErrorCode(err) == fatora.CodeNotFound:
		return cred, errInvalidToken
	case err != nil:
		return cred, err
	case cred.Merchant.Number != claims.Merchant || string(cred.Key.Mode) != claims.Mode:
		return cred, errInvalidToken
	}
	return cred, cred.Check(s.Now())
}
