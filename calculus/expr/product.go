package expr

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// Mul returns the product a·b·…: 1×1 operands are scalars that multiply
// anything; the others must chain (inner dimensions equal). The result is
// flattened, constants are folded into a coefficient, scalar factors are
// sorted in front, identities dropped, adjacent powers of one square base
// merged (X·X = X², X·X⁻¹ = I) and equal scalar factors merged into powers.
// Sums are never distributed (see Expand).
func Mul(xs ...Node) (Node, error) {
	if err := checkNil("product", xs...); err != nil {
		return nil, err
	}
	if err := depthOK(xs...); err != nil {
		return nil, err
	}
	var cur Shape
	have := false
	for i, x := range xs {
		if x.Shape().IsScalar() {
			continue
		}
		if have && cur.Cols != x.Shape().Rows {
			return nil, mulShapeError(xs[:i], cur, x)
		}
		if !have {
			cur, have = x.Shape(), true
		} else {
			cur = Shape{cur.Rows, x.Shape().Cols}
		}
	}
	if !have {
		cur = ScalarShape()
	}
	if x, ok := soleFactor(xs); ok {
		return x, nil
	}
	p := mulParts{chain: make([]Node, 0, len(xs))}
	for _, x := range xs {
		p.collect(x)
	}
	if p.zero || p.coef.isZero() {
		return ZerosOf(cur), nil
	}
	chain := mergeChain(p.chain)
	if annihilated(chain) {
		return ZerosOf(cur), nil
	}
	scalars, err := mergeScalars(p.scalars, &p.coef)
	if err != nil {
		return nil, err
	}
	var node Node
	switch {
	case len(chain) == 0 && len(scalars) == 0:
		if cur.IsScalar() {
			node = IntConst(1)
		} else {
			node = Eye(cur.Rows)
		}
	case len(chain) == 0 && len(scalars) == 1 && cur.IsScalar():
		node = scalars[0]
	case len(scalars) == 0 && len(chain) == 1:
		node = chain[0]
	default:
		if len(chain) == 0 && !cur.IsScalar() {
			chain = []Node{Eye(cur.Rows)}
		}
		node = newProduct(scalars, chain)
	}
	if p.coef.r == nil || ratIsOne(p.coef.r) {
		return node, nil
	}
	return Combine(Term{p.coef.r, node})
}

// soleFactor returns the one factor of xs besides identities when it is
// a matrix already in normal form on its own (a leaf, a transpose, an
// inverse, a trace, a function): the product is that factor.
func soleFactor(xs []Node) (Node, bool) {
	var sole Node
	for _, x := range xs {
		switch x.(type) {
		case *Identity:
			continue
		case *Sum, *Product, *Const, *Zeros:
			return nil, false
		}
		if sole != nil || x.Shape().IsScalar() {
			return nil, false
		}
		sole = x
	}
	return sole, sole != nil
}

// mulShapeError is the error of multiplying the non-scalar factors of
// left, of shape cur, by x.
func mulShapeError(left []Node, cur Shape, x Node) error {
	var ms []Node
	for _, l := range left {
		if !l.Shape().IsScalar() {
			ms = append(ms, l)
		}
	}
	l := ms[0].String()
	if len(ms) > 1 {
		l = joinPlain(ms)
	}
	return &ShapeError{Op: "multiply", Left: l, LeftShape: cur, Right: x.String(), RightShape: x.Shape(),
		Detail: fmt.Sprintf("inner dimensions %s and %s differ", cur.Cols, x.Shape().Rows)}
}

// mulParts gathers the factors of a product: the constant coefficient,
// the scalar factors and the chain of matrix factors, flattened.
type mulParts struct {
	coef           lazyCoef
	scalars, chain []Node
	zero           bool
}

func (p *mulParts) collect(x Node) {
	switch x := x.(type) {
	case *Const:
		p.coef.mul(x.val)
		return
	case *Zeros:
		p.zero = true
		return
	case *Sum:
		if len(x.terms) == 1 {
			p.coef.mul(x.terms[0].Coef)
			p.collect(x.terms[0].X)
			return
		}
		if c := commonCoef(x); c != nil {
			// 2A + 2B = 2(A + B), −A − B = −(A + B): the common
			// coefficient joins the product's.
			p.coef.mul(c)
			n := Scale(new(big.Rat).Inv(c), x)
			if n.Shape().IsScalar() {
				p.scalars = append(p.scalars, n)
			} else {
				p.chain = append(p.chain, n)
			}
			return
		}
	case *Product:
		p.scalars = append(p.scalars, x.scalars...)
		if len(x.chain) > 0 {
			if chainShape(x.chain).IsScalar() {
				p.scalars = append(p.scalars, chainNode(x.chain))
			} else {
				p.chain = append(p.chain, x.chain...)
			}
		}
		return
	}
	if x.Shape().IsScalar() {
		p.scalars = append(p.scalars, x)
	} else {
		p.chain = append(p.chain, x)
	}
}

