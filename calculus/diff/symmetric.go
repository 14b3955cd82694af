package diff

import (
	"math/big"
	"sort"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
)

// simplifySymmetric writes a matrix that is symmetric by construction (a
// Hessian) so that it looks symmetric: H is replaced by (H + Hᵀ)/2, its
// matrix products are expanded, the terms are grouped by their scalar
// factors, and each group is factored on both sides at once, as a sum of
// left factors times a middle times a sum of right factors:
// Axxᵀ A + Axxᵀ Aᵀ + Aᵀxxᵀ A + Aᵀxxᵀ Aᵀ = (A + Aᵀ)xxᵀ(A + Aᵀ). Groups are
// not factored into each other, so (A + Aᵀ)/q − (A + Aᵀ)xxᵀ(A + Aᵀ)/q²
// stays a sum of two symmetric terms. When that prints longer than the
// plain simplification, the plain one is kept.
func simplifySymmetric(H expr.Node, limit int) expr.Node {
	plain := Simplify(H)
	s, err := expr.Add(H, expr.T(H))
	if err != nil {
		return plain
	}
	terms, err := chainTerms(expr.Scale(big.NewRat(1, 2), s), limit)
	if err != nil || len(terms) < 2 {
		return plain
	}
	var order []string
	groups := map[string][]split{}
	for _, t := range terms {
		x := splitTerm(t)
		if len(x.chain) == 0 {
			x.chain = []expr.Node{expr.Eye(H.Shape().Rows)}
		}
		var ks []string
		for _, c := range x.scalars {
			ks = append(ks, c.Key())
		}
		sort.Strings(ks)
		k := strings.Join(ks, " ")
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], x)
	}
	var parts []expr.Term
	for _, k := range order {
		g := groups[k]
		scalars := g[0].scalars
		cs := make([]cterm, len(g))
		for i, x := range g {
			cs[i] = cterm{x.coef, x.chain}
		}
		m, err := sandwich(cs, H.Shape())
		if err != nil {
			return plain
		}
		p, err := expr.Mul(append(append([]expr.Node(nil), scalars...), m)...)
		if err != nil {
			return plain
		}
		parts = append(parts, expr.Unit(p))
	}
	out, err := expr.Combine(parts...)
	if err != nil {
		return plain
	}
	if len(out.String()) > len(plain.String()) && expr.IsSymmetric(plain) {
		return plain
	}
	return out
}

// chainTerms distributes the matrix factors of n over their sums (the
// scalar factors are left as they are) and returns the terms.
func chainTerms(n expr.Node, limit int) ([]expr.Term, error) {
	var out []expr.Term
	var walk func(c *big.Rat, n expr.Node) error
	walk = func(c *big.Rat, n expr.Node) error {
		if len(out) > limit {
			return ErrTooLarge
		}
		switch m := n.(type) {
		case *expr.Sum:
			for _, t := range m.Terms() {
				if err := walk(new(big.Rat).Mul(c, t.Coef), t.X); err != nil {
					return err
				}
			}
			return nil
		case *expr.Product:
			chain := m.Chain()
			for i, f := range chain {
				s, ok := f.(*expr.Sum)
				if !ok {
					continue
				}
				for _, t := range s.Terms() {
					xs := append(append(append(m.Scalars(), chain[:i]...), t.X), chain[i+1:]...)
					p, err := expr.Mul(xs...)
					if err != nil {
						return err
					}
					if err := walk(new(big.Rat).Mul(c, t.Coef), p); err != nil {
						return err
					}
				}
				return nil
			}
		}
		out = append(out, expr.Term{Coef: c, X: n})
		return nil
	}
	if err := walk(big.NewRat(1, 1), n); err != nil {
		return nil, err
	}
	// Collect like terms.
	col, err := expr.Combine(out...)
	if err != nil {
		return nil, err
	}
	if s, ok := col.(*expr.Sum); ok {
		return s.Terms(), nil
	}
	return []expr.Term{expr.Unit(col)}, nil
}

// cterm is c·(product of chain).
type cterm struct {
	coef  *big.Rat
	chain []expr.Node
}

func chainKey(ch []expr.Node) string {
	ks := make([]string, len(ch))
	for i, f := range ch {
		ks[i] = f.Key()
	}
	return strings.Join(ks, "·")
}

