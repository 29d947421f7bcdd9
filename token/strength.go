package token

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Limits of a key brought from elsewhere (CheckImportedKey).
const (
	MinImportedKeyLen      = 16
	minImportedKeyDistinct = 10
	minImportedKeyBits     = 64
)

// CheckImportedKey refuses an API key value brought from elsewhere (such
// as a merchant's Fatora key) that could be guessed online. A key must be
// 16 to MaxAPIKeyLen printable ASCII characters without spaces, with at
// least 10 different characters, no more than half of its neighbouring
// pairs the same or consecutive characters ("aaaa", "abcd", "1234"), and
// at least 64 bits by its length and character set: a hexadecimal key
// counts 4 bits a character (hyphens nothing), any other by the classes it
// uses (digits, lower-case, upper-case letters, symbols). A GUID, as
// Fatora's keys are, has 128.
func CheckImportedKey(key string) error {
	if len(key) < MinImportedKeyLen || len(key) > MaxAPIKeyLen || strings.IndexFunc(key, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0 {
		return fmt.Errorf("want %d to %d printable ASCII characters without spaces", MinImportedKeyLen, MaxAPIKeyLen)
	}
	if distinct(key) < minImportedKeyDistinct {
		return fmt.Errorf("a key of fewer than %d different characters can be guessed; use the merchant's real key, or let the command make one", minImportedKeyDistinct)
	}
	if 2*runs(key) > len(key)-1 {
		return errors.New("a key made of repeated or consecutive characters (aaaa, abcd, 1234) can be guessed; use the merchant's real key, or let the command make one")
	}
	if bits := strengthBits(key); bits < minImportedKeyBits {
		return fmt.Errorf("the key holds about %.0f bits, fewer than %d: a key this short can be guessed; use a longer one, or let the command make one", bits, minImportedKeyBits)
	}
	return nil
}

func distinct(s string) int {
	var seen [128]bool
	n := 0
	for i := 0; i < len(s); i++ {
		if !seen[s[i]] {
			seen[s[i]], n = true, n+1
		}
	}
	return n
}

// runs counts the neighbouring pairs of s that are the same character or
// consecutive ones.
func runs(s string) int {
	n := 0
	for i := 1; i < len(s); i++ {
		if d := int(s[i]) - int(s[i-1]); d >= -1 && d <= 1 {
			n++
		}
	}
	return n
}

// strengthBits estimates the bits of a key from its length and the
// classes of characters it uses.
func strengthBits(s string) float64 {
	hex, lower, upper, digit, symbol := true, false, false, false, false
	chars := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'z':
			lower, hex = true, hex && c <= 'f'
		case c >= 'A' && c <= 'Z':
			upper, hex = true, hex && c <= 'F'
		case c == '-':
			symbol = true
			continue // a GUID's separators carry nothing
		default:
			symbol, hex = true, false
		}
		chars++
	}
	if hex {
		return 4 * float64(chars)
	}
	pool := 0
	for _, class := range []struct {
		used bool
		size int
	}{{digit, 10}, {lower, 26}, {upper, 26}, {symbol, 33}} {
		if class.used {
			pool += class.size
		}
	}
	return float64(len(s)) * math.Log2(float64(pool))
}
