package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora/clientfile"

	"github.com/google/go-cmp/cmp"
)

// TestImportExcelCSV: a file as Excel saves it where the comma is the
// decimal mark (a byte order mark, ; between fields, CRLF) imports as it
// should, Arabic intact.
func TestImportExcelCSV(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	text := clientfile.BOM + "Name;Phone;Email;Notes\r\n" +
		"عميل أول;+974 5555 1234;a@example.com;\"سطر; ثان\"\r\n" +
		"Second, Client;;b@example.com;1,5\r\n"
	r := e.clients(t, "import", writeFile(t, "excel.csv", text), "--json")
	if sum := decodeSummary(t, r.stdout); r.err != nil || sum.Created != 2 || sum.Rejected != 0 {
		t.Fatalf("import: %v, %+v, stderr %s", r.err, sum, r.stderr)
	}
	notes := map[string]string{} // by name: the import runs creates concurrently, in no order
	for _, c := range e.listAll(t) {
		notes[c.Name] = c.Notes
	}
	if want := map[string]string{"عميل أول": "سطر; ثان", "Second, Client": "1,5"}; !cmp.Equal(notes, want) {
		t.Errorf("imported notes by name %v, want %v", notes, want)
	}
}

// TestImportUnterminatedQuote: a quote never closed is an error naming its
// line; the lines after it are not read as one client's notes.
func TestImportUnterminatedQuote(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
		line       string
	}{
		{"in a row", "name,notes\nFirst,fine\nSecond,\"never closed\nThird,x\nFourth,y\n", "line 3"},
		{"in the header", "\"name,notes\nFirst,fine\n", "line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newAPIEnv(t)
			r := e.clients(t, "import", writeFile(t, "broken.csv", tt.text))
			if r.err == nil || !strings.Contains(r.err.Error(), tt.line+": a quote opened there is never closed") {
				t.Fatalf("import: %v; want an error naming %s", r.err, tt.line)
			}
			for _, c := range e.listAll(t) {
				if strings.Contains(c.Notes, "Third") {
					t.Errorf("the rest of the file became a client's notes: %+v", c)
				}
			}
		})
	}
	// A closing quote right at the end of the file closes the field.
	e := newAPIEnv(t)
	e.ok(t, "import", writeFile(t, "ok.csv", "name,notes\nFirst,\"two\nlines\""))
	if got := e.listAll(t); len(got) != 1 || got[0].Notes != "two\nlines" {
		t.Errorf("a quoted field closed at the end of the file: %+v", got)
	}
}

// TestDuplicateNamesTheExistingClient: the CLI's duplicate error says which
// client is already there.
func TestDuplicateNamesTheExistingClient(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	first := e.client(t, "create", "--name", "Ali", "--email", "ali@example.com")
	r := e.clients(t, "create", "--name", "Ali", "--email", "ALI@example.com")
	wantOneLineError(t, r, "409 duplicate_client")
	if want := "fatora clients get " + strconv.FormatInt(first.ID, 10); r.err == nil || !strings.Contains(r.err.Error(), want) {
		t.Errorf("duplicate error %v; want it to name the existing client (%s)", r.err, want)
	}
}
