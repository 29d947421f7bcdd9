package httpapi

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/fatora-oss/fatora"
)

// registerClients adds the clients endpoints.
func (s *Server) registerClients(rt *router) {
	mws := []middleware{acceptsJSON, s.authenticate}
	rt.handle("/v1/clients", map[string]handlerFunc{
		http.MethodGet:  s.listClients,
		http.MethodPost: s.createClient,
	}, mws...)
	rt.handle("/v1/clients/{id}", map[string]handlerFunc{
		http.MethodGet:    s.getClient,
		http.MethodPut:    s.updateClient,
		http.MethodPatch:  s.updateClient,
		http.MethodDelete: s.deleteClient,
	}, mws...)
	rt.handle("/v1/clients/{id}/restore", map[string]handlerFunc{http.MethodPost: s.restoreClient}, mws...)
	rt.handle("/v1/clients/bulk", map[string]handlerFunc{http.MethodPost: s.bulkClients}, mws...)
}

// createClient handles POST /v1/clients.
func (s *Server) createClient(w http.ResponseWriter, r *http.Request) error {
	body, err := readJSONBody(w, r)
	if err != nil {
		return err
	}
	b, err := decodeClient(body)
	if err != nil {
		return err
	}
	return s.change(w, r, canonicalUpdate(b.update), renderClient(http.StatusCreated), func(ctx context.Context) (fatora.Client, error) {
		return s.Clients.CreateClient(ctx, b.update.Apply(fatora.ClientFields{}))
	})
}

// renderClient makes the answer to a change that returns the client.
func renderClient(status int) func(fatora.Client) fatora.StoredResponse {
	return func(c fatora.Client) fatora.StoredResponse {
		resp := fatora.StoredResponse{Status: status}
		if status == http.StatusCreated {
			resp.Location = "/v1/clients/" + strconv.FormatInt(c.ID, 10)
		}
		resp.Body, _ = encodeJSON(clientResponse{Status: "SUCCESS", Client: toClientJSON(c)})
		return resp
	}
}

// getClient handles GET /v1/clients/{id}.
func (s *Server) getClient(w http.ResponseWriter, r *http.Request) error {
	id, err := clientID(r)
	if err != nil {
		return err
	}
	c, err := s.Clients.FindClientByID(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, clientResponse{Status: "SUCCESS", Client: toClientJSON(c)})
	return nil
}

// listClients handles GET /v1/clients?keyword=&email=&page=&page_size=.
func (s *Server) listClients(w http.ResponseWriter, r *http.Request) error {
	f, err := parseClientFilter(r.URL.RawQuery)
	if err != nil {
		return err
	}
	if f.Keyword != "" {
		leave, err := s.searchTurn(r.Context())
		if err != nil {
			return err
		}
		defer leave()
	}
	page, err := s.Clients.FindClients(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toClientList(page))
	return nil
}

// updateClient handles PUT and PATCH /v1/clients/{id}: only the members
// present change; "" or null clears an optional field.
func (s *Server) updateClient(w http.ResponseWriter, r *http.Request) error {
	id, err := clientID(r)
	if err != nil {
		return err
	}
	body, err := readJSONBody(w, r)
	if err != nil {
		return err
	}
	b, err := decodeClient(body)
	if err != nil {
		return err
	}
	if err := checkBodyID(b, id); err != nil {
		return err
	}
	return s.change(w, r, canonicalUpdate(b.update), renderClient(http.StatusOK), func(ctx context.Context) (fatora.Client, error) {
		return s.Clients.UpdateClient(ctx, id, b.update)
	})
}

// deleteClient handles DELETE /v1/clients/{id}?permanent=: a delete that
// can be undone (see restoreClient), or with permanent=true an erasure.
func (s *Server) deleteClient(w http.ResponseWriter, r *http.Request) error {
	id, err := clientID(r)
	if err != nil {
		return err
	}
	permanent, err := permanentParam(r.URL.RawQuery)
	if err != nil {
		return err
	}
	del, canonical := s.Clients.DeleteClient, []byte(nil)
	if permanent {
		del, canonical = s.Clients.EraseClient, []byte("permanent") // another request for the same key
	}
	noContent := func(fatora.Client) fatora.StoredResponse { return fatora.StoredResponse{Status: http.StatusNoContent} }
	return s.change(w, r, canonical, noContent, func(ctx context.Context) (fatora.Client, error) {
		return fatora.Client{}, del(ctx, id)
	})
}

// clientID reads the {id} of the path. An id that is not a positive whole
// number names no client: 404, the same answer as for an unknown id.
func clientID(r *http.Request) (int64, error) {
	raw := r.PathValue("id")
	if raw == "" || len(raw) > 19 || strings.Trim(raw, "0123456789") != "" {
		return 0, fatora.ClientNotFound()
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, fatora.ClientNotFound()
	}
	return id, nil
}

// parseClientFilter reads the list query. Parameter names match in any
// letter case; an unknown or repeated parameter is refused, not ignored.
func parseClientFilter(rawQuery string) (fatora.ClientFilter, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return fatora.ClientFilter{}, fatora.Errorf(fatora.CodeInvalidQuery, "The query string is malformed.")
	}
	var f fatora.ClientFilter
	seen := map[string]bool{}
	for name, vals := range q {
		if k, ok := metadataParam(name); ok {
			if err := setMetadataParam(&f, k, vals); err != nil {
				return f, err
			}
			continue
		}
		key := strings.ToLower(name)
		if seen[key] || len(vals) > 1 {
			return f, fatora.Errorf(fatora.CodeInvalidQuery, "The parameter %q is given more than once.", name)
		}
		seen[key] = true
		if err := setFilterParam(&f, key, name, vals[0]); err != nil {
			return f, err
		}
	}
	return f, nil
}

func setFilterParam(f *fatora.ClientFilter, key, name, v string) error {
	var err error
	switch key {
	case "keyword":
		f.Keyword = v
	case "email":
		f.Email = v
	case "page":
		f.Page, err = wholeNumber(name, v)
	case "page_size":
		f.PageSize, err = wholeNumber(name, v)
	case "cursor":
		f.After, err = decodeCursor(v)
	case "status":
		f.Status, err = clientStatus(v)
	default:
		err = fatora.Errorf(fatora.CodeInvalidQuery,
			"%q is not a parameter of this list; use keyword, email, status, metadata[KEY], page, page_size and cursor.", name)
	}
	return err
}

// wholeNumber parses a positive page number; "" means the default (0).
func wholeNumber(name, v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || strings.Trim(v, "0123456789") != "" {
		return 0, fatora.Errorf(fatora.CodeInvalidQuery, "%s must be a whole number of at least 1.", name)
	}
	return n, nil
}

// A cursor is opaque to callers: the id the next page starts after, in a
// form that invites no arithmetic.
const cursorPrefix = "after:"

func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatInt(id, 10)))
}

// decodeCursor reads a cursor; "" means none.
func decodeCursor(v string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(v)
	digits, ok := strings.CutPrefix(string(raw), cursorPrefix)
	id, perr := strconv.ParseInt(digits, 10, 64)
	if err != nil || !ok || perr != nil || id < 1 {
		return 0, fatora.Errorf(fatora.CodeInvalidQuery, "cursor is not one this API gave out; use next_cursor from a list.")
	}
	return id, nil
}
