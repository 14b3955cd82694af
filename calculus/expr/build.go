package expr

import (
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/matcalc/matcalc/calculus/builtin"
)

// MaxDepth bounds the height of an expression tree. Constructors that
// return an error refuse to build anything deeper, so that no input can
// exhaust the stack of a recursive walk.
const MaxDepth = 400

// ShapeError is the error of a constructor whose operands have
// incompatible shapes. Op is the operation ("multiply", "add", …), Left
// and Right the plain renderings of the operands (Right may be empty for a
// one-operand operation). Callers that know better names for the operands
// (the source text) may rewrite Left and Right before showing the error.
type ShapeError struct {
	Op          string
	Left, Right string
	LeftShape   Shape
	RightShape  Shape
	Detail      string
}

// Error renders the error, for example "cannot multiply A (m×n) by b
// (m×1): inner dimensions n and m differ".
func (e *ShapeError) Error() string {
	var b strings.Builder
	switch e.Op {
	case "multiply":
		fmt.Fprintf(&b, "cannot multiply %s (%s) by %s (%s)", e.Left, e.LeftShape, e.Right, e.RightShape)
	case "add", "combine elementwise", "take the inner product of", "kron":
		fmt.Fprintf(&b, "cannot %s %s (%s) and %s (%s)", e.Op, e.Left, e.LeftShape, e.Right, e.RightShape)
	default:
		fmt.Fprintf(&b, "cannot %s %s (%s)", e.Op, e.Left, e.LeftShape)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

func depthOK(kids ...Node) error {
	for _, k := range kids {
		if k.base().depth >= MaxDepth {
			return fmt.Errorf("expression nested deeper than %d levels", MaxDepth)
		}
	}
	return nil
}

func checkNil(op string, kids ...Node) error {
	for _, k := range kids {
		if k == nil {
			return fmt.Errorf("%s of a nil expression", op)
		}
	}
	return nil
}

// NewSymbol returns the symbol name with the given shape and properties.
// Properties that need a square matrix are dropped for a non-square shape;
// a scalar symbol has none.
func NewSymbol(name string, shape Shape, props Props) *Symbol {
	if !shape.IsSquare() || shape.IsScalar() {
		props = 0
	}
	return &Symbol{nodeBase: nodeBase{shape: shape, key: name, depth: 1}, name: name, props: props}
}

// ScalarSymbol returns a scalar symbol (c : scalar).
func ScalarSymbol(name string) *Symbol { return NewSymbol(name, ScalarShape(), 0) }

// VectorSymbol returns a column-vector symbol (x : vector(n)).
func VectorSymbol(name string, n Dim) *Symbol { return NewSymbol(name, VectorShape(n), 0) }

// MatrixSymbol returns a matrix symbol (A : matrix(m, n) props).
func MatrixSymbol(name string, m, n Dim, props Props) *Symbol {
	return NewSymbol(name, MatrixShape(m, n), props)
}

// NewConst returns the rational scalar r (copied).
func NewConst(r *big.Rat) *Const {
	v := new(big.Rat).Set(r)
	return &Const{nodeBase: nodeBase{shape: ScalarShape(), key: compactKey("#" + v.RatString()), depth: 1}, val: v}
}

// IntConst returns the integer scalar n.
func IntConst(n int64) *Const { return NewConst(big.NewRat(n, 1)) }

// RatConst returns the scalar a/b; b must not be 0.
func RatConst(a, b int64) *Const { return NewConst(big.NewRat(a, b)) }

// Eye returns the identity matrix of size n (the Const 1 when n is 1).
func Eye(n Dim) Node {
	if n.IsOne() {
		return IntConst(1)
	}
	return &Identity{nodeBase{shape: Shape{n, n}, key: "I{" + n.String() + "}", depth: 1}}
}

// ZerosOf returns the zero matrix of shape s (the Const 0 when s is 1×1).
func ZerosOf(s Shape) Node {
	if s.IsScalar() {
		return IntConst(0)
	}
	return &Zeros{nodeBase{shape: s, key: "0{" + s.String() + "}", depth: 1}}
}

// OnesOf returns the all-ones matrix of shape s (the Const 1 when 1×1).
func OnesOf(s Shape) Node {
	if s.IsScalar() {
		return IntConst(1)
	}
	return &Ones{nodeBase{shape: s, key: "1{" + s.String() + "}", depth: 1}}
}

// D returns the differential dX of the symbol x.
func D(x *Symbol) *Differential { return DN(x, 0) }

// DN returns the indexed differential dX₁ (i = 1) or dX₂ (i = 2) of x; i =
// 0 gives dX.
func DN(x *Symbol, i int) *Differential {
	key := "d:" + x.name
	if i != 0 {
		key += fmt.Sprintf(":%d", i)
	}
	return &Differential{nodeBase: nodeBase{shape: x.shape, key: key, depth: 1}, of: x, index: i}
}

// IsZero reports whether n is the zero scalar or a zero matrix.
func IsZero(n Node) bool {
	switch n := n.(type) {
	case *Zeros:
		return true
	case *Const:
		return n.val.Sign() == 0
	}
	return false
}

// IsOne reports whether n is the scalar 1.
func IsOne(n Node) bool {
	c, ok := n.(*Const)
	return ok && c.val.Cmp(big.NewRat(1, 1)) == 0
}

// Equal reports whether a and b are the same expression in normal form.
func Equal(a, b Node) bool { return a.Key() == b.Key() }

// ---- sums ----

// ratOne() returns a fresh 1.
func ratOne() *big.Rat { return big.NewRat(1, 1) }

// ratIsOne reports r == 1 without allocating.
func ratIsOne(r *big.Rat) bool { return r.IsInt() && r.Num().IsInt64() && r.Num().Int64() == 1 }

// Add returns a + b + …, flattened, with like terms collected. A scalar
// added to a non-scalar adds to every entry (s·ones). Shapes must agree.
func Add(xs ...Node) (Node, error) {
	terms := make([]Term, len(xs))
	for i, x := range xs {
		terms[i] = Term{ratOne(), x}
	}
	return Combine(terms...)
}

// Sub returns a − b.
func Sub(a, b Node) (Node, error) {
	return Combine(Term{ratOne(), a}, Term{big.NewRat(-1, 1), b})
}

// Neg returns −a.
func Neg(a Node) Node { return Scale(big.NewRat(-1, 1), a) }

// Scale returns c·a (nil for a nil a).
func Scale(c *big.Rat, a Node) Node {
	n, err := combine([]Term{{c, a}}, false)
	if err != nil { // only a nil a: one term cannot mismatch
		return a
	}
	return n
}

// Combine returns Σ cᵢ·xᵢ, the general linear combination behind Add,
// Sub, Neg and Scale.
func Combine(terms ...Term) (Node, error) { return combine(terms, true) }

func combine(terms []Term, checkDepth bool) (Node, error) {
	var shape Shape
	have := false
	for _, t := range terms {
		if err := checkNil("sum", t.X); err != nil {
			return nil, err
		}
		if t.Coef == nil {
			return nil, fmt.Errorf("a term without a coefficient")
		}
		if checkDepth {
			if err := depthOK(t.X); err != nil {
				return nil, err
			}
		}
		if t.X.Shape().IsScalar() {
			continue
		}
		if !have {
			shape, have = t.X.Shape(), true
			continue
		}
		if t.X.Shape() != shape {
			return nil, &ShapeError{Op: "add", Left: renderSum(terms, t), LeftShape: shape, Right: t.X.String(), RightShape: t.X.Shape()}
		}
	}
	if !have {
		shape = ScalarShape()
	}
	acc := map[string]int{}
	var out []Term
	put := func(c *big.Rat, x Node) {
		if i, ok := acc[x.Key()]; ok {
			out[i].Coef = new(big.Rat).Add(out[i].Coef, c)
			return
		}
		acc[x.Key()] = len(out)
		out = append(out, Term{new(big.Rat).Set(c), x})
	}
	var broadcastErr error
	var addTerm func(c *big.Rat, x Node)
	addTerm = func(c *big.Rat, x Node) {
		if c.Sign() == 0 {
			return
		}
		switch x := x.(type) {
		case *Sum:
			for _, t := range x.terms {
				addTerm(new(big.Rat).Mul(c, t.Coef), t.X)
			}
			return
		case *Const:
			v := new(big.Rat).Mul(c, x.val)
			x1 := OnesOf(shape)
			put(v, x1)
			return
		case *Zeros:
			return
		}
		if x.Shape().IsScalar() && !shape.IsScalar() {
			m, err := Mul(x, OnesOf(shape))
			if err != nil {
				broadcastErr = err
				return
			}
			addTerm(c, m)
			return
		}
		put(c, x)
	}
	for _, t := range terms {
		addTerm(t.Coef, t.X)
	}
	if broadcastErr != nil {
		return nil, broadcastErr
	}
	kept := out[:0]
	for _, t := range out {
		if t.Coef.Sign() != 0 {
			kept = append(kept, t)
		}
	}
	out = kept
	switch len(out) {
	case 0:
		return ZerosOf(shape), nil
	case 1:
		if ratIsOne(out[0].Coef) {
			return out[0].X, nil
		}
		if IsOne(out[0].X) {
			return NewConst(out[0].Coef), nil
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return termLess(out[i], out[j]) })
	return newSum(shape, out), nil
}

func termLess(a, b Term) bool {
	ac, bc := isConstTerm(a.X), isConstTerm(b.X)
	if ac != bc {
		return bc
	}
	return a.X.Key() < b.X.Key()
}

func isConstTerm(n Node) bool {
	switch n.(type) {
	case *Const, *Ones:
		return true
	}
	return false
}

func newSum(shape Shape, terms []Term) *Sum {
	var b strings.Builder
	b.WriteString("+(")
	kids := make([]Node, len(terms))
	for i, t := range terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.Coef.RatString())
		b.WriteByte('*')
		b.WriteString(t.X.Key())
		kids[i] = t.X
	}
	b.WriteByte(')')
	return &Sum{nodeBase: newBase(shape, b.String(), kids...), terms: terms}
}

