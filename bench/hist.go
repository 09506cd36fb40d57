package main

import (
	"math/bits"
	"time"
)

// hist is a log-linear latency histogram: 32 buckets per power of two of
// nanoseconds, so a reported quantile is within about 3% of the true value.
type hist struct {
	counts [64 * subBuckets]int64
	n      int64
}

const subBits = 5
const subBuckets = 1 << subBits

func bucketOf(v int64) int {
	if v < subBuckets {
		if v < 0 {
			return 0
		}
		return int(v)
	}
	e := bits.Len64(uint64(v)) - subBits - 1 // v>>e is in [32, 63]
	return (e+1)*subBuckets + int(v>>e) - subBuckets
}

// valueOf returns the middle of bucket i.
func valueOf(i int) int64 {
	if i < subBuckets {
		return int64(i)
	}
	e := i/subBuckets - 1
	m := int64(i%subBuckets + subBuckets)
	return m<<e + (int64(1)<<e)/2
}

func (h *hist) record(d time.Duration) {
	h.counts[bucketOf(int64(d))]++
	h.n++
}

func (h *hist) merge(o *hist) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// quantile returns the q-quantile (0 < q <= 1).
func (h *hist) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := int64(q*float64(h.n) + 0.5)
	rank = max(1, min(rank, h.n))
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return time.Duration(valueOf(i))
		}
	}
	return 0
}
