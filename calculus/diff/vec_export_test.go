package diff

import "github.com/matcalc/matcalc/calculus/expr"

// VecResults derives every case of the vec/Kronecker family and returns
// f and the result, for the round-trip test of package diff_test.
func VecResults() (names []string, fs, results []expr.Node) {
	w := newVWorld()
	for _, c := range vecCases() {
		d, err := runVec(c)
		if err != nil {
			continue
		}
		k := &builder{}
		names = append(names, c.op+"_"+c.name)
		fs = append(fs, c.f(w, k))
		results = append(results, d.Result)
	}
	return names, fs, results
}
