package clientfile

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// BOM is the byte order mark Excel needs to read a CSV file as UTF-8.
const BOM = "\ufeff"

// Format returns "csv" or "jsonl": format, or when it is "" the format
// the extension of path names.
func Format(path, format string) (string, error) {
	if format == "" {
		format = strings.TrimPrefix(filepath.Ext(path), ".")
		if format == "" {
			return "", fmt.Errorf("%q has no extension to tell its format by: give --format csv or --format jsonl", path)
		}
	}
	switch strings.ToLower(format) {
	case "csv":
		return "csv", nil
	case "jsonl", "ndjson":
		return "jsonl", nil
	}
	return "", fmt.Errorf("unknown format %q: want csv or jsonl", format)
}

// Row is one client as an export writes it (and `fatora clients` prints
// it): times in the API's format.
type Row struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	Email     string `json:"email"`
	Address   string `json:"address"`
	Notes     string `json:"notes"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
	// Metadata is written as an object in JSON Lines ({} when empty) and
	// as metadata.KEY columns in CSV (see NewMetadataWriter).
	Metadata map[string]string `json:"metadata"`
}

// FormatTime is the API's time format, which exports write: RFC 3339, UTC,
// milliseconds; "" for the zero time.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// NewWriter returns functions that write one client to w as kind, and
// finish the output. A CSV export starts with its header row even when
// there is no client; a cell a spreadsheet would run as a formula is
// written as text (see spreadsheetSafe), which the CSV reader undoes.
func NewWriter(kind string, w io.Writer) (write func(Row) error, flush func() error) {
	return NewMetadataWriter(kind, w, nil)
}

// NewMetadataWriter is NewWriter whose CSV has a metadata.KEY column for
// each of keys, after the others (JSON Lines writes every row's metadata
// whatever keys says).
func NewMetadataWriter(kind string, w io.Writer, keys []string) (write func(Row) error, flush func() error) {
	if kind == "jsonl" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return func(c Row) error {
			if c.Metadata == nil {
				c.Metadata = map[string]string{}
			}
			return enc.Encode(c)
		}, func() error { return nil }
	}
	cw := csv.NewWriter(w)
	header := []string{"id", "name", "phone", "email", "address", "notes", "created_at", "updated_at"}
	for _, k := range keys {
		header = append(header, MetadataPrefix+k)
	}
	headerErr := cw.Write(header)
	write = func(c Row) error {
		row := []string{strconv.FormatInt(c.ID, 10), spreadsheetSafe(c.Name), spreadsheetSafe(c.Phone),
			spreadsheetSafe(c.Email), spreadsheetSafe(c.Address), spreadsheetSafe(c.Notes), c.CreatedAt, c.UpdatedAt}
		for _, k := range keys {
			row = append(row, spreadsheetSafe(c.Metadata[k]))
		}
		return cw.Write(row)
	}
	flush = func() error {
		cw.Flush()
		return errors.Join(headerErr, cw.Error())
	}
	return write, flush
}

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula (OWASP's list for CSV injection): =, +, -, @, tab and
// carriage return.
const formulaStarts = "=+-@\t\r"

// startsLikeFormula reports whether v, after any apostrophes it starts
// with, starts with a formula character.
func startsLikeFormula(v string) bool {
	v = strings.TrimLeft(v, "'")
	return v != "" && strings.IndexByte(formulaStarts, v[0]) >= 0
}

// spreadsheetSafe returns a CSV cell that Excel and LibreOffice show as
// the text v instead of running it as a formula (=HYPERLINK(...), a phone
// number +974...): v with an apostrophe before it, which they read as "this
// is text" and do not show. A value made of apostrophes before a formula
// character gets one more, so FromSpreadsheetSafe, which the import
// applies, gives back exactly v.
func spreadsheetSafe(v string) string {
	if startsLikeFormula(v) {
		return "'" + v
	}
	return v
}

// FromSpreadsheetSafe undoes spreadsheetSafe: it is the value of a cell
// NewWriter wrote.
func FromSpreadsheetSafe(v string) string {
	if strings.HasPrefix(v, "'") && startsLikeFormula(v[1:]) {
		return v[1:]
	}
	return v
}
