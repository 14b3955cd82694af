package linalg

import (
	"errors"
	"fmt"
	"math"
	"math/big"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// zip applies an elementwise binary operation to a and b, which must have
// the same shape unless one of them is a scalar, which then applies to
// every entry of the other. ex computes an exact entry into z and reports
// an error for an invalid one; fl computes a float entry.
func zip(op string, a, b *Matrix, ex func(z, x, y *big.Rat) error, fl func(x, y float64) (float64, error)) (*Matrix, error) {
	r, c := a.r, a.c
	switch {
	case a.r == b.r && a.c == b.c:
	case a.IsScalar():
		r, c = b.r, b.c
	case b.IsScalar():
	default:
		return nil, fmt.Errorf("cannot %s %s and %s: %w", op, a.shape(), b.shape(), ErrShape)
	}
	ai := func(k int) int {
		if a.IsScalar() {
			return 0
		}
		return k
	}
	bi := func(k int) int {
		if b.IsScalar() {
			return 0
		}
		return k
	}
	if a.q != nil && b.q != nil && ex != nil && r*c <= MaxExactElements {
		z := newExact(r, c)
		inexact := false
		for k := range z.q {
			err := ex(&z.q[k], &a.q[ai(k)], &b.q[bi(k)])
			if errors.Is(err, errInexact) {
				inexact = true
				break
			}
			if err != nil {
				return nil, fmt.Errorf("%s, entry (%d, %d): %w", op, k/c+1, k%c+1, err)
			}
		}
		if !inexact {
			return z.settle(), nil
		}
	}
	af, bf := a.ToFloat().f, b.ToFloat().f
	z := newFloat(r, c)
	for k := range z.f {
		v, err := fl(af[ai(k)], bf[bi(k)])
		if err != nil {
			return nil, fmt.Errorf("%s, entry (%d, %d): %w", op, k/c+1, k%c+1, err)
		}
		z.f[k] = v
	}
	return z, nil
}

// Add returns a + b. A scalar operand is added to every entry of the
// other.
func Add(a, b *Matrix) (*Matrix, error) {
	return zip("add", a, b,
		func(z, x, y *big.Rat) error { z.Add(x, y); return nil },
		func(x, y float64) (float64, error) { return x + y, nil })
}

// Sub returns a − b. A scalar operand is broadcast as in Add.
func Sub(a, b *Matrix) (*Matrix, error) {
	return zip("subtract", a, b,
		func(z, x, y *big.Rat) error { z.Sub(x, y); return nil },
		func(x, y float64) (float64, error) { return x - y, nil })
}

// Hadamard returns the elementwise product a ⊙ b (a .* b). A scalar
// operand multiplies every entry.
func Hadamard(a, b *Matrix) (*Matrix, error) {
	return zip("multiply elementwise", a, b,
		func(z, x, y *big.Rat) error { z.Mul(x, y); return nil },
		func(x, y float64) (float64, error) { return x * y, nil })
}

// HadamardDiv returns the elementwise quotient a ./ b. A zero divisor is
// an error (ErrDomain).
func HadamardDiv(a, b *Matrix) (*Matrix, error) {
	return zip("divide elementwise", a, b,
		func(z, x, y *big.Rat) error {
			if y.Sign() == 0 {
				return fmt.Errorf("division by zero: %w", ErrDomain)
			}
			z.Quo(x, y)
			return nil
		},
		func(x, y float64) (float64, error) {
			if y == 0 {
				return 0, fmt.Errorf("division by zero: %w", ErrDomain)
			}
			return x / y, nil
		})
}

// HadamardPow returns the elementwise power a .^ b. An exact base with
// an integer exponent, or with a rational exponent whose root is exact
// (4 .^ (1/2) = 2), stays exact. Zero to a negative power and a negative
// base to a non-integer power are errors (ErrDomain).
func HadamardPow(a, b *Matrix) (*Matrix, error) {
	return zip("raise elementwise", a, b, ratPow, floatPow)
}

// Div returns a / s for a scalar s (every entry divided by s).
func Div(a, s *Matrix) (*Matrix, error) {
	if !s.IsScalar() {
		return nil, fmt.Errorf("cannot divide %s by %s: the divisor must be a scalar: %w", a.shape(), s.shape(), ErrShape)
	}
	return HadamardDiv(a, s)
}

// Neg returns −a.
func Neg(a *Matrix) *Matrix {
	if a.q != nil {
		z := newExact(a.r, a.c)
		for k := range z.q {
			z.q[k].Neg(&a.q[k])
		}
		return z
	}
	z := newFloat(a.r, a.c)
	for k, v := range a.f {
		z.f[k] = -v
	}
	return z
}

// T returns the transpose of m.
func (m *Matrix) T() *Matrix {
	if m.q != nil {
		z := newExact(m.c, m.r)
		for i := 0; i < m.r; i++ {
			for j := 0; j < m.c; j++ {
				z.q[j*m.r+i].Set(&m.q[i*m.c+j])
			}
		}
		return z
	}
	z := newFloat(m.c, m.r)
	for i := 0; i < m.r; i++ {
		for j := 0; j < m.c; j++ {
			z.f[j*m.r+i] = m.f[i*m.c+j]
		}
	}
	return z
}

// Mul returns the matrix product a·b. When either operand is a scalar
// (1×1) the product is the scalar multiple of the other, so xᵀx·A works
// as the algebra means. Exact operands give an exact product unless the
// work exceeds MaxExactWork.
func Mul(a, b *Matrix) (*Matrix, error) {
	if a.IsScalar() || b.IsScalar() {
		return Hadamard(a, b)
	}
	if a.c != b.r {
		return nil, fmt.Errorf("cannot multiply %s by %s: inner dimensions %d and %d differ: %w", a.shape(), b.shape(), a.c, b.r, ErrShape)
	}
	if err := checkDims(a.r, b.c); err != nil {
		return nil, err
	}
	if a.q != nil && b.q != nil && a.r*b.c <= MaxExactElements && exactMulOK(a, b) {
		return ratMul(a, b).settle(), nil
	}
	z := newFloat(a.r, b.c)
	var zd mat.Dense
	zd.SetRawMatrix(blas64.General{Rows: a.r, Cols: b.c, Stride: b.c, Data: z.f})
	zd.Mul(a.Dense(), b.Dense())
	return z, nil
}

// ratMul multiplies exact matrices over the integers: with da and db
// the common denominators of a and b, a·b = (da·a)(db·b)/(da·db), so the
// O(n³) inner loop multiplies and adds integers and each entry of the
// result is reduced once.
func ratMul(a, b *Matrix) *Matrix {
	ia, da := integerScaled(a)
	ib, db := integerScaled(b)
	den := new(big.Int).Mul(da, db)
	z := newExact(a.r, b.c)
	acc := make([]big.Int, b.c)
	var t big.Int
	for i := 0; i < a.r; i++ {
		for j := range acc {
			acc[j].SetInt64(0)
		}
		for k := 0; k < a.c; k++ {
			x := &ia[i*a.c+k]
			if x.Sign() == 0 {
				continue
			}
			for j := 0; j < b.c; j++ {
				y := &ib[k*b.c+j]
				if y.Sign() == 0 {
					continue
				}
				acc[j].Add(&acc[j], t.Mul(x, y))
			}
		}
		for j := range acc {
			z.q[i*b.c+j].SetFrac(&acc[j], den)
		}
	}
	return z
}

// integerScaled returns the entries of an exact matrix multiplied by
// their common denominator d, and d.
func integerScaled(m *Matrix) ([]big.Int, *big.Int) {
	d := big.NewInt(1)
	var g big.Int
	for i := range m.q {
		den := m.q[i].Denom()
		if den.Cmp(d) == 0 || den.IsInt64() && den.Int64() == 1 {
			continue
		}
		g.GCD(nil, nil, d, den)
		d.Mul(d, den).Quo(d, &g)
	}
	out := make([]big.Int, len(m.q))
	var t big.Int
	for i := range m.q {
		q := &m.q[i]
		out[i].Mul(q.Num(), t.Quo(d, q.Denom()))
	}
	return out, d
}

// exactMulOK reports whether the exact product a·b is within
// MaxExactWork.
func exactMulOK(a, b *Matrix) bool {
	work := float64(a.r) * float64(a.c) * float64(b.c)
	return work*(1+float64(a.maxBits()+b.maxBits())/64) <= MaxExactWork
}

// Pow returns the integer power a^k of a square matrix: k = 0 gives the
// identity, negative k the power of the inverse (an error when a is
// singular).
func Pow(a *Matrix, k int) (*Matrix, error) {
	if !a.IsSquare() {
		return nil, fmt.Errorf("cannot raise a %s matrix to a power: %w", a.shape(), ErrNotSquare)
	}
	if k < 0 {
		inv, err := Inv(a)
		if err != nil {
			return nil, fmt.Errorf("power %d: %w", k, err)
		}
		a = inv
		k = -k
	}
	res, err := Eye(a.r)
	if err != nil {
		return nil, err
	}
	if a.q == nil {
		res = res.ToFloat()
	}
	base := a
	for k > 0 {
		if k&1 == 1 {
			if res, err = Mul(res, base); err != nil {
				return nil, err
			}
		}
		k >>= 1
		if k > 0 {
			if base, err = Mul(base, base); err != nil {
				return nil, err
			}
		}
	}
	return res, nil
}

// Trace returns the sum of the diagonal of a square matrix, as a scalar.
func Trace(a *Matrix) (*Matrix, error) {
	if !a.IsSquare() {
		return nil, fmt.Errorf("trace of a %s matrix: %w", a.shape(), ErrNotSquare)
	}
	if a.q != nil {
		z := newExact(1, 1)
		for i := 0; i < a.r; i++ {
			z.q[0].Add(&z.q[0], &a.q[i*a.c+i])
		}
		return z.settle(), nil
	}
	s := 0.0
	for i := 0; i < a.r; i++ {
		s += a.f[i*a.c+i]
	}
	return Float(s), nil
}

// Sum returns the sum of all entries, as a scalar.
func Sum(a *Matrix) *Matrix {
	if a.q != nil {
		z := newExact(1, 1)
		for k := range a.q {
			z.q[0].Add(&z.q[0], &a.q[k])
		}
		return z.settle()
	}
	s := 0.0
	for _, v := range a.f {
		s += v
	}
	return Float(s)
}

// Dot returns the Frobenius inner product ⟨a, b⟩ = Σ aᵢⱼbᵢⱼ = tr(aᵀb) of
// two matrices (or vectors) of the same shape, as a scalar.
func Dot(a, b *Matrix) (*Matrix, error) {
	if a.r != b.r || a.c != b.c {
		return nil, fmt.Errorf("inner product of %s and %s: %w", a.shape(), b.shape(), ErrShape)
	}
	h, err := Hadamard(a, b)
	if err != nil {
		return nil, err
	}
	return Sum(h), nil
}

// Kron returns the Kronecker product a ⊗ b.
func Kron(a, b *Matrix) (*Matrix, error) {
	r, c := a.r*b.r, a.c*b.c
	if a.r > MaxElements/b.r || a.c > MaxElements/b.c {
		return nil, fmt.Errorf("kron of %s and %s: %w", a.shape(), b.shape(), ErrTooLarge)
	}
	if err := checkDims(r, c); err != nil {
		return nil, err
	}
	if a.q != nil && b.q != nil && r*c <= MaxExactElements {
		z := newExact(r, c)
		for i := 0; i < a.r; i++ {
			for j := 0; j < a.c; j++ {
				x := &a.q[i*a.c+j]
				for k := 0; k < b.r; k++ {
					for l := 0; l < b.c; l++ {
						z.q[(i*b.r+k)*c+j*b.c+l].Mul(x, &b.q[k*b.c+l])
					}
				}
			}
		}
		return z.settle(), nil
	}
	af, bf := a.Floats(), b.Floats()
	z := newFloat(r, c)
	for i := 0; i < a.r; i++ {
		for j := 0; j < a.c; j++ {
			x := af[i*a.c+j]
			for k := 0; k < b.r; k++ {
				for l := 0; l < b.c; l++ {
					z.f[(i*b.r+k)*c+j*b.c+l] = x * bf[k*b.c+l]
				}
			}
		}
	}
	return z, nil
}

// Vec returns the columns of a stacked into one column vector (rc×1).
func Vec(a *Matrix) *Matrix {
	return reshapeColumnMajor(a)
}

func reshapeColumnMajor(a *Matrix) *Matrix {
	n := a.r * a.c
	if a.q != nil {
		z := newExact(n, 1)
		for j := 0; j < a.c; j++ {
			for i := 0; i < a.r; i++ {
				z.q[j*a.r+i].Set(&a.q[i*a.c+j])
			}
		}
		return z
	}
	z := newFloat(n, 1)
	for j := 0; j < a.c; j++ {
		for i := 0; i < a.r; i++ {
			z.f[j*a.r+i] = a.f[i*a.c+j]
		}
	}
	return z
}

// Diag works both ways, as the language's diag does: for a vector (n×1
// or 1×n, n > 1) it returns the n×n diagonal matrix with that diagonal;
// for a square matrix it returns its diagonal as an n×1 vector. A scalar
// gives itself.
func Diag(a *Matrix) (*Matrix, error) {
	switch {
	case a.IsScalar():
		return a, nil
	case a.c == 1 || a.r == 1:
		n := a.r * a.c
		if err := checkDims(n, n); err != nil {
			return nil, fmt.Errorf("diag of a vector of length %d: %w", n, err)
		}
		if a.q != nil && n*n <= MaxExactElements {
			z := newExact(n, n)
			for i := 0; i < n; i++ {
				z.q[i*n+i].Set(&a.q[i])
			}
			return z, nil
		}
		af := a.Floats()
		z := newFloat(n, n)
		for i := 0; i < n; i++ {
			z.f[i*n+i] = af[i]
		}
		return z, nil
	case a.IsSquare():
		n := a.r
		if a.q != nil {
			z := newExact(n, 1)
			for i := 0; i < n; i++ {
				z.q[i].Set(&a.q[i*n+i])
			}
			return z, nil
		}
		z := newFloat(n, 1)
		for i := 0; i < n; i++ {
			z.f[i] = a.f[i*n+i]
		}
		return z, nil
	}
	return nil, fmt.Errorf("diag of a %s matrix: it takes a vector or a square matrix: %w", a.shape(), ErrShape)
}

// ratPow sets z = x^y for exact x, y when the result is rational.
func ratPow(z, x, y *big.Rat) error {
	if y.IsInt() {
		if !y.Num().IsInt64() || absInt64(y.Num().Int64()) > 1<<20 {
			return errInexact
		}
		k := y.Num().Int64()
		if k < 0 && x.Sign() == 0 {
			return fmt.Errorf("zero to a negative power: %w", ErrDomain)
		}
		return ratIntPow(z, x, k)
	}
	// y = p/q: exact when x has an exact q-th root.
	if !y.Num().IsInt64() || !y.Denom().IsInt64() || y.Denom().Int64() > 64 {
		return errInexact
	}
	if x.Sign() < 0 {
		return fmt.Errorf("negative base %s to the non-integer power %s: %w", x.RatString(), y.RatString(), ErrDomain)
	}
	root, ok := ratRoot(x, int(y.Denom().Int64()))
	if !ok {
		return errInexact
	}
	if y.Num().Sign() < 0 && x.Sign() == 0 {
		return fmt.Errorf("zero to a negative power: %w", ErrDomain)
	}
	return ratIntPow(z, root, y.Num().Int64())
}

// ratIntPow sets z = x^k, within the exactness limits.
func ratIntPow(z, x *big.Rat, k int64) error {
	neg := k < 0
	if neg {
		k = -k
	}
	bits := int64(x.Num().BitLen())
	if d := int64(x.Denom().BitLen()); d > bits {
		bits = d
	}
	if bits*k > MaxExactBits {
		return errInexact
	}
	n := new(big.Int).Exp(x.Num(), big.NewInt(k), nil)
	d := new(big.Int).Exp(x.Denom(), big.NewInt(k), nil)
	if neg {
		n, d = d, n
	}
	z.SetFrac(n, d)
	return nil
}

// floatPow is x^y for floats, refusing results that are not real.
func floatPow(x, y float64) (float64, error) {
	if x < 0 && y != math.Trunc(y) {
		return 0, fmt.Errorf("negative base %g to the non-integer power %g: %w", x, y, ErrDomain)
	}
	if x == 0 && y < 0 {
		return 0, fmt.Errorf("zero to a negative power: %w", ErrDomain)
	}
	return math.Pow(x, y), nil
}

func absInt64(k int64) int64 {
	if k < 0 {
		return -k
	}
	return k
}
