package diff_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/matcalc/matcalc/calculus/diff"
	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/numeric"
)

// TestRandomRowJacobians asks jacobian(f, X) of the random suite's scalar
// functions of the matrix X (the suite itself asks their gradient and
// Hessian): wherever grad(f, X) is derived, so is the 1×n² row J, which
// passes the numeric check and equals vec(grad(f, X))' at a random point.
func TestRandomRowJacobians(t *testing.T) {
	if testing.Short() {
		t.Skip("part of the random suite")
	}
	w := newRandWorld()
	var fails []failure
	checked := 0
	for seed := uint64(1); seed <= randomSeeds; seed++ {
		for _, c := range newGenerator(seed).cases(seed) {
			if !c.f.Shape().IsScalar() || !expr.Contains(c.f, w.X.Name()) {
				continue
			}
			fail := func(msg string) { fails = append(fails, failure{c.seed, "jacobian(f, X)", c.f, msg}) }
			g, gerr := diff.Grad(c.f, w.X, propertyOptions)
			d, err := diff.Jacobian(c.f, w.X, propertyOptions)
			if errors.Is(err, diff.ErrTooLarge) || errors.Is(gerr, diff.ErrTooLarge) {
				continue
			}
			if err != nil {
				if gerr == nil {
					fail("derivation error where grad has an answer: " + err.Error())
				}
				continue
			}
			_, _ = d.Plain(), d.LaTeX()
			checked++
			rep, err := d.Verify(&numeric.Options{Seed: c.seed + 1, Trials: 2, Directions: 1})
			if err != nil {
				fail("not checked: " + err.Error())
				continue
			}
			if !rep.OK(verifyTol) {
				fail(fmt.Sprintf("wrong: %s gives %s", d.Result, rep))
			}
			if gerr == nil {
				if msg := rowIsVecGrad(d, g, c.seed); msg != "" {
					fail(msg)
				}
			}
		}
	}
	t.Logf("%d scalar functions of X, Jacobians checked", checked)
	if checked < 500 {
		t.Errorf("only %d Jacobians checked", checked)
	}
	for i, f := range fails {
		if i >= 100 {
			t.Errorf("… and %d more", len(fails)-i)
			break
		}
		t.Error(f)
	}
}

// rowIsVecGrad compares J with vec(grad)' at a random point; it returns
// what differs, or "".
func rowIsVecGrad(d, g *diff.Derivation, seed uint64) string {
	vg, err := expr.Vec(g.Result)
	if err != nil {
		return err.Error()
	}
	row := expr.T(vg)
	b, err := numeric.Sample([]expr.Node{d.F, d.Result, row}, &numeric.Options{Seed: seed + 2})
	if err != nil {
		return "" // no point in the domain drawn: Verify above has judged J
	}
	J, err1 := numeric.Eval(d.Result, b)
	G, err2 := numeric.Eval(row, b)
	if err1 != nil || err2 != nil {
		return ""
	}
	jr, jc := J.Dims()
	if gr, gc := G.Dims(); gr != jr || gc != jc {
		return fmt.Sprintf("J is %d×%d, vec(grad)' %d×%d", jr, jc, gr, gc)
	}
	for k := 0; k < jc; k++ {
		j, v := J.At(0, k), G.At(0, k)
		if math.IsNaN(j) || math.IsNaN(v) || math.IsInf(j, 0) || math.IsInf(v, 0) {
			return ""
		}
		if math.Abs(j-v) > 1e-8*(1+math.Abs(v)) {
			return fmt.Sprintf("J = %s and vec(grad)' = vec(%s)' differ at entry %d: %g, %g", d.Result, g.Result, k, j, v)
		}
	}
	return ""
}
