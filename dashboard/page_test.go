package dashboard_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/apitest"
)

// TestHostileNames holds the pages to user data as text: a name that is
// markup is shown as written, a name with a right-to-left override is
// refused by the form (the API's rule), and one stored before that rule
// is isolated, so it cannot reorder the page around it.
func TestHostileNames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "api.db")
	s := newSite(t, apitest.Options{Store: apitest.SQLiteAt("sqlite", path)})
	b := s.agent(t)
	b.signIn(fatora.ModeTest)
	b.do(http.MethodPost, "/dashboard/clients", url.Values{"name": {"<script>alert(1)</script>"}}).wantStatus(t, http.StatusSeeOther)
	a := b.do(http.MethodPost, "/dashboard/clients", url.Values{"name": {"\u202eevil"}}).wantStatus(t, http.StatusUnprocessableEntity)
	if !strings.Contains(a.body, `id="name-error">must not contain the invisible formatting character U&#43;202E<`) {
		t.Errorf("the override is not refused beside the name:\n%s", a.body)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)") // the store's writer may be merging the search index
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`INSERT INTO clients (merchant_id, mode, name, phone, email, address, notes, email_folded, phone_digits,
		search_text, dedup, created_at, updated_at) VALUES (?, 'test', ?, '+974 1', '', 'Doha', '', '', '9741', 'evil', 'legacy', 0, 0)`,
		s.merchant.ID, "\u202eevil")
	if err != nil {
		t.Fatal(err)
	}
	page := b.do(http.MethodGet, "/dashboard/clients", nil).wantStatus(t, http.StatusOK).body
	if strings.Contains(page, "<script>alert") || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the markup name is not escaped")
	}
	if !strings.Contains(page, "<bdi>\u202eevil</bdi>") {
		t.Errorf("the legacy name with an override is not isolated in <bdi>")
	}
}

// TestBrowserHostileName shows a name that is markup in a real browser:
// it is text, and no script of it runs.
func TestBrowserHostileName(t *testing.T) {
	s := newSite(t, apitest.Options{})
	c := s.create(t, fatora.ClientFields{Name: `<script>alert(1)</script><img src=x onerror=alert(2)>`})
	b := s.browse(t)
	b.signIn(fatora.ModeTest, "en")
	if got := b.text("#clients tbody td"); got != c.Name {
		t.Errorf("the name shows as %q, want the text %q", got, c.Name)
	}
	scripts := value(b, chromedp.Evaluate[int](`document.scripts.length + document.images.length`))
	if scripts != 1 {
		t.Errorf("%d scripts and images on the page, want htmx's script alone", scripts)
	}
}

// TestDisabledMerchantEndsSession holds a session to its merchant:
// disabled (on any server), the next page is the sign-in page.
func TestDisabledMerchantEndsSession(t *testing.T) {
	s := newSite(t, apitest.Options{})
	b := s.agent(t)
	b.signIn(fatora.ModeLive)
	if err := s.env.Services.Merchants.SetMerchantDisabled(context.Background(), s.merchant.ID, true); err != nil {
		t.Fatal(err)
	}
	if a := b.do(http.MethodGet, "/dashboard/clients", nil); a.status != http.StatusSeeOther {
		t.Fatalf("a disabled merchant's page: %d, want 303 to sign-in", a.status)
	}
}

// TestDuplicateLinksToExisting creates a client twice through the form:
// the second time the form comes back with a link to the first.
func TestDuplicateLinksToExisting(t *testing.T) {
	s := newSite(t, apitest.Options{})
	b := s.agent(t)
	b.signIn(fatora.ModeTest)
	form := url.Values{"name": {"Layla"}, "email": {"layla@example.com"}}
	first := b.do(http.MethodPost, "/dashboard/clients", form).wantStatus(t, http.StatusSeeOther).header.Get("Location")
	page := b.do(http.MethodPost, "/dashboard/clients", form).wantStatus(t, http.StatusConflict).body
	if want := `<a href="` + strings.TrimSuffix(first, "?created=1") + `">open client`; !strings.Contains(page, want) {
		t.Fatalf("the duplicate's form has no link %q to the existing client:\n%s", want, page)
	}
}

// TestRestore offers "restore" after a delete, and brings the client back
// with it; the same client restored again is not found.
func TestRestore(t *testing.T) {
	s := newSite(t, apitest.Options{})
	c := s.create(t, fatora.ClientFields{Name: "Restored Rania"})
	b := s.agent(t)
	b.signIn(fatora.ModeTest)
	id := strconv.FormatInt(c.ID, 10)
	d := b.do(http.MethodPost, "/dashboard/clients/"+id+"/delete", url.Values{}).wantStatus(t, http.StatusSeeOther)
	page := b.do(http.MethodGet, d.header.Get("Location"), nil).body
	if !strings.Contains(page, `action="/dashboard/clients/`+id+`/restore"`) || strings.Contains(page, "Restored Rania") {
		t.Fatalf("after a delete, no restore button or the client still listed:\n%s", page)
	}
	a := b.do(http.MethodPost, "/dashboard/clients/"+id+"/restore", url.Values{}).wantStatus(t, http.StatusSeeOther)
	if a.header.Get("Location") != "/dashboard/clients/"+id+"?restored=1" {
		t.Fatalf("restore sends to %q", a.header.Get("Location"))
	}
	if page := b.do(http.MethodGet, a.header.Get("Location"), nil).wantStatus(t, http.StatusOK).body; !strings.Contains(page, "Restored Rania") {
		t.Errorf("the restored client's page does not show it")
	}
	b.do(http.MethodPost, "/dashboard/clients/"+id+"/restore", url.Values{}).wantStatus(t, http.StatusNotFound)
}

// TestSearchSortedByName lists a search by date when asked for names: the
// store sorts only whole lists by name.
func TestSearchSortedByName(t *testing.T) {
	s := newSite(t, apitest.Options{})
	s.create(t, fatora.ClientFields{Name: "Layla"})
	b := s.agent(t)
	b.signIn(fatora.ModeTest)
	page := b.do(http.MethodGet, "/dashboard/clients?keyword=lay&sort=name", nil).wantStatus(t, http.StatusOK).body
	if !strings.Contains(page, "<bdi>Layla</bdi>") || !strings.Contains(page, `value="newest" selected`) {
		t.Fatalf("a search sorted by name:\n%s", page)
	}
}
