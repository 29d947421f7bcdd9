package fatora

import (
	"strings"
	"unicode/utf8"
)

// Keyword search reads a per-tenant index of terms (see SearchTerms): a
// store keys every term by merchant and mode, so that a search reads only
// its own tenant's entries.

// ShortKeywordRunes is the length up to which a keyword is short: it
// matches the start of a word (see SearchTerms) rather than any substring.
const ShortKeywordRunes = 2

// maxKeywordTerms bounds the trigrams a keyword is looked up by; the
// substring check that follows makes the match exact.
const maxKeywordTerms = 12

// SearchTerms returns the index terms of a client's search text (see
// MatchKeys), each once: every three consecutive characters of a line (a
// trigram), and for each word "\n" followed by its first character and
// "\n" followed by its first two. A word is a run of characters other than
// ASCII spaces, line breaks, punctuation and symbols (the ASCII characters
// that are not letters or digits). The PostgreSQL store computes the same
// terms in SQL.
func SearchTerms(text string) []string {
	// Every term is a substring of text or "\n" and one, so a client has
	// fewer terms than text has bytes plus two a word.
	seen := make(map[string]struct{}, len(text))
	terms := make([]string, 0, len(text))
	add := func(t string) {
		if _, dup := seen[t]; !dup {
			seen[t] = struct{}{}
			terms = append(terms, t)
		}
	}
	for line := range strings.SplitSeq(text, "\n") {
		eachTrigram(line, add)
	}
	for w := range strings.FieldsFuncSeq(text, wordSeparator) {
		add("\n" + firstRunes(w, 1))
		add("\n" + firstRunes(w, 2))
	}
	return terms
}

// KeywordForm is one way a keyword matches a client's search text: it
// holds every one of Terms and, unless Substring is "", Substring.
type KeywordForm struct {
	Substring string
	Terms     []string
}

// KeywordForms returns the ways a folded keyword (see Fold) matches, for a
// merchant whose phones are read in region; a client matches when one of
// them does. A keyword of three characters or more matches a substring of
// the search text; one that looks like a phone number (see PhoneE164) also
// matches that number in E.164 and its digits. A short keyword (one or two
// characters) matches the start of a word, and none when it holds a
// character that separates words. No forms: nothing matches.
func KeywordForms(keyword, region string) []KeywordForm {
	if utf8.RuneCountInString(keyword) <= ShortKeywordRunes {
		if keyword == "" || strings.IndexFunc(keyword, wordSeparator) >= 0 {
			return nil
		}
		return []KeywordForm{{Terms: []string{"\n" + keyword}}}
	}
	forms := []KeywordForm{substringForm(keyword)}
	if phoneLike(keyword) {
		for _, alt := range []string{PhoneE164(keyword, region), PhoneDigits(keyword)} {
			if alt != "" && !hasForm(forms, alt) {
				forms = append(forms, substringForm(alt))
			}
		}
	}
	return forms
}

func substringForm(s string) KeywordForm {
	terms := uniqueStrings(trigrams(s))
	if len(terms) > maxKeywordTerms {
		picked := make([]string, 0, maxKeywordTerms)
		for i := range maxKeywordTerms {
			picked = append(picked, terms[i*(len(terms)-1)/(maxKeywordTerms-1)])
		}
		terms = picked
	}
	return KeywordForm{Substring: s, Terms: terms}
}

func hasForm(forms []KeywordForm, s string) bool {
	for _, f := range forms {
		if strings.Contains(f.Substring, s) {
			return true
		}
	}
	return false
}

// trigrams returns every three consecutive characters of s, in order.
func trigrams(s string) []string {
	var out []string
	eachTrigram(s, func(t string) { out = append(out, t) })
	return out
}

// eachTrigram calls yield with every three consecutive characters of s,
// in order, as substrings of s (so nothing is allocated).
func eachTrigram(s string, yield func(string)) {
	first, second, third := -1, -1, -1 // where the last three characters start
	for i := range s {
		if first >= 0 {
			yield(s[first:i])
		}
		first, second, third = second, third, i
	}
	if first >= 0 {
		yield(s[first:])
	}
}

func uniqueStrings(in []string) []string {
	seen := map[string]bool{}
	out := in[:0:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// wordSeparator reports whether r separates words: an ASCII character
// other than a letter or a digit.
func wordSeparator(r rune) bool {
	return r < utf8.RuneSelf && !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
}

func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
