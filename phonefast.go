package fatora

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// The fast reading of a phone (phoneE164Fast) gives phonenumbers.Parse's
// answer for plain numbers without its regular expressions (extension,
// viability, prefixes), which cost ten microseconds a phone. It takes the
// steps Parse takes for text of digits and separators, reading the same
// metadata, and leaves every other case to Parse: an international or
// national prefix that is a pattern rather than digits, a national prefix
// with a transform rule, a number that starts with its region's own code, a
// non-geographic code, more than one "+".

// maxFastDigits bounds the digits the fast reading takes: a country code
// (3), a national number (17) and an international prefix (4).
const maxFastDigits = 24

// maxParseInput is the longest text phonenumbers.Parse reads.
const maxParseInput = 250

// phonePlan is what the fast reading needs of one region's numbering plan
// (its phonenumbers metadata).
type phonePlan struct {
	// code is the country calling code: "974"; cc is the same as a number.
	code string
	cc   int
	// idd is the international prefix ("00") when it is plain digits,
	// else "" (a pattern: numbers without "+" are left to Parse).
	idd string
	// nationalPrefix is the national prefix for parsing ("0"), "" when
	// there is none.
	nationalPrefix string
	// simple says the plan's national prefix is none or plain digits
	// without a transform rule, and it has a national number pattern and
	// possible lengths: the fast reading can apply it.
	simple bool
	// main is the plan of the main region of the plan's code (US for
	// CA), whose lengths say whether a number is possible.
	main *phonePlan
	// lengths and localLengths are the general possible lengths of a
	// national number, and those only dialled locally.
	lengths, localLengths []int32
	// pattern is the whole-string national number pattern, compiled on
	// first use (nil if it does not compile).
	pattern func() *regexp.Regexp
}

// phonePlans are the numbering plans by region, and by country calling
// code the plan of the code's main region (nil for a non-geographic code).
type phonePlans struct {
	byRegion map[string]*phonePlan
	byCode   map[int]*phonePlan
}

// numberingPlans are the plans, read from the metadata on first use and
// never changed.
var numberingPlans = sync.OnceValue(loadPhonePlans)

// loadPhonePlans reads the plans of every supported region from the
// metadata phonenumbers parses with.
func loadPhonePlans() *phonePlans {
	plans := &phonePlans{byRegion: map[string]*phonePlan{}, byCode: map[int]*phonePlan{}}
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return plans // no plans: every phone goes to Parse
	}
	supported := phonenumbers.GetSupportedRegions()
	for _, m := range coll.GetMetadata() {
		if supported[m.GetId()] {
			plans.byRegion[m.GetId()] = newPhonePlan(m)
		}
	}
	for code := range phonenumbers.GetSupportedCallingCodes() {
		plans.byCode[code] = plans.byRegion[phonenumbers.GetRegionCodeForCountryCode(code)]
	}
	for _, p := range plans.byRegion {
		p.main = plans.byCode[p.cc]
	}
	return plans
}

// newPhonePlan reads one region's plan; main is set by loadPhonePlans.
func newPhonePlan(m *phonenumbers.PhoneMetadata) *phonePlan {
	general := m.GetGeneralDesc()
	p := &phonePlan{
		code:           strconv.Itoa(int(m.GetCountryCode())),
		cc:             int(m.GetCountryCode()),
		nationalPrefix: m.GetNationalPrefixForParsing(),
		lengths:        general.GetPossibleLength(),
		localLengths:   general.GetPossibleLengthLocalOnly(),
		pattern: sync.OnceValue(func() *regexp.Regexp {
			re, _ := regexp.Compile(`^(?:` + general.GetNationalNumberPattern() + `)$`)
			return re
		}),
	}
	if plainDigits(m.GetInternationalPrefix()) {
		p.idd = m.GetInternationalPrefix()
	}
	p.simple = (p.nationalPrefix == "" || plainDigits(p.nationalPrefix)) && m.GetNationalPrefixTransformRule() == "" &&
		general.GetNationalNumberPattern() != "" && len(p.lengths) > 0
	return p
}

// plainDigits reports whether s is one or more ASCII digits.
func plainDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// phoneE164Fast returns PhoneE164's answer for folded, phone-like text s
// (see phoneLike) read in region, and whether it is sure of it; when it is
// not, the caller asks phonenumbers.Parse.
func phoneE164Fast(s, region string) (e164 string, sure bool) {
	var buf [maxFastDigits]byte
	digits, plus, ok := separateDigits(s, buf[:0])
	plans := numberingPlans()
	home := plans.byRegion[region]
	if !ok || home == nil {
		return "", false
	}
	plan, nsn, ok := plans.split(digits, plus, home)
	if !ok || !plan.simple {
		return "", false
	}
	if len(nsn) < phonenumbers.MIN_LENGTH_FOR_NSN {
		return "", true
	}
	if nsn, ok = plan.stripNationalPrefix(nsn); !ok {
		return "", false
	}
	return plan.format(nsn)
}

