package dashboard

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/fatora-oss/fatora"
)

//go:embed templates
var templateFiles embed.FS

// pages are the page templates by file name, each with the layout.
var pages = parsePages("login.html", "clients.html", "client.html", "form.html", "delete.html", "error.html",
	"files.html", "import.html", "keys.html")

func parsePages(names ...string) map[string]*template.Template {
	funcs := template.FuncMap{"datetime": displayTime, "isotime": isoTime, "fieldOf": fieldOf}
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html"))
	out := map[string]*template.Template{}
	for _, n := range names {
		out[n] = template.Must(template.Must(base.Clone()).ParseFS(templateFiles, "templates/"+n))
	}
	return out
}

// displayTime is a time as the tables show it, in UTC to the minute.
func displayTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04") + " UTC"
}

// isoTime is a time for a <time datetime> attribute.
func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// view is what every page template is given.
type view struct {
	L     lang
	Title string
	// Cred is the signed-in session; nil on the sign-in page.
	Cred *fatora.SessionCredential
	// Styles and Script are the URLs of the page's two assets.
	Styles, Script string
	// Notice tells what was done; Problem what went wrong.
	Notice, Problem string
	// SwitchLang is this page in the other language.
	SwitchLang string
	// Data is the page's own.
	Data any
}

// newView is the view of a page for r in l.
func newView(r *http.Request, l lang, cred *fatora.SessionCredential, title string, data any) *view {
	return &view{L: l, Title: title, Cred: cred, Styles: styles.URL(), Script: script.URL(),
		SwitchLang: withLang(r.URL, l.Other().Code), Data: data}
}

// withLang is u (path and query) with lang=code.
func withLang(u *url.URL, code string) string {
	q := u.Query()
	q.Set("lang", code)
	return (&url.URL{Path: u.Path, RawQuery: q.Encode()}).String()
}

// render writes the page (the layout around the file's "main") with status.
// It renders into a buffer first, so a template failure is a clean 500.
func render(w http.ResponseWriter, status int, file string, v *view) error {
	return execute(w, status, file, "layout.html", v)
}

// execute writes one template of a page file.
func execute(w http.ResponseWriter, status int, file, name string, v *view) error {
	var buf bytes.Buffer
	if err := pages[file].ExecuteTemplate(&buf, name, v); err != nil {
		return err
	}
	writeHead(w, status, v)
	_, err := w.Write(buf.Bytes())
	return err
}

// stream writes a page as its template runs, for a page whose data
// arrives as it is made (an import's progress). A failure half-way can
// only be logged.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, file string, v *view) error {
	writeHead(w, http.StatusOK, v)
	if err := pages[file].ExecuteTemplate(w, "layout.html", v); err != nil {
		s.Logger.ErrorContext(r.Context(), "dashboard page cut short", "path", r.URL.Path, "error", err.Error())
	}
	return nil
}

func writeHead(w http.ResponseWriter, status int, v *view) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", v.L.Code)
	w.Header().Set("Vary", "Accept-Language, Cookie, HX-Request")
	w.WriteHeader(status)
}

// renderError shows err as a page: its status from the API's table, a
// message for the merchant (never the details of an internal error, which
// go to the log).
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	status := s.Guard.ErrorStatus(err)
	if status >= 500 {
		s.Logger.ErrorContext(r.Context(), "dashboard request failed", "path", r.URL.Path, "error", err.Error())
	}
	var retry *fatora.Error
	if e, ok := err.(*fatora.Error); ok && e.RetryAfter > 0 {
		retry = e
		w.Header().Set("Retry-After", wholeSeconds(e.RetryAfter))
	}
	cred, _ := s.session(r)
	l := chooseLang(r, sessionLang(cred))
	msg := fatora.ErrorMessage(err)
	switch {
	case fatora.ErrorCode(err) == fatora.CodeNotFound:
		msg = l.T("error.notfound")
	case retry != nil:
		msg = l.T("ratelimited")
	case status == http.StatusServiceUnavailable:
		msg = l.T("unavailable")
	}
	v := newView(r, l, cred, l.T("error.title"), nil)
	v.Problem = msg
	if rerr := render(w, status, "error.html", v); rerr != nil {
		http.Error(w, http.StatusText(status), status)
	}
}

// wholeSeconds is d in whole seconds, rounded up, as Retry-After wants it.
func wholeSeconds(d time.Duration) string {
	return strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10)
}

// formField is one field of the client form, as the "field" template
// shows it.
type formField struct {
	Name, Label, Value string
	// Type is the input's type, or "textarea".
	Type string
	// Dir is the text's direction: "auto" for prose, "ltr" for a phone or
	// an e-mail address.
	Dir string
	// Error says what is wrong with the value; "" when nothing is.
	Error string
}

// fieldOf is the field name of the client form of v.
func fieldOf(v *view, name, value, typ, dir string) formField {
	f := formField{Name: name, Label: v.L.T("field." + name), Value: value, Type: typ, Dir: dir}
	if d, ok := v.Data.(*formData); ok {
		f.Error = d.Errors[name]
	}
	return f
}
