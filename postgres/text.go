package postgres

import (
	"strings"
	"unicode/utf8"

	"github.com/fatora-oss/fatora"
)

// PostgreSQL refuses, with an error, text that is not valid UTF-8 or holds
// a NUL character, where SQLite stores or compares it like any other. The
// domain keeps both out of client fields and filters (Normalize refuses
// invalid UTF-8 and control characters); the functions below guard every
// other string that reaches a text column, so such input gets the answer
// SQLite gives (no match, or a refusal) instead of an internal error.

// storable reports whether every s can be stored in or compared with a
// text column.
func storable(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return false
		}
	}
	return true
}

// unstorable is the error for a value to be written that no text column
// can hold.
func unstorable(what string) error {
	return fatora.Errorf(fatora.CodeInvalidField, "%s must be valid UTF-8 without NUL characters.", what)
}
