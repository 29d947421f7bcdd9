package dashboard_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/apitest"
)

// TestScreenshots saves pictures of the main pages in English and Arabic
// to $FATORA_SCREENSHOTS (docs/screenshots/ holds the ones in the
// repository: FATORA_SCREENSHOTS=$PWD/docs/screenshots go test
// ./dashboard -run Screenshots), or to a temporary folder the log names.
func TestScreenshots(t *testing.T) {
	s := newSite(t, apitest.Options{})
	var first fatora.Client
	for i, f := range []fatora.ClientFields{
		{Name: "ليلى الكواري", Phone: "+974 5555 1234", Email: "layla@example.com", Address: "الدوحة، شارع 12"},
		{Name: "John Smith", Phone: "+974 3333 0101", Email: "john@example.com", Address: "West Bay, Doha"},
		{Name: "محمد Al-Thani", Phone: "+974 6600 7788", Address: "Lusail مارينا"},
		{Name: "Fatima Hassan", Email: "fatima@example.org", Address: "Al Wakrah"},
	} {
		c := s.create(t, f)
		if i == 0 {
			first = c
		}
	}
	dir := os.Getenv("FATORA_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	b := s.browse(t)
	shoot := func(name string) {
		png := value(b, chromedp.CaptureScreenshot())
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	client := "/dashboard/clients/" + strconv.FormatInt(first.ID, 10)
	for _, lang := range []string{"en", "ar"} {
		b.open("/dashboard/login?lang=" + lang)
		b.do(chromedp.WaitVisible(chromedp.CSS("#api_key")))
		shoot("signin-" + lang)
		b.signIn(fatora.ModeTest, lang)
		shoot("clients-" + lang)
		b.open(client)
		b.do(chromedp.WaitVisible(chromedp.CSS("#client-name")))
		shoot("client-" + lang)
		b.open(client + "/edit")
		b.do(chromedp.Clear(chromedp.CSS("#email")), chromedp.SendKeys(chromedp.CSS("#email"), "layla@"),
			chromedp.Click(chromedp.CSS("#save")), chromedp.WaitVisible(chromedp.CSS("#email-error")))
		shoot("edit-error-" + lang)
		b.open("/dashboard/files")
		b.do(chromedp.WaitVisible(chromedp.CSS("#import-form")))
		shoot("files-" + lang)
		b.open("/dashboard/keys")
		b.do(chromedp.WaitVisible(chromedp.CSS("#keys")))
		shoot("keys-" + lang)
		b.do(chromedp.Click(chromedp.CSS("#signout")), chromedp.WaitVisible(chromedp.CSS("#api_key")))
	}
	t.Logf("screenshots in %s", dir)
}
