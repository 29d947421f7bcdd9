package fatora

import (
	"encoding/json"
	"fmt"
	"maps"
	"sort"

	"golang.org/x/text/unicode/norm"
)

// Metadata links a client to other systems: string keys (at most
// MaxMetadataKeys of them, each 1 to MaxMetadataKeyLen letters, digits,
// "_", "-" or ".") with string values (at most MaxMetadataValueRunes code
// points). Keys are case-sensitive. nil and empty are the same.
type Metadata map[string]string

// Metadata limits.
const (
	MaxMetadataKeys       = 50
	MaxMetadataKeyLen     = 40
	MaxMetadataValueRunes = 500
)

// MetadataChange changes metadata: a key with a value sets it, a key with
// nil or "" removes it; keys not named are kept.
type MetadataChange map[string]*string

// Apply returns m with the change c applied, as a new map (nil when it
// comes out empty); m is left as it is.
func (c MetadataChange) Apply(m Metadata) Metadata {
	if len(c) == 0 {
		return m
	}
	out := maps.Clone(m)
	if out == nil {
		out = Metadata{}
	}
	for k, v := range c {
		if v == nil || *v == "" {
			delete(out, k)
		} else {
			out[k] = *v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// ValidMetadataKey reports whether k is a metadata key: 1 to
// MaxMetadataKeyLen ASCII letters, digits, "_", "-" or ".".
func ValidMetadataKey(k string) bool {
	if len(k) == 0 || len(k) > MaxMetadataKeyLen {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// normalize checks m and returns it with its values in NFC, adding a
// problem for each key or value that is wrong (named "metadata.KEY").
func (m Metadata) normalize(problems []FieldError) (Metadata, []FieldError) {
	if len(m) > MaxMetadataKeys {
		problems = append(problems, FieldError{Field: "metadata",
			Message: fmt.Sprintf("has %d keys; at most %d are allowed", len(m), MaxMetadataKeys)})
	}
	out := make(Metadata, len(m))
	for _, k := range m.Keys() {
		field := "metadata." + k
		if !ValidMetadataKey(k) {
			problems = append(problems, FieldError{Field: "metadata", Message: fmt.Sprintf(
				"key %q must be 1 to %d letters, digits, _, - or .", k, MaxMetadataKeyLen)})
			continue
		}
		v, msg := normalizeText(m[k], fieldRule{field, MaxMetadataValueRunes, false, false})
		if msg != "" {
			problems = append(problems, FieldError{Field: field, Message: msg})
		}
		out[k] = v
	}
	if len(out) == 0 {
		out = nil
	}
	return out, problems
}

// Keys returns m's keys in byte order.
func (m Metadata) Keys() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Changes returns the change that turns m into next: the keys whose value
// differs, with m's value (nil where m had none). It is what an update
// event keeps of the earlier metadata.
func (m Metadata) Changes(next Metadata) MetadataChange {
	var c MetadataChange
	note := func(k string) {
		if c == nil {
			c = MetadataChange{}
		}
		if v, ok := m[k]; ok {
			c[k] = &v
		} else {
			c[k] = nil
		}
	}
	for k, v := range m {
		if w, ok := next[k]; !ok || w != v {
			note(k)
		}
	}
	for k := range next {
		if _, ok := m[k]; !ok {
			note(k)
		}
	}
	return c
}

// MetadataFilter is a list's filter on metadata: every key must have
// exactly its value.
type MetadataFilter map[string]string

// normalize refuses a filter with more keys than metadata can hold, a key
// that is no metadata key or a value that is none, and returns it with its
// values in NFC, as stored.
func (f MetadataFilter) normalize() (MetadataFilter, error) {
	if err := f.check(); err != nil {
		return f, err
	}
	out := make(MetadataFilter, len(f))
	for k, v := range f {
		out[k] = norm.NFC.String(v)
	}
	return out, nil
}

func (f MetadataFilter) check() error {
	if len(f) > MaxMetadataKeys {
		return Errorf(CodeInvalidQuery, "At most %d metadata filters are allowed.", MaxMetadataKeys)
	}
	for k, v := range f {
		if !ValidMetadataKey(k) {
			return Errorf(CodeInvalidQuery, "metadata[%s]: a key is 1 to %d letters, digits, _, - or .", k, MaxMetadataKeyLen)
		}
		if err := checkQueryText("metadata["+k+"]", v); err != nil {
			return err
		}
		if v == "" {
			return Errorf(CodeInvalidQuery, "metadata[%s] needs a value.", k)
		}
	}
	return nil
}

// EncodeMetadata returns m as the JSON object stores keep ("{}" when
// empty), keys in byte order.
func EncodeMetadata(m Metadata) string {
	if len(m) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(m) // strings only: it cannot fail
	return string(b)
}

// DecodeMetadata reads what EncodeMetadata wrote (nil for "{}").
func DecodeMetadata(s []byte) (Metadata, error) {
	if len(s) == 0 || string(s) == "{}" {
		return nil, nil
	}
	var m Metadata
	err := json.Unmarshal(s, &m)
	return m, err
}

// Keys returns f's keys in byte order.
func (f MetadataFilter) Keys() []string { return Metadata(f).Keys() }
