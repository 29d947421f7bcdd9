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
	Bulk        *bulkResult        `json:"bulk,omitempty"`
	Runs        []runResult        `json:"runs,omitempty"`
	Ratios      map[string]float64 `json:"percent_of_baseline,omitempty"`
	// Rounds are the ratios of each round; Ratios are their medians.
	Rounds  []map[string]float64 `json:"percent_of_baseline_by_round,omitempty"`
	Targets []targetCheck        `json:"targets,omitempty"`
	Memory  *memory              `json:"server_memory,omitempty"`
}

// targetCheck is one of issue 5's targets and whether the run met it.
type targetCheck struct {
	Target string `json:"target"`
	Met    bool   `json:"met"`
}

// compare sets the server's requests/s as a percentage of the baseline's,
// per operation and in total, for each round (a baseline run followed by a
// server run) and as the median over the rounds, and checks the targets on
// the medians (of the ratios and of the create p99).
func (r *report) compare() {
	if len(r.Runs) < 2 || r.Runs[0].Name != "baseline" {
		return
	}
	var createP99, serverCPU, cpuRatio []float64
	for i := 0; i+1 < len(r.Runs); i += 2 {
		base, ours := r.Runs[i], r.Runs[i+1]
		r.Rounds = append(r.Rounds, roundRatios(base, ours))
		if c, ok := ours.op("create"); ok {
			createP99 = append(createP99, c.P99)
		}
		if base.CPU != nil && ours.CPU != nil && base.CPU.ServerPerRequestUS > 0 {
			serverCPU = append(serverCPU, ours.CPU.ServerPerRequestUS)
			cpuRatio = append(cpuRatio, ours.CPU.ServerPerRequestUS/base.CPU.ServerPerRequestUS)
		}
	}
	r.Ratios = map[string]float64{}
	for op := range r.Rounds[0] {
		var ps []float64
		for _, round := range r.Rounds {
			ps = append(ps, round[op])
		}
		r.Ratios[op] = median(ps)
	}
	r.checkTargets(createP99, serverCPU, cpuRatio)
}

// checkTargets judges issue 19's targets on the medians over the rounds,
// when the mix is one operation (the CPU per request is then that
// operation's).
func (r *report) checkTargets(createP99, serverCPU, cpuRatio []float64) {
	_, create := r.Ratios["create"]
	_, get := r.Ratios["get"]
	switch {
	case len(r.Ratios) != 2: // total and one operation
	case create && len(serverCPU) > 0:
		r.Targets = append(r.Targets,
			targetCheck{"create server CPU <= 90 µs a request", median(serverCPU) <= 90},
			targetCheck{"create >= 30% of baseline", r.Ratios["create"] >= 30},
			targetCheck{"create p99 <= 25 ms", median(createP99) <= 25})
	case get && len(cpuRatio) > 0:
		r.Targets = append(r.Targets, targetCheck{"get server CPU <= 1.5x the baseline's", median(cpuRatio) <= 1.5})
	}
}

// roundRatios is the server's requests/s as a percentage of the baseline's,
// per operation and in total.
func roundRatios(base, ours runResult) map[string]float64 {
	ratios := map[string]float64{}
	for _, o := range ours.Ops {
		if b, ok := base.op(o.Op); ok && b.RPS > 0 {
			ratios[o.Op] = 100 * o.RPS / b.RPS
		}
	}
	if base.TotalRPS > 0 {
		ratios["total"] = 100 * ours.TotalRPS / base.TotalRPS
	}
	return ratios
}

// median returns the middle value of xs (the mean of the middle two for an
// even count); xs is not empty.
func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
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
	if r.Bulk != nil {
		fmt.Fprintf(w, "bulk    %d clients inserted in %.1fs, keyed anew by the server in %.1fs\n", r.Bulk.Count,
			r.Bulk.InsertSeconds, r.Bulk.RekeySeconds)
	}
	if len(r.Runs) > 0 {
		fmt.Fprintf(w, "load    %d connections, mix %s, %gs measured after %gs warmup\n", r.Concurrency, r.Mix, r.Duration, r.Warmup)
	}
	for _, run := range r.Runs {
		printRun(w, run)
	}
	printRatios(w, r)
	if m := r.Memory; m != nil {
		fmt.Fprintf(w, "\nserver memory at the end: RssAnon %.1f MiB, VmRSS %.1f MiB, VmHWM (peak) %.1f MiB\n",
			float64(m.AnonKiB)/1024, float64(m.RSSKiB)/1024, float64(m.PeakKiB)/1024)
	}
}

func printRun(w io.Writer, run runResult) {
	title := run.Name
	if run.Name == "baseline" {
		title += " (the real API in a process of its own, over a store that keeps nothing)"
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
	if c := run.CPU; c != nil {
		fmt.Fprintf(w, "cpu: server %.1f µs a request (%.2f cores)", c.ServerPerRequestUS, c.ServerCores)
		if c.DatabaseCores > 0.005 {
			fmt.Fprintf(w, ", postgres %.1f µs a request (%.2f cores)", c.DatabasePerRequest, c.DatabaseCores)
		}
		fmt.Fprintf(w, ", load generator %.2f cores, machine busy %.2f cores\n", c.LoadCores, c.MachineCores)
	}
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
	title := "fatora requests/s as a percentage of the baseline's"
	if len(r.Rounds) > 1 {
		title += fmt.Sprintf(": the median of %d rounds (each round's in brackets)", len(r.Rounds))
	}
	fmt.Fprintln(w, "\n"+title)
	for _, o := range append(opNames[:], "total") {
		if p, ok := r.Ratios[o]; ok {
			fmt.Fprintf(w, "  %-7s %5.1f%%%s\n", o, p, r.roundsOf(o))
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

// roundsOf lists each round's ratio for op, when there are several rounds.
func (r *report) roundsOf(op string) string {
	if len(r.Rounds) < 2 {
		return ""
	}
	parts := make([]string, len(r.Rounds))
	for i, round := range r.Rounds {
		parts[i] = fmt.Sprintf("%.1f%%", round[op])
	}
	return "  (" + strings.Join(parts, " ") + ")"
}
