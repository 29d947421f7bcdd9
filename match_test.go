package fatora_test

import (
	"testing"

	"github.com/fatora-oss/fatora"
)

func TestDedupKey(t *testing.T) {
	base := fatora.ClientFields{Name: "Noura", Email: "noura@example.com", Phone: "+974 5555 1234", Address: "Doha", Notes: "a"}
	same := []fatora.ClientFields{
		{Name: " Noura", Email: "NOURA@example.com", Phone: "0097455551234", Address: "Doha ", Notes: "b"},
		{Name: "Noura", Email: "noura@example.com", Phone: "+٩٧٤٥٥٥٥١٢٣٤", Address: "Doha"},
		{Name: "NOURA", Email: "noura@example.com", Phone: "5555 1234", Address: "DOHA"},
		{Name: "Noura", Email: "noura@example.com", Phone: "‪+974 5555 1234‬", Address: "Doha"},
	}
	differ := []fatora.ClientFields{
		{Name: "Nora", Email: "noura@example.com", Phone: "+974 5555 1234", Address: "Doha"},
		{Name: "Noura", Email: "noura@example.org", Phone: "+974 5555 1234", Address: "Doha"},
		{Name: "Noura", Email: "noura@example.com", Phone: "+974 5555 1235", Address: "Doha"},
		{Name: "Noura", Email: "noura@example.com", Phone: "+974 5555 1234", Address: "Dukhan"},
		// Field boundaries matter: moving text between fields is not the same client.
		{Name: "Noura", Email: "noura@example.com", Phone: "+974 5555 1234", Address: ""},
	}
	want := base.MatchKeys("QA").Dedup
	for _, f := range same {
		if got := f.MatchKeys("QA").Dedup; got != want {
			t.Errorf("%+v is not the same client as %+v", f, base)
		}
	}
	for _, f := range differ {
		if got := f.MatchKeys("QA").Dedup; got == want {
			t.Errorf("%+v counts as the same client as %+v", f, base)
		}
	}
	if a, b := (fatora.ClientFields{Name: "A", Phone: "Client Phone"}).MatchKeys("QA").Dedup, (fatora.ClientFields{Name: "A"}).MatchKeys("QA").Dedup; a == b {
		t.Error("a phone without digits is ignored by the duplicate rule")
	}
	arabic := []fatora.ClientFields{{Name: "أحمد الكعبي", Phone: "0791234567"}, {Name: "احمد الكعبى", Phone: "+962 79 123 4567"}}
	if a, b := arabic[0].MatchKeys("JO").Dedup, arabic[1].MatchKeys("JO").Dedup; a != b {
		t.Error("Arabic letter variants and a Jordanian number in two forms are not the same data")
	}
	if a, b := arabic[0].MatchKeys("QA").Dedup, arabic[1].MatchKeys("QA").Dedup; a == b {
		t.Error("0791234567 read in Qatar is the same as +962791234567")
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
		_ = out.MatchKeys("QA")
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

var benchClient = fatora.ClientFields{Name: "مُحَمَّد عبد الله الكعبي", Email: "Mohammed.AlKaabi@Example.QA", Phone: "+974 5512 3456",
	Address: "شارع الكورنيش، الدوحة، قطر", Notes: "VIP"}

// BenchmarkFoldClient is the fold's cost on create: the four searched
// fields of a client with an Arabic name and address.
func BenchmarkFoldClient(b *testing.B) {
	for b.Loop() {
		for _, s := range []string{benchClient.Name, benchClient.Email, benchClient.Phone, benchClient.Address} {
			fatora.Fold(s)
		}
	}
}

// BenchmarkMatchKeys is every match key of that client: the fold, the
// phone read as E.164 (nyaruka/phonenumbers), the search text and the
// duplicate key.
func BenchmarkMatchKeys(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchClient.MatchKeys("QA")
	}
}
