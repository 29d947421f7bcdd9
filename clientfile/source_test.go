package clientfile

import (
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func str(s string) *string { return &s }

// readAll reads every record of src.
func readAll(t testing.TB, src Source) []Record {
	t.Helper()
	var recs []Record
	for {
		rec, err := src.Next()
		if err == io.EOF {
			return recs
		}
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
	}
}

// TestCSVSource checks line numbers, sizes, empty cells and the problems
// found without asking the server.
func TestCSVSource(t *testing.T) {
	t.Parallel()
	text := "Notes,name,EMAIL,id\n" + // 20 bytes
		"n1,Layla,,1\n" + // line 2
		"\n" + // skipped
		"\"two\nlines\",Omar,o@example.com,2\n" + // lines 4-5
		"short,row\n" + // line 6
		"a,b\"c,d,3\n" + // line 7: a bare quote
		"x,\xff,y,4\n" // line 8
	src, err := NewCSVSource(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, src)
	want := []Record{
		{Line: 2, Fields: Fields{Name: str("Layla"), Notes: str("n1")}},
		{Line: 4, Fields: Fields{Name: str("Omar"), Notes: str("two\nlines"), Email: str("o@example.com")}},
		{Line: 6, Problem: "2 fields, but the header row names 4 columns"},
		{Line: 7, Problem: `not well-formed CSV: bare " in non-quoted-field`},
		{Line: 8, Problem: "the name column is not valid UTF-8"},
	}
	var total int64 = 20
	for i := range got {
		total += got[i].Size
		got[i].Size = 0
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if total != int64(len(text)) {
		t.Errorf("the records' sizes add up to %d bytes, want the file's %d", total, len(text))
	}
}

// TestJSONLSource checks line numbers and sizes, blank lines, a last line
// without a newline, and a line too long.
func TestJSONLSource(t *testing.T) {
	t.Parallel()
	long := `{"name":"` + strings.Repeat("x", MaxJSONLine) + `"}`
	text := "\n  \n{\"name\":\"A\"}\r\n" + long + "\n{\"name\":\"B\",\"phone\":null}"
	got := readAll(t, NewJSONLSource(strings.NewReader(text)))
	want := []Record{
		{Line: 3, Fields: Fields{Name: str("A")}, Size: int64(len("\n  \n{\"name\":\"A\"}\r\n"))},
		{Line: 4, Problem: "longer than 1048576 bytes", Size: int64(len(long) + 1)},
		{Line: 5, Fields: Fields{Name: str("B")}, Size: int64(len(`{"name":"B","phone":null}`))},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

// FuzzCSVSource checks that no input makes the CSV reader panic or loop,
// and that every record it reads has a line number.
func FuzzCSVSource(f *testing.F) {
	f.Add("name,email\nLayla,l@example.com\n")
	f.Add("\ufeffNAME,notes\n\"a\nb\",\"c\"\"d\"\nx\n")
	f.Add("name\n\"unterminated\n")
	f.Fuzz(func(t *testing.T, text string) {
		src, err := NewCSVSource(strings.NewReader(text))
		if err != nil {
			return
		}
		for range len(text) + 1 {
			rec, err := src.Next()
			if err != nil {
				return
			}
			if rec.Line < 2 {
				t.Fatalf("a record at line %d", rec.Line)
			}
		}
		t.Fatal("more records than bytes")
	})
}

// FuzzParseJSONClient checks that a line sent as it is parsed holds only
// valid UTF-8 text, as the API requires.
func FuzzParseJSONClient(f *testing.F) {
	f.Add(`{"name":"Layla","NOTE":"x","phone":null,"id":3}`)
	f.Add(`{"name":"\ud800"}`)
	f.Add(`{"name":"\ufffd\uFFFD�"}`)
	f.Fuzz(func(t *testing.T, line string) {
		p, problem := parseJSONClient([]byte(line))
		if problem != "" {
			return
		}
		for _, v := range []*string{p.Name, p.Phone, p.Email, p.Address, p.Notes} {
			if v != nil && strings.ContainsRune(*v, '\ufffd') && !strings.Contains(line, "\ufffd") &&
				!strings.Contains(strings.ToLower(line), `\ufffd`) {
				t.Fatalf("%q: a replacement character appeared in %q", line, *v)
			}
		}
	})
}