func renderSum(terms []Term, upTo Term) string {
	var parts []string
	for _, t := range terms {
		if t == upTo {
			break
		}
		parts = append(parts, t.X.String())
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " + ") + ")"
}

// ---- products ----

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
	var left []Node
	for _, x := range xs {
		if x.Shape().IsScalar() {
			continue
		}
		if have && cur.Cols != x.Shape().Rows {
			l := left[0].String()
			if len(left) > 1 {
				l = joinPlain(left)
			}
			return nil, &ShapeError{Op: "multiply", Left: l, LeftShape: cur, Right: x.String(), RightShape: x.Shape(),
				Detail: fmt.Sprintf("inner dimensions %s and %s differ", cur.Cols, x.Shape().Rows)}
		}
		if !have {
			cur, have = x.Shape(), true
		} else {
			cur = Shape{cur.Rows, x.Shape().Cols}
		}
		left = append(left, x)
	}
	if !have {
		cur = ScalarShape()
	}
	coef := big.NewRat(1, 1)
	var scalars, chain []Node
	zero := false
	var collect func(x Node)
	collect = func(x Node) {
		switch x := x.(type) {
		case *Const:
			coef.Mul(coef, x.val)
			return
		case *Zeros:
			zero = true
			return
		case *Sum:
			if len(x.terms) == 1 {
				coef.Mul(coef, x.terms[0].Coef)
				collect(x.terms[0].X)
				return
			}
			if c := commonCoef(x); c != nil {
				// 2A + 2B = 2(A + B), −A − B = −(A + B): the common
				// coefficient joins the product's.
				coef.Mul(coef, c)
				n := Scale(new(big.Rat).Inv(c), x)
				if n.Shape().IsScalar() {
					scalars = append(scalars, n)
				} else {
					chain = append(chain, n)
				}
				return
			}
		case *Product:
			scalars = append(scalars, x.scalars...)
			if len(x.chain) > 0 {
				if chainShape(x.chain).IsScalar() {
					scalars = append(scalars, chainNode(x.chain))
				} else {
					chain = append(chain, x.chain...)
				}
			}
			return
		}
		if x.Shape().IsScalar() {
			scalars = append(scalars, x)
		} else {
			chain = append(chain, x)
		}
	}
	for _, x := range xs {
		collect(x)
	}
	if zero || coef.Sign() == 0 {
		return ZerosOf(cur), nil
	}
	chain = mergeChain(chain)
	var err error
	scalars, err = mergeScalars(scalars, coef)
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
	if ratIsOne(coef) {
		return node, nil
	}
	return Combine(Term{coef, node})
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
	var b strings.Builder
	b.WriteString("*(")
	kids := append(append([]Node(nil), scalars...), chain...)
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
	var out []Node
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
				if k := k1 + k2; k != 0 {
					p, err := Pow(b1, k)
					if err == nil {
						out = append(out, p)
					}
				}
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

