// Package strictjson decodes a flat JSON object of text members without
// the leniency of encoding/json: a duplicate member, a member no field
// declares, trailing data, invalid UTF-8 (raw or as a lone surrogate escape)
// and a value that is not text are errors, never silently repaired or
// dropped. Text is a string or, as ASP.NET's Newtonsoft reads it into a
// string property, a number (kept as its literal).
// Member names match the declared fields case-insensitively. AppendString
// writes a JSON string exactly as encoding/json does, for the hand-written
// bodies the API answers with.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// Kind classifies a decoding error.
type Kind int

// The kinds of decoding error.
const (
	// Malformed: not one well-formed JSON object.
	Malformed Kind = iota + 1
	// UnknownField: a member no field declares.
	UnknownField
	// DuplicateField: two members for the same field, in any letter case.
	DuplicateField
	// WrongType: a member whose value is a boolean, an array or an object.
	WrongType
	// InvalidText: a string that is not valid UTF-8.
	InvalidText
)

// Error describes why a body was refused. Field is the member's name as sent
// (empty for Malformed).
type Error struct {
	Kind    Kind
	Field   string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Value is a member's value: a string, a number (String holds its literal
// text, as sent: "1.5e3" stays "1.5e3"), JSON null, or, for a field
// DecodeObject was told may hold one, an object of such values (Object,
// keyed by member name as sent).
type Value struct {
	String string
	Number bool
	Null   bool
	Object map[string]Value
}

// Fields declares the members an object may have: each accepted name, in
// lower case, maps to the canonical field it sets. Two names may set one
// field (aliases), which then counts as a duplicate when both are sent.
type Fields map[string]string

// DecodeObject decodes data, which must hold exactly one JSON object, and
// returns its members keyed by canonical field name. The canonical fields
// named in objects may hold a flat object instead of text: its members,
// of any name (matched exactly: two members of one name are a duplicate),
// hold text or null.
func DecodeObject(data []byte, fields Fields, objects ...string) (map[string]Value, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	out := make(map[string]Value)
	for dec.More() {
		name, field, err := readName(dec, data, fields)
		if err != nil {
			return nil, err
		}
		if _, dup := out[field]; dup {
			return nil, &Error{DuplicateField, name, "The field " + quote(name) + " appears more than once."}
		}
		if out[field], err = readMember(dec, name, slices.Contains(objects, field)); err != nil {
			return nil, err
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	return out, expectEOF(dec)
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return malformed(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return &Error{Kind: Malformed, Message: "The request body must be a JSON object."}
	}
	return nil
}

func expectEOF(dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		return &Error{Kind: Malformed, Message: "The request body has data after the JSON object."}
	}
	return nil
}

func readName(dec *json.Decoder, data []byte, fields Fields) (name, field string, err error) {
	start := dec.InputOffset()
	tok, err := dec.Token()
	if err != nil {
		return "", "", malformed(err)
	}
	name, _ = tok.(string)
	// The consumed bytes are optional white space and a comma, then the name
	// as sent; encoding/json has already replaced any bad text in tok.
	lit := data[start:dec.InputOffset()]
	if msg := textProblem(lit[bytes.IndexByte(lit, '"'):]); msg != "" {
		return "", "", &Error{Kind: Malformed, Message: "A member name " + msg + "."}
	}
	field, ok := fields[strings.ToLower(name)]
	if !ok {
		return name, "", &Error{UnknownField, name, "The field " + quote(name) + " is not a field of this request."}
	}
	return name, field, nil
}

// readMember reads a member's value: text or null, or when nested is true
// also a flat object of them.
func readMember(dec *json.Decoder, name string, nested bool) (Value, error) {
	if !nested {
		return readValue(dec, name)
	}
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return Value{}, malformed(err)
	}
	if raw[0] != '{' {
		return readValue(json.NewDecoder(bytes.NewReader(raw)), name)
	}
	return readNested(raw, name)
}

// readNested reads the flat object raw, the value of the member name.
func readNested(raw []byte, name string) (Value, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.Token() // the '{' seen by the caller
	obj := map[string]Value{}
	for dec.More() {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return Value{}, malformed(err)
		}
		key, _ := tok.(string)
		lit := raw[start:dec.InputOffset()]
		if msg := textProblem(lit[bytes.IndexByte(lit, '"'):]); msg != "" {
			return Value{}, &Error{Kind: Malformed, Message: "A member name in " + quote(name) + " " + msg + "."}
		}
		full := name + "." + key
		if _, dup := obj[key]; dup {
			return Value{}, &Error{DuplicateField, full, "The field " + quote(full) + " appears more than once."}
		}
		if obj[key], err = readValue(dec, full); err != nil {
			return Value{}, err
		}
	}
	return Value{Object: obj}, nil
}

func readValue(dec *json.Decoder, name string) (Value, error) {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return Value{}, malformed(err)
	}
	switch {
	case string(raw) == "null":
		return Value{Null: true}, nil
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		return Value{String: string(raw), Number: true}, nil
	case raw[0] != '"':
		return Value{}, &Error{WrongType, name, "The field " + quote(name) + " must be text (a string or a number)."}
	}
	if msg := textProblem(raw); msg != "" {
		return Value{}, &Error{InvalidText, name, "The field " + quote(name) + " " + msg + "."}
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return Value{}, malformed(err)
	}
	return Value{String: s}, nil
}

func malformed(err error) error {
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		return &Error{Kind: Malformed, Message: "The request body is empty; it must be a JSON object."}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Kind: Malformed, Message: "The request body ends in the middle of the JSON object."}
	case errors.As(err, &syn):
		return &Error{Kind: Malformed, Message: "The request body is not valid JSON: " + syn.Error() + "."}
	}
	return &Error{Kind: Malformed, Message: "The request body is not valid JSON."}
}

func quote(s string) string { return "\"" + s + "\"" }

// textProblem inspects a JSON string literal as sent and says what is wrong
// with its text: raw bytes that are not UTF-8, or a \u escape of a UTF-16
// surrogate that is not part of a pair. encoding/json would replace either
// with U+FFFD. It returns "" for good text.
func textProblem(lit []byte) string {
	if !utf8.Valid(lit) {
		return "is not valid UTF-8"
	}
	for i := 0; i < len(lit); i++ {
		if lit[i] != '\\' {
			continue
		}
		i++
		if lit[i] != 'u' {
			continue
		}
		n, ok := unpairedSurrogate(lit[i+1:])
		if !ok {
			return "contains an unpaired UTF-16 surrogate escape"
		}
		i += n
	}
	return ""
}

// unpairedSurrogate reads the four hex digits after "\u" in b and, when they
// name a high surrogate, the low-surrogate escape that must follow. It
// returns how many bytes to skip and false when a surrogate is unpaired.
func unpairedSurrogate(b []byte) (int, bool) {
	v := hex4(b)
	switch {
	case v >= 0xDC00 && v <= 0xDFFF:
		return 4, false
	case v < 0xD800 || v > 0xDBFF:
		return 4, true
	}
	rest := b[4:]
	if len(rest) < 6 || rest[0] != '\\' || rest[1] != 'u' {
		return 4, false
	}
	low := hex4(rest[2:])
	return 10, low >= 0xDC00 && low <= 0xDFFF
}

// hex4 decodes four hex digits; the literal has passed the JSON scanner, so
// they are there and valid.
func hex4(b []byte) rune {
	var v rune
	for _, c := range b[:4] {
		v <<= 4
		switch {
		case c >= '0' && c <= '9':
			v |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			v |= rune(c - 'a' + 10)
		default:
			v |= rune(c - 'A' + 10)
		}
	}
	return v
}
