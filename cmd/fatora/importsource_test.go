package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/sdk"
	"github.com/google/go-cmp/cmp"
)

// readAll reads every record of src.
func readAll(t testing.TB, src recordSource) []importRecord {
	t.Helper()
	var recs []importRecord
	for {
		rec, err := src.next()
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
	src, err := newCSVSource(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, src)
	want := []importRecord{
		{line: 2, params: sdk.ClientCreateParams{Name: "Layla", Notes: sdk.String("n1")}},
		{line: 4, params: sdk.ClientCreateParams{Name: "Omar", Notes: sdk.String("two\nlines"), Email: sdk.String("o@example.com")}},
		{line: 6, problem: "2 fields, but the header row names 4 columns"},
		{line: 7, problem: `not well-formed CSV: bare " in non-quoted-field`},
		{line: 8, problem: "the name column is not valid UTF-8"},
	}
	var total int64 = 20
	for i := range got {
		total += got[i].size
		got[i].size = 0
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(importRecord{})); diff != "" {
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
	long := `{"name":"` + strings.Repeat("x", maxJSONLine) + `"}`
	text := "\n  \n{\"name\":\"A\"}\r\n" + long + "\n{\"name\":\"B\",\"phone\":null}"
	got := readAll(t, newJSONLSource(strings.NewReader(text)))
	want := []importRecord{
		{line: 3, params: sdk.ClientCreateParams{Name: "A"}, size: int64(len("\n  \n{\"name\":\"A\"}\r\n"))},
		{line: 4, problem: "longer than 1048576 bytes", size: int64(len(long) + 1)},
		{line: 5, params: sdk.ClientCreateParams{Name: "B"}, size: int64(len(`{"name":"B","phone":null}`))},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(importRecord{})); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

// TestImportKey checks that the key depends on the fields sent alone, and
// tells an absent field from an empty one.
func TestImportKey(t *testing.T) {
	t.Parallel()
	a := sdk.ClientCreateParams{Name: "Layla", Email: sdk.String("l@example.com")}
	same := sdk.ClientCreateParams{Name: "Layla", Email: sdk.String("l@example.com"), IdempotencyKey: "ignored"}
	others := []sdk.ClientCreateParams{
		{Name: "Layla", Email: sdk.String("l@example.com"), Phone: sdk.String("")},
		{Name: "Layla", Phone: sdk.String("l@example.com")},
		{Name: "Layla ", Email: sdk.String("l@example.com")},
		{Name: "Layla"},
	}
	k := importKey(a)
	if importKey(same) != k || !strings.HasPrefix(k, "import-") || len(k) != len("import-")+64 {
		t.Errorf("importKey = %q; want the same for the same fields, import- and 64 hex digits", k)
	}
	for _, o := range others {
		if importKey(o) == k {
			t.Errorf("%+v has the key of %+v", o, a)
		}
	}
}

// TestProgressOnTerminal checks the bar and a message printed above it.
func TestProgressOnTerminal(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	now := time.Unix(0, 0)
	p := &progress{w: &buf, tty: true, total: 200, every: time.Second, now: func() time.Time { return now }, last: now}
	s := &importSummary{Lines: 5, Created: 4, Rejected: 1}
	p.update(50, s) // too soon: nothing
	now = now.Add(time.Second)
	p.update(100, s)
	p.println("line 3: rejected")
	p.update(100, s) // drawn again at once after a message
	p.clear()
	bar := "\r[===============               ]  50% 5 lines: 4 created, 0 already present, 1 rejected\x1b[K"
	want := bar + "\r\x1b[Kline 3: rejected\n" + bar + "\r\x1b[K"
	if got := buf.String(); got != want {
		t.Errorf("progress wrote\n%q\nwant\n%q", got, want)
	}
}

// TestProgressPlain checks the plain lines written when standard error is
// no terminal.
func TestProgressPlain(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	p := newProgress(&buf, "import", 0)
	if p.tty {
		t.Fatal("a buffer taken for a terminal")
	}
	now := time.Now()
	p.now = func() time.Time { return now }
	s := &importSummary{Lines: 7, Created: 7}
	p.update(10, s)
	p.println("line 2: rejected")
	now = now.Add(p.every)
	p.update(10, s)
	p.clear()
	if want := "line 2: rejected\nimport: 7 lines: 7 created, 0 already present, 0 rejected\n"; buf.String() != want {
		t.Errorf("progress wrote %q, want %q", buf.String(), want)
	}
}

// FuzzCSVSource checks that no input makes the CSV reader panic or loop,
// and that every record it reads has a line number.
func FuzzCSVSource(f *testing.F) {
	f.Add("name,email\nLayla,l@example.com\n")
	f.Add("\ufeffNAME,notes\n\"a\nb\",\"c\"\"d\"\nx\n")
	f.Add("name\n\"unterminated\n")
	f.Fuzz(func(t *testing.T, text string) {
		src, err := newCSVSource(strings.NewReader(text))
		if err != nil {
			return
		}
		for range len(text) + 1 {
			rec, err := src.next()
			if err != nil {
				return
			}
			if rec.line < 2 {
				t.Fatalf("a record at line %d", rec.line)
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
		for _, v := range []*string{&p.Name, p.Phone, p.Email, p.Address, p.Notes} {
			if v != nil && strings.ContainsRune(*v, '\ufffd') && !strings.Contains(line, "\ufffd") &&
				!strings.Contains(strings.ToLower(line), `\ufffd`) {
				t.Fatalf("%q: a replacement character appeared in %q", line, *v)
			}
		}
	})
}
