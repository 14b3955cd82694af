package diff

import (
	"fmt"
	"math/big"

	"github.com/matcalc/matcalc/calculus/expr"
)

// holds reports whether the differential leaf with key k occurs in n.
func holds(n expr.Node, k string) bool {
	found := false
	expr.Inspect(n, func(m expr.Node) bool {
		if d, ok := m.(*expr.Differential); ok && d.Key() == k {
			found = true
		}
		return !found
	})
	return found
}

// asTerm splits a scaled node c·X into (c, X).
func asTerm(n expr.Node) expr.Term {
	if s, ok := n.(*expr.Sum); ok {
		if s.Len() == 1 {
			return s.Term(0)
		}
	}
	return expr.Unit(n)
}

// splitLinear distributes the sums that hold the leaf k, returning terms
// that each hold it once (a term without it is returned as is).
func splitLinear(n expr.Node, k string, limit int) ([]expr.Term, error) {
	if !holds(n, k) {
		return []expr.Term{asTerm(n)}, nil
	}
	var out []expr.Term
	add := func(c *big.Rat, ts []expr.Term) error {
		for _, t := range ts {
			out = append(out, expr.Term{Coef: new(big.Rat).Mul(c, t.Coef), X: t.X})
		}
		if len(out) > limit {
			return fmt.Errorf("%w: more than %d terms", ErrTooLarge, limit)
		}
		return nil
	}
	switch m := n.(type) {
	case *expr.Sum:
		for i := range m.Len() {
			t := m.Term(i)
			ts, err := splitLinear(t.X, k, limit)
			if err != nil {
				return nil, err
			}
			if err := add(t.Coef, ts); err != nil {
				return nil, err
			}
		}
		return out, nil
	case *expr.Product, *expr.HadamardProduct:
		fs := m.Children()
		for i, f := range fs {
			if !holds(f, k) {
				continue
			}
			ts, err := splitLinear(f, k, limit)
			if err != nil {
				return nil, err
			}
			if len(ts) == 1 && ts[0].X == f {
				continue
			}
			for _, t := range ts {
				xs := append(append(append([]expr.Node(nil), fs[:i]...), t.X), fs[i+1:]...)
				var p expr.Node
				if _, ok := m.(*expr.Product); ok {
					p, err = expr.Mul(xs...)
				} else {
					p, err = expr.Hadamard(xs...)
				}
				if err != nil {
					return nil, err
				}
				sub, err := splitLinear(p, k, limit)
				if err != nil {
					return nil, err
				}
				if err := add(t.Coef, sub); err != nil {
					return nil, err
				}
			}
			return out, nil
		}
		return []expr.Term{asTerm(n)}, nil
	case *expr.Trace, *expr.EntrySum, *expr.DiagMatrix, *expr.DiagPart, *expr.Vectorize, *expr.Transpose:
		x := m.Children()[0]
		ts, err := splitLinear(x, k, limit)
		if err != nil {
			return nil, err
		}
		if len(ts) == 1 && ts[0].X == x {
			return []expr.Term{asTerm(n)}, nil
		}
		for _, t := range ts {
			r, err := expr.Rebuild(m, []expr.Node{t.X})
			if err != nil {
				return nil, err
			}
			if err := add(t.Coef, []expr.Term{asTerm(r)}); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return []expr.Term{asTerm(n)}, nil
}

// moves collects the rules used to bring a term to canonical form.
type moves map[RuleID]bool

// mul multiplies the non-nil factors; all nil gives nil (the identity).
func mul(xs ...expr.Node) (expr.Node, error) {
	var keep []expr.Node
	for _, x := range xs {
		if x != nil {
			keep = append(keep, x)
		}
	}
	if len(keep) == 0 {
		return nil, nil
	}
	return expr.Mul(keep...)
}

// lin returns M with tr(N·H) = tr(M·dX), where dX is the leaf d (N nil
// meaning the identity), for H linear in d. M has the shape of dXᵀ.
func lin(N, H expr.Node, d *expr.Differential, mv moves) (expr.Node, error) {
	m, err := linRules(N, H, d, mv)
	if err == nil || !d.Shape().IsScalar() || N != nil {
		// For a scalar variable the outermost call falls back: x0ᵀL(t)x0
		// gives x0ᵀL'(t)x0, not tr(x0x0ᵀL'(t)).
		return m, err
	}
	mv[RuleScalarOut] = true
	return linScalar(N, H, d)
}

// linScalar is lin for a 1×1 leaf dt, which commutes with every factor:
// tr(N·H) = tr(N·H|dt=1)·dt.
func linScalar(N, H expr.Node, d *expr.Differential) (expr.Node, error) {
	h1, err := atUnit(H, d)
	if err != nil {
		return nil, err
	}
	m, err := mul(N, h1)
	if err != nil {
		return nil, err
	}
	if !m.Shape().IsScalar() {
		return expr.Tr(m)
	}
	return m, nil
}

// linRules is lin by the rules of the trace: transposes, rotations,
// Hadamard products, sums of entries, diagonals, literals.
func linRules(N, H expr.Node, d *expr.Differential, mv moves) (expr.Node, error) {
	k := d.Key()
	eyeOr := func(n expr.Node, size expr.Dim) (expr.Node, error) {
		if n == nil {
			return expr.Eye(size), nil
		}
		if n.Shape().IsScalar() && !size.IsOne() {
			// tr(s·dX) = tr((s·I) dX): a scalar coefficient of a matrix
			// leaf is read off as s·I, never added to every entry.
			return expr.Mul(n, expr.Eye(size))
		}
		return n, nil
	}
	switch h := H.(type) {
	case *expr.Differential:
		if h.Key() == k {
			return eyeOr(N, d.Shape().Cols)
		}
	case *expr.Transpose:
		if h.X().Key() == k {
			mv[RuleTraceTranspose] = true
			m, err := eyeOr(N, d.Shape().Rows)
			if err != nil {
				return nil, err
			}
			return expr.T(m), nil
		}
		mv[RuleTraceTranspose] = true
		var nt expr.Node
		if N != nil {
			nt = expr.T(N)
		}
		return lin(nt, h.X(), d, mv)
	case *expr.Sum:
		var terms []expr.Term
		for _, t := range h.Terms() {
			if !holds(t.X, k) {
				return nil, fmt.Errorf("the term %s does not hold %s: the differential is not linear", t.X, d)
			}
			m, err := lin(N, t.X, d, mv)
			if err != nil {
				return nil, err
			}
			terms = append(terms, expr.Term{Coef: t.Coef, X: m})
		}
		return expr.Combine(terms...)
	case *expr.Product:
		return linProduct(N, h, d, mv)
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
			mv[RuleHadamardTrace] = true
			nn, err := traceWeight(N, f)
			if err != nil {
				return nil, err
			}
			n2, err := expr.Hadamard(nn, expr.T(K))
			if err != nil {
				return nil, err
			}
			return lin(n2, f, d, mv)
		}
	case *expr.Trace:
		return lin(N, h.X(), d, mv)
	case *expr.EntrySum:
		mv[RuleSumEntries] = true
		n2, err := mul(N, expr.OnesOf(h.X().Shape().T()))
		if err != nil {
			return nil, err
		}
		return lin(n2, h.X(), d, mv)
	case *expr.DiagMatrix:
		mv[RuleDiagTrace] = true
		var n2 expr.Node
		switch {
		case N == nil:
			n2 = expr.OnesOf(h.X().Shape().T())
		case N.Shape().IsScalar():
			// tr(s·diag(v)) = s·𝟙ᵀv (diag of a 1×1 s is s itself)
			var err error
			if n2, err = expr.Mul(N, expr.OnesOf(h.X().Shape().T())); err != nil {
				return nil, err
			}
		default:
			dp, err := expr.Diag(N)
			if err != nil {
				return nil, err
			}
			n2 = expr.T(dp)
		}
		return lin(n2, h.X(), d, mv)
	case *expr.DiagPart:
		mv[RuleDiagTrace] = true
		if N == nil {
			return nil, fmt.Errorf("diag(%s) is not a scalar", h.X())
		}
		n2, err := expr.Diag(expr.T(N))
		if err != nil {
			return nil, err
		}
		return lin(n2, h.X(), d, mv)
	case *expr.KronProduct:
		return linKron(N, h, d, mv)
	case *expr.Literal:
		return linLiteral(N, h, d, mv)
	}
	return nil, fmt.Errorf("cannot bring %s to the form tr(M %s)", H, d)
}

// linProduct is lin of a product: a scalar factor that holds dX is
// moved out as tr(N c)·s; a factor of the chain is rotated to the front,
// tr(N L F R) = tr(R N L F), transposing first for F = dXᵀ.
func linProduct(N expr.Node, h *expr.Product, d *expr.Differential, mv moves) (expr.Node, error) {
	k, H := d.Key(), expr.Node(h)
	scalars, chain := h.Scalars(), h.Chain()
	for i, s := range scalars {
		if !holds(s, k) {
			continue
		}
		others := append(append([]expr.Node(nil), scalars[:i]...), scalars[i+1:]...)
		c, err := mul(append(others, chain...)...)
		if err != nil {
			return nil, err
		}
		nc, err := mul(N, c)
		if err != nil {
			return nil, err
		}
		if nc != nil && !nc.Shape().IsScalar() {
			if nc, err = expr.Tr(nc); err != nil {
				return nil, err
			}
		}
		return lin(nc, s, d, mv)
	}
	for i, f := range chain {
		if !holds(f, k) {
			continue
		}
		L, R := chain[:i], chain[i+1:]
		if t, ok := f.(*expr.Transpose); ok && t.X().Key() == k {
			// tr(N L dXᵀ R) = tr(Rᵀ dX Lᵀ Nᵀ) by transposing, and only
			// then a rotation, when N L is not empty.
			mv[RuleTraceTranspose] = true
			if N != nil || len(L) > 0 {
				mv[RuleCyclic] = true
			}
			parts := append(append(append([]expr.Node(nil), R...), N), L...)
			rnl, err := mul(parts...)
			if err != nil {
				return nil, err
			}
			var m expr.Node = expr.Eye(d.Shape().Rows)
			if rnl != nil {
				m = expr.T(rnl)
			}
			return mul(append(append([]expr.Node(nil), scalars...), m)...)
		}
		if len(R) > 0 || (N != nil && len(L) > 0) {
			mv[RuleCyclic] = true
		}
		parts := append(append(append([]expr.Node(nil), scalars...), R...), N)
		parts = append(parts, L...)
		n2, err := mul(parts...)
		if err != nil {
			return nil, err
		}
		return lin(n2, f, d, mv)
	}
	return nil, fmt.Errorf("cannot bring %s to the form tr(M %s)", H, d)
}

// linKron is lin of a Kronecker product with dX on one side: sum(A ⊗ B)
// = sum(A)·sum(B), tr(A ⊗ B) = tr(A)·tr(B) for square A and B.
func linKron(N expr.Node, h *expr.KronProduct, d *expr.Differential, mv moves) (expr.Node, error) {
	k, H := d.Key(), expr.Node(h)
	// The side without dX becomes a scalar factor.
	in, out := h.A(), h.B()
	if !holds(in, k) {
		in, out = out, in
	}
	if holds(out, k) {
		return nil, fmt.Errorf("cannot bring %s to the form tr(M %s)", H, d)
	}
	var s, n2 expr.Node
	var err error
	switch N.(type) {
	case nil:
		if !in.Shape().IsSquare() || !out.Shape().IsSquare() {
			break
		}
		s, err = expr.Tr(out)
	default:
		c, ok := onesTimes(N)
		if !ok {
			break
		}
		mv[RuleSumEntries] = true
		if s, err = expr.SumEntries(out); err == nil {
			n2, err = mul(c, s, expr.OnesOf(in.Shape().T()))
		}
	}
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, fmt.Errorf("cannot bring %s to the form tr(M %s)", H, d)
	}
	if n2 == nil {
		n2 = s
	}
	return lin(n2, in, d, mv)
}