// sandwich factors Σ cᵢ chainᵢ of the given shape as (Σ αₗ L)(Σ βᵣ R)
// where the terms are exactly the products of a left and a right part
// with cₗᵣ = αₗβᵣ, peeling one factor at a time from the left, then from
// the right; what does not factor so is combined as it is.
func sandwich(ts []cterm, shape expr.Shape) (expr.Node, error) {
	if len(ts) == 1 {
		return cterm2node(ts[0])
	}
	for _, left := range []bool{true, false} {
		if n, ok, err := peel(ts, shape, left); err != nil || ok {
			return n, err
		}
	}
	terms := make([]expr.Term, len(ts))
	for i, t := range ts {
		n, err := cterm2node(cterm{big.NewRat(1, 1), t.chain})
		if err != nil {
			return nil, err
		}
		terms[i] = expr.Term{Coef: t.coef, X: n}
	}
	n, err := expr.Combine(terms...)
	if err != nil {
		return nil, err
	}
	return Simplify(n), nil
}

func cterm2node(t cterm) (expr.Node, error) {
	p, err := expr.Mul(t.chain...)
	if err != nil {
		return nil, err
	}
	return expr.Scale(t.coef, p), nil
}

// peel tries ts = (Σ αₗ Fₗ)·(Σ βᵣ Rᵣ) with Fₗ one factor taken from the
// left (or, left false, Rᵣ·(Σ Fₗ) from the right).
func peel(ts []cterm, shape expr.Shape, left bool) (expr.Node, bool, error) {
	type cell struct {
		f    expr.Node
		rest []expr.Node
		coef *big.Rat
	}
	var fOrder, rOrder []string
	fs, rs := map[string]expr.Node{}, map[string][]expr.Node{}
	coef := map[string]*big.Rat{}
	for _, t := range ts {
		if len(t.chain) < 2 {
			return nil, false, nil
		}
		c := cell{t.chain[0], t.chain[1:], t.coef}
		if !left {
			c = cell{t.chain[len(t.chain)-1], t.chain[:len(t.chain)-1], t.coef}
		}
		fk, rk := c.f.Key(), chainKey(c.rest)
		if _, ok := fs[fk]; !ok {
			fOrder = append(fOrder, fk)
			fs[fk] = c.f
		}
		if _, ok := rs[rk]; !ok {
			rOrder = append(rOrder, rk)
			rs[rk] = c.rest
		}
		if _, dup := coef[fk+"|"+rk]; dup {
			return nil, false, nil
		}
		coef[fk+"|"+rk] = c.coef
	}
	if len(fOrder)*len(rOrder) != len(ts) {
		return nil, false, nil
	}
	// c(f, r) = α_f β_r with α_f = c(f, r₀), β_r = c(f₀, r)/c(f₀, r₀).
	f0, r0 := fOrder[0], rOrder[0]
	base := coef[f0+"|"+r0]
	alpha, beta := map[string]*big.Rat{}, map[string]*big.Rat{}
	for _, f := range fOrder {
		alpha[f] = coef[f+"|"+r0]
	}
	for _, r := range rOrder {
		beta[r] = new(big.Rat).Quo(coef[f0+"|"+r], base)
	}
	for _, f := range fOrder {
		for _, r := range rOrder {
			c, ok := coef[f+"|"+r]
			if !ok || c.Cmp(new(big.Rat).Mul(alpha[f], beta[r])) != 0 {
				return nil, false, nil
			}
		}
	}
	var fterms []expr.Term
	for _, f := range fOrder {
		fterms = append(fterms, expr.Term{Coef: alpha[f], X: fs[f]})
	}
	F, err := expr.Combine(fterms...)
	if err != nil {
		return nil, false, err
	}
	var rest []cterm
	for _, r := range rOrder {
		rest = append(rest, cterm{beta[r], rs[r]})
	}
	restShape := expr.Shape{Rows: fs[f0].Shape().Cols, Cols: shape.Cols}
	if !left {
		restShape = expr.Shape{Rows: shape.Rows, Cols: fs[f0].Shape().Rows}
	}
	R, err := sandwich(rest, restShape)
	if err != nil {
		return nil, false, err
	}
	// A negative sum of factors reads better with the sign in front.
	if s, ok := F.(*expr.Sum); ok && allNegativeTerms(s) {
		F, R = expr.Neg(F), expr.Neg(R)
	}
	var n expr.Node
	if left {
		n, err = expr.Mul(F, R)
	} else {
		n, err = expr.Mul(R, F)
	}
	return n, err == nil, err
}

func allNegativeTerms(s *expr.Sum) bool {
	for _, t := range s.Terms() {
		if t.Coef.Sign() >= 0 {
			return false
		}
	}
	return true
}
