package fatora_test

import (
	"testing"
	"unicode/utf8"

	"github.com/fatora-oss/fatora"
)

// foldPairs are texts that must fold alike: what a merchant types and what
// the client was saved as.
var foldPairs = [][2]string{
	{"احمد", "أحمد"},
	{"اسلام", "إسلام"},
	{"امنه", "آمنة"},
	{"فاطمه", "فاطمة"},
	{"مصطفي", "مصطفى"},
	{"محمد", "مُحَمَّد"},
	{"محمد", "مـحـمـد"},
	{"محمد", "ﻣﺤﻤﺪ"},
	{"الله", "ﷲ"},
	{"لا", "ﻻ"},
	{"الرحمن", "الرَّحْمٰن"},
	{"ابن", "ٱبن"},
	{"علي", "عليٌّ"},
	{"صلي", "صلىٰ"},
	{"كريم", "کریم"},
	{"0791234567", "٠٧٩١٢٣٤٥٦٧"},
	{"0791234567", "۰۷۹۱۲۳۴۵۶۷"},
	{"123", "१२३"},
	{"123", "１２３"},
	{"+97455123456", "\u202a+97455123456\u202c"},
	{"محمدعلي", "محمد\u200cعلي"},
	{"محمد علي", "محمد\u200f علي"},
	{"محمد علي", "  محمد \t\n علي  "},
	{"أحمد الكعبي", "احمد الكعبي"},
	{"strasse", "STRASSE"},
	{"strasse", "Straße"},
	{"école", "ÉCOLE"},
	{"école", "E\u0301cole"},
	{"doha", "DOHA"},
	{"σίσυφοσ", "ΣΊΣΥΦΟΣ"},
	{"ffi", "ﬃ"},
	{"123 bold math", "𝟙𝟚𝟛 bold math"},
	{"a b", "a\u00a0b"},
	{"a b", "a\u3000b"},
}

// foldApart are texts that must stay apart.
var foldApart = [][2]string{
	{"مؤمن", "مومن"},
	{"سائد", "سايد"},
	{"محمد", "محمود"},
	{"فاطمه", "فاطمي"},
	{"احمد", "حمد"},
	{"ahmad", "ahmed"},
	{"12", "1 2"},
	{"ab", "a-b"},
	{"ي", "ى ي"},
	{"a", "á"},
}

func TestFoldPairs(t *testing.T) {
	for _, p := range foldPairs {
		if a, b := fatora.Fold(p[0]), fatora.Fold(p[1]); a != b {
			t.Errorf("Fold(%q) = %q and Fold(%q) = %q, want equal", p[0], a, p[1], b)
		}
	}
	for _, p := range foldApart {
		if a, b := fatora.Fold(p[0]), fatora.Fold(p[1]); a == b {
			t.Errorf("Fold(%q) = Fold(%q) = %q, want them apart", p[0], p[1], a)
		}
	}
}

func TestFoldForms(t *testing.T) {
	tests := map[string]string{
		"  Padded  ":  "padded",
		"مُحَمَّد":    "محمد",
		"فاطمة":       "فاطمه",
		"رقم ١٢٣":     "رقم 123",
		"a\u200db":    "ab",
		"Ab\tC\r\nD ": "ab c d",
		"":            "",
		" \u200b ":    "",
	}
	for in, want := range tests {
		if got := fatora.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFoldEveryCodePoint checks every code point (alone and between two
// letters) against the growth bound and idempotence.
func TestFoldEveryCodePoint(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		for _, s := range []string{string(r), "a" + string(r) + "b"} {
			checkFold(t, s)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, p := range foldPairs {
		f.Add(p[1])
	}
	f.Add("a\u0610\u0301")
	f.Add("e\u200d\u0301")
	f.Fuzz(func(t *testing.T, s string) { checkFold(t, s) })
}

func checkFold(t *testing.T, s string) {
	t.Helper()
	once := fatora.Fold(s)
	if twice := fatora.Fold(once); twice != once {
		t.Fatalf("Fold(%q) = %q, but Fold of that = %q", s, once, twice)
	}
	if len(once) > fatora.MaxFoldGrowth*len(s) {
		t.Fatalf("Fold(%q) = %q: %d bytes from %d, over %dx", s, once, len(once), len(s), fatora.MaxFoldGrowth)
	}
	if !utf8.ValidString(once) && utf8.ValidString(s) {
		t.Fatalf("Fold(%q) = %q is not valid UTF-8", s, once)
	}
}

func BenchmarkFold(b *testing.B) {
	for _, s := range []string{"مُحَمَّد بن عبد الله الكعبي", "Maryam.AlKuwari@Example.QA", "+974 5512 3456"} {
		b.Run(s, func(b *testing.B) {
			for b.Loop() {
				fatora.Fold(s)
			}
		})
	}
}
