package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// outcome is what an operation is known to have done.
type outcome int

const (
	// indeterminate: no answer, a 5xx, 408, 429 or 409 in progress; the
	// client may or may not exist.
	indeterminate outcome = iota
	// acknowledged: 201 with the client.
	acknowledged
	// refused: a definite 4xx; the client must not exist.
	refused
)

// op is one logical create: a unique name and its own idempotency key,
// sent once by a worker and, if indeterminate, again after the faults.
type op struct {
	merchant int // index into the run's merchants
	idemKey  string
	name     string
	body     []byte

	attempts int
	first    outcome // of the first attempt
	final    outcome // of the last attempt
	client   map[string]any
	id       int64
	replayed bool   // the acknowledging 201 was a replay
	last     string // the last answer, for messages

	// del and res delete and then restore the client, when the mix has
	// them for this operation (see planSteps).
	del, res step
}

func newOp(worker, seq, merchant int, runID string) *op {
	name := fmt.Sprintf("w%d-%06d-%s", worker, seq, runID)
	body, _ := json.Marshal(map[string]string{"name": name, "email": name + "@example.com", "notes": "fatora-faults run " + runID})
	o := &op{merchant: merchant, idemKey: "faults-" + name, name: name, body: body}
	o.planSteps(seq)
	return o
}

// record takes the answer to an attempt.
func (o *op) record(a answer) {
	o.attempts++
	o.final, o.last = classify(a), describe(a)
	if o.final == acknowledged {
		if err := o.takeClient(a.body); err != nil {
			o.final, o.last = indeterminate, "201 with an unreadable body: "+err.Error()
		}
		o.replayed = a.replayed
	}
	if o.attempts == 1 {
		o.first = o.final
	}
}

// classify sorts an answer into the three outcomes of the set test.
func classify(a answer) outcome {
	switch {
	case a.err != nil:
		return indeterminate
	case a.status == http.StatusCreated:
		return acknowledged
	case a.status == http.StatusRequestTimeout, a.status == http.StatusTooManyRequests:
		return indeterminate
	case a.status == http.StatusConflict && a.code == "idempotency_in_progress":
		return indeterminate
	case a.status >= 400 && a.status < 500:
		return refused
	default:
		return indeterminate
	}
}

func describe(a answer) string {
	if a.err != nil {
		return a.err.Error()
	}
	return fmt.Sprintf("%d %s", a.status, bytes.TrimSpace(a.body))
}

// takeClient keeps the client object of a 201's body.
func (o *op) takeClient(body []byte) error {
	var resp struct {
		Client json.RawMessage `json:"client"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return err
	}
	c, id, err := decodeClient(resp.Client)
	if err != nil {
		return err
	}
	o.client, o.id = c, id
	return nil
}

// decodeClient reads a client object as generic JSON (numbers kept exact)
// and its id.
func decodeClient(raw json.RawMessage) (map[string]any, int64, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var c map[string]any
	if err := dec.Decode(&c); err != nil {
		return nil, 0, err
	}
	n, ok := c["id"].(json.Number)
	if !ok {
		return nil, 0, errors.New("the client has no numeric id")
	}
	id, err := n.Int64()
	return c, id, err
}

// runWorkers runs n workers until load ends and returns every operation
// they made. Requests run under ctx, so the last ones finish after load.
func runWorkers(ctx, load context.Context, cl *api, merchants []merchant, n int, runID string, st *stats) []*op {
	per := make([][]*op, n)
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() { per[w] = work(ctx, load, cl, w, merchants, runID, st) })
	}
	wg.Wait()
	var all []*op
	for _, ops := range per {
		all = append(all, ops...)
	}
	return all
}

// work is one worker: it creates clients for its merchant one after
// another, pausing briefly after an indeterminate answer so a dead server
// is not flooded.
func work(ctx, load context.Context, cl *api, worker int, merchants []merchant, runID string, st *stats) []*op {
	m := worker % len(merchants)
	var ops []*op
	for seq := 0; load.Err() == nil; seq++ {
		o := newOp(worker, seq, m, runID)
		a := cl.create(ctx, merchants[m].apiKey, o.idemKey, o.body)
		o.record(a)
		st.note(a, o.final)
		ops = append(ops, o)
		if o.final == indeterminate || o.advance(ctx, cl, merchants[m].apiKey, st) {
			sleep(load, time.Duration(20+rand.IntN(80))*time.Millisecond)
		}
	}
	return ops
}

func countOutcome(ops []*op, want outcome) int {
	n := 0
	for _, o := range ops {
		if o.final == want {
			n++
		}
	}
	return n
}
