package diff_test

import (
	"fmt"
	"math"
	"math/big"
	"testing"

	"github.com/matcalc/matcalc/calculus/diff"
	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
	"github.com/matcalc/matcalc/calculus/numeric"
)

// The verifier's own tests (issue 12): right answers of high degree and
// large magnitude pass (no false alarms), and answers corrupted in one
// term fail (no missed corruptions).

// highDegree returns scalar functions of x and X whose derivatives are of
// degree up to 32 or of large magnitude.
func highDegree(w *randWorld) []struct {
	name string
	f    expr.Node
	v    *expr.Symbol
} {
	x, X, A, P := w.x, w.X, w.A, w.P
	q := must(expr.Mul(expr.T(x), A, x))
	type c = struct {
		name string
		f    expr.Node
		v    *expr.Symbol
	}
	var out []c
	for _, k := range []int{2, 4, 8, 16} {
		out = append(out, c{fmt.Sprintf("(x'Ax)^%d", k), must(expr.Pow(q, k)), x})
	}
	out = append(out, c{"tr(X^32)", must(expr.Tr(must(expr.Pow(X, 32)))), X})
	out = append(out, c{"det(X)^16", must(expr.Pow(must(expr.Det(X)), 16)), X})
	// a product of 16 quadratic forms xᵀA_ix, degree 32
	var qs []expr.Node
	for i := 0; i < 16; i++ {
		Ai := expr.MatrixSymbol(fmt.Sprintf("A%d", i), w.n, w.n, 0)
		qs = append(qs, must(expr.Mul(expr.T(x), Ai, x)))
	}
	// (its Hessian passes the 20000-node budget: gradient only)
	out = append(out, c{"16 quadratic forms", must(expr.Mul(qs...)), x})
	big6 := expr.IntConst(1000000)
	out = append(out, c{"1e6 scale", must(expr.Mul(big6, must(expr.Pow(must(expr.Mul(expr.T(x), P, x)), 3)))), x})
	out = append(out, c{"exp of a sum of squares", must(expr.Apply("exp", must(expr.Mul(expr.IntConst(3), must(expr.Mul(expr.T(x), x)))))), x})
	out = append(out, c{"x.^32", must(expr.SumEntries(must(expr.ElemPow(x, big.NewRat(32, 1))))), x})
	out = append(out, c{"logdet(X'X)^8", must(expr.Pow(must(expr.LogDet(must(expr.Mul(expr.T(X), X)))), 8)), X})
	return out
}

// TestVerifierNoFalseAlarms: right gradients and Hessians of degree up to
// 32 and of large magnitude pass, on several seeds.
func TestVerifierNoFalseAlarms(t *testing.T) {
	w := newRandWorld()
	checked := 0
	for _, c := range highDegree(w) {
		ders := map[string]func() (*diff.Derivation, error){
			"grad": func() (*diff.Derivation, error) { return diff.Grad(c.f, c.v, diff.Options{}) },
		}
		if c.v == w.x && c.name != "16 quadratic forms" {
			ders["hessian"] = func() (*diff.Derivation, error) { return diff.Hessian(c.f, c.v, diff.Options{}) }
		}
		for what, do := range ders {
			d, err := do()
			if err != nil {
				t.Fatalf("%s %s: %v", what, c.name, err)
			}
			for seed := uint64(1); seed <= 5; seed++ {
				rep, err := d.Verify(&numeric.Options{Seed: seed})
				if err != nil {
					t.Errorf("%s of %s (seed %d): not checked: %v", what, c.name, seed, err)
					continue
				}
				checked++
				if !rep.OK(0) {
					t.Errorf("%s of %s (seed %d): false alarm: %s (estimate %.2g)", what, c.name, seed, rep, rep.ErrEst)
				}
			}
		}
	}
	t.Logf("%d checks of right answers of high degree, 0 false alarms allowed", checked)
}

