package expr

import (
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"unicode/utf8"
)

// Span is the position in a cell of the source text a node came from:
// 1-based line and column (in code points) of its start and end. The
// zero Span means "no source" (a node built by differentiation).
type Span struct {
	Line, Col       int
	EndLine, EndCol int
}

// IsZero reports whether s carries no position.
func (s Span) IsZero() bool { return s == Span{} }

// Kind names the kind of a Node. Switch on it, or — as with go/ast — on the
// node's concrete type, which is one of the pointer types of this package
// listed beside each constant.
type Kind int

// The node kinds, with their concrete types.
const (
	KindSymbol       Kind = iota // *Symbol: a declared name
	KindConst                    // *Const: a rational scalar
	KindSum                      // *Sum: Σ cᵢ·termᵢ with rational cᵢ
	KindProduct                  // *Product: scalar factors, then an ordered chain
	KindTranspose                // *Transpose: only of a leaf (symbol, dX, inverse, vec, diag part)
	KindInverse                  // *Inverse: X⁻¹
	KindTrace                    // *Trace: tr(X)
	KindDet                      // *Determinant: det(X)
	KindLogDet                   // *LogDeterminant: log det(X)
	KindFunc                     // *Func: an elementwise function f(X)
	KindHadamard                 // *HadamardProduct: X ⊙ Y ⊙ … (a quotient is ⊙ with a .^-1 factor)
	KindElemPow                  // *Power: X.^p, rational p (for a scalar, s^p)
	KindMatPow                   // *MatPow: Xᵏ, integer k ≥ 2, square X
	KindSumEntries               // *EntrySum: sum of all entries
	KindDiag                     // *DiagMatrix: diag(v), a vector made a diagonal matrix
	KindDiagPart                 // *DiagPart: diag(X), the diagonal of a square matrix as a vector
	KindVec                      // *Vectorize: vec(X), columns stacked
	KindKron                     // *KronProduct: A ⊗ B
	KindIdentity                 // *Identity: I of size n
	KindZeros                    // *Zeros: the zero matrix of a shape
	KindOnes                     // *Ones: the all-ones matrix of a shape
	KindLiteral                  // *Literal: [a, b; c, d], scalar entries
	KindDifferential             // *Differential: dX (dX₁, dX₂ for second order)
	KindCommutation              // *Commutation: the commutation matrix K(m, n)
	KindPinv                     // *PseudoInverse: X⁺, the Moore–Penrose pseudo-inverse
	KindSoftmax                  // *Softmax: softmax(z) of a column vector
	KindLogSumExp                // *LogSumExp: logsumexp(z) of a column vector
)

var kindNames = [...]string{
	"Symbol", "Const", "Sum", "Product", "Transpose", "Inverse", "Trace", "Det",
	"LogDet", "Func", "Hadamard", "ElemPow", "MatPow", "SumEntries", "Diag",
	"DiagPart", "Vec", "Kron", "Identity", "Zeros", "Ones", "Literal", "Differential",
	"Commutation", "Pinv", "Softmax", "LogSumExp",
}

// String returns the kind's name, such as "Product".
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(?)"
}

// Node is an immutable symbolic matrix expression with a shape. Nodes are
// built only through the constructors of this package (Add, Mul, T, Inv,
// …), which check shapes and keep the normal form described in the
// package documentation; two nodes that are equal in normal form have the
// same Key.
type Node interface {
	// Kind tells which concrete type the node is.
	Kind() Kind
	// Shape is the node's shape, rows × cols, with symbolic dimensions.
	Shape() Shape
	// Span is the source position the node came from, or the zero Span.
	Span() Span
	// Children returns the node's operands in order (a fresh slice). For a
	// Sum they are the terms without coefficients (see Sum.Terms); for a
	// Product, the scalar factors then the chain (see Product.Scalars and
	// Product.Chain); for a Literal, the entries row by row.
	Children() []Node
	// Key is a canonical string: equal keys mean equal expressions.
	Key() string
	// String renders the node as plain text that is valid matcalc input.
	String() string
	// LaTeX renders the node as TeX math-mode content.
	LaTeX() string

	base() *nodeBase
}

type nodeBase struct {
	shape Shape
	span  Span
	key   string
	depth int
	// The children, as Children returns them (shared: never modified):
	// the one of a node with one in one, the others' in kids.
	one  [1]Node
	kids []Node
}

