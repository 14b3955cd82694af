package diff

import "github.com/matcalc/matcalc/calculus/expr"

// AllResults derives every seed and Cookbook case and returns f and the
// result, for the round-trip test of package diff_test.
func AllResults() (names []string, fs, results []expr.Node) {
	for _, c := range append(seedCases(), cookbookCases()...) {
		if c.err != nil {
			continue
		}
		d, f, err := run(c, newWorld())
		if err != nil {
			continue
		}
		names = append(names, c.item+"_"+c.name)
		fs = append(fs, f)
		results = append(results, d.Result)
	}
	return names, fs, results
}
