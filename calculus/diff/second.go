package diff

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
)

// secondDifferential runs both passes: df in dX₁, then d(df) in dX₂.
func secondDifferential(f expr.Node, x *expr.Symbol, opts Options) (*engine, expr.Node, error) {
	e1 := newEngine([]*expr.Symbol{x}, 1, opts)
	lhs, lhsL := opts.dLHS()
	df, err := e1.differential(f, lhs, lhsL)
	if err != nil {
		return nil, nil, err
	}
	e2 := newEngine([]*expr.Symbol{x}, 2, opts)
	e2.steps = e1.steps
	d2, err := e2.differential(df, "d2"+opts.name(), func() string { return `{\rm d}^{2}` + latexFn(opts.name()) })
	if err != nil {
		return nil, nil, err
	}
	if len(e2.steps) > len(e1.steps) {
		e2.steps[len(e1.steps)].Rule = RuleSecond
	}
	return e2, d2, nil
}

// D2 returns the second differential of f with respect to x as a bilinear
// form in the directions dX₁ = expr.DN(x, 1) and dX₂ = expr.DN(x, 2): the
// differential of the first differential with dX₁ held constant. x may be
// a matrix (the text's log det example).
func D2(f expr.Node, x *expr.Symbol, opts Options) (*Derivation, error) {
	if f == nil || x == nil {
		return nil, fmt.Errorf("d2 of nothing")
	}
	e, d2, err := secondDifferential(f, x, opts)
	if err != nil {
		return nil, err
	}
	res := Simplify(d2)
	rule, note := RuleFactor, ""
	switch {
	case f.Shape().IsScalar() && x.Shape().Cols.IsOne() && !x.Shape().IsScalar():
		H, n, err := bilinearMatrix(d2, x, opts)
		if err != nil {
			return nil, err
		}
		if res, err = expr.Mul(expr.T(expr.DN(x, 2)), H, expr.DN(x, 1)); err != nil {
			return nil, err
		}
		rule, note = RuleBilinear, n
	case f.Shape().IsScalar():
		c, err := canonTraces(d2, expr.DN(x, 1), opts.maxSize())
		if err != nil {
			return nil, err
		}
		if c.Key() != d2.Key() {
			res, rule = c, RuleCyclic
		}
	}
	if res.Key() != d2.Key() {
		if err := e.recordExpr(rule, note, "", "", res); err != nil {
			return nil, err
		}
	}
	der := &Derivation{What: "second differential", F: f, Vars: []*expr.Symbol{x}, steps: e.steps, Differential: d2, Result: res}
	if swapped, err := swapDirections(d2); err == nil && expandedEqual(d2, swapped) {
		der.note(new(prose).text("the second differential is symmetric in ").node(expr.DN(x, 1)).text(" and ").node(expr.DN(x, 2)))
	}
	return der, nil
}

// swapDirections exchanges the directions dX₁ and dX₂ of n.
func swapDirections(n expr.Node) (expr.Node, error) {
	return expr.Map(n, func(m expr.Node) (expr.Node, error) {
		if d, ok := m.(*expr.Differential); ok && d.Index() != 0 {
			return expr.DN(d.Of(), 3-d.Index()), nil
		}
		return m, nil
	})
}

// canonTraces expands n and rotates every trace so that d comes last
// (transposing the product first when d appears transposed), so that
// equal terms of a second differential collect.
func canonTraces(n expr.Node, d *expr.Differential, limit int) (expr.Node, error) {
	ex, err := expr.Expand(n, limit)
	if err != nil {
		return nil, err
	}
	k := d.Key()
	return expr.Map(ex, func(m expr.Node) (expr.Node, error) {
		t, ok := m.(*expr.Trace)
		if !ok {
			return m, nil
		}
		p, ok := t.X().(*expr.Product)
		if !ok || len(p.Scalars()) > 0 {
			return m, nil
		}
		chain := p.Chain()
		find := func(ch []expr.Node) (int, bool) {
			for i, f := range ch {
				if f.Key() == k {
					return i, false
				}
				if tt, ok := f.(*expr.Transpose); ok && tt.X().Key() == k {
					return i, true
				}
			}
			return -1, false
		}
		i, transposed := find(chain)
		if i < 0 {
			return m, nil
		}
		if transposed {
			rev := make([]expr.Node, len(chain))
			for j, f := range chain {
				rev[len(chain)-1-j] = expr.T(f)
			}
			chain = rev
			if i, _ = find(chain); i < 0 {
				return m, nil
			}
		}
		rot := append(append([]expr.Node(nil), chain[i+1:]...), chain[:i+1]...)
		q, err := expr.Mul(rot...)
		if err != nil {
			return nil, err
		}
		return expr.Tr(q)
	})
}

