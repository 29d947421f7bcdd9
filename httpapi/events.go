package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fatora-oss/fatora"
)

// registerEvents adds the events endpoints.
func (s *Server) registerEvents(rt *router) {
	mws := []middleware{acceptsJSON, s.authenticate}
	rt.handle("/v1/events", map[string]handlerFunc{http.MethodGet: s.listEvents}, mws...)
	rt.handle("/v1/events/{id}", map[string]handlerFunc{http.MethodGet: s.getEvent}, mws...)
	rt.handle("/v1/events/{id}/resend", map[string]handlerFunc{http.MethodPost: s.resendEvent}, mws...)
	rt.handle("/v1/clients/{id}/events", map[string]handlerFunc{http.MethodGet: s.listClientEvents}, mws...)
}

// listClientEvents handles GET /v1/clients/{id}/events?type=&created_after=&created_before=&cursor=&limit=:
// the client's history, newest first, also for a client deleted within the
// retention period.
func (s *Server) listClientEvents(w http.ResponseWriter, r *http.Request) error {
	id, err := clientID(r)
	if err != nil {
		return err
	}
	f, err := parseEventFilter(r.URL.RawQuery)
	if err != nil {
		return err
	}
	if f.ClientID != 0 {
		return fatora.Errorf(fatora.CodeInvalidQuery, "client_id is the path's id here; leave it out.")
	}
	page, err := s.Events.FindClientEvents(r.Context(), id, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toEventList(page))
	return nil
}

// listEvents handles GET /v1/events?type=&client_id=&created_after=&created_before=&cursor=&limit=.
func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) error {
	f, err := parseEventFilter(r.URL.RawQuery)
	if err != nil {
		return err
	}
	page, err := s.Events.FindEvents(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toEventList(page))
	return nil
}

// getEvent handles GET /v1/events/{id}.
func (s *Server) getEvent(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Events.FindEventByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, eventResponse{Status: "SUCCESS", Event: toEventJSON(e)})
	return nil
}

type resendResponse struct {
	Status string `json:"status"`
	// Scheduled counts the deliveries made pending again.
	Scheduled int `json:"scheduled"`
}

// resendEvent handles POST /v1/events/{id}/resend, with an optional body
// {"endpoint_id":"we_..."}: without it, to every enabled endpoint that
// takes the event's type.
func (s *Server) resendEvent(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		EndpointID *string `json:"endpoint_id"`
	}
	if r.ContentLength != 0 {
		if err := decodeStrict(w, r, &body); err != nil {
			return err
		}
	}
	endpoint := ""
	if body.EndpointID != nil {
		endpoint = *body.EndpointID
	}
	n, err := s.Events.ResendEvent(r.Context(), r.PathValue("id"), endpoint)
	if err != nil {
		return err
	}
	s.wakeDeliveries()
	writeJSON(w, http.StatusAccepted, resendResponse{Status: "SUCCESS", Scheduled: n})
	return nil
}

// parseEventFilter reads the events list query; an unknown or repeated
// parameter is refused.
func parseEventFilter(rawQuery string) (fatora.EventFilter, error) {
	var f fatora.EventFilter
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return f, fatora.Errorf(fatora.CodeInvalidQuery, "The query string is malformed.")
	}
	for name, vals := range q {
		if len(vals) > 1 {
			return f, fatora.Errorf(fatora.CodeInvalidQuery, "The parameter %q is given more than once.", name)
		}
		if err := setEventParam(&f, strings.ToLower(name), vals[0]); err != nil {
			return f, err
		}
	}
	return f, nil
}

func setEventParam(f *fatora.EventFilter, name, v string) error {
	var err error
	switch name {
	case "type":
		f.Type = fatora.EventType(v)
	case "client_id":
		f.ClientID, err = positiveParam(name, v)
	case "created_after":
		f.CreatedAfter, err = timeParam(name, v)
	case "created_before":
		f.CreatedBefore, err = timeParam(name, v)
	case "cursor":
		f.After, err = decodeEventCursor(v)
	case "limit":
		var n int64
		n, err = positiveParam(name, v)
		f.Limit = int(min(n, fatora.MaxEventLimit+1))
	default:
		err = fatora.Errorf(fatora.CodeInvalidQuery,
			"%q is not a parameter of this list; use type, client_id, created_after, created_before, cursor and limit.", name)
	}
	return err
}

// positiveParam parses a whole number of at least 1; "" means none (0).
func positiveParam(name, v string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 || strings.Trim(v, "0123456789") != "" {
		return 0, fatora.Errorf(fatora.CodeInvalidQuery, "%s must be a whole number of at least 1.", name)
	}
	return n, nil
}

// timeParam parses an RFC 3339 time; "" means none.
func timeParam(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return t, fatora.Errorf(fatora.CodeInvalidQuery, "%s must be an RFC 3339 time, such as 2026-11-30T12:00:00Z.", name)
	}
	return t, nil
}
