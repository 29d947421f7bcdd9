// Package token makes and checks the API's credentials: API keys (random
// values stored only as hashes) and the short-lived HS256 bearer tokens the
// Authorize endpoint exchanges them for. It imports nothing of this module.
package token

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// KeyPrefix starts every generated API key; the mode follows it, so a key
// found in a log or a repository is recognisable ("ftr_live_...").
const KeyPrefix = "ftr_"

// MaxAPIKeyLen bounds the length of an API key, generated or set.
const MaxAPIKeyLen = 200

// GenerateAPIKey returns a new key for mode: the prefix, the mode, and 256
// random bits in unpadded base64url (43 characters).
func GenerateAPIKey(mode string) string {
	return KeyPrefix + mode + "_" + base64.RawURLEncoding.EncodeToString(NewSecret())
}

// HashAPIKey returns the SHA-256 of a key, the only form that is stored. A
// fast hash suffices: a key carries 256 random bits (or, for a key brought
// from Fatora, a random GUID), so it cannot be guessed from its hash.
func HashAPIKey(key string) []byte {
	sum := sha256.Sum256([]byte(key))
	return sum[:]
}

// CanonicalAPIKey returns the form of a key that is hashed: a GUID-shaped
// key (8-4-4-4-12 hexadecimal digits, as Fatora's keys are) in upper case,
// because .NET writes GUIDs in lower case and Fatora's documentation in
// upper case; any other key exactly as given.
func CanonicalAPIKey(key string) string {
	if !isGUID(key) {
		return key
	}
	return strings.ToUpper(key)
}

// isGUID reports whether s is 32 hexadecimal digits in groups of 8-4-4-4-12.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'):
			return false
		}
	}
	return true
}

// DisplayPrefix returns the start of a key that is safe to show and log:
// enough to tell keys apart, far too little to use. For a generated key that
// is the prefix, the mode and four characters ("ftr_test_AbCd"); for a key
// brought from elsewhere (a Fatora GUID) at most its first 8 characters and
// never more than a third of it.
func DisplayPrefix(key string) string {
	n := min(len(key)/3, 8)
	if strings.HasPrefix(key, KeyPrefix) && len(key) > 40 {
		n = strings.IndexByte(key[len(KeyPrefix):], '_') + len(KeyPrefix) + 5
	}
	for n > 0 && !utf8.RuneStart(key[n]) {
		n--
	}
	return key[:n]
}

// NewID returns a random GUID, used as the public id of keys and secrets.
func NewID() string { return uuid.NewString() }

// NewSecret returns 256 random bits. crypto/rand.Read never fails (it
// crashes the program rather than return weak bytes).
func NewSecret() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	return b
}
