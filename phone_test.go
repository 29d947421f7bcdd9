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
