package token

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

func TestGenerateAPIKey(t *testing.T) {
	a, b := GenerateAPIKey("live"), GenerateAPIKey("live")
	if a == b {
		t.Fatal("two generated keys are equal")
	}
	rest, ok := strings.CutPrefix(a, "ftr_live_")
	if !ok {
		t.Fatalf("key %q lacks the ftr_live_ prefix", a)
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(raw) != 32 {
		t.Fatalf("key body %q is not 256 bits of base64url (%d bytes, %v)", rest, len(raw), err)
	}
}

func TestHashAPIKey(t *testing.T) {
	k := "E4B73FEE-F492-4607-A38D-852B0EBC91C9"
	if !bytes.Equal(HashAPIKey(k), HashAPIKey(k)) || len(HashAPIKey(k)) != 32 {
		t.Fatal("hash is not a stable SHA-256")
	}
	if bytes.Equal(HashAPIKey(k), HashAPIKey(strings.ToLower(k))) {
		t.Fatal("keys differing in case hash alike")
	}
}

func TestDisplayPrefix(t *testing.T) {
	tests := map[string]string{
		GenerateAPIKey("test")[:17] + "rest-of-the-secret-value-that-is-long": "",
		"E4B73FEE-F492-4607-A38D-852B0EBC91C9":                                "E4B73FEE",
		"short":                                                               "s",
	}
	for key, want := range tests {
		got := DisplayPrefix(key)
		if want == "" {
			want = key[:13]
		}
		if got != want {
			t.Errorf("DisplayPrefix(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestCanonicalAPIKey(t *testing.T) {
	tests := map[string]string{
		"e4b73fee-f492-4607-a38d-852b0ebc91c9": "E4B73FEE-F492-4607-A38D-852B0EBC91C9",
		"E4b73Fee-F492-4607-A38d-852B0EBC91C9": "E4B73FEE-F492-4607-A38D-852B0EBC91C9",
		"E4B73FEE-F492-4607-A38D-852B0EBC91C9": "E4B73FEE-F492-4607-A38D-852B0EBC91C9",
		// Not GUIDs: kept exactly.
		"ftr_live_abcDEF":                        "ftr_live_abcDEF",
		"e4b73fee-f492-4607-a38d-852b0ebc91c":    "e4b73fee-f492-4607-a38d-852b0ebc91c",
		"e4b73fee-f492-4607-a38d-852b0ebc91cg":   "e4b73fee-f492-4607-a38d-852b0ebc91cg",
		"e4b73feef4924607a38d852b0ebc91c9abcd":   "e4b73feef4924607a38d852b0ebc91c9abcd",
		"{e4b73fee-f492-4607-a38d-852b0ebc91c9}": "{e4b73fee-f492-4607-a38d-852b0ebc91c9}",
	}
	for in, want := range tests {
		if got := CanonicalAPIKey(in); got != want {
			t.Errorf("CanonicalAPIKey(%q) = %q, want %q", in, got, want)
		}
	}
}