// separateDigits appends the digits of s to buf and reports whether s
// starts with "+" (phoneLike allows it only before the digits). ok is false
// for text the fast reading leaves to Parse: too long, more digits than
// buf holds, more than one "+".
func separateDigits(s string, buf []byte) (digits []byte, plus, ok bool) {
	if len(s) > maxParseInput {
		return nil, false, false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if len(buf) == cap(buf) {
				return nil, false, false
			}
			buf = append(buf, c)
		case c == '+' && plus:
			return nil, false, false
		case c == '+':
			plus = true
		}
	}
	return buf, plus, true
}

// split returns the plan a number is parsed with and its national number,
// as Parse finds them: after "+" or the home region's international prefix
// comes a country calling code; otherwise the number is home's. ok is false
// where Parse's way is not the fast reading's.
func (ps *phonePlans) split(digits []byte, plus bool, home *phonePlan) (plan *phonePlan, national []byte, ok bool) {
	switch {
	case plus:
		return ps.countryCode(digits)
	case home.idd == "":
		return nil, nil, false
	case hasPrefix(digits, home.idd) && (len(digits) == len(home.idd) || digits[len(home.idd)] != '0'):
		return ps.countryCode(digits[len(home.idd):])
	case hasPrefix(digits, home.code):
		return nil, nil, false // Parse tries the number with and without the code, by pattern
	}
	return home, digits, true
}

// countryCode splits digits that follow "+" or an international prefix into
// the plan of their country calling code (the shortest known code, as Parse
// reads it) and the national number.
func (ps *phonePlans) countryCode(digits []byte) (plan *phonePlan, national []byte, ok bool) {
	if len(digits) <= phonenumbers.MIN_LENGTH_FOR_NSN || digits[0] == '0' {
		return nil, nil, false
	}
	code := 0
	for n := 1; n <= phonenumbers.MAX_LENGTH_COUNTRY_CODE; n++ {
		code = code*10 + int(digits[n-1]-'0')
		if plan, known := ps.byCode[code]; known {
			return plan, digits[n:], plan != nil
		}
	}
	return nil, nil, false
}

// stripNationalPrefix returns national without the plan's national prefix
// when Parse strips it: the prefix leads, the number does not stop
// matching the plan's pattern without it, and what remains has a possible
// length (or is too long). ok is false when the pattern does not compile.
func (p *phonePlan) stripNationalPrefix(national []byte) (nsn []byte, ok bool) {
	if p.nationalPrefix == "" || !hasPrefix(national, p.nationalPrefix) {
		return national, true
	}
	re := p.pattern()
	if re == nil {
		return nil, false
	}
	// The pattern reads a string copy: the digits it is given escape to
	// the heap, and national lives on the caller's stack.
	number := string(national)
	if re.MatchString(number) && !re.MatchString(number[len(p.nationalPrefix):]) {
		return national, true
	}
	rest := national[len(p.nationalPrefix):]
	switch p.lengthFit(len(rest)) {
	case phonenumbers.IS_POSSIBLE, phonenumbers.TOO_LONG:
		return rest, true
	}
	return national, true
}

// format returns "+", the country calling code and the national
// significant number when the number is possible (its length is one the
// code's main region has), as Parse, IsPossibleNumber and Format do; else "".
func (p *phonePlan) format(nsn []byte) (e164 string, sure bool) {
	if len(nsn) < phonenumbers.MIN_LENGTH_FOR_NSN || len(nsn) > phonenumbers.MAX_LENGTH_FOR_NSN {
		return "", true
	}
	if p.main == nil || !p.main.simple {
		return "", false
	}
	switch p.main.lengthFit(len(nsn)) {
	case phonenumbers.IS_POSSIBLE, phonenumbers.IS_POSSIBLE_LOCAL_ONLY:
		return "+" + p.code + string(nsn), true
	}
	return "", true
}

// lengthFit is phonenumbers' length test of a national number of n digits
// against the plan's general possible lengths, check for check.
func (p *phonePlan) lengthFit(n int) phonenumbers.ValidationResult {
	l := int32(n)
	switch {
	case p.lengths[0] == -1:
		return phonenumbers.INVALID_LENGTH
	case containsLength(p.localLengths, l):
		return phonenumbers.IS_POSSIBLE_LOCAL_ONLY
	case p.lengths[0] == l:
		return phonenumbers.IS_POSSIBLE
	case p.lengths[0] > l:
		return phonenumbers.TOO_SHORT
	case p.lengths[len(p.lengths)-1] < l:
		return phonenumbers.TOO_LONG
	case containsLength(p.lengths[1:], l):
		return phonenumbers.IS_POSSIBLE
	}
	return phonenumbers.INVALID_LENGTH
}

// hasPrefix reports whether b starts with s.
func hasPrefix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[:len(s)]) == s
}

func containsLength(lengths []int32, l int32) bool {
	for _, x := range lengths {
		if x == l {
			return true
		}
	}
	return false
}
