package token

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var epoch = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func testSigner(now time.Time) *Signer {
	return &Signer{
		SecretID: "kid-1", Secret: []byte("0123456789abcdef0123456789abcdef"),
		Issuer: "fatora", Audience: "fatora-api", TTL: time.Hour,
		Now: func() time.Time { return now },
	}
}

var testClaims = Claims{UniqueName: "10001-:shop@example.com", KeyID: "key-guid", Merchant: "10001", Mode: "test"}

func TestIssueThenVerify(t *testing.T) {
	s := testSigner(epoch)
	raw, exp, err := s.Issue(testClaims)
	if err != nil {
		t.Fatal(err)
	}
	if !exp.Equal(epoch.Add(time.Hour)) {
		t.Errorf("expiry = %v, want %v", exp, epoch.Add(time.Hour))
	}
	c, err := s.Verify(raw)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if c.UniqueName != testClaims.UniqueName || c.KeyID != "key-guid" || c.Merchant != "10001" || c.Mode != "test" {
		t.Errorf("claims = %+v", c)
	}
	if !strings.Contains(decodePart(t, raw, 1), `"`+HashClaim+`":"key-guid"`) {
		t.Errorf("payload lacks the Fatora hash claim: %s", decodePart(t, raw, 1))
	}
	if h := decodePart(t, raw, 0); !strings.Contains(h, `"alg":"HS256"`) || !strings.Contains(h, `"kid":"kid-1"`) {
		t.Errorf("header = %s", h)
	}
}

func TestVerifyAcceptsClockSkewWithinLeeway(t *testing.T) {
	raw, _, _ := testSigner(epoch.Add(10 * time.Second)).Issue(testClaims)
	if _, err := testSigner(epoch).Verify(raw); err != nil {
		t.Fatalf("token issued 10s in the future refused: %v", err)
	}
}

func TestVerifyRefuses(t *testing.T) {
	s := testSigner(epoch)
	good, _, _ := s.Issue(testClaims)
	parts := strings.Split(good, ".")
	future := epoch.Add(10 * time.Minute)
	tests := []struct {
		name string
		raw  string
	}{
		{"empty", ""},
		{"tampered payload", parts[0] + "." + encode(`{"merchant":"10002"}`) + "." + parts[2]},
		{"stripped signature", parts[0] + "." + parts[1] + "."},
		{"alg none", encode(`{"alg":"none","typ":"JWT","kid":"kid-1"}`) + "." + parts[1] + "."},
		{"alg noNE", encode(`{"alg":"noNE","typ":"JWT","kid":"kid-1"}`) + "." + parts[1] + "."},
		{"alg missing", encode(`{"typ":"JWT","kid":"kid-1"}`) + "." + parts[1] + "." + parts[2]},
		{"HS512 with our secret", sign(t, jwt.SigningMethodHS512, s.Secret, "kid-1", fullClaims(epoch, time.Hour))},
		{"HS384 with our secret", sign(t, jwt.SigningMethodHS384, s.Secret, "kid-1", fullClaims(epoch, time.Hour))},
		{"other secret", sign(t, jwt.SigningMethodHS256, []byte("another-secret-another-secret-32"), "kid-1", fullClaims(epoch, time.Hour))},
		{"unknown kid", sign(t, jwt.SigningMethodHS256, s.Secret, "kid-2", fullClaims(epoch, time.Hour))},
		{"kid injection", sign(t, jwt.SigningMethodHS256, s.Secret, "' OR 1=1--", fullClaims(epoch, time.Hour))},
		{"expired past leeway", sign(t, jwt.SigningMethodHS256, s.Secret, "kid-1", fullClaims(epoch.Add(-2*time.Hour), time.Hour))},
		{"exp missing", sign(t, jwt.SigningMethodHS256, s.Secret, "kid-1", without(fullClaims(epoch, time.Hour), "exp"))},
		{"exp zero", sign(t, jwt.SigningMethodHS256, s.Secret, "kid-1", with(fullClaims(epoch, time.Hour), "exp", 0))},
		{"exp string", sign(t, jwt.SigningMethodHS256, s.Secret, "kid-1", with(fullClaims(epoch, time.Hour), "exp", "tomorrow"))},
		{"exp digits in a string", sign(t, jwt.SigningMethodHS256, s.Secret, "kid-1", with(fullClaims(epoch, time.Hour), "exp", strconv.FormatInt(epoch.Add(time.Hour).Unix(), 10)))},
		{"nbf digits in a string", sign(t, jwt.SigningMethodHS256, s.Secret, "kid-1", with(fullClaims(epoch, time.Hour), "nbf", strconv.FormatInt(epoch.Unix(), 10)))},
		{"iat digits in a string", sign(t, jwt.SigningMethodHS256, s.Secret, "kid-1", with(fullClaims(epoch, time.Hour), "iat", strconv.FormatInt(epoch.Unix(), 10)))},
		{"nbf in the future", sign(t, jwt.SigningMethodHS256, s.Secret, "kid-1", with(fullClaims(epoch, time.Hour), "nbf", future.Unix()))},
		{"iat in the future", sign(t, jwt.SigningMethodHS256, s.Secret, "kid-1", with(fullClaims(epoch, time.Hour), "iat", future.Unix()))},
		{"wrong issuer", sign(t, jwt.SigningMethodHS256, s.Secret, "kid-1", with(fullClaims(epoch, time.Hour), "iss", "evil"))},
		{"wrong audience", sign(t, jwt.SigningMethodHS256, s.Secret, "kid-1", with(fullClaims(epoch, time.Hour), "aud", "other"))},
		{"no key claim", sign(t, jwt.SigningMethodHS256, s.Secret, "kid-1", without(fullClaims(epoch, time.Hour), HashClaim))},
		{"four segments", good + ".x"},
		{"many dots", strings.Repeat(".", 100000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Verify(tt.raw); !errors.Is(err, ErrInvalid) {
				t.Fatalf("Verify error = %v, want ErrInvalid", err)
			}
		})
	}
}

