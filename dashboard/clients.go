package dashboard

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/fatora-oss/fatora"
)

// registerClients adds the clients pages.
func (s *Server) registerClients(mux *http.ServeMux) {
	mux.Handle("GET /dashboard/clients", s.page(s.signedIn(s.listClients)))
	mux.Handle("POST /dashboard/clients", s.page(s.signedIn(s.createClient)))
	mux.Handle("GET /dashboard/clients/new", s.page(s.signedIn(s.newClient)))
	mux.Handle("GET /dashboard/clients/{id}", s.page(s.signedIn(s.showClient)))
	mux.Handle("POST /dashboard/clients/{id}", s.page(s.signedIn(s.updateClient)))
	mux.Handle("GET /dashboard/clients/{id}/edit", s.page(s.signedIn(s.editClient)))
	mux.Handle("GET /dashboard/clients/{id}/delete", s.page(s.signedIn(s.confirmDelete)))
	mux.Handle("POST /dashboard/clients/{id}/delete", s.page(s.signedIn(s.deleteClient)))
	mux.Handle("POST /dashboard/clients/{id}/restore", s.page(s.signedIn(s.restoreClient)))
}

// clientsPageSize is how many clients a page of the table shows.
const clientsPageSize = 50

// listData is the clients table's own.
type listData struct {
	Keyword string
	// SearchError says why the keyword was refused.
	SearchError string
	Sort        string
	Page        fatora.ClientPage
	// Next is the address of the next page, "" on the last.
	Next string
	// First is the address of the first page, "" on it.
	First string
	// Deleted is the client just deleted, which a button can restore.
	Deleted int64
}

// listClients handles GET /dashboard/clients?keyword=&sort=&after=: a page
// of the table. An htmx request (the search box as one types, the pager)
// gets the results alone.
func (s *Server) listClients(w http.ResponseWriter, r *http.Request, v visit) error {
	q := r.URL.Query()
	d := listData{Keyword: q.Get("keyword"), Sort: sortOf(q.Get("sort"))}
	if d.Keyword != "" && d.Sort == sortName {
		d.Sort = sortNewest // a search is listed by date (see fatora.OrderName)
	}
	d.Deleted, _ = strconv.ParseInt(q.Get("deleted"), 10, 64)
	f := fatora.ClientFilter{Keyword: d.Keyword, PageSize: clientsPageSize, Order: orders[d.Sort]}
	if err := setCursor(&f, q.Get("after")); err != nil {
		return err
	}
	status := http.StatusOK
	page, err := s.findClients(r, f)
	switch code := fatora.ErrorCode(err); {
	case code == fatora.CodeInvalidQuery:
		status, d.SearchError = http.StatusBadRequest, fatora.ErrorMessage(err)
	case err != nil:
		return err
	}
	d.Page = page
	d.links(r.URL, page, f)
	view := v.view(r, v.l.T("clients.title"), d)
	if d.Deleted > 0 {
		view.Notice = v.l.T("clients.deleted")
	}
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "results" {
		return execute(w, status, "clients.html", "results", view)
	}
	return render(w, status, "clients.html", view)
}

// findClients reads a page of clients, a keyword search in a search turn.
func (s *Server) findClients(r *http.Request, f fatora.ClientFilter) (fatora.ClientPage, error) {
	if f.Keyword != "" {
		leave, err := s.Guard.SearchTurn(r.Context())
		if err != nil {
			return fatora.ClientPage{}, err
		}
		defer leave()
	}
	return s.Clients.FindClients(r.Context(), f)
}

// links sets the addresses of the next and first pages.
func (d *listData) links(u *url.URL, page fatora.ClientPage, f fatora.ClientFilter) {
	q := url.Values{}
	if d.Keyword != "" {
		q.Set("keyword", d.Keyword)
	}
	if d.Sort != sortNewest {
		q.Set("sort", d.Sort)
	}
	if f.After != 0 || f.AfterName != "" {
		d.First = (&url.URL{Path: u.Path, RawQuery: q.Encode()}).String()
	}
	if page.More && len(page.Clients) > 0 {
		q.Set("after", cursorAfter(f.Order, page.Clients[len(page.Clients)-1]))
		d.Next = (&url.URL{Path: u.Path, RawQuery: q.Encode()}).String()
	}
}