type group struct {
	base Node
	exp  *big.Rat
}

func groupOf(b Node, e *big.Rat) group { return group{b, e} }

func mergeScalars(scalars []Node, coef *big.Rat) ([]Node, error) {
	if len(scalars) == 0 {
		return nil, nil
	}
	idx := map[string]int{}
	var groups []group
	for _, s := range scalars {
		b, p := s, big.NewRat(1, 1)
		if e, ok := s.(*Power); ok {
			b, p = e.x, e.p
		}
		if i, ok := idx[b.Key()]; ok {
			groups[i].exp = new(big.Rat).Add(groups[i].exp, p)
			continue
		}
		idx[b.Key()] = len(groups)
		groups = append(groups, group{b, new(big.Rat).Set(p)})
	}
	// sign(u)·|u|⁻¹ = u⁻¹ (u ≠ 0), so sign(u)·u/|u| = 1.
	for i := range groups {
		f, ok := groups[i].base.(*Func)
		if !ok || f.name != "sign" || !ratIsOne(groups[i].exp) {
			continue
		}
		for j := range groups {
			a, ok := groups[j].base.(*Func)
			if ok && a.name == "abs" && a.x.Key() == f.x.Key() && groups[j].exp.Cmp(big.NewRat(-1, 1)) == 0 {
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
			coef.Mul(coef, m.val)
			continue
		case *Sum:
			if len(m.terms) == 1 {
				coef.Mul(coef, m.terms[0].Coef)
				n = m.terms[0].X
			}
		}
		if p, ok := n.(*Product); ok && len(p.chain) == 0 {
			out = append(out, p.scalars...)
			continue
		}
		out = append(out, n)
	}
	sort.SliceStable(out, func(i, j int) bool { return scalarLess(out[i], out[j]) })
	return out, nil
}

// scalarLess orders the scalar factors of a product as they are printed:
// symbols and their powers, then traces and determinants, then functions,
// then products such as xᵀAx; by key within a rank.
func scalarLess(a, b Node) bool {
	ra, rb := scalarRank(a), scalarRank(b)
	if ra != rb {
		return ra < rb
	}
	return a.Key() < b.Key()
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
	case *Trace, *Determinant, *LogDeterminant, *EntrySum:
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

// ---- transpose ----

// IsSymmetric reports whether n is known to be symmetric: a symmetric,
// spd or diagonal symbol, I, diag(v), a scalar, or built from these by
// inverse, power, sum and a product that equals its own transpose.
func IsSymmetric(n Node) bool {
	if !n.Shape().IsSquare() {
		return false
	}
	if n.Shape().IsScalar() {
		return true
	}
	switch n := n.(type) {
	case *Symbol:
		return n.props.Has(Symmetric)
	case *Differential:
		return n.of.props.Has(Symmetric)
	case *Identity, *DiagMatrix, *Zeros, *Ones:
		return true
	case *Inverse:
		return IsSymmetric(n.x)
	case *MatPow:
		return IsSymmetric(n.x)
	case *Func:
		return IsSymmetric(n.x)
	case *Power:
		return IsSymmetric(n.x)
	}
	return T(n).Key() == n.Key()
}

// T returns the transpose of a, with transposes pushed to the leaves:
// (AB)ᵀ = BᵀAᵀ, (A + B)ᵀ = Aᵀ + Bᵀ, (Aᵀ)ᵀ = A, f(X)ᵀ = f(Xᵀ); a symmetric
// symbol, a scalar, I and diag(v) are their own transposes; (X⁻¹)ᵀ stays as
// the leaf X⁻ᵀ.
func T(a Node) Node {
	if a == nil {
		return nil
	}
	switch a := a.(type) {
	case *Const, *Trace, *Determinant, *LogDeterminant, *EntrySum, *Identity, *DiagMatrix:
		return a
	case *Symbol:
		if a.shape.IsScalar() || a.props.Has(Symmetric) {
			return a
		}
	case *Differential:
		if a.shape.IsScalar() || a.of.props.Has(Symmetric) {
			return a
		}
	case *Transpose:
		return a.x
	case *Inverse:
		if IsSymmetric(a.x) {
			return a
		}
	case *Sum:
		terms := make([]Term, len(a.terms))
		for i, t := range a.terms {
			terms[i] = Term{t.Coef, T(t.X)}
		}
		return newSumNormal(a.shape.T(), terms)
	case *Product:
		chain := make([]Node, len(a.chain))
		for i, f := range a.chain {
			chain[len(a.chain)-1-i] = T(f)
		}
		if len(chain) == 0 {
			return a
		}
		if m, err := Mul(append(append([]Node(nil), a.scalars...), chain...)...); err == nil {
			return m
		}
		return newProduct(a.scalars, chain)
	case *MatPow:
		return &MatPow{nodeBase: newBase(a.shape, powKey(T(a.x), a.k), a.x), x: T(a.x), k: a.k}
	case *Func:
		return mustFunc(a.name, T(a.x))
	case *HadamardProduct:
		fs := make([]Node, len(a.factors))
		for i, f := range a.factors {
			fs[i] = T(f)
		}
		return newHadamard(fs)
	case *Power:
		return newElemPow(T(a.x), a.p)
	case *KronProduct:
		return newKron(T(a.a), T(a.b))
	case *Commutation:
		return Commute(a.n, a.m)
	case *Zeros:
		return ZerosOf(a.shape.T())
	case *Ones:
		return OnesOf(a.shape.T())
	case *Literal:
		rows := make([][]Node, len(a.cols()))
		for j := range rows {
			rows[j] = make([]Node, len(a.rows))
			for i := range a.rows {
				rows[j][i] = a.rows[i][j]
			}
		}
		return newLiteral(rows)
	}
	if a.Shape().IsScalar() {
		return a
	}
	return &Transpose{nodeBase: newBase(a.Shape().T(), a.Key()+"'", a), x: a}
}

func (l *Literal) cols() []struct{} {
	if len(l.rows) == 0 {
		return nil
	}
	return make([]struct{}, len(l.rows[0]))
}

// newSumNormal rebuilds a sum whose terms changed but stayed distinct.
func newSumNormal(shape Shape, terms []Term) Node {
	out := make([]Term, 0, len(terms))
	for _, t := range terms {
		out = append(out, Term{t.Coef, t.X})
	}
	n, err := combine(out, false)
	if err != nil { // terms of one shape cannot mismatch
		return newSum(shape, out)
	}
	return n
}

// ---- inverse, trace, det ----

func countTransposes(n Node) int {
	c := 0
	if _, ok := n.(*Transpose); ok {
		c++
	}
	for _, k := range n.Children() {
		c += countTransposes(k)
	}
	return c
}

// Inv returns a⁻¹ for a square a: (X⁻¹)⁻¹ = X, (Xᵀ)⁻¹ = X⁻ᵀ, I⁻¹ = I, an
// orthogonal Q gives Qᵀ, (cX)⁻¹ = c⁻¹X⁻¹, a scalar s gives s^-1. A
// product is not split: (AX⁻¹B)⁻¹ stays whole, as the course text writes it.
func Inv(a Node) (Node, error) {
	if err := checkNil("inverse", a); err != nil {
		return nil, err
	}
	if !a.Shape().IsSquare() {
		return nil, &ShapeError{Op: "invert", Left: a.String(), LeftShape: a.Shape(), Detail: "only a square matrix has an inverse"}
	}
	if err := depthOK(a); err != nil {
		return nil, err
	}
	if a.Shape().IsScalar() {
		return ElemPow(a, big.NewRat(-1, 1))
	}
	switch x := a.(type) {
	case *Inverse:
		return x.x, nil
	case *Identity:
		return x, nil
	case *Commutation:
		return T(x), nil
	case *Zeros:
		return nil, fmt.Errorf("the zero matrix %s has no inverse", x)
	case *Symbol:
		if x.props.Has(Orthogonal) {
			return T(x), nil
		}
	case *Transpose:
		if inv, ok := x.x.(*Inverse); ok {
			return T(inv.x), nil
		}
		in, err := Inv(x.x)
		if err != nil {
			return nil, err
		}
		return T(in), nil
	case *Sum:
		if len(x.terms) == 1 {
			in, err := Inv(x.terms[0].X)
			if err != nil {
				return nil, err
			}
			return Scale(new(big.Rat).Inv(x.terms[0].Coef), in), nil
		}
	case *Product:
		if len(x.scalars) > 0 {
			s, err := Mul(x.scalars...)
			if err != nil {
				return nil, err
			}
			si, err := ElemPow(s, big.NewRat(-1, 1))
			if err != nil {
				return nil, err
			}
			ci, err := Inv(chainNode(x.chain))
			if err != nil {
				return nil, err
			}
			return Mul(si, ci)
		}
	}
	// Of M and Mᵀ invert the one written with fewer transposes.
	if ta := T(a); countTransposes(ta) < countTransposes(a) {
		return T(&Inverse{nodeBase: newBase(a.Shape(), "inv("+ta.Key()+")", ta), x: ta}), nil
	}
	return &Inverse{nodeBase: newBase(a.Shape(), "inv("+a.Key()+")", a), x: a}, nil
}

func squareCheck(op string, a Node) error {
	if err := checkNil(op, a); err != nil {
		return err
	}
	if !a.Shape().IsSquare() {
		return &ShapeError{Op: "take " + op + " of", Left: a.String(), LeftShape: a.Shape(), Detail: op + " needs a square matrix"}
	}
	return depthOK(a)
}

// linearOverSum applies a linear map f term by term: f(Σ cᵢXᵢ) = Σ cᵢ f(Xᵢ).
func linearOverSum(x *Sum, f func(Node) (Node, error)) (Node, error) {
	terms := make([]Term, len(x.terms))
	for i, t := range x.terms {
		y, err := f(t.X)
		if err != nil {
			return nil, err
		}
		terms[i] = Term{t.Coef, y}
	}
	return Combine(terms...)
}

// Tr returns tr(a) of a square a. The trace is linear (it distributes over
// sums and takes scalar factors out), tr(s) = s for a scalar, tr(Xᵀ) =
// tr(X) for a leaf X, tr(0) = 0, tr(I) = n for a size n given as a
// number (a named size has no scalar node: tr(I_n) stays). Products are not rotated (that is a step
// of a derivation, not of the normal form).
func Tr(a Node) (Node, error) {
	if err := squareCheck("the trace", a); err != nil {
		return nil, err
	}
	if a.Shape().IsScalar() {
		return a, nil
	}
	switch x := a.(type) {
	case *Sum:
		return linearOverSum(x, Tr)
	case *Product:
		if len(x.scalars) > 0 {
			tc, err := Tr(chainNode(x.chain))
			if err != nil {
				return nil, err
			}
			return Mul(append(append([]Node(nil), x.scalars...), tc)...)
		}
	case *Zeros:
		return IntConst(0), nil
	case *Identity:
		if k, ok := x.N().Value(); ok {
			return IntConst(k), nil
		}
	case *Transpose:
		return Tr(x.x)
	}
	return &Trace{nodeBase: newBase(ScalarShape(), "tr("+a.Key()+")", a), x: a}, nil
}

// Det returns det(a) of a square a: det(s) = s, det(Xᵀ) = det(X),
// det(X⁻¹) = det(X)^-1, det(I) = 1.
func Det(a Node) (Node, error) {
	if err := squareCheck("the determinant", a); err != nil {
		return nil, err
	}
	if a.Shape().IsScalar() {
		return a, nil
	}
	switch x := a.(type) {
	case *Transpose:
		return Det(x.x)
	case *Inverse:
		d, err := Det(x.x)
		if err != nil {
			return nil, err
		}
		return ElemPow(d, big.NewRat(-1, 1))
	case *Identity:
		return IntConst(1), nil
	}
	return &Determinant{nodeBase: newBase(ScalarShape(), "det("+a.Key()+")", a), x: a}, nil
}

// LogDet returns log det(a) of a square a: logdet(Xᵀ) = logdet(X),
// logdet(X⁻¹) = −logdet(X), logdet(I) = 0; of a scalar it is log(s).
func LogDet(a Node) (Node, error) {
	if err := squareCheck("logdet", a); err != nil {
		return nil, err
	}
	if a.Shape().IsScalar() {
		return Apply("log", a)
	}
	switch x := a.(type) {
	case *Transpose:
		return LogDet(x.x)
	case *Inverse:
		d, err := LogDet(x.x)
		if err != nil {
			return nil, err
		}
		return Neg(d), nil
	case *Identity:
		return IntConst(0), nil
	}
	return &LogDeterminant{nodeBase: newBase(ScalarShape(), "logdet("+a.Key()+")", a), x: a}, nil
}

// ---- elementwise ----

// FuncNames lists the elementwise functions Apply knows: the Elementwise
// entries of package builtin, with sign, the derivative of abs.
func FuncNames() []string {
	return builtin.Names(builtin.Elementwise)
}

// Apply returns the elementwise function name applied to a: f(a) for a
// scalar, f applied to every entry otherwise. A function that is a power
// (sqrt(a) is a.^(1/2)) is built as one; a constant folds where the
// function's value there is rational (exp(0) = 1, log(1) = 0).
func Apply(name string, a Node) (Node, error) {
	if err := checkNil(name, a); err != nil {
		return nil, err
	}
	f, ok := builtin.Lookup(name)
	if !ok || f.Kind != builtin.Elementwise {
		return nil, fmt.Errorf("unknown elementwise function %q", name)
	}
	if err := depthOK(a); err != nil {
		return nil, err
	}
	if f.PowDen != 0 {
		return ElemPow(a, big.NewRat(f.PowNum, f.PowDen))
	}
	if c, ok := a.(*Const); ok && f.Domain.ContainsRat(c.val) {
		if v, ok := f.Exact(c.val); ok {
			return NewConst(v), nil
		}
	}
	if name == "exp" {
		if _, ok := a.(*Zeros); ok {
			return OnesOf(a.Shape()), nil
		}
	}
	return mustFunc(name, a), nil
}

func mustFunc(name string, a Node) Node {
	return &Func{nodeBase: newBase(a.Shape(), name+"("+a.Key()+")", a), name: name, x: a}
}

// Hadamard returns the elementwise product a ⊙ b ⊙ …; a scalar operand
// multiplies (Mul). Shapes must agree. Equal factors merge into powers,
// coefficients come out, ones(…) factors drop.
func Hadamard(xs ...Node) (Node, error) {
	if err := checkNil("elementwise product", xs...); err != nil {
		return nil, err
	}
	if err := depthOK(xs...); err != nil {
		return nil, err
	}
	var shape Shape
	have := false
	var scalars []Node
	for _, x := range xs {
		if x.Shape().IsScalar() {
			scalars = append(scalars, x)
			continue
		}
		if have && x.Shape() != shape {
			return nil, &ShapeError{Op: "combine elementwise", Left: xs[0].String(), LeftShape: shape, Right: x.String(), RightShape: x.Shape()}
		}
		shape, have = x.Shape(), true
	}
	if !have {
		return Mul(xs...)
	}
	coef := big.NewRat(1, 1)
	type group struct {
		base Node
		exp  *big.Rat
	}
	idx := map[string]int{}
	var groups []group
	zero := false
	var collect func(x Node)
	collect = func(x Node) {
		switch x := x.(type) {
		case *HadamardProduct:
			for _, f := range x.factors {
				collect(f)
			}
			return
		case *Ones:
			return
		case *Zeros:
			zero = true
			return
		case *Sum:
			if len(x.terms) == 1 {
				coef.Mul(coef, x.terms[0].Coef)
				collect(x.terms[0].X)
				return
			}
		case *Product:
			if len(x.scalars) > 0 && len(x.chain) > 0 {
				scalars = append(scalars, x.scalars...)
				collect(chainNode(x.chain))
				return
			}
		}
		b, p := x, big.NewRat(1, 1)
		if e, ok := x.(*Power); ok {
			b, p = e.x, e.p
		}
		if i, ok := idx[b.Key()]; ok {
			groups[i].exp = new(big.Rat).Add(groups[i].exp, p)
			return
		}
		idx[b.Key()] = len(groups)
		groups = append(groups, group{b, new(big.Rat).Set(p)})
	}
	for _, x := range xs {
		if !x.Shape().IsScalar() {
			collect(x)
		}
	}
	if zero {
		return ZerosOf(shape), nil
	}
	var fs []Node
	for _, g := range groups {
		if g.exp.Sign() == 0 {
			continue
		}
		fs = append(fs, newElemPow(g.base, g.exp))
	}
	var core Node
	switch len(fs) {
	case 0:
		core = OnesOf(shape)
	case 1:
		core = fs[0]
	default:
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].Key() < fs[j].Key() })
		core = newHadamard(fs)
	}
	return Mul(append(append(scalars, NewConst(coef)), core)...)
}