// children returns the node's children without copying them.
func (b *nodeBase) children() []Node {
	if b.one[0] != nil {
		return b.one[:]
	}
	return b.kids
}

// Shape returns the node's shape.
func (b *nodeBase) Shape() Shape { return b.shape }

// Span returns the node's source position, or the zero Span.
func (b *nodeBase) Span() Span { return b.span }

// Children returns the node's operands in order, in a fresh slice: a
// Sum's terms without coefficients, a Product's scalar factors then its
// chain, a Literal's entries row by row, nothing for a leaf.
func (b *nodeBase) Children() []Node { return append([]Node(nil), b.children()...) }

// Key returns the node's canonical key: equal keys, equal expressions.
func (b *nodeBase) Key() string { return b.key }

func (b *nodeBase) base() *nodeBase { return b }

// Depth returns the height of the node's tree (a leaf has depth 1).
func (b *nodeBase) Depth() int { return b.depth }

// maxKeyLen is the length beyond which a key is shortened to a prefix and
// a 128-bit digest, so that keys of deep trees stay short and building a
// node stays cheap. The prefix keeps the printed order of short terms.
const maxKeyLen = 160

func compactKey(key string) string {
	if len(key) <= maxKeyLen {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	cut := maxKeyLen / 2
	for cut > 0 && !utf8.RuneStart(key[cut]) {
		cut-- // never half a character: keys may be shown
	}
	return key[:cut] + "~" + hex.EncodeToString(sum[:16])
}

func newBase(s Shape, key string, kids ...Node) nodeBase {
	key = compactKey(key)
	d := 0
	for _, k := range kids {
		if kd := k.base().depth; kd > d {
			d = kd
		}
	}
	return nodeBase{shape: s, key: key, depth: d + 1, kids: kids}
}

// newBase1 is newBase for a node of one child, kept in the node itself.
func newBase1(s Shape, key string, kid Node) nodeBase {
	return nodeBase{shape: s, key: compactKey(key), depth: kid.base().depth + 1, one: [1]Node{kid}}
}

// Props is a set of properties a symbol is declared with.
type Props uint8

// The properties of a declared matrix.
const (
	Symmetric  Props = 1 << iota // Xᵀ = X
	SPD                          // symmetric positive definite (implies Symmetric, Invertible)
	Invertible                   // X⁻¹ exists
	Diagonal                     // diagonal (implies Symmetric)
	Orthogonal                   // XᵀX = I (implies Invertible; X⁻¹ = Xᵀ)
)

// Has reports whether every property in q is in p, taking implications
// into account (spd ⇒ symmetric, invertible; diagonal ⇒ symmetric;
// orthogonal ⇒ invertible).
func (p Props) Has(q Props) bool { return p.closure()&q == q }

func (p Props) closure() Props {
	if p&SPD != 0 {
		p |= Symmetric | Invertible
	}
	if p&Diagonal != 0 {
		p |= Symmetric
	}
	if p&Orthogonal != 0 {
		p |= Invertible
	}
	return p
}

// String lists the properties as declared in matcalc: "symmetric spd".
func (p Props) String() string {
	names := []string{"symmetric", "spd", "invertible", "diagonal", "orthogonal"}
	s := ""
	for i, n := range names {
		if p&(1<<i) != 0 {
			if s != "" {
				s += " "
			}
			s += n
		}
	}
	return s
}

// Symbol is a declared name: a scalar, vector or matrix, with properties.
// Two symbols with the same name are the same symbol.
type Symbol struct {
	nodeBase
	name  string
	props Props
}

// Name returns the symbol's name.
func (s *Symbol) Name() string { return s.name }

// Props returns the declared properties.
func (s *Symbol) Props() Props { return s.props }

// Const is a rational scalar constant.
type Const struct {
	nodeBase
	val *big.Rat
}

// Value returns a copy of the constant's value.
func (c *Const) Value() *big.Rat { return new(big.Rat).Set(c.val) }

// Term is one term of a Sum: Coef·X. X is never a Sum or a Const; a
// constant term of a scalar sum has X = the Const 1.
type Term struct {
	Coef *big.Rat
	X    Node
}

// Sum is Σ cᵢ·Xᵢ. A single term with a coefficient other than 1 is how a
// scaled expression (2A, −x) is represented.
type Sum struct {
	nodeBase
	terms []Term
}

// Terms returns the terms, in a fresh slice. The coefficients are the
// sum's own: like every node, they are never modified (compute a new
// big.Rat from them).
func (s *Sum) Terms() []Term { return append([]Term(nil), s.terms...) }

// Len returns the number of terms.
func (s *Sum) Len() int { return len(s.terms) }

// Term returns the i-th term, 0 ≤ i < Len(), without copying the others.
func (s *Sum) Term(i int) Term { return s.terms[i] }

// Product is s₁·s₂·…·(M₁M₂…Mₖ): scalar (1×1) factors sorted by key, which
// commute, followed by the ordered chain of matrix factors. Either part may
// be empty, not both; a chain whose product is 1×1 (xᵀAx) is a scalar
// when it appears as a factor of a larger product.
type Product struct {
	nodeBase
	scalars []Node
	chain   []Node
}

// Scalars returns the scalar factors.
func (p *Product) Scalars() []Node { return append([]Node(nil), p.scalars...) }

// Chain returns the ordered matrix factors.
func (p *Product) Chain() []Node { return append([]Node(nil), p.chain...) }

// Factors returns Scalars followed by Chain.
func (p *Product) Factors() []Node {
	return append(append([]Node(nil), p.scalars...), p.chain...)
}

// Transpose is Xᵀ where X is a leaf: a non-symmetric symbol, a
// differential, an inverse (printed X⁻ᵀ), a vec or a diagonal part.
// Transposes of everything else are pushed down by T.
type Transpose struct {
	nodeBase
	x Node
}

// X returns the transposed operand.
func (t *Transpose) X() Node { return t.x }

// Inverse is X⁻¹ of a square, non-scalar X.
type Inverse struct {
	nodeBase
	x Node
}

// X returns the inverted operand.
func (t *Inverse) X() Node { return t.x }

// PseudoInverse is X⁺, the Moore–Penrose pseudo-inverse of a non-scalar X
// (n×m for an m×n X).
type PseudoInverse struct {
	nodeBase
	x Node
}

// X returns the operand.
func (t *PseudoInverse) X() Node { return t.x }

// Kind returns KindPinv.
func (*PseudoInverse) Kind() Kind { return KindPinv }

// Trace is tr(X).
type Trace struct {
	nodeBase
	x Node
}

// X returns the operand.
func (t *Trace) X() Node { return t.x }

// Determinant is det(X).
type Determinant struct {
	nodeBase
	x Node
}

// X returns the operand.
func (t *Determinant) X() Node { return t.x }

// LogDeterminant is log det(X).
type LogDeterminant struct {
	nodeBase
	x Node
}

// X returns the operand.
func (t *LogDeterminant) X() Node { return t.x }

// Func is an elementwise function applied to every entry of X. Name is one
// of FuncNames.
type Func struct {
	nodeBase
	name string
	x    Node
}

// Name returns the function's name, such as "exp".
func (f *Func) Name() string { return f.name }

// X returns the operand.
func (f *Func) X() Node { return f.x }

// HadamardProduct is the elementwise product of two or more same-shaped
// operands, sorted by key. An elementwise quotient X ./ Y is X ⊙ Y.^-1.
type HadamardProduct struct {
	nodeBase
	factors []Node
}

// Factors returns the operands.
func (h *HadamardProduct) Factors() []Node { return append([]Node(nil), h.factors...) }

// Power is X.^p, each entry raised to the rational power p; for a 1×1 X
// it is the scalar power s^p.
type Power struct {
	nodeBase
	x Node
	p *big.Rat
}

// X returns the base.
func (e *Power) X() Node { return e.x }

// Exp returns a copy of the exponent.
func (e *Power) Exp() *big.Rat { return new(big.Rat).Set(e.p) }

// MatPow is the matrix power Xᵏ of a square non-scalar X, k ≥ 2.
type MatPow struct {
	nodeBase
	x Node
	k int
}

// X returns the base.
func (m *MatPow) X() Node { return m.x }

// K returns the exponent.
func (m *MatPow) K() int { return m.k }

// EntrySum is sum(X), the sum of all entries (1ᵀX1).
type EntrySum struct {
	nodeBase
	x Node
}

// X returns the operand.
func (s *EntrySum) X() Node { return s.x }

// DiagMatrix is diag(v): the n×n diagonal matrix with the n-vector v on its
// diagonal.
type DiagMatrix struct {
	nodeBase
	x Node
}

// X returns the vector.
func (d *DiagMatrix) X() Node { return d.x }

// DiagPart is diag(X): the diagonal of a square matrix X as a column.
type DiagPart struct {
	nodeBase
	x Node
}

// X returns the matrix.
func (d *DiagPart) X() Node { return d.x }

// Vectorize is vec(X): the columns of X stacked into one column.
type Vectorize struct {
	nodeBase
	x Node
}

// X returns the matrix.
func (v *Vectorize) X() Node { return v.x }

// KronProduct is the Kronecker product A ⊗ B.
type KronProduct struct {
	nodeBase
	a, b Node
}

// A returns the left operand.
func (k *KronProduct) A() Node { return k.a }

// B returns the right operand.
func (k *KronProduct) B() Node { return k.b }

// Identity is the identity matrix of size N.
type Identity struct {
	nodeBase
}

// N returns the size.
func (i *Identity) N() Dim { return i.shape.Rows }

// Zeros is the zero matrix of its shape.
type Zeros struct {
	nodeBase
}

// Ones is the all-ones matrix of its shape.
type Ones struct {
	nodeBase
}

// Literal is a matrix written out entry by entry; every entry is a scalar
// expression. Its dimensions are integers.
type Literal struct {
	nodeBase
	rows [][]Node
}

// Rows returns the entries (fresh slices).
func (l *Literal) Rows() [][]Node {
	out := make([][]Node, len(l.rows))
	for i, r := range l.rows {
		out[i] = append([]Node(nil), r...)
	}
	return out
}

// Differential is the differential leaf dX of a symbol X, with the shape
// of X. Index 0 is the plain dX; 1 and 2 are dX₁ and dX₂, the two
// directions of a second differential.
type Differential struct {
	nodeBase
	of    *Symbol
	index int
}

// Of returns the symbol whose differential this is.
func (d *Differential) Of() *Symbol { return d.of }

// Index returns 0 for dX, 1 or 2 for dX₁, dX₂.
func (d *Differential) Index() int { return d.index }

// Kind implementations.

// Kind returns KindSymbol.
func (*Symbol) Kind() Kind { return KindSymbol }

// Kind returns KindConst.
func (*Const) Kind() Kind { return KindConst }

// Kind returns KindSum.
func (*Sum) Kind() Kind { return KindSum }

// Kind returns KindProduct.
func (*Product) Kind() Kind { return KindProduct }

// Kind returns KindTranspose.
func (*Transpose) Kind() Kind { return KindTranspose }

// Kind returns KindInverse.
func (*Inverse) Kind() Kind { return KindInverse }

// Kind returns KindTrace.
func (*Trace) Kind() Kind { return KindTrace }

// Kind returns KindDet.
func (*Determinant) Kind() Kind { return KindDet }

// Kind returns KindLogDet.
func (*LogDeterminant) Kind() Kind { return KindLogDet }

// Kind returns KindFunc.
func (*Func) Kind() Kind { return KindFunc }

// Kind returns KindHadamard.
func (*HadamardProduct) Kind() Kind { return KindHadamard }

// Kind returns KindElemPow.
func (*Power) Kind() Kind { return KindElemPow }

// Kind returns KindMatPow.
func (*MatPow) Kind() Kind { return KindMatPow }

// Kind returns KindSumEntries.
func (*EntrySum) Kind() Kind { return KindSumEntries }

// Kind returns KindDiag.
func (*DiagMatrix) Kind() Kind { return KindDiag }

// Kind returns KindDiagPart.
func (*DiagPart) Kind() Kind { return KindDiagPart }

// Kind returns KindVec.
func (*Vectorize) Kind() Kind { return KindVec }

// Kind returns KindKron.
func (*KronProduct) Kind() Kind { return KindKron }

// Kind returns KindIdentity.
func (*Identity) Kind() Kind { return KindIdentity }

// Kind returns KindZeros.
func (*Zeros) Kind() Kind { return KindZeros }

// Kind returns KindOnes.
func (*Ones) Kind() Kind { return KindOnes }

// Kind returns KindLiteral.
func (*Literal) Kind() Kind { return KindLiteral }

// Kind returns KindDifferential.
func (*Differential) Kind() Kind { return KindDifferential }
