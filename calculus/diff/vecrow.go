package diff

import (
	"fmt"

	"github.com/matcalc/matcalc/calculus/expr"
)

// This file is the Jacobian of a scalar f of a matrix X in the vec
// layout of vec.go: the 1×mn row J with df = J vec(dX), read off term by
// term. Where f has a gradient G (df = tr(Gᵀ dX)) the row is vec(G)ᵀ; it
// exists too where G has no form in the language, when f holds vec(X)
// (aᵀvec(X) has the gradient unvec(a), and matcalc has no reshape).

// vecRowJacobian is Jacobian for a scalar f and a matrix X: the
// differential, each of its terms written J·vec(dX) (a trace by
// tr(M dX) = vec(Mᵀ)ᵀ vec(dX), anything else by the vec identities of
// vecJac), the terms collected and J read off.
func vecRowJacobian(f expr.Node, x *expr.Symbol, opts Options) (*Derivation, error) {
	e, df, d, terms, err := jacobianTerms(f, x, opts)
	if err != nil {
		return nil, err
	}
	vdx, err := vecOf(d)
	if err != nil {
		return nil, err
	}
	mv := moves{}
	traced := true // every term is tr(M dX): f has a gradient
	var js, shown []expr.Term
	for _, t := range terms {
		if expr.IsZero(t.X) {
			continue
		}
		_, lerr := linM(t.X, d, moves{})
		traced = traced && lerr == nil
		tm := moves{}
		j, err := vecJac(t.X, d, tm)
		if err != nil {
			return nil, err
		}
		rowMoves(t.X, d, lerr == nil, tm, mv)
		if js, shown, err = appendVecTerm(js, shown, t.Coef, j, vdx); err != nil {
			return nil, err
		}
	}
	J := expr.ZerosOf(expr.MatrixShape(expr.Int(1), vecSize(x.Shape())))
	if len(js) > 0 {
		canon, err := expr.Combine(shown...)
		if err != nil {
			return nil, err
		}
		if canon.Key() != df.Key() {
			rule, note := rowMoveRule(mv)
			if err := e.recordExpr(rule, note, "", "", canon); err != nil {
				return nil, err
			}
		}
		if J, err = expr.Combine(js...); err != nil {
			return nil, err
		}
		J = shorter(Simplify(J), tidyKron(J))
		col, err := expr.Mul(J, vdx)
		if err != nil {
			return nil, err
		}
		if len(js) > 1 && col.Key() != canon.Key() {
			if err := e.recordCollected(J, vdx); err != nil {
				return nil, err
			}
		}
	}
	if err := e.recordExpr(RuleReadVecRow, "", "J", `{\frak J}`, J); err != nil {
		return nil, err
	}
	e.readOff(RuleReadVecRow, x, opts)
	der := &Derivation{What: "jacobian", F: f, Vars: []*expr.Symbol{x}, steps: e.steps, Differential: df, Result: J, Layout: opts.Layout}
	der.rowNotes(x, J, traced, opts)
	return der, nil
}

// rowNotes says what the row J is and how it stands to the gradient.
func (d *Derivation) rowNotes(x *expr.Symbol, J expr.Node, traced bool, opts Options) {
	f, fL := opts.name(), latexFn(opts.name())
	xs := x.Shape()
	vx := `\operatorname{vec}` + x.LaTeX()
	grad, gradL := "grad("+f+", "+x.Name()+")", `\nabla_{`+symbolLaTeX(x)+`} `+fL
	d.note(new(prose).math("J = d"+f+"/d vec("+x.Name()+")'", `{\frak J} = \partial `+fL+` / \partial(`+vx+`)^{T}`).
		text(" is ").shape(J.Shape()).text(": a column for each entry of ").math("vec("+x.Name()+")", vx).
		text(" (").shape(xs).text("), in either layout; vec stacks the columns (column-major)"))
	switch {
	case !traced:
		d.note(new(prose).text("the gradient ").math(grad, gradL).text(" would be ").math("J'", `{\frak J}^{T}`).
			text(" reshaped into ").shape(xs).text(", and matcalc has no reshape: ").math("J", `{\frak J}`).
			text(" is the derivative here; where the gradient exists, ").
			math("J = vec("+grad+")'", `{\frak J} = \operatorname{vec}(`+gradL+`)^{T}`))
	case x.Props().Has(expr.Symmetric) || x.Props().Has(expr.Diagonal):
		d.note(new(prose).math("J = vec(G)'", `{\frak J} = \operatorname{vec}(G)^{T}`).text(" with ").
			math("d"+f+" = tr(G'*d"+x.Name()+")", `{\rm d}`+fL+` = \operatorname{tr}(G^{T}{\rm d}`+symbolLaTeX(x)+`)`).
			text(", every entry of ").node(x).text(" free; ").math(grad, gradL).
			text(" is the gradient on the matrices of ").node(x).text("'s structure instead"))
	default:
		d.note(new(prose).math("J = vec("+grad+")'", `{\frak J} = \operatorname{vec}(`+gradL+`)^{T}`).
			text(": the gradient's entries as a row; ").math(grad, gradL).text(" gives them as a matrix"))
	}
}

