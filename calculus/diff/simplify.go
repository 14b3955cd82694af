package diff

import (
	"math/big"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
)

// Simplify brings an answer to the form the course text prints: the
// trace of an outer product becomes the inner product (tr(xyᵀ) → yᵀx,
// tr(Axxᵀ) → xᵀAx, tr(xxᵀAᵀ) → xᵀAx), and it factors common scalar factors, then common left or right matrix factors
// out of every sum, bottom-up (XA + XAᵀ → X(A + Aᵀ), Aᵀx + Ax → (A + Aᵀ)x,
// 2Aᵀ(Ax − b)), keeping whichever form prints shorter. The result is equal
// to n; properties (a symmetric A absorbs ᵀ) are used by the normal form.
func Simplify(n expr.Node) expr.Node {
	budget := maxFactorWork
	return simplify(n, 0, &budget)
}

// maxFactorDepth bounds the nesting of factorings, maxFactorWork the
// number of sums one Simplify examines: simplification is best effort
// and always bounded.
const (
	maxFactorDepth = 12
	maxFactorWork  = 400
)

func simplify(n expr.Node, depth int, budget *int) expr.Node {
	if depth > maxFactorDepth {
		return n
	}
	out, err := expr.Map(n, func(m expr.Node) (expr.Node, error) {
		m = mlForm(m)
		switch m := m.(type) {
		case *expr.Sum:
			return factorSum(m, depth, budget), nil
		case *expr.Trace:
			return traceOfOuter(m), nil
		}
		return m, nil
	})
	if err != nil {
		return n
	}
	return out
}

type split struct {
	coef    *big.Rat
	scalars []expr.Node
	chain   []expr.Node
}

func splitTerm(t expr.Term) split {
	switch x := t.X.(type) {
	case *expr.Product:
		// t·(uᵀAv): the matrix product inside the scalar is the chain.
		x = flattenOne(x)
		return split{t.Coef, x.Scalars(), x.Chain()}
	}
	if t.X.Shape().IsScalar() {
		return split{t.Coef, []expr.Node{t.X}, nil}
	}
	return split{t.Coef, nil, []expr.Node{t.X}}
}

func (s split) node(shape expr.Shape) (expr.Node, error) {
	xs := append(append([]expr.Node(nil), s.scalars...), s.chain...)
	if len(s.chain) == 0 && !shape.IsScalar() {
		xs = append(xs, expr.Eye(shape.Rows))
	}
	if len(xs) == 0 {
		return expr.NewConst(s.coef), nil
	}
	p, err := expr.Mul(xs...)
	if err != nil {
		return nil, err
	}
	return expr.Scale(s.coef, p), nil
}

func combineSplits(ss []split, shape expr.Shape) (expr.Node, error) {
	terms := make([]expr.Term, len(ss))
	for i, s := range ss {
		n, err := s.node(shape)
		if err != nil {
			return nil, err
		}
		terms[i] = expr.Unit(n)
	}
	return expr.Combine(terms...)
}

