package diff

import (
	"fmt"
	"math/big"

	"github.com/matcalc/matcalc/calculus/expr"
)

// This file writes derivatives of matrix functions as matrices, the way
// Magnus & Neudecker and MIT 18.S096 do: vec of the differential, each
// term brought to J·vec(dX) by vec(A dX B) = (Bᵀ ⊗ A) vec(dX) and
// vec(dXᵀ) = K vec(dX), the terms collected and J read off (the first
// identification theorem); for a scalar f of a matrix X the Hessian is
// read off d²f = vec(dX₂)ᵀ B vec(dX₁) and symmetrised (the second).

// kron is a ⊗ b with I_p ⊗ I_q written I_pq.
func kron(a, b expr.Node) (expr.Node, error) {
	ia, okA := a.(*expr.Identity)
	ib, okB := b.(*expr.Identity)
	if okA && okB {
		return expr.Eye(ia.N().Mul(ib.N())), nil
	}
	return expr.Kron(a, b)
}

// vecOf returns vec(n) (n itself for a column), the scalar factors of a
// product in front: vec(c·M) = c·vec(M).
func vecOf(n expr.Node) (expr.Node, error) {
	if p, ok := n.(*expr.Product); ok && len(p.Scalars()) > 0 && len(p.Chain()) > 0 {
		c, err := mul(p.Chain()...)
		if err != nil {
			return nil, err
		}
		v, err := expr.Vec(c)
		if err != nil {
			return nil, err
		}
		return expr.Mul(append(p.Scalars(), v)...)
	}
	if t := asTerm(n); t.X != n {
		v, err := vecOf(t.X)
		if err != nil {
			return nil, err
		}
		return expr.Scale(t.Coef, v), nil
	}
	return expr.Vec(n)
}

// vecSize is the length of vec of a node of shape s.
func vecSize(s expr.Shape) expr.Dim { return s.Rows.Mul(s.Cols) }

// vecJac returns J with vec(H) = J·vec(dX) for H linear in the leaf d,
// noting in mv the identities it used.
func vecJac(H expr.Node, d *expr.Differential, mv moves) (expr.Node, error) {
	k := d.Key()
	if d.Shape().IsScalar() {
		// dt is 1×1: H = H|dt=1 · dt, so vec(H) = vec(H|dt=1) dt.
		h1, err := scalarOut(H, d, mv)
		if err != nil {
			return nil, err
		}
		return vecOf(h1)
	}
	if H.Shape().IsScalar() {
		// s = tr(M dX) = vec(Mᵀ)ᵀ vec(dX); a scalar with no trace form
		// (aᵀvec(dX)) is taken apart like any other 1×1 matrix below.
		tm := moves{}
		M, err := linM(H, d, tm)
		if err == nil {
			for r, ok := range tm {
				mv[r] = mv[r] || ok
			}
			v, err := vecOf(expr.T(M))
			if err != nil {
				return nil, err
			}
			return expr.T(v), nil
		}
	}
	switch h := H.(type) {
	case *expr.Differential:
		if h.Key() == k {
			return expr.Eye(vecSize(d.Shape())), nil
		}
	case *expr.Transpose:
		y := h.X()
		if !holds(y, k) {
			break
		}
		mv[RuleCommutation] = true
		kk := expr.Commute(y.Shape().Rows, y.Shape().Cols)
		if y.Key() == k {
			return kk, nil
		}
		j, err := vecJac(y, d, mv)
		if err != nil {
			return nil, err
		}
		return expr.Mul(kk, j)
	case *expr.Sum:
		var terms []expr.Term
		for _, t := range h.Terms() {
			if !holds(t.X, k) {
				return nil, fmt.Errorf("the term %s does not hold %s: the differential is not linear", t.X, d)
			}
			j, err := vecJac(t.X, d, mv)
			if err != nil {
				return nil, err
			}
			terms = append(terms, expr.Term{Coef: t.Coef, X: j})
		}
		return expr.Combine(terms...)
	case *expr.Product:
		return vecJacProduct(h, d, mv)
	case *expr.HadamardProduct:
		fs := h.Factors()
		for i, f := range fs {
			if !holds(f, k) {
				continue
			}
			others, err := expr.Hadamard(append(append([]expr.Node(nil), fs[:i]...), fs[i+1:]...)...)
			if err != nil {
				return nil, err
			}
			mv[RuleVecHadamard] = true
			vo, err := vecOf(others)
			if err != nil {
				return nil, err
			}
			dg, err := expr.Diag(vo)
			if err != nil {
				return nil, err
			}
			j, err := vecJac(f, d, mv)
			if err != nil {
				return nil, err
			}
			return expr.Mul(dg, j)
		}
	case *expr.Vectorize:
		return vecJac(h.X(), d, mv)
	case *expr.KronProduct:
		return vecJacKron(h, d, mv)
	case *expr.DiagMatrix:
		// vec(diag(v)) = diag(vec(Iₙ)) (𝟙ₙ ⊗ Iₙ) v
		return vecJacDiag(h.X(), false, d, mv)
	case *expr.DiagPart:
		// diag(Y) = (𝟙ₙᵀ ⊗ Iₙ) diag(vec(Iₙ)) vec(Y)
		return vecJacDiag(h.X(), true, d, mv)
	}
	return nil, fmt.Errorf("cannot write vec(%s) as J vec(%s)", H, d)
}

