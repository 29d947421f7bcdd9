package fatora

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the region of a merchant that has not chosen one: the
// country whose numbering plan reads a phone written without a country
// prefix.
const DefaultRegion = "QA"

// ParseRegion returns a region code (ISO 3166-1 alpha-2, any letter case)
// in upper case. Errors: invalid_field for a code without a numbering plan.
func ParseRegion(s string) (string, error) {
	r := strings.ToUpper(strings.TrimSpace(s))
	if len(r) != 2 || phonenumbers.GetCountryCodeForRegion(r) == 0 {
		return "", Errorf(CodeInvalidField, "The region %q is not an ISO 3166 country code with a telephone numbering plan (QA, JO, SA...).", s)
	}
	return r, nil
}

// minPhoneDigits is the fewest digits text must have to be read as a
// phone number.
const minPhoneDigits = 6

// PhoneE164 returns the number phone holds in E.164 ("+97455123456"), read
// in region when it has no country prefix ("+" or "00"), or "" when phone
// is not a phone number: text other than digits (any script), spaces and
// + (before the digits) ( ) . / -, fewer than six digits, or a length no number of its
// country has. An empty region is DefaultRegion.
func PhoneE164(phone, region string) string {
	return foldedPhoneE164(Fold(phone), region)
}

// foldedPhoneE164 is PhoneE164 of folded text: the fast reading when it is
// sure (see phoneE164Fast), else phonenumbers.Parse.
func foldedPhoneE164(s, region string) string {
	if !phoneLike(s) {
		return ""
	}
	if region == "" {
		region = DefaultRegion
	}
	if e164, sure := phoneE164Fast(s, region); sure {
		return e164
	}
	return parsedPhoneE164(s, region)
}

// parsedPhoneE164 is PhoneE164 of folded, phone-like text by
// phonenumbers.Parse alone.
func parsedPhoneE164(s, region string) string {
	n, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return ""
	}
	return phonenumbers.Format(n, phonenumbers.E164)
}

// phoneLike reports whether folded text looks like a phone number.
func phoneLike(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '+' && digits == 0, c == ' ', c == '(', c == ')', c == '.', c == '/', c == '-':
		default:
			return false
		}
	}
	return digits >= minPhoneDigits
}

// PhoneDigits returns the ASCII digits of phone (any script's digits),
// or "" when it has none.
func PhoneDigits(phone string) string {
	return foldedPhoneDigits(Fold(phone))
}

// foldedPhoneDigits is PhoneDigits of folded text.
func foldedPhoneDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
