package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fatora-oss/fatora/webhook"
)

// The webhook mode (--webhooks): every merchant has an endpoint at a
// receiver of this process, which checks each delivery's signature and
// fails the first attempt of one event in failEvery on purpose. After the
// faults, every committed client's client.created event must have been
// delivered (0 lost) and every delivered event must name a committed
// client of its merchant (0 phantom).

// failEvery: the receiver answers 500 to the first attempt of one event
// in failEvery (chosen by a hash of its id, so a retry after a kill is
// still the same choice).
const failEvery = 5

// receiver is the merchants' webhook endpoints.
type receiver struct {
	srv *http.Server
	url string

	mu        sync.Mutex
	secrets   []string           // by merchant
	delivered []map[string]int64 // by merchant: event id -> client id
	attempts  int                // deliveries received
	failed    map[string]bool    // event ids failed on purpose
	bad       []string           // deliveries that broke the contract
}

func startReceiver(merchants int) (*receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &receiver{url: "http://" + ln.Addr().String(), secrets: make([]string, merchants), failed: map[string]bool{}}
	for range merchants {
		r.delivered = append(r.delivered, map[string]int64{})
	}
	r.srv = &http.Server{Handler: r, ReadHeaderTimeout: 5 * time.Second}
	go r.srv.Serve(ln)
	return r, nil
}

func (r *receiver) close() { r.srv.Close() }

// ServeHTTP takes a delivery to /hook/<merchant index>.
func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	i, err := strconv.Atoi(strings.TrimPrefix(req.URL.Path, "/hook/"))
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts++
	if err != nil || i < 0 || i >= len(r.delivered) {
		r.bad = append(r.bad, "a delivery to "+req.URL.Path)
		w.WriteHeader(http.StatusNotFound)
		return
	}
	var ev struct {
		ID, Type string
		Data     struct{ Client struct{ ID int64 } }
	}
	id, ts := req.Header.Get(webhook.HeaderID), req.Header.Get(webhook.HeaderTimestamp)
	sec, _ := strconv.ParseInt(ts, 10, 64)
	want, _ := webhook.Signature([]string{r.secrets[i]}, id, time.Unix(sec, 0), body)
	if json.Unmarshal(body, &ev) != nil || ev.ID != id || !strings.Contains(req.Header.Get(webhook.HeaderSignature), want) {
		r.bad = append(r.bad, fmt.Sprintf("delivery %s: bad body or signature", id))
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	if h.Sum32()%failEvery == 0 && !r.failed[id] {
		r.failed[id] = true
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	if ev.Type == "client.created" {
		r.delivered[i][id] = ev.Data.Client.ID
	}
	w.WriteHeader(http.StatusNoContent)
}

// registerEndpoints gives each merchant an endpoint at the receiver.
func (r *receiver) registerEndpoints(ctx context.Context, cl *api, merchants []merchant) error {
	for i, m := range merchants {
		body := fmt.Sprintf(`{"url":"%s/hook/%d","events":["client.created"]}`, r.url, i)
		var a answer
		for range 30 {
			if a = cl.patient(10*time.Second).do(ctx, http.MethodPost, "/v1/webhook_endpoints", bytes.NewReader([]byte(body)),
				"api_key", m.apiKey, "Content-Type", "application/json"); a.status == http.StatusCreated || !sleep(ctx, time.Second) {
				break
			}
		}
		var created struct {
			Endpoint struct{ Secret string } `json:"webhook_endpoint"`
		}
		if err := json.Unmarshal(a.body, &created); a.status != http.StatusCreated || err != nil {
			return fmt.Errorf("registering %s's endpoint: %s", m.name, describe(a))
		}
		r.mu.Lock()
		r.secrets[i] = created.Endpoint.Secret
		r.mu.Unlock()
	}
	return nil
}

// missing counts the listed clients whose event has not arrived.
func (r *receiver) missing(lists [][]listed) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for i, list := range lists {
		got := map[int64]bool{}
		for _, id := range r.delivered[i] {
			got[id] = true
		}
		for _, c := range list {
			if !got[c.id] {
				n++
			}
		}
	}
	return n
}

// awaitDeliveries waits until every listed client's event has arrived, or
// for at most limit (a delivery claimed by a killed server waits for its
// lease to run out).
func (r *receiver) awaitDeliveries(ctx context.Context, lists [][]listed, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for r.missing(lists) > 0 && time.Now().Before(deadline) && sleep(ctx, 200*time.Millisecond) {
	}
}

// judgeWebhooks counts lost and phantom events into res.
func (r *receiver) judgeWebhooks(lists [][]listed, res *result) {
	res.webhooksChecked, res.undelivered = true, r.missing(lists)
	r.mu.Lock()
	defer r.mu.Unlock()
	res.webhookAttempts, res.failedOnPurpose = r.attempts, len(r.failed)
	for i, list := range lists {
		committed := map[int64]bool{}
		for _, c := range list {
			committed[c.id] = true
		}
		for id, client := range r.delivered[i] {
			res.delivered++
			if !committed[client] {
				res.phantom++
				res.problems = append(res.problems, fmt.Sprintf("event %s names client %d, which %s does not have", id, client, fixedMerchants[i].name))
			}
		}
	}
	for _, b := range r.bad {
		res.problems = append(res.problems, b)
	}
	res.phantom += len(r.bad)
}