// The table's orders, by the sort parameter's value.
const (
	sortNewest = "newest"
	sortOldest = "oldest"
	sortName   = "name"
)

var orders = map[string]fatora.ClientOrder{
	sortNewest: fatora.OrderNewest, sortOldest: fatora.OrderOldest, sortName: fatora.OrderName,
}

// sortOf is the sort parameter's value, newest first unless it names
// another order.
func sortOf(v string) string {
	if _, ok := orders[v]; ok {
		return v
	}
	return sortNewest
}

// cursorAfter is the cursor of the page after c in order: c's id, and for
// the name order its name too (base64url), after a dot.
func cursorAfter(order fatora.ClientOrder, c fatora.Client) string {
	id := strconv.FormatInt(c.ID, 10)
	if order == fatora.OrderName {
		return id + "." + base64.RawURLEncoding.EncodeToString([]byte(c.Name))
	}
	return id
}

// setCursor sets the filter's cursor from the after parameter ("" for
// none). Errors: invalid_query.
func setCursor(f *fatora.ClientFilter, after string) error {
	if after == "" {
		return nil
	}
	raw, name, hasName := strings.Cut(after, ".")
	id, err := strconv.ParseInt(raw, 10, 64)
	decoded, nerr := base64.RawURLEncoding.DecodeString(name)
	if err != nil || id <= 0 || nerr != nil || hasName != (f.Order == fatora.OrderName) {
		return fatora.Errorf(fatora.CodeInvalidQuery, "This page's address is not one the dashboard made; start from the first page.")
	}
	f.After, f.AfterName = id, string(decoded)
	return nil
}

// clientID reads the {id} of the path: not_found unless a positive number.
func clientID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fatora.ClientNotFound()
	}
	return id, nil
}

// pathClient is the client the path's {id} names. Errors: not_found.
func (s *Server) pathClient(r *http.Request) (fatora.Client, error) {
	id, err := clientID(r)
	if err != nil {
		return fatora.Client{}, err
	}
	return s.Clients.FindClientByID(r.Context(), id)
}

// showClient handles GET /dashboard/clients/{id}.
func (s *Server) showClient(w http.ResponseWriter, r *http.Request, v visit) error {
	c, err := s.pathClient(r)
	if err != nil {
		return err
	}
	view := v.view(r, v.l.T("client.title", c.ID), c)
	switch {
	case r.URL.Query().Has("created"):
		view.Notice = v.l.T("client.created")
	case r.URL.Query().Has("saved"):
		view.Notice = v.l.T("client.saved")
	case r.URL.Query().Has("restored"):
		view.Notice = v.l.T("clients.restored")
	}
	return render(w, http.StatusOK, "client.html", view)
}

// formData is the client form's own: what was typed, and what is wrong
// with it, field by field, in the page's language.
type formData struct {
	// ID is the client edited; 0 for a new one.
	ID     int64
	Fields fatora.ClientFields
	Errors map[string]string
	// Duplicate is the client the data would duplicate.
	Duplicate int64
}

// newClient handles GET /dashboard/clients/new.
func (s *Server) newClient(w http.ResponseWriter, r *http.Request, v visit) error {
	return render(w, http.StatusOK, "form.html", v.view(r, v.l.T("clients.new"), &formData{}))
}

// editClient handles GET /dashboard/clients/{id}/edit.
func (s *Server) editClient(w http.ResponseWriter, r *http.Request, v visit) error {
	c, err := s.pathClient(r)
	if err != nil {
		return err
	}
	return render(w, http.StatusOK, "form.html", v.view(r, v.l.T("client.title", c.ID), &formData{ID: c.ID, Fields: c.ClientFields}))
}

// readClientForm reads the five fields of a posted client form.
func readClientForm(w http.ResponseWriter, r *http.Request) (fatora.ClientFields, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return fatora.ClientFields{}, fatora.Errorf(fatora.CodeMalformedRequest, "The form could not be read.")
	}
	f := r.PostForm
	return fatora.ClientFields{Name: f.Get("name"), Phone: f.Get("phone"), Email: f.Get("email"),
		Address: f.Get("address"), Notes: f.Get("notes")}, nil
}

