package dashboard

import (
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"sync"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/clientfile"
)

// registerFiles adds the import and export pages.
func (s *Server) registerFiles(mux *http.ServeMux) {
	mux.Handle("GET /dashboard/files", s.page(s.signedIn(s.filesPage)))
	mux.Handle("POST /dashboard/import", s.pageWithin(ImportTimeout, s.signedIn(s.importFile)))
	mux.Handle("GET /dashboard/export.csv", s.pageWithin(ImportTimeout, s.signedIn(s.export("csv"))))
	mux.Handle("GET /dashboard/export.jsonl", s.pageWithin(ImportTimeout, s.signedIn(s.export("jsonl"))))
}

// MaxImportBytes bounds an uploaded file.
const MaxImportBytes = 10 << 20

// importWorkers is how many creates an import has in flight: the store
// commits concurrent writes together.
const importWorkers = 4

// filesPage handles GET /dashboard/files: the import form and the export
// links.
func (s *Server) filesPage(w http.ResponseWriter, r *http.Request, v visit) error {
	return render(w, http.StatusOK, "files.html", v.view(r, v.l.T("nav.import"), nil))
}

// importFile handles POST /dashboard/import: the uploaded file (field
// file, multipart) is read as it arrives and each line created by the
// client service, as `fatora clients import` does through the API. The
// page is written as the import goes, a line of progress at a time, and
// ends with the counts and every rejected line.
func (s *Server) importFile(w http.ResponseWriter, r *http.Request, v visit) error {
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(ImportTimeout))
	rc.SetWriteDeadline(time.Now().Add(ImportTimeout))
	r.Body = http.MaxBytesReader(w, r.Body, MaxImportBytes)
	part, err := uploadedFile(r)
	if err != nil {
		return s.importRefused(w, r, v, err)
	}
	src, err := clientfile.NewSource(kindOf(part.FileName()), part)
	if err != nil {
		return s.importRefused(w, r, v, err)
	}
	run := s.startImport(r.Context(), src)
	return s.stream(flushing{w, rc}, r, "import.html", v.view(r, v.l.T("import.title"), run))
}

// uploadedFile finds the part named file of a multipart form.
func uploadedFile(r *http.Request) (*multipart.Part, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errors.New("send the file as a multipart form")
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, errors.New("no file was sent")
		}
		if part.FormName() == "file" {
			return part, nil
		}
	}
}

// kindOf is the format of an uploaded file by its name: JSON Lines for
// .jsonl and .ndjson, else CSV.
func kindOf(name string) string {
	if kind, err := clientfile.Format(name, ""); err == nil {
		return kind
	}
	return "csv"
}

// importRefused shows the files page again, saying why the file could not
// be read at all.
func (s *Server) importRefused(w http.ResponseWriter, r *http.Request, v visit, err error) error {
	view := v.view(r, v.l.T("nav.import"), nil)
	view.Problem = v.l.T("import.failed", err.Error())
	return render(w, http.StatusBadRequest, "files.html", view)
}

// flushing writes to a response and flushes each write, so the browser
// shows an import's progress as it goes.
type flushing struct {
	http.ResponseWriter
	rc *http.ResponseController
}

func (f flushing) Write(p []byte) (int, error) {
	n, err := f.ResponseWriter.Write(p)
	if err == nil {
		err = f.rc.Flush()
	}
	return n, err
}

// importRun is an import going on: the page ranges over Progress (lines
// settled so far, every progressEvery) and then shows Result.
type importRun struct {
	Progress chan int
	done     chan struct{}
	result   importResult
}

// importResult is what an import did.
type importResult struct {
	Lines, Created, Present, Rejected int
	RejectedLines                     []rejectedLine
	// Stopped says why the import stopped before the end; "" when it
	// read the whole file.
	Stopped string
}

type rejectedLine struct {
	Line   int
	Reason string
}

// Result waits for the import's end and returns what it did.
func (run *importRun) Result() importResult {
	<-run.done
	return run.result
}

// progressEvery is how many lines settle between two progress lines.
const progressEvery = 500

// startImport creates the records of src in the background, importWorkers
// at a time, in the scope of ctx.
func (s *Server) startImport(ctx context.Context, src clientfile.Source) *importRun {
	run := &importRun{Progress: make(chan int), done: make(chan struct{})}
	go func() {
		defer close(run.done)
		defer close(run.Progress)
		run.result = s.runImport(ctx, src, run.Progress)
	}()
	return run
}

// outcome is what became of one line.
type outcome struct {
	line    int
	created bool
	present bool   // a duplicate of an existing client
	reason  string // why it was rejected
	failure error  // what stops the import
}