func newHadamard(fs []Node) Node {
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Key() < fs[j].Key() })
	keys := make([]string, len(fs))
	for i, f := range fs {
		keys[i] = f.Key()
	}
	return &HadamardProduct{nodeBase: newBase(fs[0].Shape(), ".*("+strings.Join(keys, " ")+")", fs...), factors: fs}
}

// HadamardDiv returns the elementwise quotient a ./ b = a ⊙ b.^-1.
func HadamardDiv(a, b Node) (Node, error) {
	if err := checkNil("elementwise quotient", a, b); err != nil {
		return nil, err
	}
	r, err := ElemPow(b, big.NewRat(-1, 1))
	if err != nil {
		return nil, err
	}
	return Hadamard(a, r)
}

// ElemPow returns a.^p (s^p for a scalar): p = 1 gives a, p = 0 ones,
// (a.^q).^p = a.^(pq), a rational constant to an integer power is folded,
// and a Hadamard product or a product of scalars is raised factor by
// factor.
func ElemPow(a Node, p *big.Rat) (Node, error) {
	if err := checkNil("power", a); err != nil {
		return nil, err
	}
	if err := depthOK(a); err != nil {
		return nil, err
	}
	if ratIsOne(p) {
		return a, nil
	}
	if p.Sign() == 0 {
		return OnesOf(a.Shape()), nil
	}
	switch x := a.(type) {
	case *Const:
		if p.IsInt() && p.Num().IsInt64() {
			k := p.Num().Int64()
			if x.val.Sign() == 0 {
				if k < 0 {
					return nil, fmt.Errorf("division by zero")
				}
				return x, nil
			}
			bits := int64(x.val.Num().BitLen() + x.val.Denom().BitLen())
			if k > -4096 && k < 4096 && bits*abs64(k) <= 1<<16 {
				num := new(big.Int).Exp(x.val.Num(), big.NewInt(abs64(k)), nil)
				den := new(big.Int).Exp(x.val.Denom(), big.NewInt(abs64(k)), nil)
				if k < 0 {
					num, den = den, num
				}
				return NewConst(new(big.Rat).SetFrac(num, den)), nil
			}
		}
	case *Zeros:
		if p.Sign() > 0 {
			return x, nil
		}
	case *Ones:
		return x, nil
	case *Power:
		// (u^a)^p = u^(ap), except for an even a under a fractional p:
		// (u²)^(1/2) is |u|, not u.
		if p.IsInt() || !x.p.IsInt() || x.p.Num().Bit(0) == 1 {
			return ElemPow(x.x, new(big.Rat).Mul(x.p, p))
		}
	case *HadamardProduct:
		fs := make([]Node, len(x.factors))
		for i, f := range x.factors {
			var err error
			if fs[i], err = ElemPow(f, p); err != nil {
				return nil, err
			}
		}
		return Hadamard(fs...)
	case *Product:
		if len(x.chain) == 0 {
			fs := make([]Node, len(x.scalars))
			for i, f := range x.scalars {
				var err error
				if fs[i], err = ElemPow(f, p); err != nil {
					return nil, err
				}
			}
			return Mul(fs...)
		}
	case *Sum:
		if len(x.terms) == 1 && p.IsInt() && p.Num().IsInt64() && p.Num().Int64() > -4096 && p.Num().Int64() < 4096 {
			c, err := ElemPow(NewConst(x.terms[0].Coef), p)
			if err != nil {
				return nil, err
			}
			b, err := ElemPow(x.terms[0].X, p)
			if err != nil {
				return nil, err
			}
			return Mul(c, b)
		}
	}
	return newElemPow(a, p), nil
}

