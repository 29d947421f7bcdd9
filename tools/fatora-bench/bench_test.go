package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"
)

var allOps = "create=40,get=20,list=15,search=10,short=5,update=10"

// TestRunSQLite builds fatora (or takes $FATORA_BENCH_BIN), starts it on a
// temporary SQLite database and runs every operation against it and the
// baseline.
func TestRunSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds fatora and loads it for seconds: runs in full without -short (CI)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	args := []string{"--duration", "2s", "--warmup", "200ms", "--concurrency", "8", "--mix", allOps,
		"--seed", "300", "--baseline", "--json"}
	if bin := os.Getenv("FATORA_BENCH_BIN"); bin != "" {
		args = append(args, "--bin", bin) // a prebuilt fatora
	}
	if err := run(ctx, args, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, stderr.String())
	}
	var rep report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("summary is not JSON: %v\n%s", err, stdout.String())
	}
	if len(rep.Runs) != 2 || rep.Runs[0].Name != "baseline" || rep.Runs[1].Name != "fatora" {
		t.Fatalf("runs = %+v, want baseline then fatora", rep.Runs)
	}
	for _, r := range rep.Runs {
		checkRun(t, r)
	}
	if rep.Seed == nil || rep.Seed.Count != 300 {
		t.Errorf("seed = %+v, want 300 clients", rep.Seed)
	}
	if rep.Memory == nil || rep.Memory.RSSKiB <= 0 || rep.Memory.PeakKiB < rep.Memory.RSSKiB {
		t.Errorf("server memory = %+v, want VmRSS > 0 and VmHWM >= VmRSS", rep.Memory)
	}
	if rep.Ratios["create"] <= 0 || rep.Ratios["get"] <= 0 {
		t.Errorf("percent of baseline = %v, want create and get", rep.Ratios)
	}
}

// TestLoadBaseline drives every operation against the in-process baseline
// (no binary needed).
func TestLoadBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the baseline for over a second: runs in full without -short (CI)")
	}
	base, err := startBaseline(defaultAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	defer base.close()
	m, err := parseMix(allOps)
	if err != nil {
		t.Fatal(err)
	}
	b := &bench{cfg: config{apiKey: defaultAPIKey, mix: m, concurrency: 8, duration: time.Second, warmup: 100 * time.Millisecond}}
	target, err := b.authorizedTarget(context.Background(), "baseline", base.url())
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.measure(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	checkRun(t, res)
}

// checkRun checks that every operation ran, without error, with sane figures.
func checkRun(t *testing.T, r runResult) {
	t.Helper()
	if len(r.Ops) != int(numOps) {
		t.Errorf("%s: ran %d operations, want all %d: %+v", r.Name, len(r.Ops), numOps, r.Ops)
	}
	for _, o := range r.Ops {
		if o.Count == 0 || o.RPS <= 0 || len(o.Errors) > 0 {
			t.Errorf("%s %s: count %d, %.0f req/s, errors %v; want some, no errors", r.Name, o.Op, o.Count, o.RPS, o.Errors)
		}
		if !(0 < o.P50 && o.P50 <= o.P90 && o.P90 <= o.P99 && o.P99 <= o.Max) {
			t.Errorf("%s %s: p50 %v p90 %v p99 %v max %v, want 0 < p50 <= p90 <= p99 <= max", r.Name, o.Op, o.P50, o.P90, o.P99, o.Max)
		}
	}
	if r.TotalRPS <= 0 || r.TotalErrors != 0 {
		t.Errorf("%s: total %.0f req/s, %d errors", r.Name, r.TotalRPS, r.TotalErrors)
	}
}

// TestHistogramPercentiles compares the histogram's percentiles with the
// exact ones of the recorded samples: within 1%.
func TestHistogramPercentiles(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	var h histogram
	samples := make([]time.Duration, 200000)
	for i := range samples {
		// Log-normal around 1 ms, from about 10 µs to a few seconds.
		d := time.Duration(math.Exp(rnd.NormFloat64()*1.5) * float64(time.Millisecond))
		samples[i] = d
		h.record(d)
	}
	slices.Sort(samples)
	for _, q := range []float64{0.001, 0.1, 0.5, 0.9, 0.99, 0.999, 1} {
		exact := samples[int(math.Ceil(q*float64(len(samples))))-1]
		got := h.percentile(q)
		if rel := math.Abs(float64(got-exact)) / float64(exact); rel > 0.01 {
			t.Errorf("p%g = %v, exact %v: %.2f%% off", 100*q, got, exact, 100*rel)
		}
	}
	if h.max != samples[len(samples)-1] || h.min != samples[0] {
		t.Errorf("min, max = %v, %v; want %v, %v", h.min, h.max, samples[0], samples[len(samples)-1])
	}
}

// TestHistogramBuckets checks that every value falls in the bucket whose
// range holds it, and that buckets are at most 1/128 of their values wide.
func TestHistogramBuckets(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		v := rnd.Uint64N(1 << maxBits)
		if rnd.IntN(2) == 0 {
			v = rnd.Uint64N(1000)
		}
		low, width := bucketRange(bucketOf(v))
		if v < low || v >= low+width {
			t.Fatalf("%d in bucket [%d, %d)", v, low, low+width)
		}
		if width > 1 && float64(width)/float64(low) > 1.0/subCount {
			t.Fatalf("bucket of %d is %d wide from %d", v, width, low)
		}
	}
	if i := bucketOf(1<<maxBits - 1); i != numBuckets-1 {
		t.Errorf("last bucket = %d, want %d", i, numBuckets-1)
	}
}

