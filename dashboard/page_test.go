package dashboard_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"path/filepath"
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
	db, err := sql.Open("sqlite", path)
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

// restorer is a client service that can restore, as the lifecycle issue
// will make the stores: it records what it restored.
type restorer struct {
	fatora.ClientService
	restored []int64
}

func (r *restorer) RestoreClient(ctx context.Context, id int64) (fatora.Client, error) {
	r.restored = append(r.restored, id)
	return fatora.Client{ID: id}, nil
}

// TestRestoreHook offers "restore" after a delete only when the client
// service can restore, and calls it.
func TestRestoreHook(t *testing.T) {
	plain := newSite(t, apitest.Options{})
	b := plain.agent(t)
	b.signIn(fatora.ModeTest)
	if page := b.do(http.MethodGet, "/dashboard/clients?deleted=7", nil).body; strings.Contains(page, `id="restore"`) {
		t.Errorf("a restore button without a service that restores")
	}
	b.do(http.MethodPost, "/dashboard/clients/7/restore", url.Values{}).wantStatus(t, http.StatusNotFound)

	var r *restorer
	s := newSite(t, apitest.Options{Replace: func(sv *apitest.Services) {
		r = &restorer{ClientService: sv.Clients}
		sv.Clients = r
	}})
	b = s.agent(t)
	b.signIn(fatora.ModeTest)
	if page := b.do(http.MethodGet, "/dashboard/clients?deleted=7", nil).body; !strings.Contains(page, `action="/dashboard/clients/7/restore"`) {
		t.Errorf("no restore button after a delete")
	}
	a := b.do(http.MethodPost, "/dashboard/clients/7/restore", url.Values{}).wantStatus(t, http.StatusSeeOther)
	if len(r.restored) != 1 || r.restored[0] != 7 || a.header.Get("Location") != "/dashboard/clients/7?restored=1" {
		t.Fatalf("restore: %v, to %q", r.restored, a.header.Get("Location"))
	}
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
