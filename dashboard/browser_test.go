package dashboard_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fatora-oss/fatora"
)

// browserStep bounds each step of a browser test (a page load, a wait).
const browserStep = 20 * time.Second

// tab is a page of a headless Chromium the test drives, on a site.
type tab struct {
	t    testing.TB
	ctx  context.Context
	site *site
}

// browserPath finds Debian's chromium-headless-shell (the package
// .ci/run installs). Without it the test is skipped, saying so, unless
// FATORA_REQUIRE_BROWSER=1 asks for a failure.
func browserPath(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("chromium-headless-shell")
	if err == nil {
		return path
	}
	const how = "no chromium-headless-shell on PATH: apt-get install chromium-headless-shell fonts-noto-core to run the browser tests"
	if os.Getenv("FATORA_REQUIRE_BROWSER") == "1" {
		t.Fatal(how + " (FATORA_REQUIRE_BROWSER=1)")
	}
	t.Skip(how)
	return ""
}

// browse starts a browser for the test, on a page of 1280 by 900 pixels.
// A failed test leaves a screenshot of the page, and its path in the log.
func (s *site) browse(t testing.TB) *tab {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browserPath(t)), chromedp.WindowSize(1280, 900))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancelAlloc)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // starts the browser, on a context without a deadline
		t.Fatalf("starting %s: %v", browserPath(t), err)
	}
	b := &tab{t: t, ctx: ctx, site: s}
	t.Cleanup(func() {
		if t.Failed() {
			b.saveFailure()
		}
	})
	return b
}

// saveFailure writes a screenshot of the page to
// $FATORA_BROWSER_FAILURES (a temporary folder by default).
func (b *tab) saveFailure() {
	dir := os.Getenv("FATORA_BROWSER_FAILURES")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "fatora-browser-failures")
	}
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	path := filepath.Join(dir, strings.ReplaceAll(b.t.Name(), "/", "_")+".png")
	if err == nil {
		err = os.WriteFile(path, png, 0o644)
	}
	if err != nil {
		b.t.Logf("no screenshot of the failure: %v", err)
		return
	}
	b.t.Logf("screenshot of the failure: %s", path)
}

// do runs steps, each within browserStep.
func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	for _, step := range steps {
		ctx, cancel := context.WithTimeout(b.ctx, browserStep)
		err := chromedp.Do(ctx, step)
		cancel()
		if err != nil {
			b.t.Fatalf("browser: %v", err)
		}
	}
}

// value runs an action that returns a value, within browserStep.
func value[T any](b *tab, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("browser: %v", err)
	}
	return v
}

// open loads a path of the site.
func (b *tab) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.site.url + path))
}

// text is the text of the first element sel finds, once visible.
func (b *tab) text(sel string) string {
	b.t.Helper()
	b.do(chromedp.WaitVisible(chromedp.CSS(sel)))
	return value(b, chromedp.Text(chromedp.CSS(sel)))
}

// waitFor waits until the JavaScript expression is true.
func (b *tab) waitFor(expr string) {
	b.t.Helper()
	b.do(chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(browserStep)))
}

// signIn signs in on the sign-in page (?lang= for the language) with the
// merchant's key of mode, and waits for the clients.
func (b *tab) signIn(mode fatora.Mode, lang string) {
	b.t.Helper()
	b.open("/dashboard/login?lang=" + lang)
	b.do(chromedp.SendKeys(chromedp.CSS("#api_key"), b.site.merchant.Keys[mode]), chromedp.Click(chromedp.CSS("#signin")),
		chromedp.WaitVisible(chromedp.CSS("#count")))
}

// scope is the context of the merchant's mode, for calling the services.
func (s *site) scope(mode fatora.Mode) context.Context {
	return fatora.WithScope(context.Background(), s.merchant.Scope(mode))
}

// create stores a client of the merchant's test mode.
func (s *site) create(t testing.TB, f fatora.ClientFields) fatora.Client {
	t.Helper()
	c, err := s.env.Services.Clients.CreateClient(s.scope(fatora.ModeTest), f)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