// rowMoves adds to mv the identities one term of a scalar f used (tm),
// named as they read for a 1×1 term: a trace (traced) is a vec product; a
// transposed vector (vec(dX)ᵀa = aᵀvec(dX)) is a scalar transposed, not
// K(1, mn); a 1×1 factor commutes rather than being vec of a multiple.
func rowMoves(term expr.Node, d *expr.Differential, traced bool, tm, mv moves) {
	if traced {
		tm = moves{RuleVecTrace: true}
	}
	if tm[RuleCommutation] && !transposesMatrixOf(term, d.Key()) {
		tm[RuleCommutation], tm[RuleScalarTransposed] = false, true
	}
	if tm[RuleVecScalar] {
		tm[RuleVecScalar], tm[RuleScalarOut] = false, true
	}
	for r, ok := range tm {
		mv[r] = mv[r] || ok
	}
}

// transposesMatrixOf reports whether n transposes a matrix (not a
// vector) that holds the differential k.
func transposesMatrixOf(n expr.Node, k string) bool {
	found := false
	expr.Inspect(n, func(m expr.Node) bool {
		if t, ok := m.(*expr.Transpose); ok && holds(t.X(), k) {
			s := t.X().Shape()
			if !s.Rows.IsOne() && !s.Cols.IsOne() {
				found = true
			}
		}
		return !found
	})
	return found
}

// rowRuleOrder is the order the identities of a scalar's row are named.
var rowRuleOrder = [...]RuleID{RuleVecTrace, RuleVecKron, RuleCommutation, RuleVecHadamard, RuleVecKronProduct, RuleScalarTransposed, RuleScalarOut}

// rowMoveRule names the identities used: the first as the step's rule,
// the others in its note.
func rowMoveRule(mv moves) (RuleID, string) { return moveRuleIn(mv, rowRuleOrder[:]) }

// ReshapeError is the error of Grad for a scalar f of a matrix X whose
// differential has no form tr(M dX) but is J vec(dX): the gradient would
// be Jᵀ reshaped into X's shape, which the language cannot write, and
// Jacobian gives J.
type ReshapeError struct {
	Name         string // f's name in the message: the student's, or f
	F            string // f as the student can pass it to jacobian
	X            *expr.Symbol
	Differential expr.Node // df
	Err          error     // why df has no trace form
}

// Error says what is missing and what to ask instead.
func (r *ReshapeError) Error() string {
	s, x := r.X.Shape(), r.X.Name()
	return fmt.Sprintf("d%s = %s has no form tr(M*d%s): the gradient would need a reshape of a vector into %s×%s, which matcalc does not have; jacobian(%s, %s) gives its vec form, the row J with d%s = J*vec(d%s)",
		r.Name, r.Differential, x, s.Rows, s.Cols, r.F, x, r.Name, x)
}

// Unwrap returns the reason the differential has no trace form.
func (r *ReshapeError) Unwrap() error { return r.Err }

// reshapeError is Grad's error when df has no trace form (err): a
// ReshapeError when x is a matrix and df is J vec(dX), else err.
func reshapeError(f expr.Node, x *expr.Symbol, df expr.Node, d *expr.Differential, opts Options, err error) error {
	if x.Shape().Cols.IsOne() || !holdsVecOf(df, d.Key()) {
		return err
	}
	terms, serr := splitLinear(df, d.Key(), opts.maxSize())
	if serr != nil {
		return err
	}
	for _, t := range terms {
		if expr.IsZero(t.X) {
			continue
		}
		if _, jerr := vecJac(t.X, d, moves{}); jerr != nil {
			return err
		}
	}
	text := opts.Name
	if text == "" {
		text = f.String()
	}
	return &ReshapeError{Name: opts.name(), F: text, X: x, Differential: df, Err: err}
}

// holdsVecOf reports whether n has a vec of something that holds the
// differential k: what keeps a trace form out of reach.
func holdsVecOf(n expr.Node, k string) bool {
	found := false
	expr.Inspect(n, func(m expr.Node) bool {
		if v, ok := m.(*expr.Vectorize); ok && holds(v.X(), k) {
			found = true
		}
		return !found
	})
	return found
}
