package expr

import (
	"fmt"
	"math/big"
	"strings"
)

// SumEntries returns sum(a), the sum of all entries; linear, sum(s) = s,
// sum(softmax(u)) = 1.
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
	case *Softmax:
		return IntConst(1), nil // its entries sum to 1
	}
	return &EntrySum{nodeBase: newBase1(ScalarShape(), "sum("+a.Key()+")", a), x: a}, nil
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
		return &DiagMatrix{nodeBase: newBase1(Shape{s.Rows, s.Rows}, "diag("+a.Key()+")", a), x: a}, nil
	case s.IsSquare():
		if d, ok := a.(*DiagMatrix); ok {
			return d.x, nil
		}
		if t, ok := a.(*Transpose); ok {
			return Diag(t.x) // the diagonal of Aᵀ is the diagonal of A
		}
		return &DiagPart{nodeBase: newBase1(VectorShape(s.Rows), "diagp("+a.Key()+")", a), x: a}, nil
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
	return &Vectorize{nodeBase: newBase1(VectorShape(s.Rows.Mul(s.Cols)), "vec("+a.Key()+")", a), x: a}, nil
}

// Kron returns the Kronecker product a ⊗ b, of shape (ra·rb)×(ca·cb);
// a ⊗ 0 = 0 ⊗ b = 0.
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
	_, za := a.(*Zeros)
	_, zb := b.(*Zeros)
	if za || zb {
		return ZerosOf(Shape{a.Shape().Rows.Mul(b.Shape().Rows), a.Shape().Cols.Mul(b.Shape().Cols)}), nil
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