// runImport feeds src to the workers and tallies their outcomes.
func (s *Server) runImport(ctx context.Context, src clientfile.Source, progress chan<- int) importResult {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	jobs, outcomes := make(chan clientfile.Record), make(chan outcome)
	var readErr error
	go func() {
		defer close(jobs)
		readErr = clientfile.Feed(ctx, src, jobs)
	}()
	var wg sync.WaitGroup
	for range importWorkers {
		wg.Go(func() {
			for rec := range jobs {
				outcomes <- s.importLine(ctx, rec)
			}
		})
	}
	go func() { wg.Wait(); close(outcomes) }()
	var res importResult
	for o := range outcomes {
		if res.tally(o) && res.Stopped == "" {
			res.Stopped = fatora.ErrorMessage(o.failure)
			stop()
		}
		if res.Lines%progressEvery == 0 && res.Lines > 0 {
			select { // a page that stopped reading has its context ended
			case progress <- res.Lines:
			case <-ctx.Done():
			}
		}
	}
	if readErr != nil && res.Stopped == "" {
		res.Stopped = readErr.Error()
	}
	return res
}

// tally counts one outcome, and reports whether it stops the import.
func (res *importResult) tally(o outcome) (stops bool) {
	switch {
	case o.failure != nil:
		return true
	case o.created:
		res.Created++
	case o.present:
		res.Present++
	case o.reason != "":
		res.Rejected++
		res.RejectedLines = append(res.RejectedLines, rejectedLine{Line: o.line, Reason: o.reason})
	default:
		return false // not sent: the import was stopping
	}
	res.Lines++
	return false
}

// importLine creates one record's client and says what became of it.
func (s *Server) importLine(ctx context.Context, rec clientfile.Record) outcome {
	o := outcome{line: rec.Line}
	if rec.Problem != "" {
		o.reason = rec.Problem
		return o
	}
	if ctx.Err() != nil {
		return o
	}
	_, err := s.Clients.CreateClient(ctx, fieldsOf(rec.Fields))
	switch code := fatora.ErrorCode(err); {
	case err == nil:
		o.created = true
	case code == fatora.CodeDuplicateClient:
		o.present = true
	case code == fatora.CodeInvalidField:
		o.reason = fatora.ErrorMessage(err)
	case ctx.Err() == nil:
		o.failure = err
	}
	return o
}

// fieldsOf is a client's fields from a file's (a field not given is empty).
func fieldsOf(f clientfile.Fields) fatora.ClientFields {
	get := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return fatora.ClientFields{Name: get(f.Name), Phone: get(f.Phone), Email: get(f.Email), Address: get(f.Address),
		Notes: get(f.Notes), Metadata: f.Metadata}
}

// exportPageSize is how many clients an export reads at once.
const exportPageSize = 100

// export handles GET /dashboard/export.csv and .jsonl: every client of the
// session's mode, oldest first, as `fatora clients export` writes them (a
// CSV starts with a byte order mark, so Excel reads its Arabic), but for
// metadata: JSON Lines has it, a CSV streamed from here has no metadata
// columns (their keys are known only at the end; the command line's
// export has them).
func (s *Server) export(kind string) func(w http.ResponseWriter, r *http.Request, v visit) error {
	return func(w http.ResponseWriter, r *http.Request, v visit) error {
		http.NewResponseController(w).SetWriteDeadline(time.Now().Add(ImportTimeout))
		name := "clients-" + string(v.cred.Session.Mode) + "-" + s.Now().UTC().Format("2006-01-02") + "." + kind
		h := w.Header()
		h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
		h.Set("Content-Type", map[string]string{"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl; charset=utf-8"}[kind])
		if kind == "csv" {
			io.WriteString(w, clientfile.BOM)
		}
		write, flush := clientfile.NewWriter(kind, w)
		f := fatora.ClientFilter{PageSize: exportPageSize}
		for {
			page, err := s.Clients.FindClients(r.Context(), f)
			if err != nil {
				return s.exportFailed(r, err)
			}
			for _, c := range page.Clients {
				if err := write(rowOf(c)); err != nil {
					return nil // the browser went away
				}
			}
			if !page.More {
				return flush()
			}
			f.After = page.Clients[len(page.Clients)-1].ID
		}
	}
}

// exportFailed logs an export that failed half-way: its status is sent, so
// the file ends short and the browser says the download failed.
func (s *Server) exportFailed(r *http.Request, err error) error {
	s.Logger.ErrorContext(r.Context(), "dashboard export stopped", "error", err.Error())
	panic(http.ErrAbortHandler) // cut the connection: a short file must not look whole
}

// rowOf is a client as an export writes it.
func rowOf(c fatora.Client) clientfile.Row {
	return clientfile.Row{ID: c.ID, Name: c.Name, Phone: c.Phone, Email: c.Email, Address: c.Address, Notes: c.Notes,
		CreatedAt: clientfile.FormatTime(c.CreatedAt), UpdatedAt: clientfile.FormatTime(c.UpdatedAt), Metadata: c.Metadata}
}
