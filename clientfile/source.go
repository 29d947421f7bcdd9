// Package clientfile reads and writes a merchant's clients as files: CSV
// (a header row naming the columns in any order, ; or , between fields, a
// byte order mark skipped, an unterminated quote caught) and JSON Lines.
// The command line's import and export and the dashboard's both use it,
// so a file one writes the other reads.
package clientfile

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Fields are a client's fields as a file gives them: nil for a field it
// does not give (an empty CSV cell, a JSON null or absent member).
type Fields struct {
	Name, Phone, Email, Address, Notes *string
	// Metadata holds the metadata.KEY columns (or the JSON metadata
	// object) that have a value; nil when none has.
	Metadata map[string]string
}

// Record is one client read from a file.
type Record struct {
	// Line is where the record starts in the file, from 1.
	Line int
	// Fields are the record's fields.
	Fields Fields
	// Size is how many bytes of the file the record took (for progress).
	Size int64
	// Problem says why the record cannot be sent at all; "" when it can.
	Problem string
}

// Source reads the records of a file in order. It has two
// implementations: CSV and JSON Lines.
type Source interface {
	// Next returns the next record, or io.EOF after the last one. Any
	// other error is a failure to read the file.
	Next() (Record, error)
}

// Feed sends the records of src to jobs, in order, until the end of src
// (nil) or of ctx (nil: the records not sent are the caller's to count),
// or a failure to read src (returned).
func Feed(ctx context.Context, src Source, jobs chan<- Record) error {
	for {
		rec, err := src.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		select {
		case jobs <- rec:
		case <-ctx.Done():
			return nil
		}
	}
}

// NewSource reads r as kind ("csv" or "jsonl", see Format); a CSV file's
// header row is read at once, and is an error when it names no client's
// columns.
func NewSource(kind string, r io.Reader) (Source, error) {
	if kind == "csv" {
		return NewCSVSource(r)
	}
	return NewJSONLSource(r), nil
}

// fieldColumnList names the columns (and JSON members) of an import file.
const fieldColumnList = "name, phone, email, address, notes, metadata.KEY"

// fieldOf returns the field a column or member name stands for, in any
// letter case, and whether it is to be ignored; "" when it is none. "note"
// is read as "notes", as the API reads it. The columns of an export that
// are not fields of a new client (id, created_at, updated_at) are read and
// ignored, so that an export imports as it is. A metadata.KEY column sets
// the metadata key KEY (as written: keys are case-sensitive).
func fieldOf(name string) (field string, ignored bool) {
	if key, ok := metadataColumn(name); ok {
		return MetadataPrefix + key, false
	}
	switch n := strings.ToLower(strings.TrimSpace(name)); n {
	case "name", "phone", "email", "address", "notes":
		return n, false
	case "note":
		return "notes", false
	case "id", "created_at", "updated_at", "deleted_at":
		return n, true
	case "metadata": // a JSON object: JSON Lines only
		return n, false
	}
	return "", false
}

// MetadataPrefix starts the name of a metadata column: metadata.KEY.
const MetadataPrefix = "metadata."

// metadataColumn returns the key of a metadata.KEY column name (its prefix
// in any letter case).
func metadataColumn(name string) (string, bool) {
	name = strings.TrimSpace(name)
	if len(name) <= len(MetadataPrefix) || !strings.EqualFold(name[:len(MetadataPrefix)], MetadataPrefix) {
		return "", false
	}
	return name[len(MetadataPrefix):], true
}

// setField sets field of p to v.
func setField(p *Fields, field string, v *string) {
	if key, ok := strings.CutPrefix(field, MetadataPrefix); ok {
		if p.Metadata == nil {
			p.Metadata = map[string]string{}
		}
		p.Metadata[key] = *v
		return
	}
	switch field {
	case "name":
		p.Name = v
	case "phone":
		p.Phone = v
	case "email":
		p.Email = v
	case "address":
		p.Address = v
	case "notes":
		p.Notes = v
	}
}

