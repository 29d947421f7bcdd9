package strictjson

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var clientFields = Fields{"name": "name", "phone": "phone", "notes": "notes", "note": "notes"}

func TestDecodeObjectAccepts(t *testing.T) {
	tests := []struct {
		name string
		body string
		want map[string]Value
	}{
		{"plain", `{"name":"Client Name","phone":"Client Phone"}`,
			map[string]Value{"name": {String: "Client Name"}, "phone": {String: "Client Phone"}}},
		{"pascal case keys", `{"Name":"a","NOTE":"b"}`,
			map[string]Value{"name": {String: "a"}, "notes": {String: "b"}}},
		{"null", `{"name":"a","phone":null}`,
			map[string]Value{"name": {String: "a"}, "phone": {Null: true}}},
		{"empty object", ` { } `, map[string]Value{}},
		{"surrogate pair escape", `{"name":"\ud83d\ude00"}`, map[string]Value{"name": {String: "😀"}}},
		{"escaped replacement char", `{"name":"\ufffd"}`, map[string]Value{"name": {String: "\ufffd"}}},
		{"escaped backslash before u", `{"name":"\\ud800"}`, map[string]Value{"name": {String: `\ud800`}}},
		{"arabic", `{"name":"محمد ٤٥"}`, map[string]Value{"name": {String: "محمد ٤٥"}}},
		{"trailing white space", "{\"name\":\"a\"}\n\t ", map[string]Value{"name": {String: "a"}}},
		{"number kept as its literal", `{"phone":97455123456,"name":1.5e3,"notes":-0.10}`,
			map[string]Value{"phone": {String: "97455123456", Number: true}, "name": {String: "1.5e3", Number: true},
				"notes": {String: "-0.10", Number: true}}},
		{"huge number", `{"phone":123456789012345678901234567890}`,
			map[string]Value{"phone": {String: "123456789012345678901234567890", Number: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeObject([]byte(tt.body), clientFields)
			if err != nil {
				t.Fatalf("DecodeObject: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeObjectRefuses(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantKind  Kind
		wantField string
	}{
		{"empty body", ``, Malformed, ""},
		{"truncated", `{"name":`, Malformed, ""},
		{"top-level null", `null`, Malformed, ""},
		{"top-level array", `[]`, Malformed, ""},
		{"top-level number", `42`, Malformed, ""},
		{"trailing garbage", `{"name":"a"} x`, Malformed, ""},
		{"two objects", `{"name":"a"}{"name":"b"}`, Malformed, ""},
		{"deep nesting", `{"name":` + strings.Repeat("[", 100000), Malformed, ""},
		{"duplicate", `{"name":"a","name":"b"}`, DuplicateField, "name"},
		{"duplicate other case", `{"name":"a","NAME":"b"}`, DuplicateField, "NAME"},
		{"duplicate alias", `{"notes":"a","Note":"b"}`, DuplicateField, "Note"},
		{"unknown", `{"name":"a","merchant_id":"B"}`, UnknownField, "merchant_id"},
		{"true", `{"name":true}`, WrongType, "name"},
		{"false", `{"phone":false}`, WrongType, "phone"},
		{"array", `{"name":["a"]}`, WrongType, "name"},
		{"bool", `{"name":true}`, WrongType, "name"},
		{"object", `{"name":{}}`, WrongType, "name"},
		{"raw invalid utf-8", "{\"name\":\"\xff\xfe\"}", InvalidText, "name"},
		{"lone high surrogate", `{"name":"\ud800"}`, InvalidText, "name"},
		{"lone low surrogate", `{"name":"a\udc00b"}`, InvalidText, "name"},
		{"high then non-low", `{"name":"\ud800\u0041"}`, InvalidText, "name"},
		{"invalid utf-8 in name", "{\"n\xffame\":\"a\"}", Malformed, ""},
		{"surrogate in name", `{"\ud800":"a"}`, Malformed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeObject([]byte(tt.body), clientFields)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("DecodeObject error = %v, want *Error", err)
			}
			if e.Kind != tt.wantKind || e.Field != tt.wantField {
				t.Errorf("error = {%d %q %q}, want kind %d field %q", e.Kind, e.Field, e.Message, tt.wantKind, tt.wantField)
			}
		})
	}
}

// FuzzDecodeObject checks that no input panics and that whatever is accepted
// is valid text under a declared field.
func FuzzDecodeObject(f *testing.F) {
	for _, s := range []string{`{"name":"a"}`, `{"Name":"\ud83d\ude00","note":null}`, `{"name":"\ud800"}`, "{\"a\":1}", `[`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := DecodeObject(data, clientFields)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Kind < Malformed || e.Kind > InvalidText {
				t.Fatalf("error %v is not a classified *Error", err)
			}
			return
		}
		for field, v := range got {
			if field != "name" && field != "phone" && field != "notes" {
				t.Fatalf("undeclared field %q accepted", field)
			}
			if strings.ContainsRune(v.String, '\ufffd') && !strings.Contains(string(data), "\ufffd") && !strings.Contains(strings.ToLower(string(data)), `\ufffd`) {
				t.Fatalf("replacement character invented for %q", data)
			}
		}
	})
}
