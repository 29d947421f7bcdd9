package dashboard_test

import (
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/apitest"
)

// unlabelled lists the controls of the page that have no accessible name:
// a field without a label, a button or link without text or aria-label.
const unlabelled = `Array.from(document.querySelectorAll("input:not([type=hidden]), select, textarea, button, a[href]"))
	.filter(el => {
		const named = (el.labels && el.labels.length > 0) || el.getAttribute("aria-label") || el.textContent.trim() !== "";
		return !named;
	}).map(el => el.outerHTML)`

// lowContrast lists the texts of the page (in elements sel finds) whose
// contrast with their background is under 4.5:1 (WCAG AA).
const lowContrast = `(() => {
	const rgba = c => { const v = c.match(/[\d.]+/g).map(Number); return v.length > 3 ? v : [...v, 1]; };
	const lum = ([r, g, b]) => [r, g, b].map(v => {
		v = v / 255;
		return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
	}).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
	const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3]));
	const background = el => el ? over(rgba(getComputedStyle(el).backgroundColor), background(el.parentElement)) : [255, 255, 255];
	const bad = [];
	for (const el of document.querySelectorAll("h1, p, a, button, label, th, td, .mode, small")) {
		if (!el.textContent.trim() || el.offsetParent === null) continue;
		const bg = background(el);
		const [a, b] = [lum(over(rgba(getComputedStyle(el).color), bg)), lum(bg)];
		const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
		if (ratio < 4.5) bad.push(el.outerHTML.slice(0, 80) + " " + ratio.toFixed(2));
	}
	return bad;
})()`

// TestBrowserAccessibility goes through the main pages, in both
// languages, holding every control to a label and every text to a
// contrast of 4.5:1; then signs in and creates a client with the keyboard
// alone, and holds the focus order to the page's order.
func TestBrowserAccessibility(t *testing.T) {
	s := newSite(t, apitest.Options{})
	c := s.create(t, fatora.ClientFields{Name: "ليلى الكواري", Phone: "+974 5555 1234"})
	b := s.browse(t)
	id := strconv.FormatInt(c.ID, 10)
	check := func(page string) {
		t.Helper()
		if bad := value(b, chromedp.Evaluate[[]string](unlabelled)); len(bad) > 0 {
			t.Errorf("%s: controls without a label: %q", page, bad)
		}
		if bad := value(b, chromedp.Evaluate[[]string](lowContrast)); len(bad) > 0 {
			t.Errorf("%s: texts with too little contrast: %q", page, bad)
		}
	}
	for _, lang := range []string{"en", "ar"} {
		b.open("/dashboard/login?lang=" + lang)
		check("sign-in " + lang)
		b.signIn(fatora.ModeTest, lang)
		for _, page := range []string{"/dashboard/clients", "/dashboard/clients/" + id, "/dashboard/clients/" + id + "/edit",
			"/dashboard/clients/" + id + "/delete", "/dashboard/files", "/dashboard/keys"} {
			b.open(page)
			b.do(chromedp.WaitVisible(chromedp.CSS("main")))
			check(page + " " + lang)
		}
		b.do(chromedp.Click(chromedp.CSS("#signout")), chromedp.WaitVisible(chromedp.CSS("#api_key")))
	}

	// The keyboard alone: the key field has the focus, Enter signs in.
	b.open("/dashboard/login?lang=en")
	b.waitFor(`document.activeElement.id == "api_key"`) // autofocus
	b.do(chromedp.KeyEvent(s.merchant.Keys[fatora.ModeTest]), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#count")))
	order := value(b, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea"))
		.filter(el => el.offsetParent !== null || el.matches(".visually-hidden")).map(el => el.id || el.textContent.trim())`))
	var tabbed []string
	for range order {
		b.do(chromedp.KeyEvent(kb.Tab))
		tabbed = append(tabbed, value(b, chromedp.Evaluate[string](`document.activeElement.id || document.activeElement.textContent.trim()`)))
	}
	for i := range order {
		if tabbed[i] != order[i] {
			t.Fatalf("Tab number %d went to %q, want %q (the page's order %q)", i+1, tabbed[i], order[i], order)
		}
	}
	b.do(chromedp.Focus(chromedp.CSS("#new-client")), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#client-form")))
	for range 30 { // Tab from the top of the page to the name field
		if value(b, chromedp.Evaluate[string](`document.activeElement.id`)) == "name" {
			break
		}
		b.do(chromedp.KeyEvent(kb.Tab))
	}
	b.do(chromedp.KeyEvent("Keyboard Client"), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#notice")))
	if got := b.text("#client-name"); got != "Keyboard Client" {
		t.Errorf("the client made with the keyboard is %q", got)
	}
}