// commonCoef returns the coefficient c ≠ 1 shared by every term of s
// (−1 when they are all negative), or nil.
func commonCoef(s *Sum) *big.Rat {
	c := s.terms[0].Coef
	same := true
	for _, t := range s.terms[1:] {
		if t.Coef.Cmp(c) != 0 {
			same = false
			break
		}
	}
	switch {
	case same && !ratIsOne(c):
		return new(big.Rat).Set(c)
	case allNegative(s):
		return big.NewRat(-1, 1)
	}
	return nil
}

func allNegative(s *Sum) bool {
	for _, t := range s.terms {
		if t.Coef.Sign() > 0 {
			return false
		}
	}
	return true
}

func joinPlain(xs []Node) string {
	p, err := Mul(xs...)
	if err != nil {
		return "(…)"
	}
	return p.String()
}

func chainShape(chain []Node) Shape {
	return Shape{chain[0].Shape().Rows, chain[len(chain)-1].Shape().Cols}
}

// chainNode returns the product of an already-normal chain without
// re-normalising it.
func chainNode(chain []Node) Node {
	if len(chain) == 1 {
		return chain[0]
	}
	return newProduct(nil, chain)
}

func newProduct(scalars, chain []Node) *Product {
	kids := append(append(make([]Node, 0, len(scalars)+len(chain)), scalars...), chain...)
	var b strings.Builder
	size := 3
	for _, k := range kids {
		size += len(k.Key()) + 1
	}
	b.Grow(size)
	b.WriteString("*(")
	for i, k := range kids {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k.Key())
	}
	b.WriteByte(')')
	shape := ScalarShape()
	if len(chain) > 0 {
		shape = chainShape(chain)
	}
	return &Product{nodeBase: newBase(shape, b.String(), kids...), scalars: scalars, chain: chain}
}

// powerOf splits a chain factor into a square base and an integer
// exponent: X⁻¹ = (X, −1), X³ = (X, 3), X⁻ᵀ = (Xᵀ, −1), Qᵀ = (Q, −1) for an
// orthogonal Q.
func powerOf(n Node) (Node, int) {
	switch n := n.(type) {
	case *MatPow:
		return n.x, n.k
	case *Inverse:
		b, k := powerOf(n.x)
		if _, ok := n.x.(*MatPow); ok {
			return b, -k
		}
		return n.x, -1
	case *Transpose:
		if inv, ok := n.x.(*Inverse); ok {
			b, k := powerOf(inv)
			return T(b), k
		}
		if s, ok := n.x.(*Symbol); ok && s.props.Has(Orthogonal) {
			return s, -1
		}
	}
	return n, 1
}

func mergeChain(chain []Node) []Node {
	out := chain[:0] // in place: out never passes the factor being read
	for _, f := range chain {
		if _, ok := f.(*Identity); ok {
			continue
		}
		if len(out) > 0 {
			top := out[len(out)-1]
			b1, k1 := powerOf(top)
			b2, k2 := powerOf(f)
			if b1.Shape().IsSquare() && b1.Key() == b2.Key() && !(k1 < 0 && k2 < 0) {
				out = out[:len(out)-1]
				k := k1 + k2
				if _, _, ok := projectorComplement(b1); ok && k1 > 0 && k2 > 0 {
					k = 1 // I − XX⁺ and I − X⁺X are idempotent
				}
				if k != 0 {
					p, err := Pow(b1, k)
					if err == nil {
						out = append(out, p)
					}
				}
				continue
			}
		}
		out = append(out, f)
		if n := len(out); n >= 3 && penrose(out[n-3], out[n-2], out[n-1]) {
			out = out[:n-2] // X X⁺ X = X, X⁺ X X⁺ = X⁺
		}
	}
	return out
}

// penrose reports whether a b c is X X⁺ X or X⁺ X X⁺ (both equal a).
func penrose(a, b, c Node) bool {
	if a.Key() != c.Key() {
		return false
	}
	if p, ok := b.(*PseudoInverse); ok && p.x.Key() == a.Key() {
		return true
	}
	p, ok := a.(*PseudoInverse)
	return ok && p.x.Key() == b.Key()
}

type group struct {
	base Node
	exp  *big.Rat
}

func groupOf(b Node, e *big.Rat) group { return group{b, e} }

