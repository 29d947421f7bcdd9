package fatora_test

import (
	"testing"

	"github.com/fatora-oss/fatora"
)

func TestPhoneE164(t *testing.T) {
	tests := []struct{ phone, region, want string }{
		{"5512 3456", "QA", "+97455123456"},
		{"0097455123456", "QA", "+97455123456"},
		{"+974 5512 3456", "QA", "+97455123456"},
		{"٥٥١٢٣٤٥٦", "QA", "+97455123456"},
		{"۵۵۱۲۳۴۵۶", "QA", "+97455123456"},
		{"\u202a+974 5512 3456\u202c", "QA", "+97455123456"},
		{"+٩٧٤ ٥٥١٢ ٣٤٥٦", "", "+97455123456"},
		{"(+974) 5512-3456", "QA", "+97455123456"},
		{"0791234567", "JO", "+962791234567"},
		{"079 123 4567", "JO", "+962791234567"},
		{"+962 79 123 4567", "QA", "+962791234567"},
		{"00962791234567", "QA", "+962791234567"},
		{"+974 5512 3456", "JO", "+97455123456"},
		{"050 123 4567", "SA", "+966501234567"},
		{"Client Phone", "QA", ""},
		{"+974XXXXXXXX", "QA", ""},
		{"call 5512 3456", "QA", ""},
		{"4455", "QA", ""},
		{"", "QA", ""},
	}
	for _, tt := range tests {
		if got := fatora.PhoneE164(tt.phone, tt.region); got != tt.want {
			t.Errorf("PhoneE164(%q, %q) = %q, want %q", tt.phone, tt.region, got, tt.want)
		}
	}
}

func TestParseRegion(t *testing.T) {
	for in, want := range map[string]string{"qa": "QA", " JO ": "JO", "sa": "SA"} {
		if got, err := fatora.ParseRegion(in); err != nil || got != want {
			t.Errorf("ParseRegion(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "Q", "QAT", "ZZ", "XX", "001"} {
		if _, err := fatora.ParseRegion(in); fatora.ErrorCode(err) != fatora.CodeInvalidField {
			t.Errorf("ParseRegion(%q) = %v, want invalid_field", in, err)
		}
	}
}

func TestPhoneDigits(t *testing.T) {
	tests := map[string]string{
		"+974 7777 7777": "97477777777",
		"ext. ४२":        "42",
		"+974XXXXXXXX":   "974",
		"Client Phone":   "",
	}
	for in, want := range tests {
		if got := fatora.PhoneDigits(in); got != want {
			t.Errorf("PhoneDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

// benchPhones are typical phones of a create, each with the region it is
// read in, and text that is not a phone.
var benchPhones = []struct{ name, phone, region string }{
	{"QA_plus", "+974 5512 3456", "QA"},
	{"QA_local", "55123456", "QA"},
	{"QA_idd", "0097455123456", "QA"},
	{"QA_arabic_digits", "٥٥١٢٣٤٥٦", "QA"},
	{"JO_national_prefix", "0791234567", "JO"},
	{"JO_plus", "+962 79 123 4567", "QA"},
	{"SA_national_prefix", "050 123 4567", "SA"},
	{"not_a_phone", "call me", "QA"},
}

// BenchmarkPhoneE164 is the reading of one phone as E.164 on create.
func BenchmarkPhoneE164(b *testing.B) {
	for _, p := range benchPhones {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				fatora.PhoneE164(p.phone, p.region)
			}
		})
	}
}
