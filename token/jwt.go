package token

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// HashClaim is the name of the GUID claim Fatora's tokens carry; ours holds
// the id of the API key the token was issued from.
const HashClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/hash"

// DefaultTTL is how long a token lives unless the server sets another
// lifetime: 360 days, as Fatora's sample token does, so integrations that
// keep a token in their configuration keep working. A long lifetime is safe
// because every request checks, server-side, that the key the token was
// issued from is still active (see httpapi.CredentialTTL).
const DefaultTTL = 360 * 24 * time.Hour

// Leeway is the clock skew tolerated on exp, nbf and iat.
const Leeway = 30 * time.Second

// Claims is the payload of a bearer token: Fatora's claims (unique_name, the
// hash GUID, nbf, iat, exp) and ours (merchant, mode, iss, aud).
type Claims struct {
	// UniqueName is "<merchant number>-:<merchant email>", as Fatora writes it.
	UniqueName string `json:"unique_name"`
	// KeyID is the public id of the API key the token was issued from.
	KeyID    string `json:"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/hash"`
	Merchant string `json:"merchant"`
	Mode     string `json:"mode"`
	jwt.RegisteredClaims
}

// Signer issues and verifies tokens with one HMAC secret.
type Signer struct {
	SecretID string
	Secret   []byte
	Issuer   string
	Audience string
	TTL      time.Duration
	Now      func() time.Time
}

// Issue signs a token for c, setting its registered claims, and returns it
// with its expiry.
func (s *Signer) Issue(c Claims) (string, time.Time, error) {
	now := s.Now().Truncate(time.Second)
	exp := now.Add(s.TTL)
	c.RegisteredClaims = jwt.RegisteredClaims{
		Issuer:    s.Issuer,
		Audience:  jwt.ClaimStrings{s.Audience},
		NotBefore: jwt.NewNumericDate(now),
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
	}
	t := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
	t.Header["kid"] = s.SecretID
	signed, err := t.SignedString(s.Secret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign token: %w", err)
	}
	return signed, exp, nil
}

// ErrInvalid is wrapped by every verification failure.
var ErrInvalid = errors.New("invalid token")

// Verify checks a token and returns its claims. It accepts only HS256 under
// the signer's secret (selected by kid), requires exp, checks nbf and iat
// within Leeway, and requires the signer's issuer and audience.
func (s *Signer) Verify(raw string) (Claims, error) {
	if err := numericDates(raw); err != nil {
		return Claims{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	var c Claims
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(s.Issuer),
		jwt.WithAudience(s.Audience),
		jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(s.Now),
	)
	_, err := p.ParseWithClaims(raw, &c, s.key)
	if err != nil {
		return Claims{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if c.KeyID == "" || c.Merchant == "" || c.Mode == "" {
		return Claims{}, fmt.Errorf("%w: missing key, merchant or mode claim", ErrInvalid)
	}
	return c, nil
}

// key selects the secret by the token's kid; kid is compared, never used to
// look anything else up.
func (s *Signer) key(t *jwt.Token) (any, error) {
	if kid, _ := t.Header["kid"].(string); kid != s.SecretID {
		return nil, errors.New("unknown signing key")
	}
	return s.Secret, nil
}

// numericDates refuses a token whose exp, nbf or iat is not a JSON number
// (RFC 7519 NumericDate): the JWT library would also read a string holding
// digits, which no issuer of ours writes.
func numericDates(raw string) error {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return errors.New("not three parts")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return errors.New("payload is not base64url")
	}
	var claims map[string]json.RawMessage
	if err := json.Unmarshal(payload, &claims); err != nil {
		return errors.New("payload is not a JSON object")
	}
	for _, name := range []string{"exp", "nbf", "iat"} {
		v, ok := claims[name]
		if ok && (len(v) == 0 || (v[0] != '-' && (v[0] < '0' || v[0] > '9'))) {
			return fmt.Errorf("%s is not a number", name)
		}
	}
	return nil
}
