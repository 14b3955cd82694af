package expr

import (
	"fmt"
	"math/big"
	"strings"
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
	return ok && ratIsOne(c.val)
}

// Equal reports whether a and b are the same expression in normal form.
func Equal(a, b Node) bool { return a.Key() == b.Key() }