// linM is lin(nil, H, d): M with H = tr(M dX), of the shape of dXᵀ (a
// scalar s that lin leaves for a square dX is s·I).
func linM(H expr.Node, d *expr.Differential, mv moves) (expr.Node, error) {
	M, err := lin(nil, H, d, mv)
	if err != nil {
		return nil, err
	}
	if M.Shape().IsScalar() && !d.Shape().IsScalar() {
		return expr.Mul(M, expr.Eye(d.Shape().Cols))
	}
	return M, nil
}

// appendVecTerm adds a term c·J of a vec Jacobian, J tidied, to js and
// its line c·J·vec(dX) to shown.
func appendVecTerm(js, shown []expr.Term, c *big.Rat, j, vdx expr.Node) ([]expr.Term, []expr.Term, error) {
	j = shorter(Simplify(j), tidyKron(j))
	p, err := expr.Mul(j, vdx)
	if err != nil {
		return nil, nil, err
	}
	return append(js, expr.Term{Coef: c, X: j}), append(shown, expr.Term{Coef: c, X: p}), nil
}

// vecJacDiag is vecJac of diag(x): the selector of diagSelect (part for
// the diagonal of a matrix x, else the matrix of a vector x) times x's J.
func vecJacDiag(x expr.Node, part bool, d *expr.Differential, mv moves) (expr.Node, error) {
	sel, err := diagSelect(x.Shape().Rows, part)
	if err != nil {
		return nil, err
	}
	mv[RuleVecHadamard] = true
	j, err := vecJac(x, d, mv)
	if err != nil {
		return nil, err
	}
	return expr.Mul(sel, j)
}

// diagSelect is diag(vec(Iₙ))(𝟙ₙ ⊗ Iₙ), the n²×n matrix with
// vec(diag(v)) = it·v, or its transpose, with diag(Y) = it·vec(Y).
func diagSelect(n expr.Dim, part bool) (expr.Node, error) {
	vi, err := vecOf(expr.Eye(n))
	if err != nil {
		return nil, err
	}
	dvi, err := expr.Diag(vi)
	if err != nil {
		return nil, err
	}
	rep, err := kron(expr.OnesOf(expr.VectorShape(n)), expr.Eye(n))
	if err != nil {
		return nil, err
	}
	if part {
		return expr.Mul(expr.T(rep), dvi)
	}
	return expr.Mul(dvi, rep)
}

// vecJacProduct is vecJac of a product s·L f R: a scalar factor that
// holds dX gives vec(R)·vec(Mᵀ)ᵀ, a matrix factor (Rᵀ ⊗ L).
func vecJacProduct(h *expr.Product, d *expr.Differential, mv moves) (expr.Node, error) {
	k := d.Key()
	scalars, chain := h.Scalars(), h.Chain()
	for i, s := range scalars {
		if !holds(s, k) {
			continue
		}
		others := append(append([]expr.Node(nil), scalars[:i]...), scalars[i+1:]...)
		rest, err := mul(append(others, chain...)...)
		if err != nil {
			return nil, err
		}
		row, err := vecJac(s, d, mv) // vec(Mᵀ)ᵀ, 1×mn
		if err != nil {
			return nil, err
		}
		if rest == nil {
			return row, nil
		}
		mv[RuleVecScalar] = true
		vr, err := vecOf(rest)
		if err != nil {
			return nil, err
		}
		return expr.Mul(vr, row)
	}
	for i, f := range chain {
		if !holds(f, k) {
			continue
		}
		L, err := mul(chain[:i]...)
		if err != nil {
			return nil, err
		}
		R, err := mul(chain[i+1:]...)
		if err != nil {
			return nil, err
		}
		j, err := vecJac(f, d, mv)
		if err != nil {
			return nil, err
		}
		if L == nil && R == nil {
			return mul(append(append([]expr.Node(nil), scalars...), j)...)
		}
		if L == nil {
			L = expr.Eye(f.Shape().Rows)
		}
		if R == nil {
			R = expr.Eye(f.Shape().Cols)
		}
		mv[RuleVecKron] = true
		kr, err := kron(expr.T(R), L)
		if err != nil {
			return nil, err
		}
		return mul(append(append([]expr.Node(nil), scalars...), kr, j)...)
	}
	return nil, fmt.Errorf("cannot write vec(%s) as J vec(%s)", h, d)
}