// corruptions returns the one-term corruptions of g: every transpose
// dropped in turn, every term's coefficient doubled (or the whole scaled
// by 2), every identity made a matrix of ones, every ones an identity.
func corruptions(g expr.Node) map[string]expr.Node {
	out := map[string]expr.Node{}
	nth := func(match func(expr.Node) (expr.Node, bool), label string) {
		for i := 0; ; i++ {
			seen := 0
			found := false
			r, err := expr.Map(g, func(m expr.Node) (expr.Node, error) {
				if rep, ok := match(m); ok {
					if seen == i {
						found = true
						seen++
						return rep, nil
					}
					seen++
				}
				return m, nil
			})
			if !found {
				return
			}
			if err == nil && r.Shape() == g.Shape() && !expr.Equal(r, g) {
				out[fmt.Sprintf("%s #%d", label, i+1)] = r
			}
		}
	}
	nth(func(m expr.Node) (expr.Node, bool) {
		if tr, ok := m.(*expr.Transpose); ok && tr.X().Shape() == m.Shape() {
			return tr.X(), true
		}
		return nil, false
	}, "dropped transpose")
	nth(func(m expr.Node) (expr.Node, bool) {
		if _, ok := m.(*expr.Identity); ok {
			return expr.OnesOf(m.Shape()), true
		}
		return nil, false
	}, "I for ones")
	nth(func(m expr.Node) (expr.Node, bool) {
		if _, ok := m.(*expr.Ones); ok && m.Shape().IsSquare() {
			return expr.Eye(m.Shape().Rows), true
		}
		return nil, false
	}, "ones for I")
	nth(func(m expr.Node) (expr.Node, bool) {
		s, ok := m.(*expr.Sum)
		if !ok {
			return nil, false
		}
		ts := s.Terms()
		ts[0] = expr.Term{Coef: new(big.Rat).Mul(ts[0].Coef, big.NewRat(2, 1)), X: ts[0].X}
		r, err := expr.Combine(ts...)
		return r, err == nil
	}, "wrong factor")
	out["wrong factor (whole)"] = expr.Scale(big.NewRat(3, 2), g)
	return out
}

// differs reports whether a and b differ by more than 1e-3 relative at a
// random point: a corruption that leaves the value (almost) unchanged
// there is not one a check can or need see.
func differs(a, b expr.Node, seed uint64) bool {
	bind, err := numeric.Sample([]expr.Node{a, b}, &numeric.Options{Seed: seed})
	if err != nil {
		return false
	}
	va, err1 := numeric.Eval(a, bind)
	vb, err2 := numeric.Eval(b, bind)
	if err1 != nil || err2 != nil {
		return false
	}
	d, err := linalg.Sub(va, vb)
	if err != nil {
		return false
	}
	na, _ := linalg.Norm(va.ToFloat())
	nd, _ := linalg.Norm(d.ToFloat())
	return nd.Value() > 1e-3*math.Max(na.Value(), 1e-9)
}

// TestVerifierCatchesCorruptions: over the high-degree answers and the
// gradients of the random suite, every one-term corruption that changes
// the value fails the check.
func TestVerifierCatchesCorruptions(t *testing.T) {
	w := newRandWorld()
	type answer struct {
		name string
		f    expr.Node
		v    *expr.Symbol
		what string
	}
	var answers []answer
	for _, c := range highDegree(w) {
		answers = append(answers, answer{c.name, c.f, c.v, "grad"})
		if c.v == w.x && c.name != "16 quadratic forms" {
			answers = append(answers, answer{c.name, c.f, c.v, "hessian"})
		}
	}
	for seed := uint64(1); seed <= 300; seed++ {
		g := newGenerator(seed)
		f := g.expr(kScalar, 2+g.pick(2), false, false)
		for _, v := range w.vars() {
			if expr.Contains(f, v.Name()) && v != w.t {
				answers = append(answers, answer{fmt.Sprintf("seed %d", seed), f, v, "grad"})
			}
		}
	}
	tried, caught := 0, 0
	for _, a := range answers {
		var d *diff.Derivation
		var err error
		if a.what == "grad" {
			d, err = diff.Grad(a.f, a.v, diff.Options{})
		} else {
			d, err = diff.Hessian(a.f, a.v, diff.Options{})
		}
		if err != nil {
			t.Fatalf("%s of %s: %v", a.what, a.f, err)
		}
		for label, bad := range corruptions(d.Result) {
			// Seed 11 is the check's own first point: a corruption equal
			// there (softmax of a large argument saturates: all but one
			// entry ≈ 0) or undefined there is not one it can see.
			if !differs(d.Result, bad, 7) || !differs(d.Result, bad, 11) {
				continue
			}
			wrong := *d
			wrong.Result = bad
			rep, err := wrong.Verify(nil)
			tried++
			if err != nil {
				t.Errorf("%s of %s (%s), corrupted by %s to %s: not checked: %v", a.what, a.f, a.name, label, bad, err)
				continue
			}
			if rep.OK(0) {
				t.Errorf("%s of %s (%s): missed corruption (%s): %s passes with %s", a.what, a.f, a.name, label, bad, rep)
				continue
			}
			caught++
		}
	}
	t.Logf("%d corruptions of %d answers, %d caught", tried, len(answers), caught)
	if tried < 200 {
		t.Errorf("only %d corruptions tried", tried)
	}
}
