package clientfile

import "testing"

// TestSpreadsheetSafe: a CSV cell that a spreadsheet would run as a
// formula gets an apostrophe before it, and the import gives back the
// value exactly.
func TestSpreadsheetSafe(t *testing.T) {
	for v, cell := range map[string]string{
		`=HYPERLINK("http://x","y")`: `'=HYPERLINK("http://x","y")`,
		"+974 5555 0101":             "'+974 5555 0101",
		"-2+3":                       "'-2+3",
		"@SUM(A1)":                   "'@SUM(A1)",
		"\tcmd":                      "'\tcmd",
		"\rcmd":                      "'\rcmd",
		"'@home":                     "''@home",
		"'quoted'":                   "'quoted'",
		"Client Name":                "Client Name",
		"":                           "",
	} {
		if got := spreadsheetSafe(v); got != cell {
			t.Errorf("spreadsheetSafe(%q) = %q, want %q", v, got, cell)
		}
		if back := FromSpreadsheetSafe(cell); back != v {
			t.Errorf("FromSpreadsheetSafe(%q) = %q, want %q", cell, back, v)
		}
	}
}