// linLiteral is lin of a matrix literal: tr(N L) = Σ N_ji L_ij, for an N
// whose entries are known.
func linLiteral(N expr.Node, h *expr.Literal, d *expr.Differential, mv moves) (expr.Node, error) {
	k, H := d.Key(), expr.Node(h)
	rows := h.Rows()
	entry := func(i, j int) (expr.Node, bool) {
		switch n := N.(type) {
		case nil:
			if i == j {
				return expr.IntConst(1), true
			}
			return nil, true
		case *expr.Ones:
			return expr.IntConst(1), true
		case *expr.Literal:
			return n.Rows()[j][i], true
		}
		if N.Shape().IsScalar() && len(rows) == 1 && len(rows[0]) == 1 {
			return N, true
		}
		return nil, false
	}
	var terms []expr.Term
	for i, r := range rows {
		for j, l := range r {
			if !holds(l, k) {
				continue
			}
			nji, ok := entry(i, j)
			if !ok {
				return nil, fmt.Errorf("cannot bring %s to the form tr(M %s)", H, d)
			}
			if nji == nil {
				continue
			}
			m, err := lin(nji, l, d, mv)
			if err != nil {
				return nil, err
			}
			terms = append(terms, expr.Unit(m))
		}
	}
	if len(terms) == 0 {
		return expr.ZerosOf(d.Shape().T()), nil
	}
	return expr.Combine(terms...)
}

// onesTimes reports whether N is c·𝟙 (the all-ones matrix times a
// scalar), returning c (nil for 1).
func onesTimes(N expr.Node) (expr.Node, bool) {
	switch n := N.(type) {
	case *expr.Ones:
		return nil, true
	case *expr.Product:
		if ch := n.Chain(); len(ch) == 1 {
			if _, ok := ch[0].(*expr.Ones); ok {
				c, err := mul(n.Scalars()...)
				return c, err == nil
			}
		}
	case *expr.Sum:
		if ts := n.Terms(); len(ts) == 1 {
			if c, ok := onesTimes(ts[0].X); ok {
				if c == nil {
					c = expr.IntConst(1)
				}
				return expr.Scale(ts[0].Coef, c), true
			}
		}
	}
	return nil, false
}

// traceWeight is N of tr(N (F ⊙ K)) as a matrix: I for no N, s·I for a
// scalar s (not s in every entry), N itself otherwise.
func traceWeight(N, f expr.Node) (expr.Node, error) {
	switch {
	case N == nil:
		return expr.Eye(f.Shape().Cols), nil
	case N.Shape().IsScalar() && !f.Shape().IsScalar():
		return expr.Mul(N, expr.Eye(f.Shape().Cols))
	}
	return N, nil
}