func abs64(k int64) int64 {
	if k < 0 {
		return -k
	}
	return k
}

func newElemPow(a Node, p *big.Rat) Node {
	if ratIsOne(p) {
		return a
	}
	v := new(big.Rat).Set(p)
	return &Power{nodeBase: newBase(a.Shape(), "pow("+a.Key()+","+v.RatString()+")", a), x: a, p: v}
}

// MaxPower bounds the integer exponent of a matrix power.
const MaxPower = 4096

// Pow returns the matrix power aᵏ of a square a: a⁰ = I, a¹ = a, a⁻¹ =
// Inv(a), a⁻ᵏ = (aᵏ)⁻¹, (Xʲ)ᵏ = Xʲᵏ; a scalar gives s^k.
func Pow(a Node, k int) (Node, error) {
	if err := squareCheck("a power", a); err != nil {
		return nil, err
	}
	if k > MaxPower || k < -MaxPower {
		return nil, fmt.Errorf("power %d is out of range (at most %d)", k, MaxPower)
	}
	if a.Shape().IsScalar() {
		return ElemPow(a, big.NewRat(int64(k), 1))
	}
	switch {
	case k == 0:
		return Eye(a.Shape().Rows), nil
	case k == 1:
		return a, nil
	case k < 0:
		p, err := Pow(a, -k)
		if err != nil {
			return nil, err
		}
		return Inv(p)
	}
	switch x := a.(type) {
	case *Identity:
		return x, nil
	case *MatPow:
		return Pow(x.x, x.k*k)
	case *Zeros:
		return x, nil
	case *Sum:
		if len(x.terms) == 1 {
			c, err := ElemPow(NewConst(x.terms[0].Coef), big.NewRat(int64(k), 1))
			if err != nil {
				return nil, err
			}
			b, err := Pow(x.terms[0].X, k)
			if err != nil {
				return nil, err
			}
			return Mul(c, b)
		}
	}
	return &MatPow{nodeBase: newBase(a.Shape(), powKey(a, k), a), x: a, k: k}, nil
}

