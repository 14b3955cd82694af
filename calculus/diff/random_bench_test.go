package diff_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/matcalc/matcalc/calculus/diff"
	"github.com/matcalc/matcalc/calculus/numeric"
)

// BenchmarkRandomSuite times what the kernel does for each derivation of
// the random suite — derive, render (plain and LaTeX), verify with the
// kernel's default check (3 instances × 2 directions) — and reports the
// mean, median, 99th percentile and worst per derivation (the worst is
// sensitive to a busy machine; the percentiles are not):
//
//	go test ./calculus/diff -run '^$' -bench RandomSuite -benchtime 1x
func BenchmarkRandomSuite(b *testing.B) {
	w := newRandWorld()
	for i := 0; i < b.N; i++ {
		var total, worst time.Duration
		var worstWhat string
		var all []time.Duration
		n := 0
		for seed := uint64(1); seed <= randomSeeds; seed++ {
			for _, c := range newGenerator(seed).cases(seed) {
				for _, a := range asked(c.f, w) {
					start := time.Now()
					d, err := a.do()
					if err != nil {
						if errors.Is(err, diff.ErrTooLarge) {
							continue
						}
						b.Fatalf("%s of %s: %v", a.what, c.f, err)
					}
					_, _ = d.Plain(), d.LaTeX()
					if _, err := d.Verify(&numeric.Options{Seed: seed}); err != nil {
						b.Fatalf("%s of %s: %v", a.what, c.f, err)
					}
					el := time.Since(start)
					total += el
					all = append(all, el)
					n++
					if el > worst {
						worst, worstWhat = el, a.what+" of "+c.f.String()
					}
				}
			}
		}
		if i == b.N-1 {
			b.ReportMetric(float64(n), "derivations")
			b.ReportMetric(float64(total.Microseconds())/float64(n), "mean-µs/derivation")
			slices.Sort(all)
			b.ReportMetric(float64(all[len(all)/2].Microseconds()), "median-µs")
			b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
			b.Logf("worst: %v for %s", worst, worstWhat)
		}
	}
}
