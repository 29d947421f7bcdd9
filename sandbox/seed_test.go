package sandbox_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/sandbox"
	"github.com/fatora-oss/fatora/sdk"
)

// seeded returns every client of a new sandbox seeded with n clients from
// rand, in id order.
func seeded(t *testing.T, n int, rand uint64) []sdk.ClientRecord {
	t.Helper()
	sb, c, _ := start(t, sandbox.Options{})
	if err := sb.Seed(context.Background(), n, rand); err != nil {
		t.Fatal(err)
	}
	var out []sdk.ClientRecord
	for rec, err := range c.Clients.All(context.Background(), sdk.ClientListParams{}) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rec)
	}
	return out
}

// fields is what a seeded client holds, without its times.
func fields(recs []sdk.ClientRecord) []fatora.ClientFields {
	out := make([]fatora.ClientFields, len(recs))
	for i, r := range recs {
		out[i] = fatora.ClientFields{Name: r.Name, Phone: r.Phone, Email: r.Email, Address: r.Address, Notes: r.Notes}
	}
	return out
}

// TestSeedIsDeterministic: the same rand makes the same clients with ids 1
// to n; another rand makes others.
func TestSeedIsDeterministic(t *testing.T) {
	a, b, other := seeded(t, 50, 7), seeded(t, 50, 7), seeded(t, 50, 8)
	if len(a) != 50 || a[0].ID != 1 || a[49].ID != 50 {
		t.Fatalf("%d clients from id %d; want 50, ids 1 to 50", len(a), a[0].ID)
	}
	if !slices.EqualFunc(fields(a), fields(b), fatora.ClientFields.Equal) {
		t.Error("two sandboxes seeded with the same rand differ")
	}
	if slices.EqualFunc(fields(a), fields(other), fatora.ClientFields.Equal) {
		t.Error("two sandboxes seeded with different rands are the same")
	}
}

// gulfPhone is a Gulf mobile number in one of the forms seeded: with +
// or 00 and a Gulf calling code, or as written at home.
var gulfPhone = regexp.MustCompile(`^(\+|00)(974|971|966|965|973|968) ?[0-9 ]{7,12}$|^0?[0-9][0-9 ]{6,11}$`)

// TestSeedLooksReal: seeded clients have Arabic and Latin names, Gulf
// mobile numbers (some in Arabic-Indic digits), e-mail addresses only at
// domains reserved for examples, and some empty fields.
func TestSeedLooksReal(t *testing.T) {
	recs := seeded(t, 300, 1)
	var arabic, latin, indicDigits, noEmail, noPhone int
	for _, r := range recs {
		switch {
		case strings.IndexFunc(r.Name, func(c rune) bool { return unicode.Is(unicode.Arabic, c) }) >= 0:
			arabic++
		case strings.IndexFunc(r.Name, unicode.IsLetter) >= 0:
			latin++
		}
		if strings.ContainsRune(r.Phone, '٥') || strings.ContainsRune(r.Phone, '٣') {
			indicDigits++
		}
		if p := fatora.ASCIIDigits(r.Phone); p != "" && !gulfPhone.MatchString(p) {
			t.Errorf("phone %q is no Gulf mobile number", r.Phone)
		}
		if r.Email != "" && !regexp.MustCompile(`^[a-z.]+[0-9]*@example\.(com|net|org)$`).MatchString(r.Email) {
			t.Errorf("e-mail %q is not at a domain reserved for examples", r.Email)
		}
		noEmail += btoi(r.Email == "")
		noPhone += btoi(r.Phone == "")
	}
	for what, n := range map[string]int{"Arabic names": arabic, "Latin names": latin, "Arabic-Indic phones": indicDigits,
		"clients without e-mail": noEmail, "clients without phone": noPhone} {
		if n == 0 {
			t.Errorf("no %s among %d seeded clients", what, len(recs))
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
