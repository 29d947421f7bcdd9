package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/sdk"
)

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
