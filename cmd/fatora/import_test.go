package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeFile writes content to a new file named name in a temporary
// directory and returns its path.
func writeFile(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// importFile is a generated CSV import: its text, the names of its good
// lines, and the reason expected for each bad line, by line number.
type importFile struct {
	text  string
	good  []string
	bad   map[int]string
	lines int
}

// makeImportFile generates n lines of clients after the header row; the
// lines at the indexes of bad are wrong in turn: no name, a bad e-mail, a
// phone too long, a short row, text that is not UTF-8.
func makeImportFile(n int, bad []int) importFile {
	f := importFile{bad: map[int]string{}, lines: n}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"Phone", "NAME", "email", "notes", "address"}) // any order, any case
	kinds := []struct{ reason string }{
		{"400 invalid_field: Invalid client: name is required"},
		{"400 invalid_field: Invalid client: email is not a valid e-mail address"},
		{"400 invalid_field: Invalid client: phone must be at most 32 characters"},
		{"3 fields, but the header row names 5 columns"},
		{"the name column is not valid UTF-8"},
	}
	k := 0
	for i := range n {
		name := fmt.Sprintf("Client %04d, \"quoted\"", i)
		row := []string{fmt.Sprintf("+974 %08d", i), name, fmt.Sprintf("client%d@example.com", i), "", "Doha"}
		if slices.Contains(bad, i) {
			line := i + 2 // after the header row, from 1
			switch f.bad[line] = kinds[k%len(kinds)].reason; k % len(kinds) {
			case 0:
				row[1] = ""
			case 1:
				row[2] = "not-an-email"
			case 2:
				row[0] = strings.Repeat("5", 33)
			case 3:
				row = row[:3]
			case 4:
				row[1] = "Client \xff"
			}
			k++
		} else {
			f.good = append(f.good, name)
		}
		w.Write(row)
	}
	w.Flush()
	f.text = b.String()
	return f
}

var rejectedLineRE = regexp.MustCompile(`(?m)^line (\d+): (.*)$`)

// rejectedLines returns the rejected lines an import reported on stderr,
// failing the test if one is reported twice.
func rejectedLines(t testing.TB, stderr string) map[int]string {
	t.Helper()
	got := map[int]string{}
	for _, m := range rejectedLineRE.FindAllStringSubmatch(stderr, -1) {
		n, _ := strconv.Atoi(m[1])
		if _, dup := got[n]; dup {
			t.Errorf("line %d reported twice", n)
		}
		got[n] = m[2]
	}
	return got
}

// checkRejections checks that every reported line is a bad line with its
// reason, and that every bad line in must is reported.
func checkRejections(t testing.TB, f importFile, got map[int]string, must func(line int) bool) {
	t.Helper()
	for line, reason := range got {
		if want, ok := f.bad[line]; !ok || !strings.Contains(reason, want) {
			t.Errorf("line %d rejected with %q; want %q", line, reason, want)
		}
	}
	for line := range f.bad {
		if _, ok := got[line]; !ok && must(line) {
			t.Errorf("bad line %d was not reported", line)
		}
	}
}