// vecJacKron is vecJac of A ⊗ B, A m×n and B p×q, one of them holding
// dX: vec(A ⊗ B) = (Iₙ ⊗ K(q, m) ⊗ Iₚ)(vec A ⊗ vec B), and vec A ⊗ vec B
// = (vec A ⊗ I_pq) vec B = (I_mn ⊗ vec B) vec A.
func vecJacKron(h *expr.KronProduct, d *expr.Differential, mv moves) (expr.Node, error) {
	k := d.Key()
	a, b := h.A(), h.B()
	m, n := a.Shape().Rows, a.Shape().Cols
	p, q := b.Shape().Rows, b.Shape().Cols
	mv[RuleVecKronProduct] = true
	left, err := kron(expr.Eye(n), expr.Commute(q, m))
	if err != nil {
		return nil, err
	}
	if left, err = kron(left, expr.Eye(p)); err != nil {
		return nil, err
	}
	var mid, inner expr.Node
	switch {
	case holds(b, k) && !holds(a, k):
		va, err := vecOf(a)
		if err != nil {
			return nil, err
		}
		if mid, err = kron(va, expr.Eye(p.Mul(q))); err != nil {
			return nil, err
		}
		if inner, err = vecJac(b, d, mv); err != nil {
			return nil, err
		}
	case holds(a, k) && !holds(b, k):
		vb, err := vecOf(b)
		if err != nil {
			return nil, err
		}
		if mid, err = kron(expr.Eye(m.Mul(n)), vb); err != nil {
			return nil, err
		}
		if inner, err = vecJac(a, d, mv); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("cannot write vec(%s) as J vec(%s)", h, d)
	}
	return expr.Mul(left, mid, inner)
}

// vecRuleOrder is the order the vec identities are named in a step.
var vecRuleOrder = [...]RuleID{RuleVecKron, RuleCommutation, RuleVecHadamard, RuleVecScalar, RuleVecKronProduct, RuleScalarOut}

// vecMoveRule names the identities used: the first as the step's rule,
// the others in its note.
func vecMoveRule(mv moves) (RuleID, string) { return moveRuleIn(mv, vecRuleOrder[:]) }

// moveRuleIn names the identities of mv in the order given: the first as
// the step's rule (the vec of a product when there is none), the others
// in its note.
func moveRuleIn(mv moves, order []RuleID) (RuleID, string) {
	rule, note := RuleID(-1), ""
	for _, r := range order {
		if !mv[r] {
			continue
		}
		if rule < 0 {
			rule = r
			continue
		}
		if note != "" {
			note += ", "
		}
		note += r.String()
	}
	if rule < 0 {
		rule = RuleVecKron
	}
	return rule, note
}

