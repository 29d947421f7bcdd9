package fatora_test

import (
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

func TestNewClient(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	c, match, err := fatora.NewClient(fatora.ClientFields{Name: "e\u0301", Email: " A@Example.com "}, now)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "\u00e9" || c.Email != "A@Example.com" || !c.CreatedAt.Equal(now) || !c.UpdatedAt.Equal(now) || c.ID != 0 {
		t.Errorf("NewClient = %+v, want the fields normalised, created and updated at %v", c, now)
	}
	if match != c.MatchKeys() || match.EmailFolded != "a@example.com" {
		t.Errorf("match keys %+v, want those of %+v", match, c.ClientFields)
	}
	if _, _, err := fatora.NewClient(fatora.ClientFields{Name: " "}, now); fatora.ErrorCode(err) != fatora.CodeInvalidField {
		t.Errorf("a blank name gives %v, want invalid_field", err)
	}
}

func TestClientUpdateApplyTo(t *testing.T) {
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := created.Add(time.Hour)
	c := fatora.Client{ID: 4, ClientFields: fatora.ClientFields{Name: "Old", Notes: "keep"}, CreatedAt: created, UpdatedAt: created}
	name, phone := "e\u0301", ""
	got, err := fatora.ClientUpdate{Name: &name, Phone: &phone}.ApplyTo(c, now)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != 4 || got.Name != "\u00e9" || got.Notes != "keep" || !got.CreatedAt.Equal(created) || !got.UpdatedAt.Equal(now) {
		t.Errorf("ApplyTo = %+v, want the new name in NFC, notes kept, updated at %v", got, now)
	}
	blank := " "
	if _, err := (fatora.ClientUpdate{Name: &blank}).ApplyTo(c, now); fatora.ErrorCode(err) != fatora.CodeInvalidField {
		t.Errorf("clearing the name gives %v, want invalid_field", err)
	}
}
