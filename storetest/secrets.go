package storetest

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/token"
)

func newSigningSecret() (fatora.SigningSecret, error) {
	return fatora.SigningSecret{ID: token.NewID(), Secret: token.NewSecret()}, nil
}

// secretIDs lists the ids of secrets.
func secretIDs(secrets []fatora.SigningSecret) []string {
	ids := make([]string, len(secrets))
	for i, s := range secrets {
		ids[i] = s.ID
	}
	return ids
}

// testSigningSecretRotation: a rotation makes the fresh secret current and
// keeps the one it replaces as previous (the latest first); revoking
// forgets the previous ones; rotations at once lose no secret.
func testSigningSecretRotation(t *testing.T, open func(testing.TB) Store) {
	s := open(t)
	ctx := context.Background()
	first, err := s.Merchants.SigningSecret(ctx, newSigningSecret)
	if err != nil {
		t.Fatal(err)
	}
	var fresh []fatora.SigningSecret
	for range 2 {
		f, _ := newSigningSecret()
		if err := s.Merchants.RotateSigningSecret(ctx, f); err != nil {
			t.Fatalf("RotateSigningSecret: %v", err)
		}
		fresh = append(fresh, f)
	}
	current, err := s.Merchants.SigningSecret(ctx, newSigningSecret)
	if err != nil || current.ID != fresh[1].ID || string(current.Secret) != string(fresh[1].Secret) {
		t.Fatalf("current secret %s (%v), want the last rotation's %s", current.ID, err, fresh[1].ID)
	}
	previous, err := s.Merchants.PreviousSigningSecrets(ctx)
	if want := []string{fresh[0].ID, first.ID}; err != nil || !slices.Equal(secretIDs(previous), want) {
		t.Fatalf("previous secrets %v (%v), want %v", secretIDs(previous), err, want)
	}
	if string(previous[1].Secret) != string(first.Secret) {
		t.Error("a previous secret's value changed")
	}
	if n, err := s.Merchants.RevokePreviousSigningSecrets(ctx); n != 2 || err != nil {
		t.Fatalf("RevokePreviousSigningSecrets = %d, %v; want 2", n, err)
	}
	if previous, err := s.Merchants.PreviousSigningSecrets(ctx); len(previous) != 0 || err != nil {
		t.Fatalf("after revoking: %v, %v", secretIDs(previous), err)
	}

	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			f, _ := newSigningSecret()
			if err := s.Merchants.RotateSigningSecret(ctx, f); err != nil {
				t.Errorf("concurrent RotateSigningSecret: %v", err)
			}
		})
	}
	wg.Wait()
	if previous, err := s.Merchants.PreviousSigningSecrets(ctx); len(previous) != 4 || err != nil {
		t.Errorf("after 4 rotations at once: %d previous secrets (%v), want 4: the one before them and 3 of theirs", len(previous), err)
	}
}