func TestParseMix(t *testing.T) {
	m, err := parseMix("create=60,get=20,list=10,search=5,update=5")
	if err != nil || m != (mix{60, 20, 10, 5, 5}) {
		t.Fatalf("parseMix = %v, %v", m, err)
	}
	for _, bad := range []string{"", "create", "create=-1", "delete=5", "create=0", "create=x"} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("parseMix(%q) succeeded", bad)
		}
	}
}

func TestKeyword(t *testing.T) {
	for name, want := range map[string]string{
		"Fatima Al-Thani 12": " Al-T", "محمد الكواري 7": " الكو", "Wei": "Wei",
	} {
		if got := keyword(name); got != want {
			t.Errorf("keyword(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestCompareRounds judges the median of several rounds: each round's
// ratio is its server run over its own baseline run.
func TestCompareRounds(t *testing.T) {
	run := func(name string, rps, p99, cpu float64) runResult {
		return runResult{Name: name, TotalRPS: rps, Ops: []opSummary{{Op: "create", RPS: rps, P99: p99}},
			CPU: &cpuFigures{ServerPerRequestUS: cpu}}
	}
	r := &report{Runs: []runResult{
		run("baseline", 1000, 1, 20), run("fatora", 500, 8, 80), // 50%
		run("baseline", 2000, 1, 20), run("fatora", 400, 30, 200), // 20%
		run("baseline", 1000, 1, 20), run("fatora", 900, 9, 95), // 90%
	}}
	r.compare()
	if len(r.Rounds) != 3 || r.Rounds[1]["create"] != 20 {
		t.Fatalf("rounds = %v, want three, the second at 20%%", r.Rounds)
	}
	if r.Ratios["create"] != 50 || r.Ratios["total"] != 50 {
		t.Errorf("ratios = %v, want the medians (50%%)", r.Ratios)
	}
	// Medians: 50% of the baseline, p99 9 ms, 95 µs of server CPU.
	want := []targetCheck{{"create server CPU <= 90 µs a request", false}, {"create >= 30% of baseline", true}, {"create p99 <= 25 ms", true}}
	if !slices.Equal(r.Targets, want) {
		t.Errorf("targets = %+v, want %+v", r.Targets, want)
	}
	if got := r.roundsOf("create"); got != "  (50.0% 20.0% 90.0%)" {
		t.Errorf("roundsOf = %q", got)
	}
	if median([]float64{4, 1, 3, 2}) != 2.5 {
		t.Error("median of an even count is not the mean of the middle two")
	}
}

// TestCPUReading reads this process's CPU before and after it burns some,
// and parses a stat line whose command holds spaces and brackets.
func TestCPUReading(t *testing.T) {
	before := readCPU(os.Getpid())
	sum := 0
	for i := range 200_000_000 {
		sum += i % 7
	}
	after := readCPU(os.Getpid())
	f := before.figures(after, 1000)
	if sum == 0 || f == nil || f.ServerSeconds < 0.05 || f.ServerSeconds > f.LoadCores*after.at.Sub(before.at).Seconds()+0.02 {
		t.Fatalf("figures %+v: want server CPU > 0 and the same process's as the load generator's", f)
	}
	if f.ServerPerRequestUS != float64((after.server-before.server).Microseconds())/1000 {
		t.Errorf("per request %.1f µs, want the server's CPU over 1000 requests", f.ServerPerRequestUS)
	}
	comm, fields, err := splitStat([]byte("42 (a (b) c) S 1 2 3 4 5 6 7 8 9 10 17 3 5 1 20 0 1 0"))
	if err != nil || comm != "a (b) c" || fields[11] != "17" || fields[12] != "3" {
		t.Errorf("splitStat = %q %q %v", comm, fields, err)
	}
}

// TestProcessMemory reads this process's memory: resident, of it the part
// no file backs, and the peak.
func TestProcessMemory(t *testing.T) {
	m, err := processMemory(os.Getpid())
	if err != nil || m.RSSKiB <= 0 || m.AnonKiB <= 0 || m.AnonKiB > m.RSSKiB || m.PeakKiB < m.RSSKiB {
		t.Errorf("memory %+v, %v: want RssAnon > 0, RssAnon <= VmRSS <= VmHWM", m, err)
	}
}
