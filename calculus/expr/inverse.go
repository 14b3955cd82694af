package expr

import (
	"fmt"
	"math/big"
)

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
		return T(&Inverse{nodeBase: newBase1(a.Shape(), "inv("+ta.Key()+")", ta), x: ta}), nil
	}
	return &Inverse{nodeBase: newBase1(a.Shape(), "inv("+a.Key()+")", a), x: a}, nil
}

// Pinv returns the Moore–Penrose pseudo-inverse a⁺ (n×m for an m×n a):
// (X⁺)⁺ = X, (Xᵀ)⁺ = (X⁺)ᵀ, I⁺ = I, an orthogonal Q gives Qᵀ, a symbol
// declared invertible gives X⁻¹, (cX)⁺ = c⁻¹X⁺, a scalar s gives s^-1 (s ≠ 0
// assumed, as for inv). Anything else stays pinv(a).
func Pinv(a Node) (Node, error) {
	if err := checkNil("pseudo-inverse", a); err != nil {
		return nil, err
	}
	if err := depthOK(a); err != nil {
		return nil, err
	}
	if a.Shape().IsScalar() {
		return ElemPow(a, big.NewRat(-1, 1))
	}
	switch x := a.(type) {
	case *PseudoInverse:
		return x.x, nil
	case *Inverse, *Identity, *Commutation:
		return Inv(x)
	case *Zeros:
		return ZerosOf(x.shape.T()), nil
	case *Symbol:
		if x.props.Has(Invertible) || x.props.Has(Orthogonal) {
			return Inv(x)
		}
	case *Transpose:
		in, err := Pinv(x.x)
		if err != nil {
			return nil, err
		}
		return T(in), nil
	case *Sum:
		if len(x.terms) == 1 {
			in, err := Pinv(x.terms[0].X)
			if err != nil {
				return nil, err
			}
			return Scale(new(big.Rat).Inv(x.terms[0].Coef), in), nil
		}
	}
	if ta := T(a); countTransposes(ta) < countTransposes(a) {
		return T(&PseudoInverse{nodeBase: newBase1(ta.Shape().T(), "pinv("+ta.Key()+")", ta), x: ta}), nil
	}
	return &PseudoInverse{nodeBase: newBase1(a.Shape().T(), "pinv("+a.Key()+")", a), x: a}, nil
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
	return &Trace{nodeBase: newBase1(ScalarShape(), "tr("+a.Key()+")", a), x: a}, nil
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
	return &Determinant{nodeBase: newBase1(ScalarShape(), "det("+a.Key()+")", a), x: a}, nil
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
	return &LogDeterminant{nodeBase: newBase1(ScalarShape(), "logdet("+a.Key()+")", a), x: a}, nil
}

// The complements of the Moore–Penrose projections, L = I − XX⁺ (onto the
// null space of Xᵀ) and R = I − X⁺X (onto the null space of X), vanish
// next to X, whatever its rank: LX = 0 and X⁺L = 0 (so XᵀL = 0 and
// L X⁺ᵀ = 0, L being symmetric), XR = 0 and RX⁺ = 0 (so RXᵀ = 0 and
// X⁺ᵀR = 0). annihilated reports whether two neighbours of chain are
// such a pair, which makes the product 0.
func annihilated(chain []Node) bool {
	for i := 0; i+1 < len(chain); i++ {
		if annihilates(chain[i], chain[i+1]) {
			return true
		}
	}
	return false
}

func annihilates(a, b Node) bool {
	if x, left, ok := projectorComplement(a); ok {
		if left { // (I − XX⁺)·X, (I − XX⁺)·X⁺ᵀ
			return b.Key() == x.Key() || b.Key() == pinvT(x)
		}
		return b.Key() == pinvKey(x) || b.Key() == T(x).Key() // (I − X⁺X)·X⁺, ·Xᵀ
	}
	if x, left, ok := projectorComplement(b); ok {
		if left { // X⁺·(I − XX⁺), Xᵀ·(I − XX⁺)
			return a.Key() == pinvKey(x) || a.Key() == T(x).Key()
		}
		return a.Key() == x.Key() || a.Key() == pinvT(x) // X·(I − X⁺X), X⁺ᵀ·(I − X⁺X)
	}
	return false
}

func pinvKey(x Node) string {
	p, err := Pinv(x)
	if err != nil {
		return ""
	}
	return p.Key()
}

func pinvT(x Node) string {
	p, err := Pinv(x)
	if err != nil {
		return ""
	}
	return T(p).Key()
}

// projectorComplement matches I − XX⁺ (left) or I − X⁺X (not left).
func projectorComplement(n Node) (x Node, left, ok bool) {
	s, isSum := n.(*Sum)
	if !isSum || len(s.terms) != 2 {
		return nil, false, false
	}
	var id, prod Term
	for _, t := range s.terms {
		switch t.X.(type) {
		case *Identity:
			id = t
		case *Product:
			prod = t
		}
	}
	if id.X == nil || prod.X == nil || !ratIsOne(id.Coef) || prod.Coef.Cmp(minusOne) != 0 {
		return nil, false, false
	}
	p := prod.X.(*Product)
	if len(p.scalars) != 0 || len(p.chain) != 2 {
		return nil, false, false
	}
	u, v := p.chain[0], p.chain[1]
	if pv, isP := v.(*PseudoInverse); isP && pv.x.Key() == u.Key() {
		return u, true, true
	}
	if pu, isP := u.(*PseudoInverse); isP && pu.x.Key() == v.Key() {
		return v, false, true
	}
	return nil, false, false
}
