package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/apitest"
	"github.com/fatora-oss/fatora/internal/testenv"
)

// eventList is the body of GET /v1/events.
type eventList struct {
	Events []struct {
		ID   string `json:"id"`
		Type string `json:"type"`
		Data struct {
			Client   map[string]any    `json:"client"`
			Previous map[string]string `json:"previous"`
		} `json:"data"`
	} `json:"events"`
	HasMore    bool   `json:"has_more"`
	NextCursor string `json:"next_cursor"`
}

func (e *env) events(m *apitest.Merchant, query string) eventList {
	e.t.Helper()
	resp := e.do(request{method: "GET", path: "/v1/events" + query, as: m})
	if resp.status != http.StatusOK {
		e.t.Fatalf("GET /v1/events%s: %d %s", query, resp.status, resp.body)
	}
	var out eventList
	if err := json.Unmarshal([]byte(resp.body), &out); err != nil {
		e.t.Fatal(err)
	}
	return out
}

func TestEventsOfClientChanges(t *testing.T) {
	apitest.EachStore(t, func(t *testing.T, st apitest.Store) {
		e := newEnv(t, st)
		id := e.create(e.alpha, `{"name":"Client Name","phone":"+974 5555 1234","notes":"first"}`)
		path := fmt.Sprintf("/v1/clients/%d", id)
		e.do(request{method: "PATCH", path: path, body: `{"notes":"second"}`, as: e.alpha})
		e.do(request{method: "DELETE", path: path, as: e.alpha})
		list := e.events(e.alpha, "?limit=2")
		if len(list.Events) != 2 || !list.HasMore || list.NextCursor == "" {
			t.Fatalf("first page %+v, want 2 events and more", list)
		}
		rest := e.events(e.alpha, "?cursor="+list.NextCursor)
		all := append(list.Events, rest.Events...)
		var types []string
		for _, ev := range all {
			types = append(types, ev.Type)
			if ev.Data.Client["id"] != float64(id) || ev.Data.Client["name"] != "Client Name" {
				t.Errorf("event %s names client %v", ev.Type, ev.Data.Client)
			}
		}
		if got := strings.Join(types, " "); got != "client.created client.updated client.deleted" {
			t.Errorf("events %s", got)
		}
		prev := all[1].Data.Previous
		if prev["notes"] != "first" || prev["note"] != "first" || prev["updated_at"] == "" || len(prev) != 3 {
			t.Errorf("previous %v, want the notes it had and updated_at", prev)
		}
		if rest.HasMore || rest.NextCursor == "" {
			t.Errorf("last page %+v: want no more, and a cursor to poll from", rest)
		}
		if again := e.events(e.alpha, "?cursor="+rest.NextCursor); len(again.Events) != 0 {
			t.Errorf("polling after the last page gave %d events", len(again.Events))
		}
		one := e.do(request{method: "GET", path: "/v1/events/" + all[1].ID, as: e.alpha})
		if one.status != http.StatusOK || one.json["event"].(map[string]any)["id"] != all[1].ID {
			t.Errorf("GET one event: %d %s", one.status, one.body)
		}
		for _, r := range []request{
			{method: "GET", path: "/v1/events/" + all[1].ID, as: e.beta},
			{method: "GET", path: "/v1/events/" + all[1].ID, as: e.alpha, mode: fatora.ModeLive},
			{method: "GET", path: "/v1/events/evt_nothing", as: e.alpha},
		} {
			if got := e.do(r); got.status != http.StatusNotFound {
				t.Errorf("%s as another: %d", r.path, got.status)
			}
		}
		if other := e.events(e.beta, ""); len(other.Events) != 0 {
			t.Errorf("beta sees %d of alpha's events", len(other.Events))
		}
		if got := e.events(e.alpha, "?type=client.updated&client_id="+fmt.Sprint(id)); len(got.Events) != 1 {
			t.Errorf("type and client filters: %d events", len(got.Events))
		}
	})
}

