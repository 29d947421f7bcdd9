package api_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fatora-oss/fatora/internal/apitest"
)

// node is a node of the page as testdata/render.js prints it: an element
// {"t": tag, "a": attributes, "c": children}, or a text, a JSON string.
type node struct {
	Tag      string            `json:"t"`
	Attrs    map[string]string `json:"a"`
	Children []node            `json:"c"`
	Text     string            `json:"-"`
}

// UnmarshalJSON reads an element or a text.
func (n *node) UnmarshalJSON(raw []byte) error {
	if len(raw) > 0 && raw[0] == '"' {
		return json.Unmarshal(raw, &n.Text)
	}
	type element node
	return json.Unmarshal(raw, (*element)(n))
}

// rendered is what testdata/render.js prints.
type rendered struct {
	Fetched string `json:"fetched"`
	Title   string `json:"title"`
	Before  struct {
		TOC  node `json:"toc"`
		Main node `json:"main"`
	} `json:"before"`
	After struct {
		Main node `json:"main"`
	} `json:"after"`
	Active string `json:"active"`
}

// text returns the text of n and everything under it.
func (n node) text() string {
	if n.Tag == "" {
		return n.Text
	}
	var b strings.Builder
	for _, c := range n.Children {
		b.WriteString(c.text())
	}
	return b.String()
}

// all returns n and the elements under it that match.
func (n node) all(match func(node) bool) []node {
	var out []node
	if n.Tag == "" {
		return nil
	}
	if match(n) {
		out = append(out, n)
	}
	for _, c := range n.Children {
		out = append(out, c.all(match)...)
	}
	return out
}

// byID returns the element with the id, or fails the test.
func (n node) byID(t testing.TB, id string) node {
	t.Helper()
	found := n.all(func(e node) bool { return e.Attrs["id"] == id })
	if len(found) != 1 {
		t.Fatalf("%d elements with id %q", len(found), id)
	}
	return found[0]
}

func hasAttr(name, value string) func(node) bool {
	return func(n node) bool { v, ok := n.Attrs[name]; return ok && v == value }
}

// requireTool returns the path of a program the test needs. It skips the
// test when the program is missing, unless FATORA_REQUIRE_TOOLS=1, when
// it fails.
func requireTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("FATORA_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s is not installed, and FATORA_REQUIRE_TOOLS=1", name)
	}
	t.Skipf("%s is not installed: skipped (FATORA_REQUIRE_TOOLS=1 makes this a failure)", name)
	return ""
}

