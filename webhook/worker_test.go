package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/internal/apitest"
	"github.com/fatora-oss/fatora/internal/testenv"
	"github.com/fatora-oss/fatora/webhook"
)

// receiver is a merchant's endpoint in a test: it verifies every
// signature with the Standard Webhooks reference library, for each secret
// it holds, and answers with what status says.
type receiver struct {
	t       testing.TB
	mu      sync.Mutex
	secrets []string
	// strict checks the timestamp too (the clock must then be near now).
	strict bool
	got    []received
	status func(n int) int // the answer to the n-th delivery, from 0
}

type received struct {
	id, typ  string
	clientID int64
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, s := range rc.secrets {
		wh, err := standardwebhooks.NewWebhook(s)
		if err == nil && rc.strict {
			err = wh.Verify(body, r.Header)
		} else if err == nil {
			err = wh.VerifyIgnoringTimestamp(body, r.Header)
		}
		if err != nil {
			rc.t.Errorf("a receiver holding one of the secrets refused the delivery: %v", err)
		}
	}
	var ev struct {
		ID   string `json:"id"`
		Type string `json:"type"`
		Data struct {
			Client struct{ ID int64 } `json:"client"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &ev); err != nil || ev.ID != r.Header.Get("webhook-id") {
		rc.t.Errorf("body %s with webhook-id %q", body, r.Header.Get("webhook-id"))
	}
	n := len(rc.got)
	rc.got = append(rc.got, received{ev.ID, ev.Type, ev.Data.Client.ID})
	w.WriteHeader(rc.status(n))
}

func (rc *receiver) deliveries() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// fixture is an API with a merchant, an endpoint at a receiver and a
// delivery loop on the API's clock.
type fixture struct {
	env      *apitest.Env
	m        *apitest.Merchant
	rc       *receiver
	worker   *webhook.Worker
	endpoint map[string]any
}

func newFixture(t testing.TB, st apitest.Store, status func(int) int) *fixture {
	f := &fixture{env: apitest.New(t, apitest.Options{Store: st})}
	f.m = f.env.NewMerchant("alpha")
	f.rc = &receiver{t: t, status: status, strict: true}
	srv := httptest.NewServer(f.rc)
	t.Cleanup(srv.Close)
	f.endpoint = f.call(t, "POST", "/v1/webhook_endpoints", `{"url":"`+srv.URL+`/hook"}`, http.StatusCreated)["webhook_endpoint"].(map[string]any)
	f.rc.secrets = []string{f.endpoint["secret"].(string)}
	f.worker = &webhook.Worker{Queue: f.env.Services.Deliveries, Client: webhook.NewHTTPClient(webhook.Targets{AllowPrivate: true}),
		Render: httpapi.EventJSON, Now: f.env.Clock.Now, Jitter: func() float64 { return 0 }}
	return f
}

func (f *fixture) call(t testing.TB, method, path, body string, want int) map[string]any {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("api_key", f.m.Keys[fatora.ModeTest]) // a token would expire as the clock runs days ahead
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	f.env.Handler.ServeHTTP(rec, r)
	if rec.Code != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, rec.Code, rec.Body, want)
	}
	var out map[string]any
	json.Unmarshal(rec.Body.Bytes(), &out)
	return out
}

// drain runs the delivery loop until nothing is due, and returns how many
// attempts it made.
func (f *fixture) drain(t testing.TB) int {
	t.Helper()
	total := 0
	for {
		n, err := f.worker.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return total
		}
		total += n
	}
}

func TestEveryEventDeliveredInOrderPerClient(t *testing.T) {
	apitest.EachStore(t, func(t *testing.T, st apitest.Store) {
		f := newFixture(t, st, func(n int) int {
			if n%3 == 1 {
				return http.StatusInternalServerError // every third delivery fails once
			}
			return http.StatusNoContent
		})
		f.rc.strict = false // the clock runs hours ahead of the signature check's
		var ids []int64
		for i := range 4 {
			c := f.call(t, "POST", "/v1/clients", fmt.Sprintf(`{"name":"Client %d"}`, i), http.StatusCreated)
			ids = append(ids, int64(c["client"].(map[string]any)["id"].(float64)))
		}
		for round := range 3 {
			for _, id := range ids {
				f.call(t, "PATCH", fmt.Sprint("/v1/clients/", id), fmt.Sprintf(`{"notes":"round %d"}`, round), http.StatusOK)
			}
		}
		f.call(t, "DELETE", fmt.Sprint("/v1/clients/", ids[0]), "", http.StatusNoContent)
		for range 12 {
			f.drain(t)
			f.env.Clock.Advance(2 * time.Hour) // the fifth retry's wait
		}
		want := map[int64][]string{}
		events := f.call(t, "GET", "/v1/events?limit=100", "", http.StatusOK)["events"].([]any)
		for _, e := range events {
			ev := e.(map[string]any)
			id := int64(ev["data"].(map[string]any)["client"].(map[string]any)["id"].(float64))
			want[id] = append(want[id], ev["id"].(string))
		}
		got := map[int64][]string{}
		for _, d := range f.rc.deliveries() {
			if l := got[d.clientID]; len(l) == 0 || l[len(l)-1] != d.id { // a retry repeats the last one
				got[d.clientID] = append(got[d.clientID], d.id)
			}
		}
		if len(events) != 17 {
			t.Fatalf("%d events, want 17", len(events))
		}
		for id, w := range want {
			if strings.Join(got[id], " ") != strings.Join(w, " ") {
				t.Errorf("client %d: delivered in the order\n%v\nwant\n%v", id, got[id], w)
			}
		}
	})
}

func TestRetryScheduleOnFailures(t *testing.T) {
	apitest.EachStore(t, func(t *testing.T, st apitest.Store) {
		f := newFixture(t, st, func(int) int { return http.StatusInternalServerError })
		f.rc.strict = false // the clock runs days ahead of the signature check's
		f.call(t, "POST", "/v1/clients", `{"name":"Failing"}`, http.StatusCreated)
		if n := f.drain(t); n != 1 {
			t.Fatalf("first round made %d attempts, want 1", n)
		}
		for i, wait := range fatora.RetrySchedule {
			f.env.Clock.Advance(wait - time.Millisecond)
			if n := f.drain(t); n != 0 {
				t.Fatalf("retry %d came %v early", i+1, time.Millisecond)
			}
			f.env.Clock.Advance(time.Millisecond)
			if n := f.drain(t); n != 1 {
				t.Fatalf("retry %d: %d attempts after %v, want 1", i+1, n, wait)
			}
		}
		f.env.Clock.Advance(48 * time.Hour)
		if n := f.drain(t); n != 0 {
			t.Errorf("%d attempts after the last retry", n)
		}
		list := f.call(t, "GET", "/v1/webhook_endpoints/"+f.endpoint["id"].(string)+"/deliveries?limit=100", "", http.StatusOK)
		attempts := list["deliveries"].([]any)
		if len(attempts) != len(fatora.RetrySchedule)+1 {
			t.Errorf("%d attempts kept, want %d", len(attempts), len(fatora.RetrySchedule)+1)
		}
		last := attempts[0].(map[string]any)
		if last["status"] != float64(500) || last["error"] != "answered 500" || last["attempt"] != float64(10) {
			t.Errorf("last attempt %v", last)
		}
	})
}

func TestTimeoutIsRetried(t *testing.T) {
	f := newFixture(t, apitest.SQLite(), func(int) int { return http.StatusOK })
	slow := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-slow }))
	defer srv.Close()
	defer close(slow)
	f.call(t, "PATCH", "/v1/webhook_endpoints/"+f.endpoint["id"].(string), `{"url":"`+srv.URL+`"}`, http.StatusOK)
	f.worker.Client.Timeout = 50 * time.Millisecond
	f.call(t, "POST", "/v1/clients", `{"name":"Slow"}`, http.StatusCreated)
	f.drain(t)
	f.env.Clock.Advance(fatora.RetrySchedule[0])
	if n := f.drain(t); n != 1 {
		t.Fatalf("%d attempts 5 s after a timeout, want 1", n)
	}
	list := f.call(t, "GET", "/v1/webhook_endpoints/"+f.endpoint["id"].(string)+"/deliveries", "", http.StatusOK)
	if a := list["deliveries"].([]any)[0].(map[string]any); a["status"] != float64(0) || !strings.HasPrefix(a["error"].(string), "no answer") {
		t.Errorf("attempt after a timeout: %v", a)
	}
}

func TestGoneDisablesEndpoint(t *testing.T) {
	apitest.EachStore(t, func(t *testing.T, st apitest.Store) {
		f := newFixture(t, st, func(int) int { return http.StatusGone })
		f.call(t, "POST", "/v1/clients", `{"name":"One"}`, http.StatusCreated)
		f.call(t, "POST", "/v1/clients", `{"name":"Two"}`, http.StatusCreated)
		f.worker.Batch = 1
		f.drain(t)
		if got := len(f.rc.deliveries()); got != 1 {
			t.Errorf("%d deliveries after a 410, want 1", got)
		}
		ep := f.call(t, "GET", "/v1/webhook_endpoints/"+f.endpoint["id"].(string), "", http.StatusOK)["webhook_endpoint"].(map[string]any)
		if ep["enabled"] != false || !strings.Contains(ep["disabled_reason"].(string), "410") {
			t.Errorf("after a 410 the endpoint is %v", ep)
		}
	})
}

func TestRotatedSecretsBothSign(t *testing.T) {
	f := newFixture(t, apitest.SQLite(), func(int) int { return http.StatusOK })
	old := f.rc.secrets[0]
	rotated := f.call(t, "POST", "/v1/webhook_endpoints/"+f.endpoint["id"].(string)+"/rotate_secret", "", http.StatusOK)
	fresh := rotated["webhook_endpoint"].(map[string]any)["secret"].(string)
	if fresh == old || !strings.HasPrefix(fresh, "whsec_") {
		t.Fatalf("rotated secret %q", fresh)
	}
	f.rc.secrets = []string{old, fresh} // a receiver holding either accepts
	f.call(t, "POST", "/v1/clients", `{"name":"Rotated"}`, http.StatusCreated)
	f.drain(t)
	f.env.Clock.Advance(fatora.SecretOverlap)
	f.rc.secrets, f.rc.strict = []string{fresh}, false
	f.call(t, "POST", "/v1/webhook_endpoints/"+f.endpoint["id"].(string)+"/test", "", http.StatusAccepted)
	f.drain(t)
	if got := f.rc.deliveries(); len(got) != 2 || got[1].typ != "webhook.test" {
		t.Fatalf("deliveries %+v", got)
	}
}

// TestTwoServersDeliverEachOnce: two delivery loops on two servers of one
// database claim at the same time; a receiver that accepts everything gets
// each event exactly once, so no attempt was made twice.
func TestTwoServersDeliverEachOnce(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			st := apitest.SQLiteAt("sqlite", t.TempDir()+"/shared.db")
			if kind == "postgres" {
				st = apitest.PostgreSQLAt("postgres", testenv.PostgresSchema(t), 8)
			}
			f := newFixture(t, st, func(int) int { return http.StatusOK })
			other := apitest.New(t, apitest.Options{Store: st, Start: f.env.Clock.Now()})
			second := *f.worker
			second.Queue, second.Batch, f.worker.Batch = other.Services.Deliveries, 4, 4
			const clients = 60
			for i := range clients {
				f.call(t, "POST", "/v1/clients", fmt.Sprintf(`{"name":"Client %d"}`, i), http.StatusCreated)
			}
			var wg sync.WaitGroup
			for _, w := range []*webhook.Worker{f.worker, &second} {
				wg.Go(func() {
					for {
						if n, err := w.RunOnce(context.Background()); err != nil || n == 0 {
							return
						}
					}
				})
			}
			wg.Wait()
			counts := map[string]int{}
			for _, d := range f.rc.deliveries() {
				counts[d.id]++
			}
			if len(counts) != clients {
				t.Errorf("%d events delivered, want %d", len(counts), clients)
			}
			for id, n := range counts {
				if n != 1 {
					t.Errorf("event %s delivered %d times", id, n)
				}
			}
		})
	}
}
