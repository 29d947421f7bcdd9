package fatora

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

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
	// PhoneDigits is the phone number in E.164 when it is one (see
	// PhoneE164), else its ASCII digits, or "" when it has no digits.
	PhoneDigits string
	// SearchText is what keyword search looks in: the folded name, e-mail,
	// phone and address (see Fold), then the phone's E.164 form or digits,
	// one per line. Notes are not searched.
	SearchText string
	// Dedup is equal for two clients holding the "same data": the same name,
	// e-mail, phone and address after the fold, phones compared in E.164
	// when both are phone numbers.
	Dedup string
}

// SearchVersion numbers the way MatchKeys are made; stores keep it beside
// them and make the keys anew for clients keyed by an earlier version.
const SearchVersion = 2

// MatchKeys derives the match keys of normalised fields (see Normalize),
// reading a phone written without a country prefix in region (see
// PhoneE164).
func (f ClientFields) MatchKeys(region string) MatchKeys {
	name, email, phone, address := Fold(f.Name), Fold(f.Email), Fold(f.Phone), Fold(f.Address)
	k := MatchKeys{EmailFolded: FoldEmail(f.Email), PhoneDigits: foldedPhoneE164(phone, region)}
	samePhone := k.PhoneDigits
	if samePhone == "" {
		k.PhoneDigits, samePhone = foldedPhoneDigits(phone), phone
	}
	k.SearchText = strings.Join([]string{name, email, phone, address, k.PhoneDigits}, "\n")
	sum := sha256.Sum256([]byte(strings.Join([]string{name, email, samePhone, address}, "\x00")))
	k.Dedup = hex.EncodeToString(sum[:])
	return k
}

// FoldEmail returns the form two addresses are compared in by the e-mail
// filter: trimmed, NFC and case-folded.
func FoldEmail(s string) string {
	return cases.Fold().String(norm.NFC.String(trimSpace(s)))
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

func trimSpace(s string) string { return strings.TrimFunc(s, unicode.IsSpace) }