func powKey(a Node, k int) string { return fmt.Sprintf("mpow(%s,%d)", a.Key(), k) }

// ---- reductions and reshapes ----

// SumEntries returns sum(a), the sum of all entries; linear, sum(s) = s.
func SumEntries(a Node) (Node, error) {
	if err := checkNil("sum", a); err != nil {
		return nil, err
	}
	if err := depthOK(a); err != nil {
		return nil, err
	}
	if a.Shape().IsScalar() {
		return a, nil
	}
	switch x := a.(type) {
	case *Sum:
		return linearOverSum(x, SumEntries)
	case *Zeros:
		return IntConst(0), nil
	case *Transpose:
		return SumEntries(x.x)
	}
	return &EntrySum{nodeBase: newBase(ScalarShape(), "sum("+a.Key()+")", a), x: a}, nil
}

// Diag returns diag(a): for a column (or row) vector, the diagonal matrix
// with it on the diagonal; for a square matrix, its diagonal as a column.
func Diag(a Node) (Node, error) {
	if err := checkNil("diag", a); err != nil {
		return nil, err
	}
	if err := depthOK(a); err != nil {
		return nil, err
	}
	s := a.Shape()
	switch {
	case s.IsScalar():
		return a, nil
	case s.IsRow():
		return Diag(T(a))
	case s.IsColumn():
		return &DiagMatrix{nodeBase: newBase(Shape{s.Rows, s.Rows}, "diag("+a.Key()+")", a), x: a}, nil
	case s.IsSquare():
		if d, ok := a.(*DiagMatrix); ok {
			return d.x, nil
		}
		if t, ok := a.(*Transpose); ok {
			return Diag(t.x) // the diagonal of Aᵀ is the diagonal of A
		}
		return &DiagPart{nodeBase: newBase(VectorShape(s.Rows), "diagp("+a.Key()+")", a), x: a}, nil
	}
	return nil, &ShapeError{Op: "take diag of", Left: a.String(), LeftShape: s, Detail: "diag needs a vector or a square matrix"}
}

