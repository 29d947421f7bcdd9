package fatora

import (
	"testing"
	"unicode/utf8"
)

// TestFoldFastAgrees checks the one-pass fold against the full steps for
// every pair of ASCII and Arabic characters, and with a mark between.
func TestFoldFastAgrees(t *testing.T) {
	var runes []rune
	for r := rune(0); r < 0x0700; r++ {
		if r < utf8.RuneSelf || r >= 0x0600 {
			runes = append(runes, r)
		}
	}
	for _, a := range runes {
		for _, b := range runes {
			for _, s := range []string{string(a) + string(b), string(a) + "\u064e" + string(b)} {
				fast, ok := foldFast(s)
				if slow := foldSlow(s); ok && fast != slow {
					t.Fatalf("fold of %q: one pass %q, full steps %q", s, fast, slow)
				}
			}
		}
	}
}

func foldSlow(s string) string {
	out := foldRound(s)
	for i := 1; i < maxFoldRounds; i++ {
		out = foldRound(out)
	}
	return out
}
