package token

import (
	"strings"
	"testing"
)

// TestCheckImportedKey holds the rule for keys brought from elsewhere:
// GUIDs and generated keys pass; keys guessable online are refused.
func TestCheckImportedKey(t *testing.T) {
	for _, key := range []string{
		"E4B73FEE-F492-4607-A38D-852B0EBC91C9",                     // Fatora's sample key
		"e4b73fee-f492-4607-a38d-852b0ebc91c9",                     // as .NET writes it
		"ftr_live_" + "dGhpcyBpcyAzMiByYW5kb20gYnl0ZXMgb2Yga2V5IQ", // ours
		"Xk29fLq7Pm3ZtR8w",                                         // 16 of letters and digits: 95 bits
		"4f9a1c7e2b8d3065",                                         // 16 hexadecimal digits: 64 bits
	} {
		if err := CheckImportedKey(key); err != nil {
			t.Errorf("CheckImportedKey(%q) = %v, want nil", key, err)
		}
	}
	for _, key := range []string{
		strings.Repeat("a", 16),                // the attack run's key
		"aaaaaaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb", // two characters
		"abcdefghijklmnopqrstuvwxyz",           // consecutive
		"1234567890123456789012345",            // consecutive digits
		"4f9a1c7e2b8d306",                      // 15 characters
		"4f9a-1c7e-2b8d-30",                    // 14 hexadecimal digits: 56 bits
		"password12345678",                     // half of it a run
		"E4B73FEE F492 4607 A38D 852B0EBC91C9", // spaces
		"E4B73FEE-F492-4607-A38D-852B0EBC91Cé", // not ASCII
	} {
		if err := CheckImportedKey(key); err == nil {
			t.Errorf("CheckImportedKey(%q) = nil, want it refused", key)
		}
	}
}