// vecJacobian is Jacobian for a matrix F or a matrix X: J with
// d vec(F) = J d vec(X), J = ∂vec F/∂(vec X)ᵀ of size pq×mn.
func vecJacobian(F expr.Node, x *expr.Symbol, opts Options) (*Derivation, error) {
	e, df, d, terms, err := jacobianTerms(F, x, opts)
	if err != nil {
		return nil, err
	}
	name := "F"
	if opts.Name != "" {
		name = opts.Name
	}
	vl, vL := "d vec("+name+")", `{\rm d}\operatorname{vec}`+latexFn(name)
	var nonzero []expr.Term
	for _, t := range terms {
		if !expr.IsZero(t.X) {
			nonzero = append(nonzero, t)
		}
	}
	vdx, err := vecOf(d)
	if err != nil {
		return nil, err
	}
	next := ""
	next2 := ""
	if !F.Shape().Cols.IsOne() {
		// d vec F = vec(dF) = Σ vec(termᵢ): vec is linear.
		var vs []expr.Term
		for _, t := range nonzero {
			v, err := vecOf(t.X)
			if err != nil {
				return nil, err
			}
			vs = append(vs, expr.Term{Coef: t.Coef, X: v})
		}
		var shown expr.Node = expr.ZerosOf(expr.VectorShape(vecSize(F.Shape())))
		if len(vs) > 0 {
			if shown, err = expr.Combine(vs...); err != nil {
				return nil, err
			}
		}
		if err := e.recordExpr(RuleVec, "", vl, vL, shown); err != nil {
			return nil, err
		}
	} else {
		next, next2 = vl, vL
	}
	mv := moves{}
	var js, shown []expr.Term
	for _, t := range nonzero {
		j, err := vecJac(t.X, d, mv)
		if err != nil {
			return nil, err
		}
		if js, shown, err = appendVecTerm(js, shown, t.Coef, j, vdx); err != nil {
			return nil, err
		}
	}
	J := expr.ZerosOf(expr.MatrixShape(vecSize(F.Shape()), vecSize(x.Shape())))
	if len(js) > 0 {
		canon, err := expr.Combine(shown...)
		if err != nil {
			return nil, err
		}
		rule, note := vecMoveRule(mv)
		if err := e.recordExpr(rule, note, next, next2, canon); err != nil {
			return nil, err
		}
		if J, err = expr.Combine(js...); err != nil {
			return nil, err
		}
		J = shorter(Simplify(J), tidyKron(J))
		if len(js) > 1 {
			if err := e.recordCollected(J, vdx); err != nil {
				return nil, err
			}
		}
	}
	if err := e.recordExpr(RuleReadVecJacobian, "", "J", `{\frak J}`, J); err != nil {
		return nil, err
	}
	der := &Derivation{What: "jacobian", F: F, Vars: []*expr.Symbol{x}, steps: e.steps, Differential: df, Result: J, Layout: opts.Layout}
	fs, xs := F.Shape(), x.Shape()
	vx := `\operatorname{vec}` + x.LaTeX()
	der.note(new(prose).math("J = d vec("+name+")/d vec("+x.Name()+")'", `{\frak J} = \partial\operatorname{vec}`+latexFn(name)+` / \partial(`+vx+`)^{T}`).
		text(" is ").shape(J.Shape()).text(": a row for each entry of ").math("vec("+name+")", `\operatorname{vec}`+latexFn(name)).text(" (").shape(fs).
		text("), a column for each entry of ").math("vec("+x.Name()+")", vx).text(" (").shape(xs).
		text("), in either layout; vec stacks the columns (column-major)"))
	der.note(new(prose).text("the differential ").math("d"+name+" = "+df.String(), `{\rm d}`+latexFn(name)+` = `+df.LaTeX()).
		text(" is the same linear map, and often the clearer answer"))
	return der, nil
}

// recordCollected records the line J·vec(dX) with J as read off: the
// product is written out as it stands, since the normal form of J·vec(dX)
// may turn it round ((…)ᵀ vec(dX)).
func (e *engine) recordCollected(J, vdx expr.Node) error {
	p, err := expr.Mul(J, vdx)
	if err != nil {
		return err
	}
	plain, latex := J.String(), J.LaTeX()
	if _, ok := J.(*expr.Sum); ok {
		plain, latex = "("+plain+")", `\left(`+latex+`\right)`
	}
	return e.record(Step{Rule: RuleCollect, Plain: plain + "*" + vdx.String(), LaTeX: latex + " " + vdx.LaTeX(), Expr: p})
}