// Hessian returns the Hessian H of the scalar f of the vector x: the
// second differential written as the bilinear form dx₂ᵀ H dx₁, H read off.
// For a matrix X it is the mn×mn H of vec(dX₂)ᵀ H vec(dX₁), symmetrised
// (see matrixHessian). A non-scalar f wraps ErrTensor.
func Hessian(f expr.Node, x *expr.Symbol, opts Options) (*Derivation, error) {
	if f == nil || x == nil {
		return nil, fmt.Errorf("hessian of nothing")
	}
	if !f.Shape().IsScalar() {
		return nil, fmt.Errorf("%w: %s is %s, not a scalar, so its second derivative has an index for each of its entries besides the two of a Hessian; d2(%s, %s) gives the second differential, jacobian(%s, %s) the first derivative as a matrix, and hessian takes one scalar entry at a time", ErrTensor, f, f.Shape(), f, x.Name(), f, x.Name())
	}
	if !x.Shape().Cols.IsOne() {
		return matrixHessian(f, x, opts)
	}
	e, d2, err := secondDifferential(f, x, opts)
	if err != nil {
		return nil, err
	}
	H, note, err := bilinearMatrix(d2, x, opts)
	if err != nil {
		return nil, err
	}
	form, err := expr.Mul(expr.T(expr.DN(x, 2)), H, expr.DN(x, 1))
	if err != nil {
		return nil, err
	}
	if err := e.recordExpr(RuleBilinear, note, "", "", form); err != nil {
		return nil, err
	}
	if err := e.recordExpr(RuleHessian, "", "H", "H", H); err != nil {
		return nil, err
	}
	der := &Derivation{What: "hessian", F: f, Vars: []*expr.Symbol{x}, steps: e.steps, Differential: d2, Result: H}
	der.nameSigmoid(func() (string, string) { return "H", "H" })
	return der, nil
}

// bilinearMatrix reads H off a second differential d2 = dx₂ᵀ H dx₁, and
// names the moves that took (dx₁ᵀA dx₂ = dx₂ᵀAᵀdx₁: a scalar is its own
// transpose).
func bilinearMatrix(d2 expr.Node, x *expr.Symbol, opts Options) (expr.Node, string, error) {
	H, mv, err := bilinear(d2, x, opts)
	if err != nil {
		return nil, "", err
	}
	var names []string
	// x is a vector: a rotation of a 1×1 product is scalars commuting.
	for _, r := range []RuleID{RuleHadamardDiag, RuleHadamardTrace, RuleSumEntries, RuleDiagTrace, RuleTraceTranspose, RuleScalarOut} {
		if mv[r] {
			if r == RuleTraceTranspose {
				r = RuleScalarTransposed
			}
			names = append(names, r.String())
		}
	}
	return H, strings.Join(names, ", "), nil
}

func bilinear(d2 expr.Node, x *expr.Symbol, opts Options) (expr.Node, moves, error) {
	d1, d2leaf := expr.DN(x, 1), expr.DN(x, 2)
	terms, err := splitLinear(d2, d1.Key(), opts.maxSize())
	if err != nil {
		return nil, nil, err
	}
	mv := moves{}
	var hs []expr.Term
	for _, t := range terms {
		if expr.IsZero(t.X) {
			continue
		}
		m1, err := lin(nil, t.X, d1, mv)
		if err != nil {
			return nil, nil, err
		}
		sub, err := splitLinear(expr.T(m1), d2leaf.Key(), opts.maxSize())
		if err != nil {
			return nil, nil, err
		}
		for _, s := range sub {
			if expr.IsZero(s.X) {
				continue
			}
			j, err := jac(s.X, d2leaf, mv)
			if err != nil {
				return nil, nil, err
			}
			hs = append(hs, expr.Term{Coef: new(big.Rat).Mul(t.Coef, s.Coef), X: expr.T(j)})
		}
	}
	var H expr.Node = expr.ZerosOf(expr.Shape{Rows: x.Shape().Rows, Cols: x.Shape().Rows})
	if len(hs) > 0 {
		if H, err = expr.Combine(hs...); err != nil {
			return nil, nil, err
		}
	}
	return simplifySymmetric(H, opts.maxSize()), mv, nil
}
