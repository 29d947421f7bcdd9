package main

import (
	"fmt"
	"sort"
	"strings"
)

// metadataFlag is a repeatable --metadata KEY=VALUE flag; KEY= (an empty
// value) removes the key in an update.
type metadataFlag map[string]string

func (m metadataFlag) String() string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, ",")
}

// Set implements flag.Value.
func (m metadataFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("want KEY=VALUE, such as crm_id=42 (KEY= removes the key)")
	}
	if _, dup := m[k]; dup {
		return fmt.Errorf("the key %q is given twice", k)
	}
	m[k] = val
	return nil
}

func (metadataFlag) repeatable() {}

// changes returns the metadata change of an update: each key set, or
// removed when its value is empty; nil when no key is given.
func (m metadataFlag) changes() map[string]*string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]*string, len(m))
	for k, v := range m {
		if v == "" {
			out[k] = nil
		} else {
			out[k] = &v
		}
	}
	return out
}

// values returns the keys and values given, nil when none is.
func (m metadataFlag) values() map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}
