package main

import (
	"fmt"
	"maps"
	"reflect"
)

// result is what a run found.
type result struct {
	attempted      int // logical creates
	acked          int // ended acknowledged
	ackedOnRetry   int // of which only when retried after the faults
	refused        int // ended refused
	refusedOnRetry int // of which only when retried
	indeterminate  int // whose first attempt was indeterminate
	replayed       int // acknowledged by a replayed 201 (an earlier attempt had committed)
	unresolved     int // still indeterminate after every retry
	deleted        int // acknowledged deletes (the mix's steps)
	restored       int // acknowledged restores

	lost              int // acknowledged, then missing or different in the list
	duplicated        int // listed more than once
	unexpected        int // listed, but asked for by no operation of that merchant
	refusedButPresent int // refused, yet listed

	kills, pgRestarts, selfExits int
	pgNote                       string
	statuses                     map[string]int // every attempt's status or failure kind
	exitAfterTerm                string         // how the last incarnation ended on SIGTERM
	internalErrors               []string       // the server's 500s, from its log
	integrityChecked             bool
	integrity                    string   // PRAGMA integrity_check, when checked
	problems                     []string // the first anomalies, described

	webhooksChecked bool
	delivered       int // client.created events delivered
	undelivered     int // committed clients whose event never arrived
	phantom         int // delivered events naming no committed client, or breaking the contract
	webhookAttempts int // deliveries the receiver got, retries included
	failedOnPurpose int // events whose first attempt the receiver failed
}

// failed reports whether the run found a fault.
func (r result) failed() bool {
	return r.lost+r.duplicated+r.unexpected+r.refusedButPresent+r.unresolved+r.undelivered+r.phantom > 0 ||
		(r.integrityChecked && r.integrity != "ok")
}

// maxProblems bounds how many anomalies are described one by one.
const maxProblems = 20

func (r *result) problem(format string, args ...any) {
	if len(r.problems) < maxProblems {
		r.problems = append(r.problems, fmt.Sprintf(format, args...))
	}
}

// judge compares the operations with what each merchant's list holds.
func judge(ops []*op, lists [][]listed) result {
	var r result
	r.tally(ops)
	byName := make(map[string]*op, len(ops))
	for _, o := range ops {
		byName[o.name] = o
	}
	found := r.match(byName, lists)
	for _, o := range ops {
		r.checkOp(o, found[o.name])
	}
	return r
}

// tally counts the operations by outcome.
func (r *result) tally(ops []*op) {
	r.attempted = len(ops)
	for _, o := range ops {
		retried := o.first == indeterminate
		if retried {
			r.indeterminate++
		}
		switch o.final {
		case acknowledged:
			r.acked++
			r.ackedOnRetry += b2i(retried)
			r.replayed += b2i(o.replayed)
		case refused:
			r.refused++
			r.refusedOnRetry += b2i(retried)
		default:
			r.unresolved++
			r.problem("unresolved: %s after %d attempts: %s", o.name, o.attempts, o.last)
		}
		if o.final == acknowledged {
			r.tallySteps(o)
		}
	}
}

// tallySteps counts an acknowledged create's delete and restore: a step
// still indeterminate is unresolved, and one refused lost the client it
// was acknowledged on.
func (r *result) tallySteps(o *op) {
	for _, s := range o.steps() {
		switch {
		case !s.wanted:
		case s.final == acknowledged:
			r.deleted += b2i(s == &o.del)
			r.restored += b2i(s == &o.res)
		case s.attempts > 0 && s.final == refused:
			r.lost++
			r.problem("lost: %s (client %d): %s %s refused: %s", o.name, o.id, s.method, s.suffix, s.last)
			return
		default:
			r.unresolved++
			r.problem("unresolved: %s client%s of %s after %d attempts: %s", s.method, s.suffix, o.name, s.attempts, s.last)
			return
		}
	}
}

// match assigns each listed client to the operation that asked for it, by
// name; a client no operation of its merchant asked for is unexpected.
func (r *result) match(byName map[string]*op, lists [][]listed) map[string][]listed {
	found := map[string][]listed{}
	for m, list := range lists {
		for _, c := range list {
			o := byName[c.name]
			switch {
			case o == nil:
				r.unexpected++
				r.problem("unexpected: merchant %d lists client %d %q, which no operation asked for", m, c.id, c.name)
			case o.merchant != m:
				r.unexpected++
				r.problem("unexpected: merchant %d lists client %d %q, created by merchant %d", m, c.id, c.name, o.merchant)
			default:
				found[c.name] = append(found[c.name], c)
			}
		}
	}
	return found
}

// checkOp holds one operation to what the list shows for its name.
func (r *result) checkOp(o *op, cs []listed) {
	if len(cs) > 1 {
		r.duplicated++
		r.problem("duplicated: %s is listed %d times (ids %v)", o.name, len(cs), ids(cs))
	}
	switch o.final {
	case acknowledged:
		if !holds(cs, o) {
			r.lost++
			r.problem("lost: %s acknowledged as client %d %v; listed as %v", o.name, o.id, o.client, clients(cs))
		}
	case refused:
		if len(cs) > 0 {
			r.refusedButPresent++
			r.problem("refused but present: %s was refused (%s), yet listed as %v", o.name, o.last, ids(cs))
		}
	}
}

// holds reports whether one of the listed clients equals the acknowledged
// one, member for member (id and timestamps included, deleted_at apart),
// in the list the operation's steps put it in (either, when a step is
// unresolved or refused: that is counted already).
func holds(cs []listed, o *op) bool {
	settled := (!o.del.wanted || o.del.final == acknowledged) && (!o.res.wanted || o.res.final == acknowledged)
	for _, c := range cs {
		fields := maps.Clone(c.client)
		delete(fields, "deleted_at")
		if c.id == o.id && reflect.DeepEqual(fields, o.client) && (!settled || c.deleted == o.wantDeleted()) {
			return true
		}
	}
	return false
}

func ids(cs []listed) []int64 {
	var out []int64
	for _, c := range cs {
		out = append(out, c.id)
	}
	return out
}

func clients(cs []listed) []map[string]any {
	var out []map[string]any
	for _, c := range cs {
		out = append(out, c.client)
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
