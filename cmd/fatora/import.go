package main

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"

	"github.com/fatora-oss/fatora/clientfile"
	"github.com/fatora-oss/fatora/sdk"
)

// maxImportConcurrency bounds --concurrency.
const maxImportConcurrency = 64

// rerunAdvice ends the error of an import that stopped early.
const rerunAdvice = "run the same command again to finish: lines already sent are not created twice"

func clientsImportFlags(fs *flagSet) runner {
	api := apiFlagsOf(fs)
	format := fs.String("format", "", "csv or jsonl (default: from the file's extension: .csv, .jsonl or .ndjson)")
	workers := fs.Int("concurrency", 8, fmt.Sprintf("creates in flight at once, 1 to %d", maxImportConcurrency))
	strict := fs.Bool("strict", false, "exit with status 1 when any line is rejected")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	return func(ctx context.Context, c *call) error {
		if *workers < 1 || *workers > maxImportConcurrency {
			return fmt.Errorf("--concurrency must be 1 to %d", maxImportConcurrency)
		}
		return importPath(ctx, c, api, c.arg, *format, *workers, *strict, *asJSON)
	}
}

// importPath imports the file at path, as `clients import` does.
func importPath(ctx context.Context, c *call, api *apiFlags, path, format string, workers int, strict, asJSON bool) error {
	kind, err := clientfile.Format(path, format)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	src, err := clientfile.NewSource(kind, f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	cl, err := api.client(ctx)
	if err != nil {
		return err
	}
	im := &importer{clients: cl.Clients, workers: workers, progress: newProgress(c.stderr, "import", fileSize(f))}
	sum, runErr := im.run(ctx, src)
	if err := printImportSummary(c.stdout, path, sum, asJSON); err != nil {
		return err
	}
	switch {
	case runErr != nil:
		return runErr
	case strict && sum.Rejected > 0:
		return &exitError{status: 1, err: fmt.Errorf("%d %s rejected", sum.Rejected, plural(sum.Rejected, "line", "lines"))}
	}
	return nil
}

// fileSize is the size of f if it is a regular file, else 0 (unknown).
func fileSize(f *os.File) int64 {
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return 0
	}
	return st.Size()
}

// importSummary is what an import did, printed at its end.
type importSummary struct {
	// Lines counts the lines settled: created, already present or
	// rejected.
	Lines   int `json:"lines"`
	Created int `json:"created"`
	// AlreadyPresent counts the lines whose client existed already:
	// Replayed (created by an earlier run, the server answered with the
	// kept 201 of that create) plus Duplicates (409 duplicate_client).
	AlreadyPresent int            `json:"already_present"`
	Replayed       int            `json:"replayed"`
	Duplicates     int            `json:"duplicates"`
	Rejected       int            `json:"rejected"`
	RejectedLines  []rejectedLine `json:"rejected_lines"`
	// Unfinished counts the lines sent or queued whose outcome is unknown
	// because the import stopped: the next run settles them.
	Unfinished int `json:"unfinished"`
	// Complete reports that every line of the file was settled.
	Complete bool `json:"complete"`
}

// progressText is the counts the progress shows.
func (s *importSummary) progressText() string {
	return fmt.Sprintf("%d lines: %d created, %d already present, %d rejected", s.Lines, s.Created, s.AlreadyPresent, s.Rejected)
}

type rejectedLine struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

func printImportSummary(w io.Writer, path string, s importSummary, asJSON bool) error {
	slices.SortFunc(s.RejectedLines, func(a, b rejectedLine) int { return cmp.Compare(a.Line, b.Line) })
	if s.RejectedLines == nil {
		s.RejectedLines = []rejectedLine{}
	}
	if asJSON {
		return printJSON(w, s)
	}
	how := "Imported " + path
	if !s.Complete {
		how = "Stopped importing " + path
	}
	fmt.Fprintf(w, "%s: %d %s, %d created, %d already present, %d rejected", how, s.Lines,
		plural(s.Lines, "line", "lines"), s.Created, s.AlreadyPresent, s.Rejected)
	if s.Unfinished > 0 {
		fmt.Fprintf(w, ", %d unfinished", s.Unfinished)
	}
	fmt.Fprintln(w, ".")
	return nil
}

// importer creates the clients of an import file, workers at a time.
type importer struct {
	clients  *sdk.ClientsService
	workers  int
	progress *progress
}

// outcome is what became of one line.
type outcome int

const (
	unfinished outcome = iota // not sent, or its answer lost to a stop
	created
	replayed  // created before, with the same idempotency key
	duplicate // 409 duplicate_client
	rejected  // refused for what it holds: reported, and the import goes on
	failed    // a failure that stops the import (unreachable, 5xx, 401, ...)
)

type lineResult struct {
	rec     clientfile.Record
	outcome outcome
	err     error // why it was rejected or failed
}