// matrixHessian is Hessian for a matrix X: d²f written as
// vec(dX₂)ᵀ B vec(dX₁), and H = (B + Bᵀ)/2 (the second identification
// theorem), mn×mn for an m×n X.
func matrixHessian(f expr.Node, x *expr.Symbol, opts Options) (*Derivation, error) {
	e, d2, err := secondDifferential(f, x, opts)
	if err != nil {
		return nil, err
	}
	d1, d2l := expr.DN(x, 1), expr.DN(x, 2)
	terms, err := splitLinear(d2, d1.Key(), opts.maxSize())
	if err != nil {
		return nil, err
	}
	mv := moves{}
	var bs []expr.Term
	for _, t := range terms {
		if expr.IsZero(t.X) {
			continue
		}
		// t = tr(M₁ dX₁) = vec(M₁ᵀ)ᵀ vec(dX₁), and vec(M₁ᵀ) = J vec(dX₂).
		col, err := hessianColumn(t.X, d1, mv)
		if err != nil {
			return nil, err
		}
		sub, err := splitLinear(col, d2l.Key(), opts.maxSize())
		if err != nil {
			return nil, err
		}
		for _, s := range sub {
			if expr.IsZero(s.X) {
				continue
			}
			j, err := vecJac(s.X, d2l, mv)
			if err != nil {
				return nil, err
			}
			bs = append(bs, expr.Term{Coef: new(big.Rat).Mul(t.Coef, s.Coef), X: tidyKron(expr.T(j))})
		}
	}
	n := vecSize(x.Shape())
	var B expr.Node = expr.ZerosOf(expr.MatrixShape(n, n))
	if len(bs) > 0 {
		if B, err = expr.Combine(bs...); err != nil {
			return nil, err
		}
		B = tidyKron(B)
	}
	v1, err := vecOf(d1)
	if err != nil {
		return nil, err
	}
	v2, err := vecOf(d2l)
	if err != nil {
		return nil, err
	}
	form, err := expr.Mul(expr.T(v2), B, v1)
	if err != nil {
		return nil, err
	}
	_, note := vecMoveRule(mv)
	if r, _ := vecMoveRule(mv); mv[r] {
		if note != "" {
			note = r.String() + ", " + note
		} else {
			note = r.String()
		}
	}
	if err := e.recordExpr(RuleVecBilinear, note, "", "", form); err != nil {
		return nil, err
	}
	H := B
	if !symmetricKron(B) {
		s, err := expr.Add(B, expr.T(B))
		if err != nil {
			return nil, err
		}
		H = tidyKron(expr.Scale(big.NewRat(1, 2), s))
		if err := e.recordExpr(RuleSecondIdentification, "", "H", "H", H); err != nil {
			return nil, err
		}
	} else if err := e.recordExpr(RuleSecondIdentification, "already symmetric", "H", "H", H); err != nil {
		return nil, err
	}
	der := &Derivation{What: "hessian", F: f, Vars: []*expr.Symbol{x}, steps: e.steps, Differential: d2, Result: H, Layout: opts.Layout}
	der.note(new(prose).math("H", "H").text(" is ").shape(H.Shape()).text(", the matrix of ").
		math("d2f = vec(dX2)'*H*vec(dX1)", `{\rm d}^{2}f = \operatorname{vec}({\rm d}X_{2})^{T} H \operatorname{vec}({\rm d}X_{1})`).
		text("; vec stacks the columns (column-major)"))
	return der, nil
}

// hessianColumn is M₁ᵀ with t = tr(M₁ dX₁), whose vec is the column c
// with t = cᵀvec(dX₁); a term with no trace form (aᵀvec(dX₁)) gives c
// itself, the transposed row of vecJac.
func hessianColumn(t expr.Node, d1 *expr.Differential, mv moves) (expr.Node, error) {
	m1, err := linM(t, d1, mv)
	if err == nil {
		return expr.T(m1), nil
	}
	row, rerr := vecJac(t, d1, moves{})
	if rerr != nil {
		return nil, err
	}
	return expr.T(row), nil
}

// tidyKron writes a Jacobian or Hessian the way the texts do, bottom-up:
// a commutation matrix moves left through a Kronecker product,
// (A ⊗ B) K(n, q) = K(m, p) (B ⊗ A) for A m×n, B p×q, so that
// K(n, n)(X⁻ᵀ ⊗ X⁻¹) is seen to be symmetric; terms with a common
// Kronecker factor collect, A ⊗ B + A ⊗ C = A ⊗ (B + C); and the result
// is simplified. The value is unchanged.
func tidyKron(n expr.Node) expr.Node {
	out, err := expr.Map(Simplify(n), func(m expr.Node) (expr.Node, error) {
		switch m := m.(type) {
		case *expr.Product:
			return kronThroughK(m), nil
		case *expr.Sum:
			if c, ok := collectKron(m).(*expr.Sum); ok {
				return collectDiagVec(c), nil
			}
			return collectKron(m), nil
		}
		return m, nil
	})
	if err != nil {
		return n
	}
	return Simplify(out)
}

