package main

import (
	"errors"
	"strconv"
	"time"
)

// opStats are one worker's figures for one operation.
type opStats struct {
	hist   histogram // latencies of successful requests
	errors map[string]int64
}

// workerStats are one worker's figures, kept apart from other workers' so
// recording takes no lock; they are merged at the end.
type workerStats [numOps]*opStats

func (w *workerStats) op(op opKind) *opStats {
	if w[op] == nil {
		w[op] = &opStats{errors: make(map[string]int64)}
	}
	return w[op]
}

// errorKey names a failure for the report: the HTTP status, "conn" for a
// connection error (refused, reset, timed out) or "no-client".
func errorKey(status int, err error) string {
	switch {
	case errors.Is(err, errNoClients):
		return "no-client"
	case err != nil && status != 0:
		return "bad-response"
	case err != nil:
		return "conn"
	}
	return strconv.Itoa(status)
}

// opSummary is the report of one operation in one run.
type opSummary struct {
	Op     string           `json:"op"`
	Count  uint64           `json:"count"`
	RPS    float64          `json:"requests_per_second"`
	Mean   float64          `json:"mean_ms"`
	P50    float64          `json:"p50_ms"`
	P90    float64          `json:"p90_ms"`
	P99    float64          `json:"p99_ms"`
	Max    float64          `json:"max_ms"`
	Errors map[string]int64 `json:"errors"`
}

// runResult is the report of one measured run.
type runResult struct {
	Name        string      `json:"name"`
	Seconds     float64     `json:"seconds"`
	Ops         []opSummary `json:"ops"`
	TotalCount  uint64      `json:"total_count"`
	TotalRPS    float64     `json:"total_requests_per_second"`
	TotalErrors int64       `json:"total_errors"`
	CPU         *cpuFigures `json:"cpu,omitempty"`
}

// summarize merges the workers' figures over a run of the given length.
func summarize(name string, workers []*workerStats, window time.Duration) runResult {
	res := runResult{Name: name, Seconds: window.Seconds()}
	for op := range numOps {
		var merged opStats
		merged.errors = make(map[string]int64)
		seen := false
		for _, w := range workers {
			if s := w[op]; s != nil {
				seen = true
				merged.hist.merge(&s.hist)
				for k, n := range s.errors {
					merged.errors[k] += n
				}
			}
		}
		if !seen {
			continue
		}
		sum := merged.summary(opNames[op], window)
		res.Ops = append(res.Ops, sum)
		res.TotalCount += sum.Count
		for _, n := range sum.Errors {
			res.TotalErrors += n
		}
	}
	res.TotalRPS = float64(res.TotalCount) / window.Seconds()
	return res
}

func (s *opStats) summary(name string, window time.Duration) opSummary {
	h := &s.hist
	return opSummary{
		Op: name, Count: h.total, RPS: float64(h.total) / window.Seconds(),
		Mean: ms(h.mean()), P50: ms(h.percentile(0.50)), P90: ms(h.percentile(0.90)),
		P99: ms(h.percentile(0.99)), Max: ms(h.max), Errors: s.errors,
	}
}

// ms returns d in milliseconds, rounded to the microsecond.
func ms(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}
