package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// report prints the counts, the anomalies and the one-line verdict.
func report(out io.Writer, cfg config, r result) {
	row := func(name string, format string, args ...any) {
		fmt.Fprintf(out, "  %-28s %s\n", name, fmt.Sprintf(format, args...))
	}
	fmt.Fprintf(out, "results (%s, %s, %d workers):\n", cfg.store, cfg.duration, cfg.workers)
	row("attempted", "%d", r.attempted)
	row("acknowledged", "%d (%d of them only on retry after the faults, %d by a replayed 201)", r.acked, r.ackedOnRetry, r.replayed)
	row("refused", "%d (%d on retry)", r.refused, r.refusedOnRetry)
	row("indeterminate, resolved", "%d of %d", r.indeterminate-r.unresolved, r.indeterminate)
	row("deleted, restored", "%d deletes, %d restores acknowledged", r.deleted, r.restored)
	row("unresolved", "%d", r.unresolved)
	row("lost", "%d", r.lost)
	row("duplicated", "%d", r.duplicated)
	row("unexpected", "%d", r.unexpected)
	row("refused but present", "%d", r.refusedButPresent)
	row("kills survived", "%d", r.kills)
	row("self exits (restarted)", "%d", r.selfExits)
	row("pg restarts", "%d%s", r.pgRestarts, parenthesised(r.pgNote))
	row("answers", "%s", formatStatuses(r.statuses))
	row("server 500s and panics", "%d", len(r.internalErrors))
	row("exit on final SIGTERM", "%s", r.exitAfterTerm)
	if r.integrityChecked {
		row("PRAGMA integrity_check", "%s", r.integrity)
	}
	if r.webhooksChecked {
		row("webhook events delivered", "%d (%d attempts, %d events failed once on purpose)", r.delivered, r.webhookAttempts, r.failedOnPurpose)
		row("webhook events lost", "%d", r.undelivered)
		row("webhook events phantom", "%d", r.phantom)
	}
	for _, p := range r.problems {
		fmt.Fprintln(out, "  ! "+p)
	}
	for i, line := range r.internalErrors {
		if i == 5 {
			fmt.Fprintf(out, "  ! ... and %d more 500 log lines\n", len(r.internalErrors)-5)
			break
		}
		fmt.Fprintln(out, "  ! server: "+line)
	}
	fmt.Fprintln(out, verdict(r))
}

func verdict(r result) string {
	word := "PASS"
	if r.failed() {
		word = "FAIL"
	}
	v := fmt.Sprintf("verdict: %s: %d acknowledged, %d lost, %d duplicated, %d unexpected, %d unresolved, %d refused but present; %d kills, %d PostgreSQL restarts",
		word, r.acked, r.lost, r.duplicated, r.unexpected, r.unresolved, r.refusedButPresent, r.kills, r.pgRestarts)
	if r.integrityChecked {
		v += "; integrity " + r.integrity
	}
	if r.webhooksChecked {
		v += fmt.Sprintf("; webhooks: %d delivered, %d lost, %d phantom", r.delivered, r.undelivered, r.phantom)
	}
	return v
}

func parenthesised(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// formatStatuses lists answer kinds with their counts, most frequent first.
func formatStatuses(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