func fullClaims(iat time.Time, ttl time.Duration) jwt.MapClaims {
	return jwt.MapClaims{
		"unique_name": "10001-:shop@example.com", HashClaim: "key-guid", "merchant": "10001", "mode": "test",
		"iss": "fatora", "aud": "fatora-api", "nbf": iat.Unix(), "iat": iat.Unix(), "exp": iat.Add(ttl).Unix(),
	}
}

func with(c jwt.MapClaims, k string, v any) jwt.MapClaims { c[k] = v; return c }

func without(c jwt.MapClaims, k string) jwt.MapClaims { delete(c, k); return c }

func sign(t *testing.T, m jwt.SigningMethod, secret []byte, kid string, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, c)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(secret)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func encode(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func decodePart(t *testing.T, raw string, i int) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(raw, ".")[i])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCachingVerifier(t *testing.T) {
	now := epoch
	s := testSigner(now)
	s.Now = func() time.Time { return now }
	v := &CachingVerifier{Signer: s}
	raw, _, _ := s.Issue(testClaims)
	for range 2 {
		if c, err := v.Verify(raw); err != nil || c.KeyID != "key-guid" {
			t.Fatalf("Verify = %+v, %v", c, err)
		}
	}
	if _, err := v.Verify(raw[:len(raw)-2] + "xx"); !errors.Is(err, ErrInvalid) {
		t.Errorf("a tampered token passed: %v", err)
	}
	now = now.Add(time.Hour + Leeway)
	if _, err := v.Verify(raw); !errors.Is(err, ErrInvalid) {
		t.Errorf("a remembered token passed after its expiry: %v", err)
	}
	early := testSigner(epoch.Add(10 * time.Minute))
	future, _, _ := early.Issue(testClaims)
	now = epoch
	if _, err := v.Verify(future); !errors.Is(err, ErrInvalid) {
		t.Errorf("a token whose nbf is 10 minutes ahead passed: %v", err)
	}
}

// BenchmarkVerify is the full check of a bearer token.
func BenchmarkVerify(b *testing.B) {
	s := testSigner(epoch)
	raw, _, _ := s.Issue(testClaims)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Verify(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyRemembered is the check of a token seen before.
func BenchmarkVerifyRemembered(b *testing.B) {
	s := testSigner(epoch)
	v := &CachingVerifier{Signer: s}
	raw, _, _ := s.Issue(testClaims)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(raw); err != nil {
			b.Fatal(err)
		}
	}
}
