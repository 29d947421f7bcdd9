package strictjson

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzAppendStringMatchesEncodingJSON holds AppendString to encoding/json's
// bytes (HTML escaping off) for any text, valid UTF-8 or not.
func FuzzAppendStringMatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{"", "Fatima", "فاطمة", `q"b\s`, "<a&b>", "\x00\x1f\x7f", "\n\r\t\b\f", "\u2028\u2029", "\xff", "a\xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got := AppendString([]byte("x"), s); !bytes.Equal(got, append([]byte("x"), bytes.TrimSuffix(want.Bytes(), []byte("\n"))...)) {
			t.Fatalf("AppendString(%q) = %s, encoding/json %s", s, got[1:], want.Bytes())
		}
	})
}
