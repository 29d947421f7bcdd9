package main

import (
	"math"
	"math/bits"
	"time"
)

// A histogram counts latencies in log-linear buckets, as HDR histograms do:
// values below 2*subCount nanoseconds have a bucket each; above, every power
// of two is split into subCount equal buckets. A bucket is then at most
// 1/subCount (0.78%) of its values wide, and a percentile read at its middle
// is within 0.4% of the recorded value. Memory is fixed (30 KB).
type histogram struct {
	counts [numBuckets]uint64
	total  uint64
	sum    time.Duration
	min    time.Duration
	max    time.Duration
}

const (
	subBits  = 7
	subCount = 1 << subBits
	// maxBits bounds the values kept apart: 2^36 ns is about 69 s; longer
	// latencies share the last bucket (max stays exact).
	maxBits    = 36
	numBuckets = (maxBits - subBits + 1) * subCount
)

// bucketOf returns the index of the bucket holding v nanoseconds.
func bucketOf(v uint64) int {
	if v < 2*subCount {
		return int(v)
	}
	if v >= 1<<maxBits {
		return numBuckets - 1
	}
	shift := bits.Len64(v) - subBits - 1
	return (shift+1)*subCount + int(v>>shift) - subCount
}

// bucketRange returns the first value of bucket i and its width.
func bucketRange(i int) (low, width uint64) {
	if i < 2*subCount {
		return uint64(i), 1
	}
	shift := i/subCount - 1
	mantissa := uint64(i%subCount + subCount)
	return mantissa << shift, 1 << shift
}

// record adds one latency.
func (h *histogram) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucketOf(uint64(d))]++
	if h.total == 0 || d < h.min {
		h.min = d
	}
	if d > h.max {
		h.max = d
	}
	h.total++
	h.sum += d
}

// merge adds o's values to h.
func (h *histogram) merge(o *histogram) {
	if o.total == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	if h.total == 0 || o.min < h.min {
		h.min = o.min
	}
	h.max = max(h.max, o.max)
	h.total += o.total
	h.sum += o.sum
}

// percentile returns the latency at or below which a fraction q (0 to 1) of
// the recorded values lie, clamped to the exact minimum and maximum.
func (h *histogram) percentile(q float64) time.Duration {
	if h.total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.total)))
	rank = min(max(rank, 1), h.total)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			low, width := bucketRange(i)
			mid := time.Duration(low + width/2)
			return min(max(mid, h.min), h.max)
		}
	}
	return h.max
}

// mean returns the average recorded latency.
func (h *histogram) mean() time.Duration {
	if h.total == 0 {
		return 0
	}
	return h.sum / time.Duration(h.total)
}
