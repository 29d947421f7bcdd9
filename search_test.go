package fatora_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora"
)

// matches reports whether a client's search text matches a keyword as a
// store does: one form whose terms it all holds and whose substring it
// holds.
func matches(client fatora.ClientFields, keyword, region string) bool {
	text := client.MatchKeys(region).SearchText
	terms := fatora.SearchTerms(text)
	for _, f := range fatora.KeywordForms(fatora.Fold(keyword), region) {
		held := true
		for _, t := range f.Terms {
			held = held && slices.Contains(terms, t)
		}
		if held && strings.Contains(text, f.Substring) {
			return true
		}
	}
	return false
}

func TestKeywordMatches(t *testing.T) {
	ahmad := fatora.ClientFields{Name: "أحمد الكعبي", Email: "Ahmad.K@Example.QA", Phone: "+974 5512 3456", Address: "Doha, Qatar", Notes: "VIP secret"}
	fatima := fatora.ClientFields{Name: "فاطمة مُحَمَّد", Phone: "5512 3456"}
	jordan := fatora.ClientFields{Name: "Omar", Phone: "0791234567"}
	tests := []struct {
		client  fatora.ClientFields
		region  string
		keyword string
		want    bool
	}{
		{ahmad, "QA", "احمد", true},
		{ahmad, "QA", "الكعبى", true},
		{ahmad, "QA", "doha", true},
		{ahmad, "QA", "ahmad.k@", true},
		{ahmad, "QA", "5512 3456", true},
		{ahmad, "QA", "55123456", true},
		{ahmad, "QA", "٥٥١٢٣٤٥٦", true},
		{ahmad, "QA", "0097455123456", true},
		{ahmad, "QA", "3456", true},
		{ahmad, "QA", "secret", false},
		{ahmad, "QA", "ا", true},
		{ahmad, "QA", "ال", true},
		{ahmad, "QA", "لك", false},
		{ahmad, "QA", "d", true},
		{ahmad, "QA", "qa", true},
		{ahmad, "QA", "a.", false},
		{ahmad, "QA", "55", true},
		{fatima, "QA", "فاطمه", true},
		{fatima, "QA", "محمد", true},
		{fatima, "QA", "+974 5512 3456", true},
		{fatima, "QA", "+97455123456", true},
		{jordan, "JO", "+962 79 123 4567", true},
		{jordan, "JO", "00962791234567", true},
		{jordan, "QA", "+962 79 123 4567", false},
		{jordan, "JO", "079 123", true},
	}
	for _, tt := range tests {
		if got := matches(tt.client, tt.keyword, tt.region); got != tt.want {
			t.Errorf("%q in %s matches %+v: %v, want %v", tt.keyword, tt.region, tt.client, got, tt.want)
		}
	}
}

func TestSearchTerms(t *testing.T) {
	got := fatora.SearchTerms("ab cd\nx-y")
	want := []string{"ab ", "b c", " cd", "x-y", "\na", "\nab", "\nc", "\ncd", "\nx", "\ny"}
	if !slices.Equal(got, want) {
		t.Errorf("SearchTerms = %q, want %q", got, want)
	}
}
