package fatora_test

import (
	"testing"

	"github.com/fatora-oss/fatora"
)

func TestPhoneDigits(t *testing.T) {
	tests := map[string]string{
		"+974 7777 7777":      "+97477777777",
		"00974 77777777":      "+97477777777",
		"+٩٧٤ ٧٧٧٧ ٧٧٧٧":      "+97477777777",
		"+۹۷۴ ۷۷۷۷ ۷۷۷۷":      "+97477777777",
		"٠٠٩٧٤٧٧٧٧٧٧٧٧":       "+97477777777",
		"+９７４ ７７７７ ７７７７":      "+97477777777",
		"+44 (0)20 7946 0958": "+442079460958",
		"(020) 7946-0958":     "02079460958",
		"77777777":            "77777777",
		"Client Phone":        "",
		"":                    "",
		"+974XXXXXXXX":        "+974",
		"ext. ४२":             "42",
	}
	for in, want := range tests {
		if got := fatora.PhoneDigits(in); got != want {
			t.Errorf("PhoneDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFoldText(t *testing.T) {
	tests := map[string]string{
		"École":         "école",
		"STRASSE":       "strasse",
		"Straße":        "strasse",
		"  Padded  ":    "padded",
		"Jose\u0301":    "josé",
		"رقم ١٢٣":       "رقم 123",
		"ΣΊΣΥΦΟΣ":       "σίσυφοσ",
		"𝟙𝟚𝟛 bold math": "123 bold math",
	}
	for in, want := range tests {
		if got := fatora.FoldText(in); got != want {
			t.Errorf("FoldText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDedupKey(t *testing.T) {
	base := fatora.ClientFields{Name: "Noura", Email: "noura@example.com", Phone: "+974 5555 1234", Address: "Doha", Notes: "a"}
	same := []fatora.ClientFields{
		{Name: " Noura", Email: "NOURA@example.com", Phone: "0097455551234", Address: "Doha ", Notes: "b"},
		{Name: "Noura", Email: "noura@example.com", Phone: "+٩٧٤٥٥٥٥١٢٣٤", Address: "Doha"},
	}
	differ := []fatora.ClientFields{
		{Name: "noura", Email: "noura@example.com", Phone: "+974 5555 1234", Address: "Doha"},
		{Name: "Noura", Email: "noura@example.org", Phone: "+974 5555 1234", Address: "Doha"},
		{Name: "Noura", Email: "noura@example.com", Phone: "+974 5555 1235", Address: "Doha"},
		{Name: "Noura", Email: "noura@example.com", Phone: "+974 5555 1234", Address: "Dukhan"},
		// Field boundaries matter: moving text between fields is not the same client.
		{Name: "Noura", Email: "noura@example.com", Phone: "+974 5555 1234", Address: ""},
	}
	want := base.MatchKeys().Dedup
	for _, f := range same {
		if got := f.MatchKeys().Dedup; got != want {
			t.Errorf("%+v is not the same client as %+v", f, base)
		}
	}
	for _, f := range differ {
		if got := f.MatchKeys().Dedup; got == want {
			t.Errorf("%+v counts as the same client as %+v", f, base)
		}
	}
	if a, b := (fatora.ClientFields{Name: "A", Phone: "Client Phone"}).MatchKeys().Dedup, (fatora.ClientFields{Name: "A"}).MatchKeys().Dedup; a == b {
		t.Error("a phone without digits is ignored by the duplicate rule")
	}
}

// FuzzNormalize checks that validation never panics, that what it accepts
// is stable (normalising again changes nothing) and that match keys derive.
func FuzzNormalize(f *testing.F) {
	f.Add("Client Name", "Client Phone", "client@example.com", "Address\nline", "notes")
	f.Add("محمد", "+٩٧٤ ٥٥", "محمد@مثال.قطر", "", "🌟")
	f.Add("e\u0301", "00", "a@b.c", "\r\n", "\t")
	f.Fuzz(func(t *testing.T, name, phone, email, address, notes string) {
		in := fatora.ClientFields{Name: name, Phone: phone, Email: email, Address: address, Notes: notes}
		out, err := in.Normalize()
		if err != nil {
			return
		}
		again, err := out.Normalize()
		if err != nil || !again.Equal(out) {
			t.Fatalf("Normalize is not stable: %+q -> %+q -> %+q (%v)", in, out, again, err)
		}
		_ = out.MatchKeys()
	})
}

func TestNewClientPageCapsKeywordCounts(t *testing.T) {
	f, _ := fatora.ClientFilter{Keyword: "a", PageSize: 20}.Normalize()
	clients := make([]fatora.Client, 21)
	p := fatora.NewClientPage(f, clients, fatora.MaxKeywordCount+1)
	if p.TotalExact || p.TotalCount != fatora.MaxKeywordCount || p.TotalPages != fatora.MaxKeywordCount/20 || !p.More || len(p.Clients) != 20 {
		t.Errorf("over the cap: %+v", p)
	}
	if p := fatora.NewClientPage(f, clients[:3], 3); !p.TotalExact || p.TotalCount != 3 || p.More {
		t.Errorf("under the cap: %+v", p)
	}
	all, _ := fatora.ClientFilter{}.Normalize()
	if p := fatora.NewClientPage(all, nil, 5*fatora.MaxKeywordCount); !p.TotalExact || p.TotalCount != 5*fatora.MaxKeywordCount {
		t.Errorf("an unfiltered list is never capped: %+v", p)
	}
}