// Vec returns vec(a), the columns of a stacked (a column itself for a
// column).
func Vec(a Node) (Node, error) {
	if err := checkNil("vec", a); err != nil {
		return nil, err
	}
	if err := depthOK(a); err != nil {
		return nil, err
	}
	s := a.Shape()
	if s.Cols.IsOne() {
		return a, nil
	}
	if s.Rows.IsOne() {
		return T(a), nil
	}
	return &Vectorize{nodeBase: newBase(VectorShape(s.Rows.Mul(s.Cols)), "vec("+a.Key()+")", a), x: a}, nil
}

// Kron returns the Kronecker product a ⊗ b, of shape (ra·rb)×(ca·cb).
func Kron(a, b Node) (Node, error) {
	if err := checkNil("kron", a, b); err != nil {
		return nil, err
	}
	if err := depthOK(a, b); err != nil {
		return nil, err
	}
	if a.Shape().IsScalar() || b.Shape().IsScalar() {
		return Mul(a, b)
	}
	return newKron(a, b), nil
}

func newKron(a, b Node) Node {
	s := Shape{a.Shape().Rows.Mul(b.Shape().Rows), a.Shape().Cols.Mul(b.Shape().Cols)}
	return &KronProduct{nodeBase: newBase(s, "kron("+a.Key()+","+b.Key()+")", a, b), a: a, b: b}
}

