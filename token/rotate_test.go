package token

import (
	"errors"
	"strings"
	"testing"
)

// TestSecretRotation: after SetSecrets with a new secret, new tokens name
// and use it, tokens of the previous secret still verify (from the cache
// too), and once the previous secret is dropped they are refused, even
// when the cache remembers them.
func TestSecretRotation(t *testing.T) {
	s := testSigner(epoch)
	cache := &CachingVerifier{Signer: s}
	old, _, err := s.Issue(testClaims)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cache.Verify(old); err != nil {
		t.Fatal(err)
	}
	previous := Secret{ID: s.SecretID, Value: s.Secret}
	next := Secret{ID: "kid-2", Value: []byte(strings.Repeat("n", 32))}
	s.SetSecrets(next, []Secret{previous})
	fresh, _, err := s.Issue(testClaims)
	if err != nil {
		t.Fatal(err)
	}
	for name, raw := range map[string]string{"previous secret's token": old, "new secret's token": fresh} {
		if _, err := s.Verify(raw); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if _, err := cache.Verify(raw); err != nil {
			t.Errorf("%s through the cache: %v", name, err)
		}
	}
	if _, err := (&Signer{SecretID: "kid-2", Secret: next.Value, Issuer: s.Issuer, Audience: s.Audience, Now: s.Now}).Verify(fresh); err != nil {
		t.Errorf("the new token is not signed with the new secret: %v", err)
	}

	s.SetSecrets(next, nil) // the previous secret revoked
	if _, err := s.Verify(old); !errors.Is(err, ErrUnknownSecret) || !errors.Is(err, ErrInvalid) {
		t.Errorf("the revoked secret's token: %v, want ErrUnknownSecret", err)
	}
	if _, err := cache.Verify(old); !errors.Is(err, ErrUnknownSecret) {
		t.Errorf("the revoked secret's token from the cache: %v, want ErrUnknownSecret", err)
	}
	if _, err := cache.Verify(fresh); err != nil {
		t.Errorf("the current secret's token: %v", err)
	}
}
