package fatora

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// MaxFoldGrowth bounds how much Fold can grow text: Fold(s) is never more
// than MaxFoldGrowth times len(s) bytes long. (NFKC alone may grow text
// elevenfold, U+FDFA being the extreme; a test checks the bound against
// every code point and the fuzz target against any text.)
const MaxFoldGrowth = 11

// maxFoldRounds bounds how often Fold repeats its steps: a round can leave
// text that is not in NFKC (a removed mark let two others compose), which
// the next round fixes.
const maxFoldRounds = 4

// Fold returns the form text is compared in for keyword search and the
// "same data" rule; stored text never changes. It applies Unicode NFKC;
// removes format characters (bidi controls, zero-width joiners...), the
// Arabic tatweel and Arabic diacritics (harakat, shadda, sukun, superscript
// alef, Quranic marks); maps أ إ آ ٱ to ا, ى to ي, ة to ه, Persian ی to ي
// and ک to ك; every script's decimal digits to ASCII; applies full case
// folding; and turns each run of white space into one space, none at
// either end. Fold is idempotent: Fold(Fold(s)) == Fold(s).
func Fold(s string) string {
	if out, ok := foldFast(s); ok {
		return out
	}
	out := foldRound(s)
	for i := 1; i < maxFoldRounds && !norm.NFKC.IsNormalString(out); i++ {
		out = foldRound(out)
	}
	return out
}

// foldRound is one round of Fold's steps. Format characters go first:
// they block canonical composition, so removing them after NFKC would
// leave text that is not in NFKC.
func foldRound(s string) string {
	s = strings.Map(dropFormat, s)
	s = norm.NFKC.String(cases.Fold().String(norm.NFKC.String(s)))
	return foldLetters(s)
}

// foldLetters removes the ignored characters, maps letters and digits to
// their folded forms and collapses white space.
func foldLetters(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		r = foldRune(r)
		switch {
		case r < 0:
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case space:
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldRune returns the folded form of one character, or -1 to remove it.
func foldRune(r rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return r + 'a' - 'A'
	case r < utf8.RuneSelf:
		return r
	case ignoredArabic(r) || unicode.Is(unicode.Cf, r):
		return -1
	case unicode.IsDigit(r):
		return '0' + digitValue(r)
	case r >= 0xAB70 && r <= 0xABBF: // Cherokee small letters: Unicode folds them to capitals
		return r - 0xAB70 + 0x13A0
	case r >= 0x13F8 && r <= 0x13FD:
		return r - 8
	}
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ':
		return 'ا'
	case 'ى', 'ی':
		return 'ي'
	case 'ة':
		return 'ه'
	case 'ک':
		return 'ك'
	}
	return r
}

// ignoredArabic reports whether r is the tatweel or an Arabic diacritic:
// the harakat, shadda and sukun with the other marks from U+064B to U+065F,
// the superscript alef and the Quranic annotation marks.
func ignoredArabic(r rune) bool {
	switch {
	case r < 0x0610 || r > 0x06ED:
		return false
	case r <= 0x061A, r == 0x0640, r >= 0x064B && r <= 0x065F, r == 0x0670:
		return true
	case r >= 0x06D6 && r <= 0x06DC, r >= 0x06DF && r <= 0x06E4, r == 0x06E7, r == 0x06E8, r >= 0x06EA:
		return true
	}
	return false
}

func dropFormat(r rune) rune {
	if r >= utf8.RuneSelf && unicode.Is(unicode.Cf, r) {
		return -1
	}
	return r
}

// foldFast folds text in which NFKC and case folding can change nothing
// but ASCII capitals (see fastRune), most names, e-mail addresses and
// phones, in one pass. It reports false for other text.
func foldFast(s string) (string, bool) {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !fastRune(r) {
			return "", false
		}
		i += n
	}
	return foldLetters(s), true
}

// fastRune reports whether r is ASCII or an Arabic letter, digit or mark
// that NFKC leaves alone wherever it stands. Excluded: the hamza and madda
// marks (U+0653 to U+0655), which compose with the letter before them, and
// the high hamza letters (U+0675 to U+0678), which NFKC decomposes.
func fastRune(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return r != utf8.RuneError
	case r < 0x0600 || r > 0x06FF:
		return false
	}
	return (r < 0x0653 || r > 0x0655) && (r < 0x0675 || r > 0x0678)
}
