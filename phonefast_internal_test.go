package fatora

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

func TestPhoneE164Fast(t *testing.T) {
	tests := []struct {
		phone, region, want string
		sure                bool
	}{
		{"+974 5512 3456", "QA", "+97455123456", true},
		{"55123456", "QA", "+97455123456", true},
		{"0097455123456", "QA", "+97455123456", true},
		{"(+974) 5512-3456", "QA", "+97455123456", true},
		{"0791234567", "JO", "+962791234567", true},
		{"079 123 4567", "JO", "+962791234567", true},
		{"+962 79 123 4567", "QA", "+962791234567", true},
		{"+962 079 123 4567", "QA", "+962791234567", true}, // the national prefix after the code goes too
		{"00962791234567", "QA", "+962791234567", true},
		{"+62 002 1835 0123", "QA", "+6200218350123", true}, // ID's pattern needs the "0": it stays
		{"050 123 4567", "SA", "+966501234567", true},
		{"501234567", "SA", "+966501234567", true},
		{"+1 202-555-0143", "QA", "+12025550143", true},
		{"202 555 0143", "CA", "+12025550143", true}, // read by CA's plan, possible by US's lengths
		{"5512 34", "QA", "", true},                  // a length no Qatari number has
		{"+974 5512 34567 8901", "QA", "", true},
		{"97455123456", "QA", "", false},     // starts with QA's own code: Parse decides by pattern
		{"++974 5512 3456", "QA", "", false}, // two "+"
		{"+0974 5512 3456", "QA", "", false}, // Parse retries without the "+"
		{"+800 1234 5678", "QA", "", false},  // non-geographic
		{"011 44 20 7946 0018", "GB", "", false},
		{"+44 20 7946 0018", "QA", "", false}, // GB's national prefix is a pattern
		{"0612345678", "AR", "", false},       // AR's national prefix has a transform rule
		{"55123456", "qa", "", false},         // not a region code the plans know
	}
	for _, tt := range tests {
		s := Fold(tt.phone)
		got, sure := phoneE164Fast(s, tt.region)
		if got != tt.want || sure != tt.sure {
			t.Errorf("phoneE164Fast(%q, %q) = %q, %v, want %q, %v", s, tt.region, got, sure, tt.want, tt.sure)
		}
		if full := parsedPhoneE164(s, tt.region); sure && full != got {
			t.Errorf("phoneE164Fast(%q, %q) = %q, phonenumbers says %q", s, tt.region, got, full)
		}
	}
}

// diffPhonesPerRegion is how many phones TestPhoneE164FastAgrees reads in
// each region.
const diffPhonesPerRegion = 600

// TestPhoneE164FastAgrees compares the fast reading with phonenumbers.Parse
// on random phones of every region the library supports: national numbers
// with and without a national prefix, numbers after "+", "00" or the
// region's international prefix, with and without separators.
func TestPhoneE164FastAgrees(t *testing.T) {
	regions := supportedRegions()
	rng := rand.New(rand.NewPCG(1, 2))
	compared, sure := 0, 0
	for _, region := range regions {
		for range diffPhonesPerRegion {
			s := Fold(randomPhone(rng, region, regions))
			if !phoneLike(s) {
				continue
			}
			compared++
			got, ok := phoneE164Fast(s, region)
			if !ok {
				continue
			}
			sure++
			if want := parsedPhoneE164(s, region); got != want {
				t.Errorf("phoneE164Fast(%q, %q) = %q, phonenumbers says %q", s, region, got, want)
			}
		}
	}
	t.Logf("%d regions, %d phones, %d read by the fast path", len(regions), compared, sure)
	if sure < compared/2 {
		t.Errorf("the fast path read %d of %d phones, want at least half", sure, compared)
	}
}

// FuzzPhoneE164Fast compares the fast reading with phonenumbers.Parse on
// any text of digits and separators (other bytes become one of them, see
// phoneText), read in any supported region.
func FuzzPhoneE164Fast(f *testing.F) {
	regions := supportedRegions()
	for _, s := range []string{"+974 5512 3456", "0097455123456", "0791234567", "(+962) 079-123.4567", "+1 202/555 0143"} {
		f.Add([]byte(s), uint16(slices.Index(regions, "QA")))
		f.Add([]byte(s), uint16(slices.Index(regions, "JO")))
	}
	f.Fuzz(func(t *testing.T, text []byte, r uint16) {
		region := regions[int(r)%len(regions)]
		s := Fold(phoneText(text))
		if !phoneLike(s) {
			return
		}
		got, ok := phoneE164Fast(s, region)
		if want := parsedPhoneE164(s, region); ok && got != want {
			t.Errorf("phoneE164Fast(%q, %q) = %q, phonenumbers says %q", s, region, got, want)
		}
	})
}