// CSVSource reads CSV with a header row that names the columns.
type CSVSource struct {
	r      *csv.Reader
	quotes *quoteTracker
	fields []string // of each column; "" for an ignored one
	offset int64    // input offset after the last record read
}

// NewCSVSource reads the header row of r. A column that is not a field of
// a client, the same field twice, or no name column is an error: nothing
// can be imported right then. A byte order mark (as spreadsheets write) is
// skipped, and the separator is read from the header row: ; when it has
// more of them than commas (Excel's CSV where the comma is the decimal
// mark), else the comma.
func NewCSVSource(r io.Reader) (*CSVSource, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, _ := br.Peek(len(BOM)); string(bom) == BOM {
		br.Discard(len(BOM))
	}
	sep := detectSeparator(br)
	s := &CSVSource{quotes: &quoteTracker{r: br, sep: byte(sep), line: 1, atFieldStart: true}}
	s.r = csv.NewReader(s.quotes)
	s.r.Comma = sep
	s.r.FieldsPerRecord = -1 // counted here, so a short line is rejected alone
	header, err := s.r.Read()
	if qerr := s.quotes.check(); qerr != nil {
		err = qerr
	}
	if err == io.EOF {
		return nil, errors.New("the file is empty; want a header row naming the columns (name, phone, email, address, notes)")
	}
	if err != nil {
		return nil, fmt.Errorf("the header row: %w", err)
	}
	if err := s.readHeader(header); err != nil {
		return nil, err
	}
	s.offset = s.r.InputOffset()
	return s, nil
}

// detectSeparator reads the first line of br (without consuming it) and
// returns ; when it holds more semicolons than commas, else the comma.
func detectSeparator(br *bufio.Reader) rune {
	head, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	if bytes.Count(head, []byte(";")) > bytes.Count(head, []byte(",")) {
		return ';'
	}
	return ','
}

func (s *CSVSource) readHeader(header []string) error {
	seen := map[string]bool{}
	for _, col := range header {
		field, ignored := fieldOf(col)
		switch {
		case field == "":
			return fmt.Errorf("the header row names the column %q, which is not one of %s "+
				"(nor id, created_at, updated_at, of an export, which are ignored)", col, fieldColumnList)
		case seen[field]:
			return fmt.Errorf("the header row names the column %q twice", field)
		}
		seen[field] = true
		if ignored {
			field = ""
		}
		s.fields = append(s.fields, field)
	}
	if !seen["name"] {
		return errors.New("the header row has no name column; every client needs a name")
	}
	return nil
}

// Next implements Source.
func (s *CSVSource) Next() (Record, error) {
	row, err := s.r.Read()
	if qerr := s.quotes.check(); qerr != nil {
		return Record{}, qerr
	}
	if err == io.EOF {
		return Record{}, io.EOF
	}
	rec := Record{Size: s.r.InputOffset() - s.offset}
	s.offset = s.r.InputOffset()
	if pe, ok := errors.AsType[*csv.ParseError](err); ok {
		rec.Line, rec.Problem = pe.StartLine, "not well-formed CSV: "+pe.Err.Error()
		return rec, nil
	}
	if err != nil {
		return Record{}, err
	}
	rec.Line, _ = s.r.FieldPos(0)
	if len(row) != len(s.fields) {
		rec.Problem = fmt.Sprintf("%d fields, but the header row names %d columns", len(row), len(s.fields))
		return rec, nil
	}
	for i, v := range row {
		if s.fields[i] == "" || v == "" {
			continue // an empty cell is a field not sent
		}
		if !utf8.ValidString(v) {
			rec.Fields, rec.Problem = Fields{}, fmt.Sprintf("the %s column is not valid UTF-8", s.fields[i])
			return rec, nil
		}
		v = FromSpreadsheetSafe(v)
		setField(&rec.Fields, s.fields[i], &v)
	}
	return rec, nil
}

// MaxJSONLine bounds a line of JSON Lines (the API takes bodies of 64 KiB).
const MaxJSONLine = 1 << 20

// JSONLSource reads JSON Lines: one object a line, blank lines skipped.
type JSONLSource struct {
	r    *bufio.Reader
	line int
	buf  []byte
}

