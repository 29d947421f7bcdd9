package httpapi

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/fatora-oss/fatora"
)

// eventJSON is an event on the wire: in GET /v1/events and as the body of
// a webhook delivery.
type eventJSON struct {
	ID        string        `json:"id"`
	Type      string        `json:"type"`
	CreatedAt string        `json:"created_at"`
	Mode      string        `json:"mode"`
	Data      eventDataJSON `json:"data"`
}

// eventDataJSON holds the client as the API shows it after the change
// (only its id once the event's body is purged) and, for an update, the
// earlier values of the members that changed (for metadata, of the keys
// that changed, null for a key not set before).
type eventDataJSON struct {
	Client   any            `json:"client,omitempty"`
	Previous map[string]any `json:"previous,omitempty"`
}

type clientIDJSON struct {
	ID int64 `json:"id"`
}

func toEventJSON(e fatora.Event) eventJSON {
	out := eventJSON{ID: e.ID, Type: string(e.Type), CreatedAt: e.CreatedAt.UTC().Format(timeFormat), Mode: string(e.Mode)}
	switch {
	case e.Client != nil:
		out.Data.Client = toClientJSON(*e.Client)
	case e.ClientID != 0:
		out.Data.Client = clientIDJSON{ID: e.ClientID}
	}
	if p := e.Previous; p != nil {
		out.Data.Previous = map[string]any{"updated_at": p.UpdatedAt.UTC().Format(timeFormat)}
		for name, v := range map[string]*string{"name": p.Fields.Name, "phone": p.Fields.Phone, "email": p.Fields.Email,
			"address": p.Fields.Address, "notes": p.Fields.Notes} {
			if v != nil {
				out.Data.Previous[name] = *v
			}
		}
		if notes, ok := out.Data.Previous["notes"]; ok {
			out.Data.Previous["note"] = notes // the client object has both
		}
		if p.Fields.Metadata != nil {
			out.Data.Previous["metadata"] = p.Fields.Metadata // null for a key that was not set
		}
	}
	return out
}

// EventJSON is the body of a webhook delivery of e: the event as GET
// /v1/events/{id} shows it, one line of JSON.
func EventJSON(e fatora.Event) []byte {
	b, _ := encodeJSON(toEventJSON(e)) // strings and maps of strings: it cannot fail
	return b[:len(b)-1]
}

type eventResponse struct {
	Status string    `json:"status"`
	Event  eventJSON `json:"event"`
}

type eventListResponse struct {
	Status  string      `json:"status"`
	Events  []eventJSON `json:"events"`
	HasMore bool        `json:"has_more"`
	// NextCursor reads on after this page; always given, so that a reader
	// polling for new events keeps its place.
	NextCursor string `json:"next_cursor"`
}

func toEventList(p fatora.EventPage) eventListResponse {
	out := eventListResponse{Status: "SUCCESS", Events: make([]eventJSON, len(p.Events)), HasMore: p.More,
		NextCursor: encodeEventCursor(p.Next)}
	for i, e := range p.Events {
		out.Events[i] = toEventJSON(e)
	}
	return out
}

// An event cursor is opaque to callers: a position in the event stream.
const eventCursorPrefix = "events:"

func encodeEventCursor(p fatora.EventPosition) string {
	return base64.RawURLEncoding.EncodeToString([]byte(eventCursorPrefix + strconv.FormatInt(p.Tx, 10) + ":" +
		strconv.FormatInt(p.Seq, 10)))
}

// decodeEventCursor reads a cursor; "" means the start.
func decodeEventCursor(v string) (fatora.EventPosition, error) {
	if v == "" {
		return fatora.EventPosition{}, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(v)
	rest, ok := strings.CutPrefix(string(raw), eventCursorPrefix)
	tx, seq, ok2 := strings.Cut(rest, ":")
	p := fatora.EventPosition{}
	var e1, e2 error
	p.Tx, e1 = strconv.ParseInt(tx, 10, 64)
	p.Seq, e2 = strconv.ParseInt(seq, 10, 64)
	if err != nil || !ok || !ok2 || e1 != nil || e2 != nil || p.Tx < 0 || p.Seq < 0 {
		return p, fatora.Errorf(fatora.CodeInvalidQuery, "cursor is not one this API gave out; use next_cursor from a list of events.")
	}
	return p, nil
}
