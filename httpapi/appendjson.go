package httpapi

import (
	"strconv"
	"unicode/utf8"
)

// jsonAppender is a response that writes its own JSON, byte for byte what
// encodeJSON would make of it by reflection, without the reflection: the
// client bodies, the API's most frequent answers.
type jsonAppender interface {
	appendJSON(b []byte) []byte
}

func (c clientJSON) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, c.ID, 10)
	b = appendMember(b, "name", c.Name)
	b = appendMember(b, "phone", c.Phone)
	b = appendMember(b, "email", c.Email)
	b = appendMember(b, "address", c.Address)
	b = appendMember(b, "note", c.Note)
	b = appendMember(b, "notes", c.Notes)
	b = appendMember(b, "created_at", c.CreatedAt)
	b = appendMember(b, "updated_at", c.UpdatedAt)
	return append(b, '}')
}

func (r clientResponse) appendJSON(b []byte) []byte {
	b = append(b, `{"status":`...)
	b = appendString(b, r.Status)
	b = append(b, `,"client":`...)
	b = r.Client.appendJSON(b)
	return append(b, '}')
}

func (r clientListResponse) appendJSON(b []byte) []byte {
	b = append(b, `{"status":`...)
	b = appendString(b, r.Status)
	b = append(b, `,"clients":`...)
	b = appendClients(b, r.Clients)
	b = append(b, `,"page":`...)
	b = strconv.AppendInt(b, int64(r.Page), 10)
	b = append(b, `,"page_size":`...)
	b = strconv.AppendInt(b, int64(r.PageSize), 10)
	b = append(b, `,"total_count":`...)
	b = strconv.AppendInt(b, int64(r.TotalCount), 10)
	b = append(b, `,"total_pages":`...)
	b = strconv.AppendInt(b, int64(r.TotalPages), 10)
	b = append(b, `,"total_count_exact":`...)
	b = strconv.AppendBool(b, r.TotalCountExact)
	b = appendMember(b, "next_cursor", r.NextCursor)
	return append(b, '}')
}

// appendClients appends a JSON array of clients (null for nil, as
// encoding/json has it).
func appendClients(b []byte, clients []clientJSON) []byte {
	if clients == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, c := range clients {
		if i > 0 {
			b = append(b, ',')
		}
		b = c.appendJSON(b)
	}
	return append(b, ']')
}

// appendMember appends ,"name":"value".
func appendMember(b []byte, name, value string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, value)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string the way encoding/json does with
// HTML escaping off: quote and backslash escaped, control characters as
// \n, \r, \t, \b, \f or \u00XX, U+2028 and U+2029 as \u escapes, and each
// byte of invalid UTF-8 as \ufffd.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && size == 1) || r == '\u2028' || r == '\u2029' {
				b = append(b, s[start:i]...)
				b = appendRuneEscape(b, r)
				i += size
				start = i
				continue
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		b = appendByteEscape(b, c)
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendRuneEscape escapes a rune outside ASCII that JSON text may not
// carry as is: invalid UTF-8 (as the replacement character), U+2028, U+2029.
func appendRuneEscape(b []byte, r rune) []byte {
	switch r {
	case '\u2028':
		return append(b, `\u2028`...)
	case '\u2029':
		return append(b, `\u2029`...)
	}
	return append(b, `\ufffd`...)
}

// appendByteEscape escapes an ASCII quote, backslash or control character.
func appendByteEscape(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}
