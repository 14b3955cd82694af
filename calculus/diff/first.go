package diff

import (
	"fmt"
	"math/big"

	"github.com/matcalc/matcalc/calculus/expr"
)

// Differential returns df with respect to vars (every symbol of f when
// vars is empty; the others are held constant), with every step. f may
// have any shape. The result is df, simplified.
func Differential(f expr.Node, vars []*expr.Symbol, opts Options) (*Derivation, error) {
	if f == nil {
		return nil, fmt.Errorf("differential of nothing")
	}
	if len(vars) == 0 {
		vars = expr.Symbols(f)
	}
	e := newEngine(vars, 0, opts)
	lhs, lhsL := opts.dLHS()
	df, err := e.differential(f, lhs, lhsL)
	if err != nil {
		return nil, err
	}
	// The differential is shown as the rules leave it: factoring would
	// split its terms across differentials. Only a trace of an outer
	// product is written as the scalar it is (tr(dx yᵀ) = yᵀdx), as the
	// text does.
	res := df
	if out, err := expr.Map(df, func(m expr.Node) (expr.Node, error) {
		if t, ok := m.(*expr.Trace); ok {
			return traceOfOuter(t), nil
		}
		return m, nil
	}); err == nil && !expr.Equal(out, df) {
		if err := e.recordExpr(RuleCyclic, "", "", "", out); err != nil {
			return nil, err
		}
		res = out
	}
	return &Derivation{What: "differential", F: f, Vars: vars, steps: e.steps, Differential: df, Result: res}, nil
}

// Grad returns the gradient of the scalar f with respect to x: the
// differential with every step, its canonical form tr(Gᵀ dX) (Gᵀdx for a
// vector, f'(x)dx for a scalar), G read off and simplified. For a
// symmetric (or spd) x the gradient on symmetric matrices sym(G) is
// returned and a note says so. With Layout Numerator a vector's gradient
// is returned as a row.
func Grad(f expr.Node, x *expr.Symbol, opts Options) (*Derivation, error) {
	if f == nil || x == nil {
		return nil, fmt.Errorf("grad of nothing")
	}
	if !f.Shape().IsScalar() {
		return nil, fmt.Errorf("grad needs a scalar function, %s is %s (use jacobian for a vector, d for a matrix)", f, f.Shape())
	}
	e := newEngine([]*expr.Symbol{x}, 0, opts)
	lhs, lhsL := opts.dLHS()
	df, err := e.differential(f, lhs, lhsL)
	if err != nil {
		return nil, err
	}
	d := e.dOf(x)
	M, err := e.canonical(df, d)
	if err != nil {
		return nil, reshapeError(f, x, df, d, opts, err)
	}
	G := M
	if !x.Shape().IsScalar() {
		G = expr.T(M)
	}
	G = Simplify(G)
	rule := RuleReadMatrix
	switch {
	case x.Shape().IsScalar():
		rule = RuleReadScalar
	case x.Shape().Cols.IsOne():
		rule = RuleReadGradient
	}
	if err := e.recordExpr(rule, "", "grad("+opts.name()+", "+x.Name()+")", "", G); err != nil {
		return nil, err
	}
	e.lastSource().lhsTeX = func() string { return gradTeX(x, opts) }
	e.readOff(rule, x, opts)
	der := &Derivation{What: "gradient", F: f, Vars: []*expr.Symbol{x}, Differential: df, Layout: opts.Layout}
	if x.Props().Has(expr.Diagonal) {
		dg, err := expr.Diag(G)
		if err != nil {
			return nil, err
		}
		if _, ok := dg.(*expr.DiagPart); ok {
			if G, err = expr.Diag(dg); err != nil {
				return nil, err
			}
			if err := e.recordExpr(RuleDiagonal, "", "", "", G); err != nil {
				return nil, err
			}
		}
		der.note(new(prose).node(x).text(" is diagonal: the gradient is taken on diagonal matrices, ").
			math("diag(diag(G))", `\operatorname{diag}(\operatorname{diag}(G))`))
	} else if x.Props().Has(expr.Symmetric) {
		if !expr.IsSymmetric(G) {
			s, err := expr.Add(G, expr.T(G))
			if err != nil {
				return nil, err
			}
			G = Simplify(expr.Scale(big.NewRat(1, 2), s))
			if err := e.recordExpr(RuleSymmetric, "", "", "", G); err != nil {
				return nil, err
			}
		}
		der.note(new(prose).node(x).text(" is symmetric: the gradient is taken on symmetric matrices under the Frobenius inner product, ").
			math("sym(G) = (G + G')/2", `\operatorname{sym}(G) = \tfrac{1}{2}(G + G^{T})`).
			text(" (not the Matrix Cookbook's ").math("2G - G.*I", `2G - G \odot I`).text(")"))
	}
	if opts.Layout == Numerator && !x.Shape().IsScalar() {
		G = expr.T(G)
		if err := e.recordExpr(RuleLayout, "", "d"+opts.name()+"/d"+x.Name(), `\frac{\partial `+latexFn(opts.name())+`}{\partial `+symbolLaTeX(x)+`}`, G); err != nil {
			return nil, err
		}
		der.note(new(prose).text("numerator layout: the derivative is a row, the transpose of the gradient"))
	}
	der.steps, der.Result = e.steps, G
	if opts.Layout != Numerator {
		der.nameSigmoid(func() (string, string) { return "grad(" + opts.name() + ", " + x.Name() + ")", gradTeX(x, opts) })
	}
	return der, nil
}