// kronThroughK moves each K in the chain of p left of a Kronecker
// product before it: (A ⊗ B) K(n, q) = K(m, p) (B ⊗ A).
func kronThroughK(p *expr.Product) expr.Node {
	chain := p.Chain()
	changed := false
	for again := true; again; {
		again = false
		for i := 0; i+1 < len(chain); i++ {
			kp, ok1 := chain[i].(*expr.KronProduct)
			k, ok2 := chain[i+1].(*expr.Commutation)
			if !ok1 || !ok2 {
				continue
			}
			a, b := kp.A(), kp.B()
			if k.M() != a.Shape().Cols || k.N() != b.Shape().Cols {
				continue
			}
			ba, err := expr.Kron(b, a)
			if err != nil {
				return p
			}
			chain[i], chain[i+1] = expr.Commute(a.Shape().Rows, b.Shape().Rows), ba
			changed, again = true, true
		}
	}
	if !changed {
		return p
	}
	out, err := expr.Mul(append(p.Scalars(), chain...)...)
	if err != nil {
		return p
	}
	return out
}

// collectDiagVec writes c₁ diag(vec A) + c₂ diag(vec B) as
// diag(vec(c₁A + c₂B)), the Jacobian of an elementwise product rule.
func collectDiagVec(s *expr.Sum) expr.Node {
	var ins, rest []expr.Term
	for _, t := range s.Terms() {
		if dm, ok := t.X.(*expr.DiagMatrix); ok {
			if v, ok := dm.X().(*expr.Vectorize); ok {
				ins = append(ins, expr.Term{Coef: t.Coef, X: v.X()})
				continue
			}
		}
		rest = append(rest, t)
	}
	if len(ins) < 2 {
		return s
	}
	in, err := expr.Combine(ins...)
	if err != nil {
		return s
	}
	v, err := expr.Vec(Simplify(in))
	if err != nil {
		return s
	}
	dg, err := expr.Diag(v)
	if err != nil {
		return s
	}
	out, err := expr.Combine(append(rest, expr.Unit(dg))...)
	if err != nil {
		return s
	}
	return out
}

// collectKron collects the terms of s that are Kronecker products with a
// common left or right factor: c₁ A ⊗ B + c₂ A ⊗ C = A ⊗ (c₁B + c₂C).
func collectKron(s *expr.Sum) expr.Node {
	ts := s.Terms()
	for i := 0; i < len(ts); i++ {
		ki, ok := ts[i].X.(*expr.KronProduct)
		if !ok {
			continue
		}
		for j := i + 1; j < len(ts); j++ {
			kj, ok := ts[j].X.(*expr.KronProduct)
			if !ok {
				continue
			}
			var merged expr.Node
			var err error
			switch {
			case ki.A().Key() == kj.A().Key() && ki.B().Shape() == kj.B().Shape():
				var in expr.Node
				if in, err = expr.Combine(expr.Term{Coef: ts[i].Coef, X: ki.B()}, expr.Term{Coef: ts[j].Coef, X: kj.B()}); err == nil {
					merged, err = kron(ki.A(), Simplify(in))
				}
			case ki.B().Key() == kj.B().Key() && ki.A().Shape() == kj.A().Shape():
				var in expr.Node
				if in, err = expr.Combine(expr.Term{Coef: ts[i].Coef, X: ki.A()}, expr.Term{Coef: ts[j].Coef, X: kj.A()}); err == nil {
					merged, err = kron(Simplify(in), ki.B())
				}
			default:
				continue
			}
			if err != nil {
				return s
			}
			rest := []expr.Term{expr.Unit(merged)}
			for k, t := range ts {
				if k != i && k != j {
					rest = append(rest, t)
				}
			}
			out, err := expr.Combine(rest...)
			if err != nil {
				return s
			}
			if os, ok := out.(*expr.Sum); ok {
				return collectKron(os)
			}
			return out
		}
	}
	return s
}

// shorter returns b when it prints shorter than a, else a: the texts
// keep (Bᵀ ⊗ A) K but write (I + K)(I ⊗ Xᵀ) once K has moved.
func shorter(a, b expr.Node) expr.Node {
	if len(b.String()) < len(a.String()) {
		return b
	}
	return a
}

// symmetricKron reports whether n is seen to be symmetric once its
// transpose is tidied.
func symmetricKron(n expr.Node) bool {
	if expr.IsSymmetric(n) || tidyKron(expr.T(n)).Key() == n.Key() {
		return true
	}
	canon := func(m expr.Node) string {
		ex, err := expr.Expand(m, 2000)
		if err != nil {
			return "?"
		}
		out, err := expr.Map(ex, func(x expr.Node) (expr.Node, error) {
			if p, ok := x.(*expr.Product); ok {
				return kronThroughK(p), nil
			}
			return x, nil
		})
		if err != nil {
			return "?"
		}
		return out.Key()
	}
	a := canon(n)
	return a != "?" && a == canon(expr.T(n))
}