// phoneChars are the characters of phone-like text (see phoneLike).
const phoneChars = "0123456789 +()./-"

// phoneText keeps the bytes of b that are phoneChars and turns every
// other byte into one of them.
func phoneText(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		if strings.IndexByte(phoneChars, c) < 0 {
			c = phoneChars[int(c)%len(phoneChars)]
		}
		out[i] = c
	}
	return string(out)
}

func supportedRegions() []string {
	var regions []string
	for r := range phonenumbers.GetSupportedRegions() {
		regions = append(regions, r)
	}
	slices.Sort(regions)
	return regions
}

// randomPhone writes a phone as people do: a national number (a real
// example or random digits), maybe after a national prefix, a country code
// with "+" or an international prefix, with separators between digits.
func randomPhone(rng *rand.Rand, region string, regions []string) string {
	other := regions[rng.IntN(len(regions))]
	national := randomNational(rng, region)
	code := strconv.Itoa(phonenumbers.GetCountryCodeForRegion(region))
	if rng.IntN(2) == 0 {
		national = randomNational(rng, other)
		code = strconv.Itoa(phonenumbers.GetCountryCodeForRegion(other))
	}
	if rng.IntN(3) == 0 {
		ndd := phonenumbers.GetNddPrefixForRegion(region, true)
		national = pick(rng, "0", "1", "8", "00", ndd, ndd, ndd, ndd) + national
	}
	var digits string
	switch rng.IntN(6) {
	case 0, 1:
		digits = national
	case 2:
		digits = "+" + code + national
	case 3:
		digits = pick(rng, "00", "011", "0", "810", "+", "+0") + code + national
	case 4:
		digits = code + national
	default:
		digits = "+" + strconv.Itoa(randomCode(rng)) + national
	}
	return separate(rng, digits)
}

// randomCode is a known country calling code (non-geographic ones
// included) or any number of one to three digits.
func randomCode(rng *rand.Rand) int {
	if rng.IntN(2) == 0 {
		return 1 + rng.IntN(999)
	}
	codes := slices.Sorted(maps.Keys(phonenumbers.GetSupportedCallingCodes()))
	return codes[rng.IntN(len(codes))]
}

// randomNational is one of region's example numbers, or 4 to 17 random
// digits, maybe with a digit more or less.
func randomNational(rng *rand.Rand, region string) string {
	var nsn string
	if rng.IntN(3) > 0 {
		typ := phonenumbers.PhoneNumberType(rng.IntN(int(phonenumbers.VOICEMAIL) + 1))
		if n := phonenumbers.GetExampleNumberForType(region, typ); n != nil {
			nsn = phonenumbers.GetNationalSignificantNumber(n)
		}
	}
	if nsn == "" {
		for range 4 + rng.IntN(14) {
			nsn += strconv.Itoa(rng.IntN(10))
		}
	}
	switch rng.IntN(6) {
	case 0:
		nsn += strconv.Itoa(rng.IntN(10))
	case 1:
		nsn = nsn[:len(nsn)-1]
	}
	return nsn
}

// separate puts separators between some of the characters of s, and maybe
// brackets or a "+" before it.
func separate(rng *rand.Rand, s string) string {
	if rng.IntN(2) == 0 {
		return s
	}
	var b strings.Builder
	b.WriteString(pick(rng, "", "", "(", " ", "+", "-"))
	for i, c := range s {
		if i > 0 && rng.IntN(4) == 0 {
			b.WriteString(pick(rng, " ", "-", ".", "/", "(", ")", ") ", " - "))
		}
		b.WriteRune(c)
	}
	b.WriteString(pick(rng, "", "", "", " ", ")", "-", "."))
	return b.String()
}

func pick(rng *rand.Rand, choices ...string) string { return choices[rng.IntN(len(choices))] }