// NewJSONLSource reads r as JSON Lines.
func NewJSONLSource(r io.Reader) *JSONLSource {
	return &JSONLSource{r: bufio.NewReader(r)}
}

// Next implements Source.
func (s *JSONLSource) Next() (Record, error) {
	var skipped int64 // bytes of blank lines before the record
	for {
		line, size, tooLong, err := s.readLine()
		if err != nil {
			return Record{}, err
		}
		s.line++
		rec := Record{Line: s.line, Size: skipped + size}
		switch {
		case tooLong:
			rec.Problem = fmt.Sprintf("longer than %d bytes", MaxJSONLine)
		case len(bytes.TrimSpace(line)) == 0:
			skipped += size
			continue
		default:
			rec.Fields, rec.Problem = parseJSONClient(line)
		}
		return rec, nil
	}
}

// readLine reads one line, up to MaxJSONLine bytes of it, and returns how
// many bytes it took in the file and whether it was cut. It returns io.EOF
// only when no byte is left.
func (s *JSONLSource) readLine() (line []byte, size int64, tooLong bool, err error) {
	s.buf = s.buf[:0]
	for {
		chunk, err := s.r.ReadSlice('\n')
		size += int64(len(chunk))
		if len(s.buf)+len(chunk) <= MaxJSONLine {
			s.buf = append(s.buf, chunk...)
		} else {
			tooLong = true
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && size > 0:
			return s.buf, size, tooLong, nil
		}
		return s.buf, size, tooLong, err
	}
}

// parseJSONClient reads one object of JSON Lines: members named as the CSV
// columns, in any letter case, each a string or null (not sent). It
// returns why the line cannot be sent, if it cannot.
func parseJSONClient(line []byte) (Fields, string) {
	var p Fields
	if !utf8.Valid(line) {
		return p, "not valid UTF-8"
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return p, "not a JSON object"
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		var raw json.RawMessage
		if err != nil || dec.Decode(&raw) != nil {
			return p, "not well-formed JSON"
		}
		name, _ := tok.(string)
		field, ignored := fieldOf(name)
		switch {
		case field == "":
			return p, fmt.Sprintf("the member %q is not one of %s", name, fieldColumnList)
		case seen[field]:
			return p, fmt.Sprintf("the member %q appears twice", field)
		}
		seen[field] = true
		if ignored {
			continue
		}
		if field == "metadata" {
			if problem := jsonMetadata(raw, &p); problem != "" {
				return p, fmt.Sprintf("the member %q %s", name, problem)
			}
			continue
		}
		v, problem := jsonString(raw)
		if problem != "" {
			return p, fmt.Sprintf("the member %q %s", name, problem)
		}
		setField(&p, field, v)
	}
	if _, err := dec.Token(); err != nil {
		return p, "not well-formed JSON"
	}
	if _, err := dec.Token(); err != io.EOF {
		return p, "more than one JSON value on the line"
	}
	return p, ""
}

// jsonString decodes a string or null (nil). encoding/json would quietly
// turn an escaped lone surrogate into U+FFFD; that is refused instead, as
// the API refuses it, so no text is changed on its way in.
func jsonString(raw json.RawMessage) (*string, string) {
	var v *string
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, "is not a string or null"
	}
	if v != nil {
		stated := bytes.Count(raw, []byte("\ufffd")) + bytes.Count(bytes.ToLower(raw), []byte(`\ufffd`))
		if strings.Count(*v, "\ufffd") > stated {
			return nil, `holds a \u escape that is no character (a lone surrogate)`
		}
	}
	return v, ""
}

// jsonMetadata reads a JSON Lines metadata member, an object of strings
// (null for none), into p.
func jsonMetadata(raw json.RawMessage, p *Fields) string {
	var m map[string]*string
	if err := json.Unmarshal(raw, &m); err != nil {
		return "is not an object of strings"
	}
	for k, v := range m {
		if v != nil && *v != "" {
			setField(p, MetadataPrefix+k, v)
		}
	}
	return ""
}