// Matrix returns the literal matrix with the given rows of scalar
// entries. Rows must be non-empty and of equal length; a 1×1 literal is
// its entry.
func Matrix(rows [][]Node) (Node, error) {
	if len(rows) == 0 || len(rows[0]) == 0 {
		return nil, fmt.Errorf("an empty matrix literal")
	}
	for i, r := range rows {
		if len(r) != len(rows[0]) {
			return nil, fmt.Errorf("row %d of the matrix has %d entries, row 1 has %d", i+1, len(r), len(rows[0]))
		}
		for j, e := range r {
			if e == nil {
				return nil, fmt.Errorf("entry (%d, %d) of the matrix is nil", i+1, j+1)
			}
			if !e.Shape().IsScalar() {
				return nil, &ShapeError{Op: "use as a matrix entry", Left: e.String(), LeftShape: e.Shape(),
					Detail: fmt.Sprintf("entry (%d, %d) must be a scalar", i+1, j+1)}
			}
			if err := depthOK(e); err != nil {
				return nil, err
			}
		}
	}
	if len(rows) == 1 && len(rows[0]) == 1 {
		return rows[0][0], nil
	}
	cp := make([][]Node, len(rows))
	for i, r := range rows {
		cp[i] = append([]Node(nil), r...)
	}
	return newLiteral(cp), nil
}

func newLiteral(rows [][]Node) Node {
	var b strings.Builder
	var kids []Node
	b.WriteString("[")
	for i, r := range rows {
		if i > 0 {
			b.WriteString(";")
		}
		for j, e := range r {
			if j > 0 {
				b.WriteString(",")
			}
			b.WriteString(e.Key())
			kids = append(kids, e)
		}
	}
	b.WriteString("]")
	s := Shape{Int(int64(len(rows))), Int(int64(len(rows[0])))}
	return &Literal{nodeBase: newBase(s, b.String(), kids...), rows: rows}
}

// ---- inner products and norms ----

// Inner returns ⟨a, b⟩ = tr(aᵀb) (aᵀb for vectors), for a and b of one
// shape.
func Inner(a, b Node) (Node, error) {
	if err := checkNil("inner product", a, b); err != nil {
		return nil, err
	}
	if a.Shape() != b.Shape() {
		return nil, &ShapeError{Op: "take the inner product of", Left: a.String(), LeftShape: a.Shape(), Right: b.String(), RightShape: b.Shape()}
	}
	p, err := Mul(T(a), b)
	if err != nil {
		return nil, err
	}
	return Tr(p)
}

// Norm returns ‖a‖ = ⟨a, a⟩^(1/2): the 2-norm of a vector, the Frobenius
// norm of a matrix, |s| of a scalar.
func Norm(a Node) (Node, error) {
	if err := checkNil("norm", a); err != nil {
		return nil, err
	}
	if a.Shape().IsScalar() {
		return Apply("abs", a)
	}
	in, err := Inner(a, a)
	if err != nil {
		return nil, err
	}
	return ElemPow(in, big.NewRat(1, 2))
}