// powers gathers factors by base, adding their exponents (x·x⁻¹·y² has
// x to the 0 and y to the 2), in the order the bases first came.
type powers struct {
	idx    map[string]int
	groups []group
}

func (g *powers) add(x Node) {
	b, p := x, one
	if e, ok := x.(*Power); ok {
		b, p = e.x, e.p
	}
	if i, ok := g.idx[b.Key()]; ok {
		g.groups[i].exp = new(big.Rat).Add(g.groups[i].exp, p)
		return
	}
	if g.idx == nil {
		g.idx = map[string]int{}
	}
	g.idx[b.Key()] = len(g.groups)
	g.groups = append(g.groups, group{b, new(big.Rat).Set(p)})
}

// lazyCoef is a product's rational coefficient, 1 until a factor other
// than 1 is multiplied in (then a big.Rat of its own).
type lazyCoef struct{ r *big.Rat }

func (c *lazyCoef) mul(v *big.Rat) {
	switch {
	case ratIsOne(v):
	case c.r == nil:
		c.r = new(big.Rat).Set(v)
	default:
		c.r.Mul(c.r, v)
	}
}

func (c *lazyCoef) isZero() bool { return c.r != nil && c.r.Sign() == 0 }

func mergeScalars(scalars []Node, coef *lazyCoef) ([]Node, error) {
	if len(scalars) == 0 {
		return nil, nil
	}
	var pw powers
	for _, s := range scalars {
		pw.add(s)
	}
	groups := pw.groups
	// sign(u)·|u|⁻¹ = u⁻¹ (u ≠ 0), so sign(u)·u/|u| = 1.
	for i := range groups {
		f, ok := groups[i].base.(*Func)
		if !ok || f.name != "sign" || !ratIsOne(groups[i].exp) {
			continue
		}
		for j := range groups {
			a, ok := groups[j].base.(*Func)
			if ok && a.name == "abs" && a.x.Key() == f.x.Key() && groups[j].exp.Cmp(minusOne) == 0 {
				groups[i].exp = new(big.Rat)
				groups[j] = groupOf(f.x, groups[j].exp)
				break
			}
		}
	}
	merged := map[string]int{}
	var gs []group
	for _, g := range groups {
		if k, ok := merged[g.base.Key()]; ok {
			gs[k].exp = new(big.Rat).Add(gs[k].exp, g.exp)
			continue
		}
		merged[g.base.Key()] = len(gs)
		gs = append(gs, g)
	}
	var out []Node
	for _, g := range gs {
		if g.exp.Sign() == 0 {
			continue
		}
		n := g.base
		if !ratIsOne(g.exp) {
			var err error
			n, err = ElemPow(g.base, g.exp)
			if err != nil {
				return nil, err
			}
		}
		switch m := n.(type) {
		case *Const:
			coef.mul(m.val)
			continue
		case *Sum:
			if len(m.terms) == 1 {
				coef.mul(m.terms[0].Coef)
				n = m.terms[0].X
			}
		}
		if p, ok := n.(*Product); ok && len(p.chain) == 0 {
			out = append(out, p.scalars...)
			continue
		}
		out = append(out, n)
	}
	slices.SortStableFunc(out, scalarCompare)
	return out, nil
}

// scalarCompare orders the scalar factors of a product as they are
// printed: symbols and their powers, then traces and determinants, then
// functions, then products such as xᵀAx; by key within a rank.
func scalarCompare(a, b Node) int {
	if c := scalarRank(a) - scalarRank(b); c != 0 {
		return c
	}
	return strings.Compare(a.Key(), b.Key())
}

func scalarRank(n Node) int {
	switch n := n.(type) {
	case *Symbol:
		if strings.HasPrefix(n.name, "\x00") {
			return 4 // a placeholder for a pending differential
		}
		return 0
	case *Differential:
		return 4
	case *Power:
		return scalarRank(n.x)
	case *Trace, *Determinant, *LogDeterminant, *LogSumExp, *EntrySum:
		return 1
	case *Func:
		return 2
	}
	return 3
}

// Div returns a / s for a scalar s.
func Div(a, s Node) (Node, error) {
	if err := checkNil("division", a, s); err != nil {
		return nil, err
	}
	if !s.Shape().IsScalar() {
		return nil, &ShapeError{Op: "divide by", Left: s.String(), LeftShape: s.Shape(), Detail: "only a scalar divides (use ./ for elementwise division)"}
	}
	r, err := ElemPow(s, big.NewRat(-1, 1))
	if err != nil {
		return nil, err
	}
	return Mul(a, r)
}
