package fatora

import "testing"

// TestFormatCharacters: identifiers (e-mail, phone) refuse every invisible
// formatting character; prose keeps the marks Arabic and Persian need but
// refuses the bidi embeddings and overrides that display text reordered.
func TestFormatCharacters(t *testing.T) {
	tests := []struct {
		name  string
		f     ClientFields
		field string // the field refused, "" when accepted
	}{
		{"right-to-left override in an e-mail", ClientFields{Name: "a", Email: "moc.elpmaxe@\u202Eevil"}, "email"},
		{"zero-width space in an e-mail", ClientFields{Name: "a", Email: "a\u200b@example.com"}, "email"},
		{"left-to-right mark in a phone", ClientFields{Name: "a", Phone: "\u200E+974 5555 1234"}, "phone"},
		{"override in a name", ClientFields{Name: "invoice\u202Efdp.exe"}, "name"},
		{"embedding in an address", ClientFields{Name: "a", Address: "\u202BDoha"}, "address"},
		{"pop directional formatting in notes", ClientFields{Name: "a", Notes: "x\u202C"}, "notes"},
		{"zero-width non-joiner in a Persian name", ClientFields{Name: "می\u200Cخواهم"}, ""},
		{"right-to-left mark and isolates in a name", ClientFields{Name: "\u200Fأحمد \u2068Ahmed\u2069"}, ""},
		{"plain Arabic everywhere", ClientFields{Name: "أحمد", Address: "الدوحة", Phone: "+٩٧٤ ٥٥٥٥ ١٢٣٤", Email: "a@example.qa"}, ""},
	}
	for _, tt := range tests {
		_, err := tt.f.Normalize()
		e, _ := err.(*Error)
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s: refused: %v", tt.name, err)
		case tt.field != "" && (e == nil || len(e.Fields) != 1 || e.Fields[0].Field != tt.field):
			t.Errorf("%s: %v, want %s refused", tt.name, err, tt.field)
		}
	}
}
