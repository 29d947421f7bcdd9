package fatora_test

import (
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

func TestNewClient(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	c, match, err := fatora.NewClient(fatora.ClientFields{Name: "e\u0301", Email: " A@Example.com "}, now, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "\u00e9" || c.Email != "A@Example.com" || !c.CreatedAt.Equal(now) || !c.UpdatedAt.Equal(now) || c.ID != 0 {
		t.Errorf("NewClient = %+v, want the fields normalised, created and updated at %v", c, now)
	}
	if match != c.MatchKeys("") || match.EmailFolded != "a@example.com" {
		t.Errorf("match keys %+v, want those of %+v", match, c.ClientFields)
	}
	if _, _, err := fatora.NewClient(fatora.ClientFields{Name: " "}, now, ""); fatora.ErrorCode(err) != fatora.CodeInvalidField {
		t.Errorf("a blank name gives %v, want invalid_field", err)
	}
}
