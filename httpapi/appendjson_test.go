package httpapi

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

// reflected is encodeJSON without the appenders: encoding/json's output.
func reflected(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzAppendJSONMatchesEncodingJSON holds the hand-written client bodies to
// encoding/json's bytes for any text, valid UTF-8 or not.
func FuzzAppendJSONMatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{"", "Fatima Al-Qahtani", "فاطمة القحطاني", `q"b\s`, "<a&b>", "\x00\x01\x1f\x7f",
		"\n\r\t\b\f", "\u2028\u2029", "\xff\xfe", "a\xc3", "😀 emoji", "\u0660\u0661"} {
		f.Add(s, int64(42))
	}
	f.Fuzz(func(t *testing.T, s string, id int64) {
		now := time.Date(2026, 11, 27, 4, 5, 6, 789e6, time.UTC)
		c := toClientJSON(fatora.Client{ID: id, ClientFields: fatora.ClientFields{Name: s, Phone: s, Email: s, Address: s, Notes: s,
			Metadata: fatora.Metadata{s: s, "b": s, "a.b": "x"}}, CreatedAt: now, UpdatedAt: now, DeletedAt: now})
		one := clientResponse{Status: "SUCCESS", Client: c}
		list := clientListResponse{Status: "SUCCESS", Clients: []clientJSON{c, c}, Page: 2, PageSize: 20, TotalCount: int(id & 0xffff),
			TotalPages: 3, TotalCountExact: id%2 == 0, NextCursor: s}
		empty := clientListResponse{Status: "SUCCESS", Clients: []clientJSON{}}
		null := clientListResponse{Status: "SUCCESS"}
		for _, v := range []any{one, list, empty, null} {
			got, err := encodeJSON(v)
			if err != nil {
				t.Fatal(err)
			}
			if want := reflected(t, v); !bytes.Equal(got, want) {
				t.Fatalf("appended %s\nreflected %s", got, want)
			}
		}
	})
}