// cutOffProxy is a reverse proxy to target that calls cancel once the
// server has answered n creates through it: the import is interrupted
// while further creates are in flight.
func cutOffProxy(t testing.TB, target string, n int64, cancel context.CancelFunc) *httptest.Server {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	transport := &http.Transport{}
	t.Cleanup(transport.CloseIdleConnections)
	var creates atomic.Int64
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(u) },
		Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := transport.RoundTrip(r)
			if r.Method == http.MethodPost && strings.EqualFold(r.URL.Path, "/v1/clients") && creates.Add(1) == n {
				cancel()
			}
			return resp, err
		}),
		ErrorLog: log.New(io.Discard, "", 0),
	}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	return srv
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestImportInterruptedAndRerun imports 3,000 lines, 20 of them bad,
// interrupts the import after 1,000 creates, restarts the server, and runs
// the import again from a copy of the file elsewhere: in the end every good
// line exists once, the second run counts the first run's clients as
// already present (replays of their creates, not duplicates), and the bad
// lines are reported both times. Under -short: 1,000 lines, 10 of them
// bad, interrupted after 300 creates.
func TestImportInterruptedAndRerun(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	lines, cutAfter := 3000, int64(1000)
	if testing.Short() {
		lines, cutAfter = 1000, 300
	}
	var bad []int
	for _, i := range []int{3, 10, 17, 25, 40, 150, 300, 450, 700, 999, 1000, 1200, 1500, 1800, 2100, 2400, 2700, 2900, 2998, 2999} {
		if i < lines {
			bad = append(bad, i)
		}
	}
	f := makeImportFile(lines, bad)
	path := writeFile(t, "clients.csv", f.text)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	proxy := cutOffProxy(t, e.base, cutAfter, cancel)
	first := runImport(t, e, ctx, proxy.URL, path)
	if first.err == nil || !strings.Contains(first.err.Error(), "import interrupted; run the same command again") {
		t.Fatalf("the interrupted import returned %v, want it interrupted", first.err)
	}
	sum1 := decodeSummary(t, first.stdout)
	if sum1.Complete || sum1.Created == 0 || sum1.Created >= len(f.good) || sum1.AlreadyPresent != 0 {
		t.Errorf("first run's summary %+v; want incomplete, some created, none present", sum1)
	}
	checkRejections(t, f, rejectedLines(t, first.stderr), func(line int) bool { return line < 50 })

	// Let every request the cut left running end before counting.
	proxy.Close()
	e.restart()
	var count listOutput
	decodeJSON(t, []byte(e.ok(t, "list", "--page-size", "1", "--json")), &count)
	stored := count.TotalCount
	t.Logf("first run: %d created, %d rejected, %d unfinished; %d stored", sum1.Created, sum1.Rejected, sum1.Unfinished, stored)
	if stored < sum1.Created || stored >= len(f.good) {
		t.Fatalf("%d clients stored after the first run, which reported %d created of %d", stored, sum1.Created, len(f.good))
	}

	elsewhere := writeFile(t, "renamed.csv", f.text)
	second := runImport(t, e, context.Background(), e.base, elsewhere)
	if second.err != nil {
		t.Fatalf("second run: %v\nstderr: %s", second.err, second.stderr)
	}
	sum2 := decodeSummary(t, second.stdout)
	want := importSummary{Lines: lines, Created: len(f.good) - stored, AlreadyPresent: stored, Replayed: stored,
		Rejected: len(bad), Complete: true}
	sum2.RejectedLines = nil
	if diff := cmp.Diff(want, sum2); diff != "" {
		t.Errorf("second run's summary (-want +got):\n%s", diff)
	}
	checkRejections(t, f, rejectedLines(t, second.stderr), func(int) bool { return true })

	var names []string
	for _, c := range e.listAll(t) {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	if diff := cmp.Diff(f.good, names); diff != "" {
		t.Errorf("the clients stored are not the good lines, each once (-want +got):\n%s", diff)
	}
}

// runImport runs `clients import path --json` against the API at base.
func runImport(t testing.TB, e *apiEnv, ctx context.Context, base, path string, extra ...string) cliResult {
	t.Helper()
	to := *e
	to.base = base
	return to.clientsCtx(t, ctx, append([]string{"import", path, "--json"}, extra...)...)
}

func decodeSummary(t testing.TB, stdout string) importSummary {
	t.Helper()
	var s importSummary
	decodeJSON(t, []byte(stdout), &s)
	return s
}

// TestImportJSONLines imports JSON Lines: members in any case, null, blank
// and CRLF lines, the members of an export, a repeated line, and lines
// refused by the command or by the server.
func TestImportJSONLines(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	lines := []string{
		`{"name":"Layla","email":"layla@example.com","phone":"+974 5555 0001"}`,
		`{"NAME":"Omar","Note":"يفضل العربية","address":null}` + "\r",
		``,
		`{"name":"Bad","age":3}`,
		`{"name":"Bad","phone":5}`,
		`not json`,
		`{"name":"Layla","email":"layla@example.com","phone":"+974 5555 0001"}`,
		`{"name":"Nour","email":"nope"}`,
		`{"id":7,"name":"Exported","created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:00.000Z"}`,
		`{"name":"Twice","name":"Again"}`,
		`{"name":"Surrogate \ud800"}`,
		`{"name":"Tail"} {"name":"More"}`,
	}
	path := writeFile(t, "clients.ndjson", strings.Join(lines, "\n"))
	r := runImport(t, e, context.Background(), e.base, path, "--concurrency", "1")
	if r.err != nil {
		t.Fatalf("import: %v\nstderr: %s", r.err, r.stderr)
	}
	got := decodeSummary(t, r.stdout)
	want := importSummary{Lines: 11, Created: 3, AlreadyPresent: 1, Replayed: 1, Rejected: 7, Complete: true,
		RejectedLines: []rejectedLine{
			{4, `the member "age" is not one of name, phone, email, address, notes, metadata.KEY`},
			{5, `the member "phone" is not a string or null`},
			{6, "not a JSON object"},
			{8, "400 invalid_field: Invalid client: email is not a valid e-mail address."},
			{10, `the member "name" appears twice`},
			{11, `the member "name" holds a \u escape that is no character (a lone surrogate)`},
			{12, "more than one JSON value on the line"},
		}}
	requestID := regexp.MustCompile(` \(request [0-9a-f]+\)$`)
	for i, l := range got.RejectedLines {
		got.RejectedLines[i].Reason = requestID.ReplaceAllString(l.Reason, "")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if n := len(rejectedLines(t, r.stderr)); n != 7 {
		t.Errorf("%d lines reported on stderr, want 7:\n%s", n, r.stderr)
	}
	all := e.listAll(t)
	if len(all) != 3 || all[1].Name != "Omar" || all[1].Notes != "يفضل العربية" || all[1].Address != "" || all[2].Name != "Exported" {
		t.Errorf("clients stored: %+v; want Layla, Omar with his note, Exported", all)
	}
}

// TestImportRefusesBadHeader checks that a CSV file whose header is wrong
// is refused before any line is sent.
func TestImportRefusesBadHeader(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	tests := []struct{ name, text, want string }{
		{"unknown column", "name,email,fax\nLayla,l@example.com,123\n", `the header row names the column "fax", which is not one of name, phone, email, address, notes, metadata.KEY`},
		{"a column twice", "name,Email,EMAIL\nLayla,a@example.com,b@example.com\n", `names the column "email" twice`},
		{"note and notes", "name,note,notes\nLayla,a,b\n", `names the column "notes" twice`},
		{"no name column", "email,phone\nl@example.com,1\n", "the header row has no name column"},
		{"empty file", "", "the file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.clients(t, "import", writeFile(t, "clients.csv", tt.text))
			wantOneLineError(t, r, tt.want)
		})
	}
	if got := e.listAll(t); len(got) != 0 {
		t.Errorf("%d clients created by refused imports", len(got))
	}
}

// TestImportTextSummaryAndStrict checks the summary as text, a byte order
// mark, the columns of an export, --format, and --strict's exit status.
func TestImportTextSummaryAndStrict(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	text := "\ufeffid,Name,email,created_at\n1,Layla,layla@example.com,x\n2,,nobody@example.com,y\n"
	path := writeFile(t, "clients.txt", text)
	r := e.clients(t, "import", path, "--format", "csv")
	if r.err != nil {
		t.Fatalf("import: %v\nstderr: %s", r.err, r.stderr)
	}
	if want := "Imported " + path + ": 2 lines, 1 created, 0 already present, 1 rejected.\n"; r.stdout != want {
		t.Errorf("import printed %q, want %q", r.stdout, want)
	}
	if !strings.HasPrefix(r.stderr, "line 3: 400 invalid_field: Invalid client: name is required") {
		t.Errorf("stderr %q; want line 3 reported", r.stderr)
	}
	r = e.clients(t, "import", path, "--format", "CSV", "--strict")
	if r.err == nil || exitCode(r.err) != 1 || r.err.Error() != "1 line rejected" {
		t.Errorf("import --strict: %v (exit status %d), want \"1 line rejected\" with status 1", r.err, exitCode(r.err))
	}
	if want := "Imported " + path + ": 2 lines, 0 created, 1 already present, 1 rejected.\n"; r.stdout != want {
		t.Errorf("import again printed %q, want %q", r.stdout, want)
	}
}

// TestImportStopsOnFailure checks that a failure that is not the line's
// fault (here a revoked key) stops the import at once rather than
// rejecting every line.
func TestImportStopsOnFailure(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	f := makeImportFile(500, nil)
	path := writeFile(t, "clients.csv", f.text)
	e.key = fatoraSampleKey // no merchant has it
	r := runImport(t, e, context.Background(), e.base, path)
	if r.err == nil || !strings.Contains(r.err.Error(), "import stopped: line ") ||
		!strings.Contains(r.err.Error(), "401 invalid_api_key") || !strings.Contains(r.err.Error(), "run the same command again") {
		t.Fatalf("import with an unknown key: %v; want it stopped at a line, with the 401 and what to do", r.err)
	}
	if sum := decodeSummary(t, r.stdout); sum.Complete || sum.Lines != 0 || sum.Unfinished == 0 || sum.Unfinished > 64 {
		t.Errorf("summary %+v; want nothing settled and only the lines in flight unfinished", sum)
	}
	if r.stderr != "" {
		t.Errorf("stderr %q, want no line reported as rejected", r.stderr)
	}
}
