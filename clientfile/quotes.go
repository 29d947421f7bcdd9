package clientfile

import (
	"fmt"
	"io"
)

// quoteTracker reads CSV on its way to encoding/csv and follows its
// quoting, to catch what the csv package lets through: a quoted field
// whose closing quote never comes runs to the end of the file, and is
// returned as one field holding every line after it. check reports it,
// naming the line where the quote opened.
type quoteTracker struct {
	r   io.Reader
	sep byte

	line         int  // of the byte being read, from 1
	atFieldStart bool // the next byte starts a field
	inQuotes     bool // within a quoted field
	quoteSeen    bool // a quote within a quoted field: its end, or the first of ""
	openedAt     int  // line of the quote that opened the current quoted field
	eof          bool // the reader has no more bytes
}

func (q *quoteTracker) Read(p []byte) (int, error) {
	n, err := q.r.Read(p)
	for _, c := range p[:n] {
		q.step(c)
	}
	if err == io.EOF {
		q.eof = true
	}
	return n, err
}

// step follows one byte of CSV.
func (q *quoteTracker) step(c byte) {
	switch {
	case q.inQuotes && q.quoteSeen:
		q.quoteSeen = false
		if c == '"' { // "" within quotes: a quote character
			return
		}
		q.inQuotes = false
		q.stepOutside(c)
	case q.inQuotes:
		if c == '"' {
			q.quoteSeen = true
		} else if c == '\n' {
			q.line++
		}
	default:
		q.stepOutside(c)
	}
}

func (q *quoteTracker) stepOutside(c byte) {
	switch {
	case c == '\n':
		q.line++
		q.atFieldStart = true
	case c == q.sep:
		q.atFieldStart = true
	case c == '"' && q.atFieldStart:
		q.inQuotes, q.openedAt, q.atFieldStart = true, q.line, false
	default:
		q.atFieldStart = false
	}
}

// check returns an error when the whole input has been read and a quoted
// field was still open at its end (a closing quote just before the end
// closes it).
func (q *quoteTracker) check() error {
	if q.eof && q.inQuotes && !q.quoteSeen {
		return fmt.Errorf("line %d: a quote opened there is never closed, so every line after it would be read as one field; "+
			"close the quote and run the import again", q.openedAt)
	}
	return nil
}
