package dashboard

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora"
)

// TestMessagesInBothLanguages holds the two word lists to the same keys,
// the same fmt verbs, and every key the templates use to one of them.
func TestMessagesInBothLanguages(t *testing.T) {
	verbs := regexp.MustCompile(`%[sd]`)
	for key, en := range messagesEN {
		ar, ok := messagesAR[key]
		if !ok {
			t.Errorf("%s: no Arabic", key)
			continue
		}
		if a, b := verbs.FindAllString(en, -1), verbs.FindAllString(ar, -1); strings.Join(a, "") != strings.Join(b, "") {
			t.Errorf("%s: verbs %v in English, %v in Arabic", key, a, b)
		}
	}
	for key := range messagesAR {
		if _, ok := messagesEN[key]; !ok {
			t.Errorf("%s: no English", key)
		}
	}
	used := regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	err := fs.WalkDir(templateFiles, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(templateFiles, path)
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			if _, ok := messagesEN[m[1]]; !ok {
				t.Errorf("%s uses %s, which no language has", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFieldMessagesInArabic makes every message the domain gives about a
// client's field and holds each to an Arabic translation.
func TestFieldMessagesInArabic(t *testing.T) {
	bad := []fatora.ClientFields{
		{Name: " "},
		{Name: "x", Email: "not an address"},
		{Name: "x\xff"},
		{Name: strings.Repeat("x", fatora.MaxNameRunes+1)},
		{Name: "x\x07"},
		{Name: "x\u202e"},
	}
	for _, f := range bad {
		_, err := f.Normalize()
		e, ok := err.(*fatora.Error)
		if !ok || len(e.Fields) == 0 {
			t.Fatalf("%+v: %v, want field errors", f, err)
		}
		for _, fe := range e.Fields {
			ar := arabic.fieldMessage(fe.Message)
			if ar == fe.Message || strings.Contains(ar, "%!") {
				t.Errorf("%q has no Arabic (got %q)", fe.Message, ar)
			}
		}
	}
}

// TestVendoredFiles holds each vendored file to the SHA-256 VENDOR.md
// records for it.
func TestVendoredFiles(t *testing.T) {
	doc, err := fs.ReadFile(staticFiles, "static/vendor/VENDOR.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"htmx-2.0.11.min.js", "pico-2.1.1.min.css"} {
		b, err := fs.ReadFile(staticFiles, "static/vendor/"+name)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		row := regexp.MustCompile(`(?m)^\| ` + regexp.QuoteMeta(name) + ` \|.*\| ` + hex.EncodeToString(sum[:]) + ` \|`)
		if !row.Match(doc) {
			t.Errorf("%s: SHA-256 %x is not the one VENDOR.md records", name, sum)
		}
	}
}
