package diff

import (
	"fmt"

	"github.com/matcalc/matcalc/calculus/expr"
)

// outer splits a product that is an outer product u·wᵀ (u a column, wᵀ a
// row) into u and wᵀ.
func outer(n expr.Node) (u, wt expr.Node, ok bool) {
	p, isP := n.(*expr.Product)
	if !isP || n.Shape().Rows.IsOne() || n.Shape().Cols.IsOne() {
		return nil, nil, false
	}
	ch := p.Chain()
	for i := 1; i < len(ch); i++ {
		if ch[i-1].Shape().Cols.IsOne() {
			left, err := mul(append(p.Scalars(), ch[:i]...)...)
			if err != nil {
				return nil, nil, false
			}
			right, err := mul(ch[i:]...)
			if err != nil {
				return nil, nil, false
			}
			return left, right, true
		}
	}
	return nil, nil, false
}

// hadamardAsProduct rewrites an elementwise product that has an outer
// product or a diagonal matrix among its factors as an ordinary product:
// (u wᵀ) ⊙ K = diag(u) K diag(w), diag(v) ⊙ K = diag(v ⊙ diag(K)).
func hadamardAsProduct(h *expr.HadamardProduct) (expr.Node, bool) {
	fs := h.Factors()
	for i, f := range fs {
		others := append(append([]expr.Node(nil), fs[:i]...), fs[i+1:]...)
		K, err := expr.Hadamard(others...)
		if err != nil {
			return nil, false
		}
		if u, wt, ok := outer(f); ok {
			du, err1 := expr.Diag(u)
			dw, err2 := expr.Diag(expr.T(wt))
			if err1 != nil || err2 != nil {
				return nil, false
			}
			p, err := expr.Mul(du, K, dw)
			return p, err == nil
		}
		if dm, ok := f.(*expr.DiagMatrix); ok && K.Shape().IsSquare() {
			dk, err := expr.Diag(K)
			if err != nil {
				return nil, false
			}
			v, err := expr.Hadamard(dm.X(), dk)
			if err != nil {
				return nil, false
			}
			p, err := expr.Diag(v)
			return p, err == nil
		}
	}
	return nil, false
}

// jacDiagPart is jac for diag(M), M linear in the leaf: diag(u wᵀ) =
// u ⊙ w; diag(L diag(v) R) = (L ⊙ Rᵀ) v.
func jacDiagPart(h *expr.DiagPart, d *expr.Differential, mv moves) (expr.Node, error) {
	k := d.Key()
	M := h.X()
	if hp, ok := M.(*expr.HadamardProduct); ok {
		if p, ok := hadamardAsProduct(hp); ok {
			M = p
		}
	}
	if u, wt, ok := outer(M); ok {
		mv[RuleHadamardDiag] = true
		v, err := expr.Hadamard(u, expr.T(wt))
		if err != nil {
			return nil, err
		}
		return jac(v, d, mv)
	}
	p, ok := M.(*expr.Product)
	if !ok {
		if dm, ok := M.(*expr.DiagMatrix); ok {
			return jac(dm.X(), d, mv)
		}
		return nil, fmt.Errorf("cannot bring %s to the form J %s", h, d)
	}
	ch := p.Chain()
	for i, s := range p.Scalars() {
		if !holds(s, k) {
			continue
		}
		// diag(s·M) = diag(M)·s, s 1×1
		others := append(append([]expr.Node(nil), p.Scalars()[:i]...), p.Scalars()[i+1:]...)
		rest, err := mul(append(others, ch...)...)
		if err != nil {
			return nil, err
		}
		dr, err := expr.Diag(rest)
		if err != nil {
			return nil, err
		}
		v, err := expr.Mul(dr, s)
		if err != nil {
			return nil, err
		}
		return jac(v, d, mv)
	}
	for i, f := range ch {
		if hp, ok := f.(*expr.HadamardProduct); ok && holds(f, k) {
			if q, ok := hadamardAsProduct(hp); ok {
				xs := append(append(append(p.Scalars(), ch[:i]...), q), ch[i+1:]...)
				np, err := expr.Mul(xs...)
				if err != nil {
					return nil, err
				}
				dp, err := expr.Diag(np)
				if err != nil {
					return nil, err
				}
				if dpp, ok := dp.(*expr.DiagPart); ok {
					return jacDiagPart(dpp, d, mv)
				}
				return jac(dp, d, mv)
			}
		}
	}
	for i, f := range ch {
		dm, ok := f.(*expr.DiagMatrix)
		if !ok || !holds(f, k) {
			continue
		}
		mv[RuleDiagTrace] = true
		left, err := mul(ch[:i]...)
		if err != nil {
			return nil, err
		}
		right, err := mul(ch[i+1:]...)
		if err != nil {
			return nil, err
		}
		var K expr.Node
		switch {
		case left == nil && right == nil:
		case right == nil || left == nil:
			// diag(L diag(v)) = diag(L) ⊙ v
			one := left
			if one == nil {
				one = right
			}
			if K, err = expr.Diag(one); err == nil {
				K, err = expr.Diag(K)
			}
		default:
			K, err = expr.Hadamard(left, expr.T(right))
		}
		if err != nil {
			return nil, err
		}
		j, err := jac(dm.X(), d, mv)
		if err != nil {
			return nil, err
		}
		return mul(append(p.Scalars(), K, j)...)
	}
	return nil, fmt.Errorf("cannot bring %s to the form J %s", h, d)
}

