package dashboard_test

import (
	"bytes"
	"encoding/csv"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/clientfile"
	"github.com/fatora-oss/fatora/internal/apitest"
)

// importCSV is a file as Excel saves it (a byte order mark, ; between
// fields, CRLF) with one line the API refuses and one it takes as a
// duplicate.
const importCSV = clientfile.BOM + "Name;Phone;Email;Notes\r\n" +
	"ليلى الكواري;+974 5555 1234;layla@example.com;\"سطر; ثان\"\r\n" +
	"Omar;;not an address;\r\n" +
	"=SUM(1);;;\r\n" +
	"ليلى الكواري;+974 5555 1234;layla@example.com;\"سطر; ثان\"\r\n"

// TestImportAndExport imports a file through the form and exports the
// clients again, as CSV with a byte order mark and as JSON Lines.
func TestImportAndExport(t *testing.T) {
	s := newSite(t, apitest.Options{})
	b := s.agent(t)
	b.signIn(fatora.ModeTest)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "clients.csv")
	fw.Write([]byte(importCSV))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, s.url+"/dashboard/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page := new(bytes.Buffer)
	page.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(page.String(), "4 lines: 2 created, 1 already present, 1 rejected.") ||
		!strings.Contains(page.String(), "<td>3</td><td><bdi>Invalid client: email is not a valid e-mail address.</bdi></td>") {
		t.Fatalf("import page (%d):\n%s", resp.StatusCode, page)
	}

	a := b.do(http.MethodGet, "/dashboard/export.csv", nil).wantStatus(t, http.StatusOK)
	if !strings.HasPrefix(a.body, clientfile.BOM+"id,name,") || !strings.Contains(a.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("CSV export: %q, %v", a.body, a.header)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(a.body, clientfile.BOM))).ReadAll()
	notes := map[string]string{} // by name: the import creates lines concurrently, in no order
	for _, row := range rows[1:] {
		notes[row[1]] = row[5]
	}
	if err != nil || len(rows) != 3 || notes["ليلى الكواري"] != "سطر; ثان" || notes["'=SUM(1)"] != "" || len(notes) != 2 {
		t.Fatalf("CSV export rows %q, %v", rows, err)
	}
	a = b.do(http.MethodGet, "/dashboard/export.jsonl", nil).wantStatus(t, http.StatusOK)
	if n := strings.Count(a.body, "\n"); n != 2 || !strings.Contains(a.body, `"name":"ليلى الكواري"`) {
		t.Fatalf("JSON Lines export: %s", a.body)
	}
}

// TestBrowserImport imports a file with a bad line from the page and sees
// the counts and the line's reason.
func TestBrowserImport(t *testing.T) {
	s := newSite(t, apitest.Options{})
	path := filepath.Join(t.TempDir(), "clients.csv")
	if err := os.WriteFile(path, []byte(importCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	b := s.browse(t)
	b.signIn(fatora.ModeTest, "en")
	b.open("/dashboard/files")
	b.do(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{path}), chromedp.Click(chromedp.CSS("#import")))
	if got := b.text("#import-done"); got != "4 lines: 2 created, 1 already present, 1 rejected." {
		t.Errorf("after the import: %q", got)
	}
	if got := b.text("#rejected tbody tr"); !strings.Contains(got, "3") || !strings.Contains(got, "not a valid e-mail") {
		t.Errorf("rejected line: %q", got)
	}
	b.open("/dashboard/clients")
	if got := b.text("#count"); got != "2 clients" {
		t.Errorf("count after the import: %q", got)
	}
	b.open("/dashboard/files")
	href := value(b, chromedp.AttributeValue(chromedp.CSS("#export-csv"), "href"))
	export := value(b, chromedp.Evaluate[string](`fetch(`+strconv.Quote(href.Value)+`).then(r => r.arrayBuffer()).then(b => {
		const bytes = new Uint8Array(b);
		return Array.from(bytes.slice(0, 3)).join(",") + " " + new TextDecoder().decode(bytes);
	})`, chromedp.EvalAwaitPromise))
	if !strings.HasPrefix(export, "239,187,191 id,name,") || !strings.Contains(export, "ليلى الكواري") {
		t.Errorf("the export link gave %q, want a CSV with a byte order mark", export)
	}
}