// createClient handles POST /dashboard/clients: the client is created by
// the same service as the API's, or the form comes back with what is
// wrong beside each field.
func (s *Server) createClient(w http.ResponseWriter, r *http.Request, v visit) error {
	fields, err := readClientForm(w, r)
	if err != nil {
		return err
	}
	c, err := s.Clients.CreateClient(r.Context(), fields)
	if err != nil {
		return s.formRefused(w, r, v, formData{Fields: fields}, err)
	}
	return redirect(w, r, "/dashboard/clients/"+strconv.FormatInt(c.ID, 10)+"?created=1")
}

// updateClient handles POST /dashboard/clients/{id}: every field of the
// form is written (an empty optional field is cleared).
func (s *Server) updateClient(w http.ResponseWriter, r *http.Request, v visit) error {
	id, err := clientID(r)
	if err != nil {
		return err
	}
	fields, err := readClientForm(w, r)
	if err != nil {
		return err
	}
	u := fatora.ClientUpdate{Name: &fields.Name, Phone: &fields.Phone, Email: &fields.Email, Address: &fields.Address,
		Notes: &fields.Notes}
	if _, err := s.Clients.UpdateClient(r.Context(), id, u); err != nil {
		return s.formRefused(w, r, v, formData{ID: id, Fields: fields}, err)
	}
	return redirect(w, r, "/dashboard/clients/"+strconv.FormatInt(id, 10)+"?saved=1")
}

// formRefused shows the form again for a refused create or update:
// invalid_field with each field's message beside it (422), or
// duplicate_client with a link to the existing client (409). Other errors
// are the caller's.
func (s *Server) formRefused(w http.ResponseWriter, r *http.Request, v visit, d formData, err error) error {
	var e *fatora.Error
	if !errors.As(err, &e) || (e.Code != fatora.CodeInvalidField && e.Code != fatora.CodeDuplicateClient) {
		return err
	}
	status := http.StatusUnprocessableEntity
	view := v.view(r, v.l.T("clients.new"), &d)
	if d.ID != 0 {
		view.Title = v.l.T("client.title", d.ID)
	}
	if e.Code == fatora.CodeDuplicateClient {
		status, d.Duplicate = http.StatusConflict, e.ExistingClientID
		return render(w, status, "form.html", view)
	}
	d.Errors = map[string]string{}
	for _, fe := range e.Fields {
		field := strings.ToLower(fe.Field)
		if field == "note" {
			field = "notes"
		}
		d.Errors[field] = v.l.fieldMessage(fe.Message)
	}
	view.Problem = v.l.T("client.invalid")
	return render(w, status, "form.html", view)
}

// confirmDelete handles GET /dashboard/clients/{id}/delete: the question,
// before anything is deleted.
func (s *Server) confirmDelete(w http.ResponseWriter, r *http.Request, v visit) error {
	c, err := s.pathClient(r)
	if err != nil {
		return err
	}
	return render(w, http.StatusOK, "delete.html", v.view(r, v.l.T("client.delete.ask"), c))
}

// deleteClient handles POST /dashboard/clients/{id}/delete.
func (s *Server) deleteClient(w http.ResponseWriter, r *http.Request, v visit) error {
	id, err := clientID(r)
	if err != nil {
		return err
	}
	if err := s.Clients.DeleteClient(r.Context(), id); err != nil {
		return err
	}
	return redirect(w, r, "/dashboard/clients?deleted="+strconv.FormatInt(id, 10))
}

// restoreClient handles POST /dashboard/clients/{id}/restore: the client
// service brings back a client deleted within its retention period.
func (s *Server) restoreClient(w http.ResponseWriter, r *http.Request, v visit) error {
	id, err := clientID(r)
	if err != nil {
		return err
	}
	if _, err := s.Clients.RestoreClient(r.Context(), id); err != nil {
		return err
	}
	return redirect(w, r, "/dashboard/clients/"+strconv.FormatInt(id, 10)+"?restored=1")
}
