package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress shows how far an import or a migration is on standard error: a
// bar redrawn in place on a terminal, else a plain line now and then.
// Messages printed through it (rejected lines) appear above the bar. It is
// not safe for concurrent use: one goroutine alone calls it.
type progress struct {
	w     io.Writer
	name  string // the command, at the start of each plain line
	tty   bool
	total int64 // bytes of the file, clients of the source; 0 when unknown
	// every is how often the bar is redrawn, or a plain line printed.
	every time.Duration
	now   func() time.Time

	last  time.Time
	drawn bool // a bar is on the screen
}

// barWidth is the width of the bar, in characters.
const barWidth = 30

// tally is the counts a progress shows beside its bar.
type tally interface{ progressText() string }

// newProgress returns the progress of the command name through total
// bytes or clients, shown on w.
func newProgress(w io.Writer, name string, total int64) *progress {
	p := &progress{w: w, name: name, tty: isTerminal(w), total: total, every: 10 * time.Second, now: time.Now}
	if p.tty {
		p.every = 100 * time.Millisecond
	}
	p.last = p.now()
	return p
}

// isTerminal reports whether w is a terminal that can redraw a line.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("TERM") == "dumb" {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// update shows s, the counts so far after done bytes or clients, if it is
// time to.
func (p *progress) update(done int64, s tally) {
	if now := p.now(); now.Sub(p.last) >= p.every {
		p.last = now
		p.show(done, s)
	}
}

// show draws the bar, or prints a plain line.
func (p *progress) show(done int64, s tally) {
	counts := s.progressText()
	if !p.tty {
		fmt.Fprintf(p.w, "%s: %s%s\n", p.name, percent(done, p.total), counts)
		return
	}
	bar := ""
	if p.total > 0 {
		filled := int(min(done, p.total) * barWidth / p.total)
		bar = "[" + strings.Repeat("=", filled) + strings.Repeat(" ", barWidth-filled) + "] "
	}
	fmt.Fprintf(p.w, "\r%s%s%s\x1b[K", bar, percent(done, p.total), counts)
	p.drawn = true
}

// percent is "42% " of done out of total, or "" when total is unknown.
func percent(done, total int64) string {
	if total <= 0 {
		return ""
	}
	return fmt.Sprintf("%3d%% ", min(done, total)*100/total)
}

// println prints a line of text above the bar.
func (p *progress) println(text string) {
	p.clear()
	fmt.Fprintln(p.w, text)
	if p.tty {
		p.last = time.Time{} // redraw the bar at the next update
	}
}

// clear takes the bar off the screen.
func (p *progress) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}
