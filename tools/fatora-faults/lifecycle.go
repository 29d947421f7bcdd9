package main

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// step is a delete or a restore of an acknowledged client, part of the
// mix: sent with its own idempotency key, and after the faults again until
// it gets a definite answer.
type step struct {
	wanted   bool
	method   string
	suffix   string // after /v1/clients/{id}
	want     int    // the status that acknowledges it
	key      string
	attempts int
	final    outcome
	last     string
}

// Every deleteEvery-th operation deletes its client once created, and
// every restoreEvery-th (a multiple) restores it after.
const (
	deleteEvery  = 4
	restoreEvery = 8
)

// planSteps gives the operation of a worker's seq-th create its delete and
// restore, if the mix has them for it.
func (o *op) planSteps(seq int) {
	o.del = step{wanted: seq%deleteEvery == 1, method: http.MethodDelete, want: http.StatusNoContent, key: o.idemKey + "-delete"}
	o.res = step{wanted: seq%restoreEvery == 1, method: http.MethodPost, suffix: "/restore", want: http.StatusOK,
		key: o.idemKey + "-restore"}
}

// steps returns the steps in the order they are made.
func (o *op) steps() []*step { return []*step{&o.del, &o.res} }

// advance sends the operation's steps that are due: none before the create
// is acknowledged, and each only once the one before is. It reports
// whether one stayed indeterminate.
func (o *op) advance(ctx context.Context, cl *api, apiKey string, st *stats) bool {
	if o.final != acknowledged {
		return false
	}
	for _, s := range o.steps() {
		if !s.wanted || s.final == acknowledged {
			continue
		}
		if s.attempts > 0 && s.final == refused {
			return false
		}
		a := cl.do(ctx, s.method, "/v1/clients/"+strconv.FormatInt(o.id, 10)+s.suffix, nil,
			"api_key", apiKey, "Idempotency-Key", s.key)
		s.record(a)
		st.noteStatus(a)
		if s.final != acknowledged {
			return s.final == indeterminate
		}
	}
	return false
}

// record takes the answer to an attempt of the step: its own success
// status acknowledges it; other answers are sorted as a create's are.
func (s *step) record(a answer) {
	s.attempts++
	s.final, s.last = classify(a), describe(a)
	if a.err == nil && a.status == s.want {
		s.final = acknowledged
	} else if s.final == acknowledged {
		s.final = refused // a 201 answers no delete or restore
	}
}

// pending reports whether a planned step has not been acknowledged or
// refused.
func (o *op) pending() bool {
	if o.final != acknowledged {
		return false
	}
	for _, s := range o.steps() {
		if s.wanted && s.final != acknowledged {
			return s.attempts == 0 || s.final == indeterminate
		}
	}
	return false
}

// wantDeleted reports whether the client should be in the list of deleted
// clients: deleted, and not restored.
func (o *op) wantDeleted() bool { return o.del.wanted && !o.res.wanted }

// resolveSteps makes every pending step, after the creates are resolved,
// n operations at a time, each with backoff until it gets a definite
// answer or runs out of attempts.
func resolveSteps(ctx context.Context, cl *api, merchants []merchant, ops []*op, n int, st *stats) {
	patient := cl.patient(resolveTimeout)
	todo := make(chan *op)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for o := range todo {
				pause := 100 * time.Millisecond
				for i := 0; i < resolveAttempts && o.pending(); i++ {
					if o.advance(ctx, patient, merchants[o.merchant].apiKey, st) && !sleep(ctx, pause) {
						break
					}
					pause = min(2*pause, resolveMaxPause)
				}
			}
		})
	}
	for _, o := range ops {
		if o.pending() {
			todo <- o
		}
	}
	close(todo)
	wg.Wait()
}
