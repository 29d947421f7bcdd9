package fatora

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// MatchKeys are the forms of a client's fields that matching uses (finding
// by e-mail, keyword search, spotting duplicates): the stores keep them
// beside the fields and index them. They are keys in the index sense, not
// API keys or idempotency keys.
type MatchKeys struct {
	// EmailFolded is the e-mail address case-folded, for exact matching.
	EmailFolded string
	// PhoneDigits is the phone number as ASCII digits (E.164 with a leading
	// "+" when the number has a country prefix), or "" when it has no digits.
	PhoneDigits string
	// SearchText is what keyword search looks in: the case-folded name,
	// e-mail and phone, one per line, with every digit in ASCII.
	SearchText string
	// Dedup is equal for two clients holding the "same data": the same name,
	// e-mail, phone and address after normalisation.
	Dedup string
}

// MatchKeys derives the match keys of normalised fields (see Normalize).
func (f ClientFields) MatchKeys() MatchKeys {
	k := MatchKeys{EmailFolded: FoldEmail(f.Email), PhoneDigits: PhoneDigits(f.Phone)}
	k.SearchText = strings.Join([]string{FoldText(f.Name), k.EmailFolded, FoldText(f.Phone), k.PhoneDigits}, "\n")
	phone := k.PhoneDigits
	if phone == "" {
		phone = FoldText(f.Phone)
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{trimSpace(f.Name), k.EmailFolded, phone, trimSpace(f.Address)}, "\x00")))
	k.Dedup = hex.EncodeToString(sum[:])
	return k
}

// FoldEmail returns the form two addresses are compared in: trimmed, NFC and
// case-folded.
func FoldEmail(s string) string {
	return cases.Fold().String(norm.NFC.String(trimSpace(s)))
}

// FoldText returns the form keyword search compares in: trimmed, NFC,
// case-folded, every decimal digit of any script as its ASCII digit.
func FoldText(s string) string {
	return ASCIIDigits(cases.Fold().String(norm.NFC.String(trimSpace(s))))
}

// ASCIIDigits replaces every decimal digit of any script (Arabic-Indic,
// Persian, Devanagari, full-width...) with the ASCII digit of the same value.
func ASCIIDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r > unicode.MaxASCII && unicode.IsDigit(r) {
			return '0' + digitValue(r)
		}
		return r
	}, s)
}

// digitValue returns the value of a decimal digit: Unicode lays out every
// script's digits as runs of ten from zero, so the value is the distance from
// the start of the run, modulo ten.
func digitValue(r rune) rune {
	start := r
	for unicode.IsDigit(start - 1) {
		start--
	}
	return (r - start) % 10
}

// PhoneDigits returns the digits of a phone number for matching. A number
// written with a country prefix ("+974 7777 7777", "00974...") becomes E.164
// ("+97477777777"), national trunk prefixes removed where the numbering plan
// knows them; other numbers become their digits. Text without digits gives "".
func PhoneDigits(phone string) string {
	s := ASCIIDigits(norm.NFKC.String(trimSpace(phone)))
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if digits == "" {
		return ""
	}
	switch {
	case strings.HasPrefix(s, "+"):
		return international(digits)
	case strings.HasPrefix(digits, "00") && strings.HasPrefix(s, "00"):
		return international(digits[2:])
	}
	return digits
}

func international(digits string) string {
	n, err := phonenumbers.Parse("+"+digits, "ZZ")
	if err == nil && phonenumbers.IsPossibleNumber(n) {
		return phonenumbers.Format(n, phonenumbers.E164)
	}
	return "+" + digits
}

func trimSpace(s string) string { return strings.TrimFunc(s, unicode.IsSpace) }
