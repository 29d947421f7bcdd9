package main

import (
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestClassify holds the sorting of answers to the set test's rules.
func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		a    answer
		want outcome
	}{
		{"201", answer{status: http.StatusCreated}, acknowledged},
		{"no answer", answer{err: errors.New("connection refused")}, indeterminate},
		{"503", answer{status: http.StatusServiceUnavailable, code: "unavailable"}, indeterminate},
		{"500", answer{status: http.StatusInternalServerError, code: "internal"}, indeterminate},
		{"409 in progress", answer{status: http.StatusConflict, code: "idempotency_in_progress"}, indeterminate},
		{"408", answer{status: http.StatusRequestTimeout}, indeterminate},
		{"429", answer{status: http.StatusTooManyRequests}, indeterminate},
		{"409 duplicate", answer{status: http.StatusConflict, code: "duplicate_client"}, refused},
		{"400", answer{status: http.StatusBadRequest, code: "invalid_field"}, refused},
		{"422", answer{status: http.StatusUnprocessableEntity, code: "idempotency_key_reused"}, refused},
	}
	for _, tt := range tests {
		if got := classify(tt.a); got != tt.want {
			t.Errorf("%s: classify = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestJudge feeds judge operations and lists with one anomaly each and
// checks that each is counted where it belongs.
func TestJudge(t *testing.T) {
	acked := func(m int, name string, id int64) *op {
		return &op{merchant: m, name: name, first: acknowledged, final: acknowledged, id: id, client: client(id, name, "t1")}
	}
	row := func(id int64, name, updated string) listed {
		return listed{id: id, name: name, client: client(id, name, updated)}
	}
	ops := []*op{
		acked(0, "kept", 1),
		acked(0, "missing", 2),
		acked(0, "changed", 3),
		acked(1, "twice", 4),
		{merchant: 0, name: "refused", first: refused, final: refused},
		{merchant: 1, name: "open", first: indeterminate, final: indeterminate},
		{merchant: 1, name: "elsewhere", first: indeterminate, final: acknowledged, id: 9, client: client(9, "elsewhere", "t1")},
	}
	lists := [][]listed{
		{row(1, "kept", "t1"), row(3, "changed", "t2"), row(5, "refused", "t1"), row(6, "stranger", "t1"), row(9, "elsewhere", "t1")},
		{row(4, "twice", "t1"), row(7, "twice", "t1")},
	}
	r := judge(ops, lists)
	got := map[string]int{"attempted": r.attempted, "acked": r.acked, "ackedOnRetry": r.ackedOnRetry, "refused": r.refused,
		"unresolved": r.unresolved, "lost": r.lost, "duplicated": r.duplicated, "unexpected": r.unexpected, "refusedButPresent": r.refusedButPresent}
	want := map[string]int{"attempted": 7, "acked": 5, "ackedOnRetry": 1, "refused": 1,
		"unresolved": 1, "lost": 3, "duplicated": 1, "unexpected": 2, "refusedButPresent": 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("judge (-want +got):\n%s\nproblems: %q", diff, r.problems)
	}
	if !r.failed() {
		t.Error("failed() = false for a run with anomalies")
	}
}

func client(id int64, name, updated string) map[string]any {
	return map[string]any{"id": id, "name": name, "updated_at": updated}
}

// TestJudgeLifecycle holds deleted and restored clients to the list their
// acknowledged steps put them in.
func TestJudgeLifecycle(t *testing.T) {
	acked := func(name string, id int64, seq int, steps ...outcome) *op {
		o := &op{name: name, idemKey: name, first: acknowledged, final: acknowledged, id: id, client: client(id, name, "t1")}
		o.planSteps(seq)
		for i, s := range steps {
			o.steps()[i].final, o.steps()[i].attempts = s, 1
		}
		return o
	}
	gone := func(id int64, name string) listed {
		c := client(id, name, "t1")
		c["deleted_at"] = "t2"
		return listed{id: id, name: name, client: c, deleted: true}
	}
	live := func(id int64, name string) listed { return listed{id: id, name: name, client: client(id, name, "t1")} }
	ops := []*op{
		acked("deleted", 1, 1+deleteEvery, acknowledged),          // seq 5: deleted, not restored
		acked("restored", 2, 1, acknowledged, acknowledged),       // seq 1: deleted and restored
		acked("deleted but live", 3, 1+deleteEvery, acknowledged), // lost: the delete did not hold
		acked("delete refused", 4, 1+deleteEvery, refused),        // lost: the client was not there
		acked("restore open", 5, 1, acknowledged, indeterminate),  // unresolved
	}
	lists := [][]listed{{gone(1, "deleted"), live(2, "restored"), live(3, "deleted but live"), live(4, "delete refused"), gone(5, "restore open")}}
	r := judge(ops, lists)
	got := map[string]int{"lost": r.lost, "unresolved": r.unresolved, "deleted": r.deleted, "restored": r.restored}
	want := map[string]int{"lost": 2, "unresolved": 1, "deleted": 4, "restored": 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("judge (-want +got):\n%s\nproblems: %q", diff, r.problems)
	}
}