// renderPage runs the script of docs.html under Node.js on api/openapi.json.
func renderPage(t *testing.T) rendered {
	t.Helper()
	r, err := renderOnce(requireTool(t, "node"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// renderOnce renders the page for every test that asks, once.
var renderOnce = func() func(nodeJS string) (rendered, error) {
	var once sync.Once
	var r rendered
	var err error
	return func(nodeJS string) (rendered, error) {
		once.Do(func() {
			out, runErr := exec.Command(nodeJS, "testdata/render.js", "docs.html", "openapi.json").Output()
			if runErr != nil {
				err = fmt.Errorf("node testdata/render.js: %v\n%s", runErr, stderrOf(runErr))
				return
			}
			if jsonErr := json.Unmarshal(out, &r); jsonErr != nil {
				err = fmt.Errorf("render.js printed no JSON: %v", jsonErr)
			}
		})
		return r, err
	}
}()

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// TestDocsPageRendersSamples runs the page's own script, without a
// browser, and checks what it shows: each operation's samples as tabs with
// their source in a <pre>, every example of its answers, the success
// answer open, the Getting a key section, and whole paths in the contents.
func TestDocsPageRendersSamples(t *testing.T) {
	r := renderPage(t)
	if r.Fetched != "/openapi.json" || !strings.HasPrefix(r.Title, "Fatora Clients API") {
		t.Fatalf("the page fetched %q and is titled %q", r.Fetched, r.Title)
	}
	main := r.Before.Main
	if errs := main.all(hasAttr("class", "error")); len(errs) > 0 {
		t.Fatalf("the page failed: %s", errs[0].text())
	}
	doc := apitest.LoadOpenAPI(t)
	for _, o := range operations(doc) {
		id := "op-" + o.op.OperationID
		section := main.byID(t, id)
		checkSamples(t, o, section, codeSamples(t, o))
		checkExamples(t, o, section)
		links := r.Before.TOC.all(hasAttr("href", "#"+id))
		if len(links) != 1 || len(links[0].all(hasAttr("class", "path"))) != 1 || links[0].all(hasAttr("class", "path"))[0].text() != o.path {
			t.Errorf("%s: the contents link to it %d times, reading %q, want the whole path", o, len(links), tocText(links))
		}
	}
	guide := main.byID(t, "guide-getting-a-key")
	if guide.text() != "Getting a key" || len(r.Before.TOC.all(hasAttr("href", "#guide-getting-a-key"))) != 1 {
		t.Errorf("the Getting a key section is missing from the page or its contents")
	}
	if !strings.Contains(main.text(), "fatora merchant create --name") {
		t.Errorf("the page does not show how to make a merchant and its keys")
	}
}

func tocText(links []node) string {
	var s []string
	for _, l := range links {
		s = append(s, l.text())
	}
	return strings.Join(s, ", ")
}

// checkSamples checks an operation's sample tabs: one tab a language, each
// controlling a panel that holds the sample in a focusable <pre>; the first
// chosen, its panel alone shown.
func checkSamples(t *testing.T, o operation, section node, samples []codeSample) {
	t.Helper()
	tabs := section.all(hasAttr("role", "tab"))
	if len(tabs) != len(samples) || len(section.all(hasAttr("role", "tablist"))) != 1 {
		t.Fatalf("%s: %d tabs for %d samples", o, len(tabs), len(samples))
	}
	for i, s := range samples {
		tab := tabs[i]
		panel := section.byID(t, tab.Attrs["aria-controls"])
		chosen := i == 0
		if tab.text() != s.Label || tab.Tag != "button" || tab.Attrs["aria-selected"] != strconv.FormatBool(chosen) {
			t.Errorf("%s: tab %d reads %q (selected %s), want %q", o, i, tab.text(), tab.Attrs["aria-selected"], s.Label)
		}
		if _, hidden := panel.Attrs["hidden"]; hidden == chosen || panel.Attrs["role"] != "tabpanel" || panel.Attrs["aria-labelledby"] != tab.Attrs["id"] {
			t.Errorf("%s: the %s panel: attributes %v", o, s.Lang, panel.Attrs)
		}
		pres := panel.all(func(n node) bool { return n.Tag == "pre" })
		if len(pres) != 1 || pres[0].text() != s.Source || pres[0].Attrs["tabindex"] != "0" {
			t.Errorf("%s: the %s panel does not show the sample as written in a focusable <pre>", o, s.Lang)
		}
	}
}

// checkExamples checks that every example of an operation's answers is on
// the page, and that the success answer is open.
func checkExamples(t *testing.T, o operation, section node) {
	t.Helper()
	var shown []any
	for _, pre := range section.all(hasAttr("class", "example")) {
		var v any
		if err := json.Unmarshal([]byte(pre.text()), &v); err != nil {
			v = pre.text() // a text example, such as the metrics
		}
		shown = append(shown, v)
	}
	for status, ref := range o.op.Responses.Map() {
		for _, media := range ref.Value.Content {
			for name, value := range mediaExamples(media) {
				if !containsValue(shown, value) {
					t.Errorf("%s %s: example %s is not on the page", o, status, name)
				}
			}
		}
	}
	status, _ := successStatus(t, o)
	open := section.all(func(n node) bool {
		_, isOpen := n.Attrs["open"]
		return n.Tag == "details" && isOpen
	})
	if len(open) != 1 || !strings.HasPrefix(open[0].text(), strconv.Itoa(status)) {
		t.Errorf("%s: want only the %d answer open, %d are", o, status, len(open))
	}
}

func containsValue(values []any, v any) bool {
	for _, w := range values {
		if cmp.Equal(w, v) {
			return true
		}
	}
	return false
}

// TestSampleTabsTakeTheKeyboard: ArrowRight on the chosen tab chooses and
// focuses the next one, shows its panel alone, and chooses that language
// in every other operation too.
func TestSampleTabsTakeTheKeyboard(t *testing.T) {
	r := renderPage(t)
	main := r.After.Main
	if r.Active != "op-authorize-sample-1" {
		t.Errorf("the focus is on %q, want the second tab", r.Active)
	}
	for _, id := range []string{"op-authorize", "op-createClient", "op-getHealth"} {
		section := main.byID(t, id)
		for i, tab := range section.all(hasAttr("role", "tab")) {
			chosen := i == 1
			panel := section.byID(t, tab.Attrs["aria-controls"])
			_, hidden := panel.Attrs["hidden"]
			wantTabIndex := map[bool]string{true: "0", false: "-1"}[chosen]
			if tab.Attrs["aria-selected"] != strconv.FormatBool(chosen) || tab.Attrs["tabindex"] != wantTabIndex || hidden == chosen {
				t.Errorf("%s: after ArrowRight, tab %d (%s) has %v and its panel hidden=%v", id, i, tab.text(), tab.Attrs, hidden)
			}
		}
	}
}
