package dashboard_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/apitest"
)

// TestBrowserSignInOut signs in with the test key, sees the test badge and
// banner, and signs out.
func TestBrowserSignInOut(t *testing.T) {
	s := newSite(t, apitest.Options{})
	b := s.browse(t)
	b.open("/dashboard/")
	b.do(chromedp.WaitVisible(chromedp.CSS("#api_key")))
	b.signIn(fatora.ModeTest, "en")
	if got := b.text("#mode"); !strings.EqualFold(got, "Test") {
		t.Errorf("mode badge %q, want Test", got)
	}
	if got := b.text("#test-banner"); !strings.Contains(got, "test data") {
		t.Errorf("test banner %q", got)
	}
	b.do(chromedp.Click(chromedp.CSS("#signout")), chromedp.WaitVisible(chromedp.CSS("#api_key")))
	if got := b.text("#notice"); got != "You are signed out." {
		t.Errorf("after sign-out: %q", got)
	}
	b.open("/dashboard/clients")
	b.do(chromedp.WaitVisible(chromedp.CSS("#api_key")))
}

// TestBrowserArabicClient creates a client in Arabic through the form and
// finds it with the search box, which updates the table as one types.
func TestBrowserArabicClient(t *testing.T) {
	s := newSite(t, apitest.Options{})
	s.create(t, fatora.ClientFields{Name: "John Smith", Phone: "+974 3333 0000"})
	b := s.browse(t)
	b.signIn(fatora.ModeTest, "ar")
	b.do(chromedp.Click(chromedp.CSS("#new-client")), chromedp.WaitVisible(chromedp.CSS("#client-form")),
		chromedp.SendKeys(chromedp.CSS("#name"), "ليلى الكواري"),
		chromedp.SendKeys(chromedp.CSS("#phone"), "+974 5555 1234"),
		chromedp.SendKeys(chromedp.CSS("#email"), "layla@example.com"),
		chromedp.SendKeys(chromedp.CSS("#address"), "الدوحة، شارع 12"),
		chromedp.Click(chromedp.CSS("#save")), chromedp.WaitVisible(chromedp.CSS("#notice")))
	if got := b.text("#client-name"); got != "ليلى الكواري" {
		t.Fatalf("the new client's page shows %q", got)
	}
	b.open("/dashboard/clients")
	b.waitFor(`document.querySelectorAll("#clients tbody tr").length == 2`)
	b.do(chromedp.SendKeys(chromedp.CSS("#keyword"), "ليلى"))
	b.waitFor(`document.querySelectorAll("#clients tbody tr").length == 1`)
	if got := b.text("#clients tbody tr td"); got != "ليلى الكواري" {
		t.Errorf("search found %q", got)
	}
	if loc := value(b, chromedp.Location()); !strings.Contains(loc, "keyword=") {
		t.Errorf("the search is not in the address (%s), so it cannot be bookmarked or gone back to", loc)
	}
}

// TestBrowserEditValidation edits a client with a bad e-mail address: the
// form comes back with the API's message beside the field; corrected, it
// saves.
func TestBrowserEditValidation(t *testing.T) {
	s := newSite(t, apitest.Options{})
	c := s.create(t, fatora.ClientFields{Name: "Client Name", Email: "client@example.com"})
	b := s.browse(t)
	b.signIn(fatora.ModeTest, "en")
	b.open("/dashboard/clients/" + strconv.FormatInt(c.ID, 10))
	b.do(chromedp.Click(chromedp.CSS("#edit")), chromedp.WaitVisible(chromedp.CSS("#client-form")),
		chromedp.Clear(chromedp.CSS("#email")), chromedp.SendKeys(chromedp.CSS("#email"), "not an address"),
		chromedp.Click(chromedp.CSS("#save")))
	if got := b.text("#email-error"); got != "is not a valid e-mail address" {
		t.Fatalf("beside the e-mail: %q, want the API's message", got)
	}
	if got := value(b, chromedp.AttributeValue(chromedp.CSS("#email"), "aria-invalid")); got.Value != "true" {
		t.Errorf("the e-mail field is not marked invalid: %+v", got)
	}
	b.do(chromedp.Clear(chromedp.CSS("#email")), chromedp.SendKeys(chromedp.CSS("#email"), "new@example.com"),
		chromedp.Click(chromedp.CSS("#save")), chromedp.WaitVisible(chromedp.CSS("#notice")))
	got, err := s.env.Services.Clients.FindClientByID(s.scope(fatora.ModeTest), c.ID)
	if err != nil || got.Email != "new@example.com" {
		t.Fatalf("after saving: %+v, %v", got, err)
	}
}

// TestBrowserDelete deletes a client after the question.
func TestBrowserDelete(t *testing.T) {
	s := newSite(t, apitest.Options{})
	c := s.create(t, fatora.ClientFields{Name: "To Delete"})
	b := s.browse(t)
	b.signIn(fatora.ModeTest, "en")
	b.open("/dashboard/clients/" + strconv.FormatInt(c.ID, 10))
	b.do(chromedp.Click(chromedp.CSS("#delete")), chromedp.WaitVisible(chromedp.CSS("#confirm-delete")),
		chromedp.Click(chromedp.CSS("#confirm-delete")), chromedp.WaitVisible(chromedp.CSS("#notice")))
	if got := b.text("#count"); got != "0 clients" {
		t.Errorf("after the delete the count says %q", got)
	}
	if _, err := s.env.Services.Clients.FindClientByID(s.scope(fatora.ModeTest), c.ID); fatora.ErrorCode(err) != fatora.CodeNotFound {
		t.Fatalf("the client is still there: %v", err)
	}
}

// TestBrowserRevokedKey revokes the key the session began with: the next
// page is the sign-in page, saying the session ended.
func TestBrowserRevokedKey(t *testing.T) {
	s := newSite(t, apitest.Options{})
	b := s.browse(t)
	b.signIn(fatora.ModeTest, "en")
	err := s.env.Services.Merchants.RevokeAPIKey(context.Background(), s.merchant.ID, s.merchant.KeyIDs[fatora.ModeTest])
	if err != nil {
		t.Fatal(err)
	}
	s.env.Clock.Advance(1)
	b.open("/dashboard/clients")
	if got := b.text("#problem"); got != "Your session has ended; sign in again." {
		t.Errorf("after the revocation: %q", got)
	}
}

// TestBrowserRTL holds the Arabic page to a right-to-left layout: the
// table's first column (the name) on the right, and names that cannot
// reorder the page around them.
func TestBrowserRTL(t *testing.T) {
	s := newSite(t, apitest.Options{})
	s.create(t, fatora.ClientFields{Name: "ليلى Smith 12", Phone: "+974 5555 1234", Address: "Doha الدوحة"})
	b := s.browse(t)
	b.signIn(fatora.ModeTest, "ar")
	if dir := value(b, chromedp.Evaluate[string](`document.documentElement.dir`)); dir != "rtl" {
		t.Fatalf("dir=%q, want rtl", dir)
	}
	rightOfLast := value(b, chromedp.Evaluate[bool](`(() => {
		const th = document.querySelectorAll("#clients thead th");
		return th[0].getBoundingClientRect().left > th[th.length-1].getBoundingClientRect().right;
	})()`))
	if !rightOfLast {
		t.Errorf("the first column is not to the right of the last")
	}
	if got := b.text("#clients thead th"); got != "الاسم" {
		t.Errorf("first column %q, want الاسم", got)
	}
}
