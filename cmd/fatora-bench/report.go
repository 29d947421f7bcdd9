package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// report is what a run prints.
type report struct {
	Target      string             `json:"target"`
	Database    string             `json:"database,omitempty"`
	Concurrency int                `json:"concurrency"`
	Duration    float64            `json:"duration_seconds"`
	Warmup      float64            `json:"warmup_seconds"`
	Mix         string             `json:"mix"`
	Seed        *seedResult        `json:"seed,omitempty"`
	Runs        []runResult        `json:"runs,omitempty"`
	Ratios      map[string]float64 `json:"percent_of_baseline,omitempty"`
	Targets     []targetCheck      `json:"targets,omitempty"`
	Memory      *memory            `json:"server_memory,omitempty"`
}

// targetCheck is one of issue 5's targets and whether the run met it.
type targetCheck struct {
	Target string `json:"target"`
	Met    bool   `json:"met"`
}

// compare sets the server's requests/s as a percentage of the baseline's,
// per operation and in total, and checks the targets.
func (r *report) compare() {
	if len(r.Runs) != 2 {
		return
	}
	base, ours := r.Runs[0], r.Runs[1]
	r.Ratios = map[string]float64{}
	for _, o := range ours.Ops {
		if b, ok := base.op(o.Op); ok && b.RPS > 0 {
			r.Ratios[o.Op] = 100 * o.RPS / b.RPS
		}
	}
	if base.TotalRPS > 0 {
		r.Ratios["total"] = 100 * ours.TotalRPS / base.TotalRPS
	}
	if c, ok := ours.op("create"); ok {
		r.Targets = append(r.Targets, targetCheck{"create >= 45% of baseline, p99 <= 10 ms",
			r.Ratios["create"] >= 45 && c.P99 <= 10})
	}
	if _, ok := ours.op("get"); ok {
		r.Targets = append(r.Targets, targetCheck{"get >= 60% of baseline", r.Ratios["get"] >= 60})
	}
}

func (r runResult) op(name string) (opSummary, bool) {
	for _, o := range r.Ops {
		if o.Op == name {
			return o, true
		}
	}
	return opSummary{}, false
}

func printJSON(w io.Writer, r *report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func printText(w io.Writer, r *report) {
	target := r.Target
	if r.Database != "" {
		target += " on " + r.Database
	}
	fmt.Fprintf(w, "\ntarget  %s\n", target)
	if r.Seed != nil {
		fmt.Fprintf(w, "seed    %d clients in %s (%.0f clients/s)\n", r.Seed.Count,
			time.Duration(r.Seed.Seconds*float64(time.Second)).Round(time.Millisecond), r.Seed.Rate)
	}
	if len(r.Runs) > 0 {
		fmt.Fprintf(w, "load    %d connections, mix %s, %gs measured after %gs warmup\n", r.Concurrency, r.Mix, r.Duration, r.Warmup)
	}
	for _, run := range r.Runs {
		printRun(w, run)
	}
	printRatios(w, r)
	if m := r.Memory; m != nil {
		fmt.Fprintf(w, "\nserver memory at the end: VmRSS %.1f MiB, VmHWM (peak) %.1f MiB\n", float64(m.RSSKiB)/1024, float64(m.PeakKiB)/1024)
	}
}

func printRun(w io.Writer, run runResult) {
	title := run.Name
	if run.Name == "baseline" {
		title += " (in-process net/http handler: decode, verify token, validate; no storage)"
	}
	fmt.Fprintf(w, "\n%s, %.1f s\n", title, run.Seconds)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "op\tcount\treq/s\tmean ms\tp50 ms\tp90 ms\tp99 ms\tmax ms\terrors\t")
	for _, o := range run.Ops {
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t\n",
			o.Op, o.Count, o.RPS, o.Mean, o.P50, o.P90, o.P99, o.Max, errorList(o.Errors))
	}
	fmt.Fprintf(tw, "total\t%d\t%.0f\t\t\t\t\t\t%d\t\n", run.TotalCount, run.TotalRPS, run.TotalErrors)
	tw.Flush()
}

// errorList formats error counts as "409:3 conn:1", or "0".
func errorList(errs map[string]int64) string {
	if len(errs) == 0 {
		return "0"
	}
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s:%d", k, errs[k])
	}
	return strings.Join(parts, " ")
}

func printRatios(w io.Writer, r *report) {
	if len(r.Ratios) == 0 {
		return
	}
	fmt.Fprintln(w, "\nfatora requests/s as a percentage of the baseline's")
	for _, o := range append(opNames[:], "total") {
		if p, ok := r.Ratios[o]; ok {
			fmt.Fprintf(w, "  %-7s %5.1f%%\n", o, p)
		}
	}
	for _, t := range r.Targets {
		verdict := "MISSED"
		if t.Met {
			verdict = "met"
		}
		fmt.Fprintf(w, "  target %s: %s\n", t.Target, verdict)
	}
}