func TestEventsQueryRefusals(t *testing.T) {
	e := newEnv(t, apitest.SQLite())
	for _, q := range []string{"?limit=0", "?limit=101", "?limit=x", "?type=client.exploded", "?client_id=-1",
		"?created_after=yesterday", "?cursor=bogus", "?page=1", "?limit=1&limit=2"} {
		if got := e.do(request{method: "GET", path: "/v1/events" + q, as: e.alpha}); got.status != http.StatusBadRequest || got.code() != "invalid_query" {
			t.Errorf("GET /v1/events%s: %d %s", q, got.status, got.body)
		}
	}
}

// TestEventCursorNeverSkips: many writers change clients through two
// servers on one database while a reader pages through the events with
// cursors, from either server: it must see every event exactly once. On
// PostgreSQL transactions commit out of the order their events were
// numbered in, which a cursor on the number alone would skip.
func TestEventCursorNeverSkips(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			var st apitest.Store
			if kind == "sqlite" {
				st = apitest.SQLiteAt("sqlite", filepath.Join(t.TempDir(), "shared.db"))
			} else {
				st = apitest.PostgreSQLAt("postgres", testenv.PostgresSchema(t), 16)
			}
			a, b := apitest.New(t, apitest.Options{Store: st}), apitest.New(t, apitest.Options{Store: st})
			m := a.NewMerchant("alpha")
			servers := []serverAs{{a, m.Tokens[fatora.ModeTest]}, {b, b.Authorize(m.Keys[fatora.ModeTest])}}
			writes := writeConcurrently(t, servers, 16, 25)
			seen := readAllEvents(t, servers, writes)
			if len(seen) != int(writes.n) {
				t.Errorf("the reader saw %d events, %d changes were made", len(seen), writes.n)
			}
			for id, n := range seen {
				if n != 1 {
					t.Errorf("event %s seen %d times", id, n)
				}
			}
		})
	}
}

// serverAs is a server and a bearer token for it.
type serverAs struct {
	env   *apitest.Env
	token string
}

func (s serverAs) call(t testing.TB, method, path, body string) (int, []byte) {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+s.token)
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	s.env.Handler.ServeHTTP(rec, r)
	return rec.Code, rec.Body.Bytes()
}

// writes counts the changes made, and closes done when the writers end.
type writes struct {
	mu   sync.Mutex
	n    int64
	done chan struct{}
}

// writeConcurrently starts writers that each create clients on alternate
// servers, updating every other one.
func writeConcurrently(t *testing.T, servers []serverAs, writers, each int) *writes {
	w := &writes{done: make(chan struct{})}
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			for j := range each {
				s := servers[(i+j)%2]
				status, body := s.call(t, "POST", "/v1/clients", fmt.Sprintf(`{"name":"w%d-%d"}`, i, j))
				made := int64(0)
				if status == http.StatusCreated {
					made++
					var c struct{ Client struct{ ID int64 } }
					json.Unmarshal(body, &c)
					if j%2 == 0 {
						if st, _ := servers[(i+j+1)%2].call(t, "PATCH", fmt.Sprint("/v1/clients/", c.Client.ID), `{"notes":"n"}`); st == http.StatusOK {
							made++
						}
					}
				} else {
					t.Errorf("create: %d %s", status, body)
				}
				w.mu.Lock()
				w.n += made
				w.mu.Unlock()
			}
		})
	}
	go func() { wg.Wait(); close(w.done) }()
	return w
}

// readAllEvents pages through the events, on alternate servers, until the
// writers are done and a page says no more follow.
func readAllEvents(t *testing.T, servers []serverAs, w *writes) map[string]int {
	seen := map[string]int{}
	cursor := ""
	for i := 0; ; i++ {
		finished := false
		select {
		case <-w.done:
			finished = true
		default:
		}
		status, body := servers[i%2].call(t, "GET", "/v1/events?limit=7&cursor="+cursor, "")
		var page eventList
		if err := json.Unmarshal(body, &page); status != http.StatusOK || err != nil {
			t.Fatalf("GET /v1/events: %d %s", status, body)
		}
		for _, ev := range page.Events {
			seen[ev.ID]++
		}
		cursor = page.NextCursor
		if finished && !page.HasMore {
			return seen
		}
	}
}