func factorSum(s *expr.Sum, depth int, budget *int) expr.Node {
	terms := s.Terms()
	if len(terms) < 2 || *budget <= 0 {
		return s
	}
	*budget--
	ss := make([]split, len(terms))
	for i, t := range terms {
		ss[i] = splitTerm(t)
	}
	// Greedy: a common scalar factor, else a common left factor, else a
	// common right factor, when it does not print longer; the rest is
	// simplified in turn.
	size := -1 // the printed length of s, when a candidate needs it
	sizeOf := func() int {
		if size < 0 {
			size = len(s.String())
		}
		return size
	}
	shorter := func(n expr.Node, err error) bool { return err == nil && len(n.String()) <= sizeOf() }
	for _, c := range ss[0].scalars {
		if !all(ss, func(x split) bool { return hasKey(x.scalars, c.Key()) }) {
			continue
		}
		rest := make([]split, len(ss))
		for i, x := range ss {
			rest[i] = split{x.coef, without(x.scalars, c.Key()), x.chain}
		}
		if inner, err := combineSplits(rest, s.Shape()); err == nil && inner.Key() != s.Key() && shorter(expr.Mul(c, inner)) {
			if n, err := expr.Mul(c, simplify(inner, depth+1, budget)); err == nil {
				return n
			}
		}
	}
	if all(ss, func(x split) bool { return len(x.chain) > 0 && x.chain[0].Key() == ss[0].chain[0].Key() }) {
		l := ss[0].chain[0]
		rest := make([]split, len(ss))
		for i, x := range ss {
			rest[i] = split{x.coef, x.scalars, x.chain[1:]}
		}
		if inner, err := combineSplits(rest, expr.Shape{Rows: l.Shape().Cols, Cols: s.Shape().Cols}); err == nil && inner.Key() != s.Key() && shorter(expr.Mul(l, inner)) {
			if n, err := expr.Mul(l, simplify(inner, depth+1, budget)); err == nil {
				return n
			}
		}
	}
	if all(ss, func(x split) bool {
		return len(x.chain) > 0 && x.chain[len(x.chain)-1].Key() == ss[0].chain[len(ss[0].chain)-1].Key()
	}) {
		r := ss[0].chain[len(ss[0].chain)-1]
		rest := make([]split, len(ss))
		for i, x := range ss {
			rest[i] = split{x.coef, x.scalars, x.chain[:len(x.chain)-1]}
		}
		if inner, err := combineSplits(rest, expr.Shape{Rows: s.Shape().Rows, Cols: r.Shape().Rows}); err == nil && inner.Key() != s.Key() && shorter(expr.Mul(inner, r)) {
			if n, err := expr.Mul(simplify(inner, depth+1, budget), r); err == nil {
				return n
			}
		}
	}
	// No factor common to all terms: factor groups of terms that share
	// their scalar factors, their first or their last matrix factor, and
	// keep the grouping when it prints shorter.
	keys := []func(split) string{
		func(x split) string {
			var ks []string
			for _, c := range x.scalars {
				ks = append(ks, c.Key())
			}
			return strings.Join(ks, " ")
		},
		func(x split) string {
			if len(x.chain) == 0 {
				return ""
			}
			return x.chain[0].Key()
		},
		func(x split) string {
			if len(x.chain) == 0 {
				return ""
			}
			return x.chain[len(x.chain)-1].Key()
		},
	}
	for _, key := range keys {
		var order []string
		groups := map[string][]expr.Term{}
		for i, x := range ss {
			k := key(x)
			if _, ok := groups[k]; !ok {
				order = append(order, k)
			}
			groups[k] = append(groups[k], terms[i])
		}
		if len(order) < 2 || len(order) == len(ss) {
			continue
		}
		var parts []expr.Term
		for _, k := range order {
			g, err := expr.Combine(groups[k]...)
			if err != nil {
				return s
			}
			if _, ok := g.(*expr.Sum); ok && len(groups[k]) > 1 {
				g = simplify(g, depth+1, budget)
			}
			parts = append(parts, expr.Unit(g))
		}
		n, err := expr.Combine(parts...)
		if err == nil && n.Key() != s.Key() && len(n.String()) < sizeOf() {
			if again, ok := n.(*expr.Sum); ok {
				return factorSum(again, depth+1, budget)
			}
			return n
		}
	}
	return s
}

func all(ss []split, f func(split) bool) bool {
	for _, s := range ss {
		if !f(s) {
			return false
		}
	}
	return true
}

func hasKey(xs []expr.Node, k string) bool {
	for _, x := range xs {
		if x.Key() == k {
			return true
		}
	}
	return false
}

func without(xs []expr.Node, k string) []expr.Node {
	var out []expr.Node
	done := false
	for _, x := range xs {
		if !done && x.Key() == k {
			done = true
			continue
		}
		out = append(out, x)
	}
	return out
}

// traceOfOuter rotates the trace of a product that passes through a
// column vector into the scalar it is, as the text does: tr(u·w) = w·u
// where u ends in a column (tr(xyᵀ) = yᵀx, tr(Axxᵀ) = xᵀAx). Other traces
// are returned as they are; rotating them is a step of a derivation.
func traceOfOuter(t *expr.Trace) expr.Node {
	p, ok := t.X().(*expr.Product)
	if !ok || len(p.Scalars()) > 0 {
		return t
	}
	chain := p.Chain()
	for k := 1; k < len(chain); k++ {
		if !chain[k-1].Shape().Cols.IsOne() {
			continue
		}
		r, err := expr.Mul(append(append([]expr.Node(nil), chain[k:]...), chain[:k]...)...)
		if err != nil || !r.Shape().IsScalar() {
			return t
		}
		// A scalar is its own transpose: x'Ax rather than x'A'x.
		if rt := expr.T(r); transposes(rt) < transposes(r) {
			return rt
		}
		return r
	}
	return t
}