// jac returns J with H = J·dx for a column H linear in the column leaf d.
func jac(H expr.Node, d *expr.Differential, mv moves) (expr.Node, error) {
	k := d.Key()
	if d.Shape().IsScalar() {
		// The canonical form of a scalar variable: dt is 1×1, so it moves
		// to the right of any factor, H = H|dt=1 · dt (H is linear in dt).
		return scalarOut(H, d, mv)
	}
	switch h := H.(type) {
	case *expr.Differential:
		if h.Key() == k {
			return expr.Eye(d.Shape().Rows), nil
		}
	case *expr.Sum:
		var terms []expr.Term
		for _, t := range h.Terms() {
			j, err := jac(t.X, d, mv)
			if err != nil {
				return nil, err
			}
			terms = append(terms, expr.Term{Coef: t.Coef, X: j})
		}
		return expr.Combine(terms...)
	case *expr.Product:
		if j, ok, err := jacProduct(h, d, mv); ok || err != nil {
			return j, err
		}
	case *expr.HadamardProduct:
		fs := h.Factors()
		for i, f := range fs {
			if !holds(f, k) {
				continue
			}
			others := append(append([]expr.Node(nil), fs[:i]...), fs[i+1:]...)
			K, err := expr.Hadamard(others...)
			if err != nil {
				return nil, err
			}
			dk, err := expr.Diag(K)
			if err != nil {
				return nil, err
			}
			mv[RuleHadamardDiag] = true
			j, err := jac(f, d, mv)
			if err != nil {
				return nil, err
			}
			return expr.Mul(dk, j)
		}
	case *expr.Transpose:
		if H.Shape().IsScalar() {
			return lin(nil, H, d, mv)
		}
	case *expr.DiagPart:
		return jacDiagPart(h, d, mv)
	}
	if H.Shape().IsScalar() {
		return lin(nil, H, d, mv)
	}
	return nil, fmt.Errorf("cannot bring %s to the form J %s", H, d)
}

// jacProduct is jac of a product: the factor that holds dx, with what
// stands left and right of it, read as J dx; false when no rule
// applies (jac then tries the scalar form).
func jacProduct(h *expr.Product, d *expr.Differential, mv moves) (expr.Node, bool, error) {
	k := d.Key()
	scalars, chain := h.Scalars(), h.Chain()
	for i, s := range scalars {
		if !holds(s, k) {
			continue
		}
		others := append(append([]expr.Node(nil), scalars[:i]...), scalars[i+1:]...)
		rest, err := mul(append(others, chain...)...)
		if err != nil {
			return nil, false, err
		}
		m, err := lin(nil, s, d, mv)
		if err != nil {
			return nil, false, err
		}
		mv[RuleScalarOut] = true
		if rest == nil {
			return m, true, nil
		}
		return found(expr.Mul(rest, m))
	}
	for i, f := range chain {
		if !holds(f, k) {
			continue
		}
		if hp, ok := f.(*expr.HadamardProduct); ok {
			// (u wᵀ ⊙ K) r = diag(u) K diag(w) r
			if p, ok := hadamardAsProduct(hp); ok {
				mv[RuleHadamardDiag] = true
				xs := append(append(append(append([]expr.Node(nil), scalars...), chain[:i]...), p), chain[i+1:]...)
				np, err := expr.Mul(xs...)
				if err != nil {
					return nil, false, err
				}
				return found(jac(np, d, mv))
			}
		}
		L, R := chain[:i], chain[i+1:]
		left, err := mul(append(append([]expr.Node(nil), scalars...), L...)...)
		if err != nil {
			return nil, false, err
		}
		right, err := mul(R...)
		if err != nil {
			return nil, false, err
		}
		switch {
		case right == nil:
			j, err := jac(f, d, mv)
			if err != nil {
				return nil, false, err
			}
			if left == nil {
				return j, true, nil
			}
			return found(expr.Mul(left, j))
		case right.Shape().IsScalar() && f.Shape().Cols.IsOne():
			mv[RuleScalarOut] = true
			j, err := jac(f, d, mv)
			if err != nil {
				return nil, false, err
			}
			return found(mul(right, left, j))
		case f.Shape().Rows.IsOne():
			// L (f R) with f R a scalar = tr(R f).
			mv[RuleScalarOut] = true
			m, err := lin(right, f, d, mv)
			if err != nil {
				return nil, false, err
			}
			if left == nil {
				return m, true, nil
			}
			return found(expr.Mul(left, m))
		}
		if dm, ok := f.(*expr.DiagMatrix); ok && right.Shape().Cols.IsOne() {
			// diag(v) r = diag(r) v
			mv[RuleHadamardDiag] = true
			dr, err := expr.Diag(right)
			if err != nil {
				return nil, false, err
			}
			j, err := jac(dm.X(), d, mv)
			if err != nil {
				return nil, false, err
			}
			return found(mul(left, dr, j))
		}
	}
	return nil, false, nil
}

// found is the result of a rule of jacProduct.
func found(n expr.Node, err error) (expr.Node, bool, error) { return n, err == nil, err }

// scalarOut is atUnit(H) for a derivative by a scalar variable, noting
// that dt moved out (the step lin, jac and vecJac take first for a 1×1 d).
func scalarOut(H expr.Node, d *expr.Differential, mv moves) (expr.Node, error) {
	mv[RuleScalarOut] = true
	return atUnit(H, d)
}

// atUnit is H with the scalar leaf d replaced by 1: for H linear in the
// 1×1 differential dt, H = atUnit(H)·dt.
func atUnit(H expr.Node, d *expr.Differential) (expr.Node, error) {
	k := d.Key()
	return expr.Map(H, func(m expr.Node) (expr.Node, error) {
		if m.Key() == k {
			return expr.IntConst(1), nil
		}
		return m, nil
	})
}
