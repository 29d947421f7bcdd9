package fatora

import (
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Length caps of client fields, in Unicode code points of the NFC form.
const (
	MaxNameRunes    = 200
	MaxEmailRunes   = 254
	MaxPhoneRunes   = 32
	MaxAddressRunes = 500
	MaxNotesRunes   = 5000
)

// fieldRule says how one text field is checked.
type fieldRule struct {
	name      string
	maxRunes  int
	multiLine bool
	// noFormat refuses every invisible formatting character (Unicode
	// category Cf), for fields that are identifiers, not prose.
	noFormat bool
}

// Normalize validates f and returns it in the stored form: every field in
// Unicode NFC, the e-mail address without surrounding white space, and
// otherwise byte for byte as sent. It returns an invalid_field error listing
// every field that is wrong.
func (f ClientFields) Normalize() (ClientFields, error) {
	var problems []FieldError
	check := func(dst *string, r fieldRule) {
		v, msg := normalizeText(*dst, r)
		*dst = v
		if msg != "" {
			problems = append(problems, FieldError{Field: r.name, Message: msg})
		}
	}
	check(&f.Name, fieldRule{"name", MaxNameRunes, false, false})
	check(&f.Phone, fieldRule{"phone", MaxPhoneRunes, false, true})
	f.Email = strings.TrimFunc(f.Email, unicode.IsSpace)
	check(&f.Email, fieldRule{"email", MaxEmailRunes, false, true})
	check(&f.Address, fieldRule{"address", MaxAddressRunes, true, false})
	check(&f.Notes, fieldRule{"notes", MaxNotesRunes, true, false})
	if IsBlank(f.Name) && !hasProblem(problems, "name") {
		problems = append(problems, FieldError{Field: "name", Message: "is required and must not be blank"})
	}
	if f.Email != "" && !hasProblem(problems, "email") && !ValidEmail(f.Email) {
		problems = append(problems, FieldError{Field: "email", Message: "is not a valid e-mail address"})
	}
	f.Metadata, problems = f.Metadata.normalize(problems)
	if len(problems) > 0 {
		return f, &Error{Code: CodeInvalidField, Message: problemSummary(problems), Fields: problems}
	}
	return f, nil
}

// normalizeText returns s in NFC and a message saying what is wrong with it,
// or "" when it is acceptable under r.
func normalizeText(s string, r fieldRule) (string, string) {
	if !utf8.ValidString(s) {
		return s, "is not valid UTF-8"
	}
	s = norm.NFC.String(s)
	if bad, ok := forbiddenControl(s, r.multiLine); ok {
		return s, fmt.Sprintf("must not contain the control character U+%04X", bad)
	}
	if bad, ok := forbiddenFormat(s, r.noFormat); ok {
		return s, fmt.Sprintf("must not contain the invisible formatting character U+%04X", bad)
	}
	if n := utf8.RuneCountInString(s); n > r.maxRunes {
		return s, "must be at most " + strconv.Itoa(r.maxRunes) + " characters long (it has " + strconv.Itoa(n) + ")"
	}
	return s, ""
}

// forbiddenControl returns the first control character s may not contain.
// Single-line fields allow none; multi-line fields allow tab, line feed and
// a carriage return that starts a CRLF line break.
func forbiddenControl(s string, multiLine bool) (rune, bool) {
	for i, r := range s {
		if !unicode.IsControl(r) {
			continue
		}
		if multiLine && (r == '\n' || r == '\t' || (r == '\r' && strings.HasPrefix(s[i+1:], "\n"))) {
			continue
		}
		return r, true
	}
	return 0, false
}

// forbiddenFormat returns the first invisible formatting character s may
// not contain. Identifiers (noFormat: e-mail, phone) allow none, so that
// no two addresses look alike but differ. Prose (name, address, notes)
// keeps the marks Arabic and Persian text needs (ZWNJ, ZWJ, the
// left-to-right and right-to-left marks, the bidi isolates, which cannot
// reorder text outside them) but not the bidi embeddings and overrides
// (U+202A to U+202E), which make text display in another order than it is
// stored: the spoofing characters, which Unicode itself recommends against.
func forbiddenFormat(s string, noFormat bool) (rune, bool) {
	for _, r := range s {
		if (noFormat && unicode.Is(unicode.Cf, r)) || (r >= '\u202A' && r <= '\u202E') {
			return r, true
		}
	}
	return 0, false
}

// IsBlank reports whether s holds nothing but white space and invisible
// formatting characters (such as zero-width spaces).
func IsBlank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// ValidEmail reports whether s is a bare e-mail address (no display name,
// no comments) whose domain has at least two labels.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return validDomain(s[at+1:])
}

func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
	}
	return true
}

func hasProblem(ps []FieldError, field string) bool {
	for _, p := range ps {
		if p.Field == field {
			return true
		}
	}
	return false
}

func problemSummary(ps []FieldError) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Field + " " + p.Message
	}
	return "Invalid client: " + strings.Join(parts, "; ") + "."
}
