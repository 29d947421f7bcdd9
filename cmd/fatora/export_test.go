package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora/clientfile"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fatora-oss/fatora"
)

// TestExportRoundTrip exports 150 clients with awkward text (more than one
// page) as CSV and JSON Lines, compares both with the list, and imports
// the CSV export into another merchant.
func TestExportRoundTrip(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	var lines []string
	for i := range 150 {
		c := map[string]string{"name": fmt.Sprintf("عميل %03d, \"Ali\" 🌟", i), "email": fmt.Sprintf("c%d@example.com", i)}
		if i%3 == 0 {
			c["address"], c["notes"] = "Line 1\nLine 2,\ttabbed", `=1+2, "quoted"`
		}
		if i%5 == 0 {
			c["phone"], c["address"] = "+974 5555 0101", "'@home" // a formula's start, and an apostrophe before one
		}
		b, _ := json.Marshal(c)
		lines = append(lines, string(b))
	}
	e.ok(t, "import", writeFile(t, "seed.jsonl", strings.Join(lines, "\n")+"\n"))
	want := e.listAll(t)
	if len(want) != 150 {
		t.Fatalf("%d clients seeded, want 150", len(want))
	}

	out := filepath.Join(t.TempDir(), "clients.csv")
	r := e.clients(t, "export", "--output", out)
	if r.err != nil || r.stdout != "" || r.stderr != "Exported 150 clients to "+out+".\n" {
		t.Fatalf("export --output: %v, stdout %q, stderr %q", r.err, r.stdout, r.stderr)
	}
	if diff := cmp.Diff(want, readCSVExport(t, out, true)); diff != "" {
		t.Errorf("the CSV export differs from the list (-list +export):\n%s", diff)
	}
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the export's mode: %v %v; want 0600", st.Mode(), err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*.tmp")); len(leftovers) != 0 {
		t.Errorf("the export left %v behind", leftovers)
	}

	var got []clientOutput
	dec := json.NewDecoder(strings.NewReader(e.ok(t, "export", "--format", "jsonl")))
	dec.DisallowUnknownFields()
	for dec.More() {
		var c clientOutput
		if err := dec.Decode(&c); err != nil {
			t.Fatal(err)
		}
		got = append(got, c)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the JSON Lines export differs from the list (-list +export):\n%s", diff)
	}

	other := *e
	other.key = e.api.NewMerchant("other").Keys[fatora.ModeTest]
	r = other.clients(t, "import", out, "--json")
	if sum := decodeSummary(t, r.stdout); r.err != nil || sum.Created != 150 {
		t.Fatalf("importing the export into another merchant: %v, %+v", r.err, sum)
	}
	// The import runs 8 creates at a time: the ids follow no order.
	byName := cmpopts.SortSlices(func(a, b clientOutput) bool { return a.Name < b.Name })
	noIDs := cmpopts.IgnoreFields(clientOutput{}, "ID", "CreatedAt", "UpdatedAt")
	if diff := cmp.Diff(want, other.listAll(t), byName, noIDs); diff != "" {
		t.Errorf("the export imported elsewhere differs (-exported +imported):\n%s", diff)
	}
}

// TestExportByteOrderMark: a .csv file gets the mark Excel needs unless
// --bom=false; standard output gets it only with --bom.
func TestExportByteOrderMark(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	e.ok(t, "create", "--name", "عميل")
	if got := e.ok(t, "export"); strings.HasPrefix(got, clientfile.BOM) {
		t.Errorf("export to standard output starts with a byte order mark: %q", got)
	}
	if got := e.ok(t, "export", "--bom"); !strings.HasPrefix(got, clientfile.BOM+"id,name,") {
		t.Errorf("export --bom printed %q, want the mark then the header row", got)
	}
	dir := t.TempDir()
	e.ok(t, "export", "--output", filepath.Join(dir, "a.csv"), "--bom=false")
	if got := readCSVExport(t, filepath.Join(dir, "a.csv"), false); len(got) != 1 || got[0].Name != "عميل" {
		t.Errorf("export --bom=false: %+v", got)
	}
	wantOneLineError(t, e.clients(t, "export", "--format", "jsonl", "--bom"), "--bom is for CSV")
}

// TestExportEmptyAndFailed checks the header row of an empty export, and
// that a failed export leaves the output file as it was.
func TestExportEmptyAndFailed(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	if got := e.ok(t, "export"); got != "id,name,phone,email,address,notes,created_at,updated_at\n" {
		t.Errorf("an empty export printed %q, want the header row alone", got)
	}
	out := writeFile(t, "clients.jsonl", "kept\n")
	bad := *e
	bad.key = fatoraSampleKey
	wantOneLineError(t, bad.clients(t, "export", "--output", out), "401 invalid_api_key")
	if b, err := os.ReadFile(out); err != nil || string(b) != "kept\n" {
		t.Errorf("the failed export changed the file: %q %v", b, err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("the failed export left files behind: %v", entries)
	}
}

// readCSVExport parses a CSV export, checking its byte order mark (there
// when wantBOM) and its header row.
func readCSVExport(t testing.TB, path string, wantBOM bool) []clientOutput {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, hasBOM := bytes.CutPrefix(b, []byte(clientfile.BOM))
	if hasBOM != wantBOM {
		t.Fatalf("%s starts with a byte order mark: %v, want %v", path, hasBOM, wantBOM)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"id", "name", "phone", "email", "address", "notes", "created_at", "updated_at"}; !cmp.Equal(rows[0], want) {
		t.Fatalf("header row %q, want %q", rows[0], want)
	}
	var out []clientOutput
	for _, r := range rows[1:] {
		id, err := strconv.ParseInt(r[0], 10, 64)
		if err != nil {
			t.Fatalf("row %q: %v", r, err)
		}
		out = append(out, clientOutput{ID: id, Name: clientfile.FromSpreadsheetSafe(r[1]), Phone: clientfile.FromSpreadsheetSafe(r[2]),
			Email: clientfile.FromSpreadsheetSafe(r[3]), Address: clientfile.FromSpreadsheetSafe(r[4]), Notes: clientfile.FromSpreadsheetSafe(r[5]), CreatedAt: r[6], UpdatedAt: r[7]})
	}
	return out
}