// run imports the records of src: a reader feeds workers that create the
// clients, and the calling goroutine collects the results. The first
// failure, or the end of ctx, stops it; it returns what was done until then.
func (im *importer) run(ctx context.Context, src clientfile.Source) (importSummary, error) {
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	jobs := make(chan clientfile.Record)
	results := make(chan lineResult)
	var readErr error
	go func() {
		defer close(jobs)
		readErr = clientfile.Feed(ctx, src, jobs)
	}()
	var wg sync.WaitGroup
	for range im.workers {
		wg.Go(func() {
			for rec := range jobs {
				results <- im.create(ctx, rec)
			}
		})
	}
	go func() { wg.Wait(); close(results) }()
	sum, failure := im.collect(results, stop)
	switch {
	case failure != nil:
		return sum, fmt.Errorf("import stopped: %w; %s", failure, rerunAdvice)
	case ctx.Err() != nil:
		return sum, &lineError{err: context.Cause(ctx), text: "import interrupted; " + rerunAdvice}
	case readErr != nil:
		return sum, fmt.Errorf("import stopped: reading the file: %w; %s", readErr, rerunAdvice)
	}
	sum.Complete = true
	return sum, nil
}

// collect tallies results, reports rejected lines, and stops the import at
// the first failure, which it returns.
func (im *importer) collect(results <-chan lineResult, stop context.CancelCauseFunc) (importSummary, error) {
	var sum importSummary
	var done int64
	var failure error
	for res := range results {
		done += res.rec.Size
		switch res.outcome {
		case created:
			sum.Created++
		case replayed, duplicate:
			sum.AlreadyPresent++
			sum.Replayed += btoi(res.outcome == replayed)
			sum.Duplicates += btoi(res.outcome == duplicate)
		case rejected:
			sum.Rejected++
			sum.RejectedLines = append(sum.RejectedLines, rejectedLine{Line: res.rec.Line, Reason: res.err.Error()})
			im.progress.println(fmt.Sprintf("line %d: %v", res.rec.Line, res.err))
		case failed:
			if failure == nil {
				failure = fmt.Errorf("line %d: %w", res.rec.Line, res.err)
				stop(failure)
			}
			sum.Unfinished++
		default:
			sum.Unfinished++
		}
		sum.Lines = sum.Created + sum.AlreadyPresent + sum.Rejected
		im.progress.update(done, &sum)
	}
	im.progress.clear()
	return sum, failure
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// create sends one record and says what became of it.
func (im *importer) create(ctx context.Context, rec clientfile.Record) lineResult {
	res := lineResult{rec: rec}
	if rec.Problem != "" {
		res.outcome, res.err = rejected, errors.New(rec.Problem)
		return res
	}
	if ctx.Err() != nil {
		return res
	}
	p := createParams(rec.Fields)
	p.IdempotencyKey = importKey(p)
	_, resp, err := im.clients.CreateWithResponse(ctx, p)
	apiErr, isAPI := errors.AsType[*sdk.Error](err)
	switch {
	case err == nil && resp.Replayed:
		res.outcome = replayed
	case err == nil:
		res.outcome = created
	case ctx.Err() != nil:
		res.outcome = unfinished
	case isAPI && apiErr.Code == sdk.CodeDuplicateClient:
		res.outcome = duplicate
	case isAPI && refusesContent(apiErr.HTTPStatus):
		res.outcome, res.err = rejected, oneLine(err)
	default:
		res.outcome, res.err = failed, oneLine(err)
	}
	return res
}

// createParams are the SDK's parameters for a record's fields: a field
// the file does not give is not sent.
func createParams(f clientfile.Fields) sdk.ClientCreateParams {
	p := sdk.ClientCreateParams{Phone: f.Phone, Email: f.Email, Address: f.Address, Notes: f.Notes, Metadata: f.Metadata}
	if f.Name != nil {
		p.Name = *f.Name
	}
	return p
}

// refusesContent reports whether an answer with this status refuses the
// line for what it holds, so that sending it again cannot succeed.
func refusesContent(status int) bool {
	return status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge ||
		status == http.StatusUnprocessableEntity
}

// importKey is the Idempotency-Key of a line: "import-" and the SHA-256 of
// the fields it sends (an absent field told from an empty one), and of
// nothing else: not of the file's path or content, nor of the line's
// number. So:
//
//   - a run stopped anywhere (Ctrl-C, a crash, a server outage) and run
//     again gets, for every line the server did create, the kept 201 of
//     that create (Idempotent-Replayed), counted as already present: even
//     for a line whose answer the first run never saw;
//   - the same holds when the file was copied, renamed, re-saved by a
//     spreadsheet, or edited between the runs (rejected lines fixed, lines
//     added, removed or reordered): lines left as they were keep their
//     keys, where a key of the file's digest and the line number would
//     all change at the first edit;
//   - a key is never sent again with another body, which the API would
//     refuse (422 idempotency_key_reused), as a file-and-line key would be
//     when a line is changed in place;
//   - two equal lines in one file make one client: the second is a replay,
//     as the API's duplicate rule (409 duplicate_client) would have it.
//
// The server keeps keys for 24 hours (--idempotency-ttl). After that a
// line already imported is normally refused as a duplicate_client, also
// counted as already present; only a client changed or deleted since
// would be created again. Conversely, within those hours, a client deleted
// after its import is answered by a replay, not created anew.
func importKey(p sdk.ClientCreateParams) string {
	fields, _ := json.Marshal([]*string{&p.Name, p.Phone, p.Email, p.Address, p.Notes})
	sum := sha256.Sum256(append([]byte("fatora clients import v1\n"), fields...))
	return "import-" + hex.EncodeToString(sum[:])
}