// gradTeX is ∇_x f in LaTeX.
func gradTeX(x *expr.Symbol, opts Options) string {
	return `\nabla_{` + symbolLaTeX(x) + `} ` + latexFn(opts.name())
}

// jacobianTerms takes the differential dF of F (named dF unless the
// options name it; df for a scalar F) with x the variable, and splits it
// into terms linear in dx: the start that Jacobian, vecJacobian and the
// row Jacobian of a scalar share.
func jacobianTerms(F expr.Node, x *expr.Symbol, opts Options) (*engine, expr.Node, *expr.Differential, []expr.Term, error) {
	e := newEngine([]*expr.Symbol{x}, 0, opts)
	lhs, lhsL := opts.dLHS()
	if opts.Name == "" && !F.Shape().IsScalar() {
		lhs, lhsL = "dF", func() string { return `{\rm d}F` }
	}
	df, err := e.differential(F, lhs, lhsL)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	d := e.dOf(x)
	terms, err := splitLinear(df, d.Key(), opts.maxSize())
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return e, df, d, terms, nil
}

// Jacobian returns J with dF = J·dx for a vector (or scalar) F of a
// vector (or scalar) x, J of shape len(F)×len(x), in both layouts. For a
// matrix F or a matrix X it is J with d vec(F) = J d vec(X), written with
// kron, the identity and the commutation matrix (see vecJacobian); for a
// scalar f of a matrix X that is the row J = vec(∇f)ᵀ, found also where
// ∇f has no form in the language (f = aᵀvec(X), see vecRowJacobian).
func Jacobian(F expr.Node, x *expr.Symbol, opts Options) (*Derivation, error) {
	if F == nil || x == nil {
		return nil, fmt.Errorf("jacobian of nothing")
	}
	fs, xs := F.Shape(), x.Shape()
	if fs.IsScalar() && !xs.Cols.IsOne() {
		return vecRowJacobian(F, x, opts)
	}
	if !fs.Cols.IsOne() || !xs.Cols.IsOne() {
		return vecJacobian(F, x, opts)
	}
	e, df, d, terms, err := jacobianTerms(F, x, opts)
	if err != nil {
		return nil, err
	}
	mv := moves{}
	var js, shown []expr.Term
	for _, t := range terms {
		if expr.IsZero(t.X) {
			continue
		}
		j, err := jac(t.X, d, mv)
		if err != nil {
			return nil, err
		}
		js = append(js, expr.Term{Coef: t.Coef, X: j})
		p, err := expr.Mul(j, d)
		if err != nil {
			return nil, err
		}
		shown = append(shown, expr.Term{Coef: t.Coef, X: p})
	}
	var J expr.Node
	if len(js) == 0 {
		J = expr.ZerosOf(expr.Shape{Rows: fs.Rows, Cols: xs.Rows})
	} else {
		canon, err := expr.Combine(shown...)
		if err != nil {
			return nil, err
		}
		if canon.Key() != df.Key() {
			rule, note := e.moveRule(mv, d)
			if mv[RuleScalarOut] {
				// x (dxᵀx): the 1×1 factor commutes, and any other move
				// (the scalar transposed) is named beside it.
				others := moves{}
				for r, ok := range mv {
					if ok && r != RuleScalarOut {
						others[r] = true
					}
				}
				rule, note = RuleScalarOut, ""
				if len(others) > 0 {
					r, n := e.moveRule(others, d)
					note = r.String()
					if n != "" {
						note += ", " + n
					}
				}
			}
			if err := e.recordExpr(rule, note, "", "", canon); err != nil {
				return nil, err
			}
		}
		if J, err = expr.Combine(js...); err != nil {
			return nil, err
		}
		J = Simplify(J)
		col, err := expr.Mul(J, d)
		if err != nil {
			return nil, err
		}
		if len(js) > 1 && col.Key() != canon.Key() {
			if err := e.recordExpr(RuleCollect, "", "", "", col); err != nil {
				return nil, err
			}
		}
	}
	if err := e.recordExpr(RuleReadJacobian, "", "J", `{\frak J}`, J); err != nil {
		return nil, err
	}
	e.readOff(RuleReadJacobian, x, opts)
	return &Derivation{What: "jacobian", F: F, Vars: []*expr.Symbol{x}, steps: e.steps, Differential: df, Result: J}, nil
}
