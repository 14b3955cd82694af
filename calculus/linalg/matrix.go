// Package linalg is matcalc's linear algebra on values: matrices whose
// entries are exact rationals (math/big.Rat) while they can be, and
// float64 (computed with gonum) when they must be.
//
// A *Matrix is an immutable value. Scalars are 1×1 matrices and vectors
// are n×1 columns. Every operation takes its operands unchanged and
// returns a new value, or an error when the operands do not fit (shape
// mismatch, singular matrix, a value outside a function's domain, a
// request beyond the size budget). No input makes a function of this
// package panic.
//
// Exactness follows the operands: an operation on exact operands gives an
// exact result when the mathematics allows it (inverse, determinant,
// eigenvalues of small matrices with rational eigenvalues, sqrt of a
// perfect square, exp(0)) and a float result otherwise (sqrt(2), expm of
// a general matrix, svd). An operation with one float operand gives a
// float result. Exact values whose entries grow beyond MaxExactBits, or
// exact computations beyond the exact work budget, continue in float64.
// IsExact tells which.
package linalg

import (
	"errors"
	"fmt"
	"math"
	"math/big"

	"gonum.org/v1/gonum/mat"
)

// Size and exactness limits. They are constants so that no caller can
// change them behind another's back.
const (
	// MaxElements is the largest number of entries of any matrix this
	// package creates (2^23 entries: 64 MiB as float64).
	MaxElements = 1 << 23
	// MaxExactElements is the largest number of entries kept as exact
	// rationals; larger results are stored as float64.
	MaxExactElements = 1 << 16
	// MaxExactBits is the largest bit length of a numerator or denominator
	// kept exact; a result with a larger entry continues in float64.
	MaxExactBits = 4096
	// MaxExactWork bounds the cost of one exact product, counted as
	// multiply-adds times (1 + the bit lengths of the operands' largest
	// entries / 64); beyond it the product is computed in float64.
	MaxExactWork = 1 << 22
	// MaxExactElim bounds the cost of one exact elimination (det, inv,
	// solve, rank, rref, pinv, null space) of an n×n matrix whose
	// largest entry has b bits, estimated as n³·max(1, n(b+1)/64) for the
	// growth of the intermediate fractions; beyond it, or when n(b+1)
	// exceeds MaxExactBits, the computation is done in float64. About
	// 0.3 s of work at most: a 40×40 matrix of small integers stays
	// exact, an 80×80 one does not.
	MaxExactElim = 1 << 18
	// MaxExactEig is the largest order of a matrix whose eigenvalues are
	// sought exactly.
	MaxExactEig = 12
)

// Errors that operations wrap with context. Test with errors.Is.
var (
	// ErrShape is returned when operand shapes do not fit an operation.
	ErrShape = errors.New("shape mismatch")
	// ErrNotSquare is returned when an operation needs a square matrix.
	ErrNotSquare = errors.New("matrix is not square")
	// ErrSingular is returned when a matrix that must be invertible is
	// singular (exactly, or to working precision for floats).
	ErrSingular = errors.New("matrix is singular")
	// ErrNotPositiveDefinite is returned by Chol.
	ErrNotPositiveDefinite = errors.New("matrix is not positive definite")
	// ErrDomain is returned when an entry is outside a function's domain,
	// such as the log of a negative number.
	ErrDomain = errors.New("argument outside the domain")
	// ErrTooLarge is returned when a result would exceed MaxElements.
	ErrTooLarge = errors.New("result too large")
	// ErrNotNumber is returned when a finite number was needed and the
	// value is NaN or infinite, or not an integer where one is needed.
	ErrNotNumber = errors.New("not a valid number")
)

// Matrix is an r×c matrix of exact rationals or of float64 values. The
// zero value is not usable; build matrices with the constructors. A
// Matrix is never modified after construction.
type Matrix struct {
	r, c int
	q    []big.Rat // exact entries, row-major; nil when float
	f    []float64 // float entries, row-major; nil when exact
}

// checkDims reports whether an r×c result is allowed.
func checkDims(r, c int) error {
	if r < 1 || c < 1 {
		return fmt.Errorf("dimensions %d×%d: %w (dimensions must be at least 1)", r, c, ErrShape)
	}
	if r > MaxElements || c > MaxElements || r*c > MaxElements {
		return fmt.Errorf("a %d×%d matrix has more than %d entries: %w", r, c, MaxElements, ErrTooLarge)
	}
	return nil
}

// checkData checks the dimensions of an r×c matrix given k row-major
// entries.
func checkData(r, c, k int) error {
	if err := checkDims(r, c); err != nil {
		return err
	}
	if k != r*c {
		return fmt.Errorf("%d entries for a %d×%d matrix: %w", k, r, c, ErrShape)
	}
	return nil
}

// newFloat allocates an r×c float matrix; the caller has checked dims.
func newFloat(r, c int) *Matrix { return &Matrix{r: r, c: c, f: make([]float64, r*c)} }

// newExact allocates an r×c exact zero matrix; the caller has checked dims.
func newExact(r, c int) *Matrix { return &Matrix{r: r, c: c, q: make([]big.Rat, r*c)} }

// New returns an r×c float matrix with the given row-major entries, which
// it copies. len(data) must be r*c.
func New(r, c int, data []float64) (*Matrix, error) {
	if err := checkData(r, c, len(data)); err != nil {
		return nil, err
	}
	m := newFloat(r, c)
	copy(m.f, data)
	return m, nil
}

// NewRat returns an r×c exact matrix with the given row-major entries,
// which it copies. len(data) must be r*c and no entry may be nil. When
// r*c exceeds MaxExactElements the matrix is stored as float64.
func NewRat(r, c int, data []*big.Rat) (*Matrix, error) {
	if err := checkData(r, c, len(data)); err != nil {
		return nil, err
	}
	m := newExact(r, c)
	for i, v := range data {
		if v == nil {
			return nil, fmt.Errorf("entry %d is nil: %w", i+1, ErrNotNumber)
		}
		m.q[i].Set(v)
	}
	return m.settle(), nil
}

// NewInts returns an r×c exact matrix of the given row-major integers.
func NewInts(r, c int, data []int64) (*Matrix, error) {
	if err := checkData(r, c, len(data)); err != nil {
		return nil, err
	}
	m := newExact(r, c)
	for i, v := range data {
		m.q[i].SetInt64(v)
	}
	return m.settle(), nil
}

// FromDense returns a float matrix with the entries of a (copied).
func FromDense(a mat.Matrix) (*Matrix, error) {
	r, c := a.Dims()
	if err := checkDims(r, c); err != nil {
		return nil, err
	}
	m := newFloat(r, c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			m.f[i*c+j] = a.At(i, j)
		}
	}
	return m, nil
}

// Rat returns the exact scalar num/den. It returns nil when den is 0.
func Rat(num, den int64) *Matrix {
	if den == 0 {
		return nil
	}
	m := newExact(1, 1)
	m.q[0].SetFrac64(num, den)
	return m
}

// Int returns the exact scalar n.
func Int(n int64) *Matrix { return Rat(n, 1) }

// Scalar returns the exact scalar v (copied). A nil v gives 0.
func Scalar(v *big.Rat) *Matrix {
	m := newExact(1, 1)
	if v != nil {
		m.q[0].Set(v)
	}
	return m.settle()
}

// Float returns the float scalar v.
func Float(v float64) *Matrix { return &Matrix{r: 1, c: 1, f: []float64{v}} }

// Zeros returns the exact r×c zero matrix (float when it has more than
// MaxExactElements entries).
func Zeros(r, c int) (*Matrix, error) {
	if err := checkDims(r, c); err != nil {
		return nil, err
	}
	if r*c > MaxExactElements {
		return newFloat(r, c), nil
	}
	return newExact(r, c), nil
}

// Ones returns the exact r×c matrix of ones (float when large).
func Ones(r, c int) (*Matrix, error) {
	m, err := Zeros(r, c)
	if err != nil {
		return nil, err
	}
	for i := range m.f {
		m.f[i] = 1
	}
	for i := range m.q {
		m.q[i].SetInt64(1)
	}
	return m, nil
}

// Eye returns the exact n×n identity matrix (float when large).
func Eye(n int) (*Matrix, error) {
	m, err := Zeros(n, n)
	if err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		if m.q != nil {
			m.q[i*n+i].SetInt64(1)
		} else {
			m.f[i*n+i] = 1
		}
	}
	return m, nil
}

// Dims returns the number of rows and columns.
func (m *Matrix) Dims() (r, c int) { return m.r, m.c }

// IsExact reports whether the entries are exact rationals.
func (m *Matrix) IsExact() bool { return m.q != nil }

// IsScalar reports whether m is 1×1.
func (m *Matrix) IsScalar() bool { return m.r == 1 && m.c == 1 }

// IsVector reports whether m is a column (n×1).
func (m *Matrix) IsVector() bool { return m.c == 1 }

// IsSquare reports whether m is n×n.
func (m *Matrix) IsSquare() bool { return m.r == m.c }

// At returns entry (i, j), 0-based, as a float64. It panics, like gonum's
// At, when i or j is out of range: that is a bug of the caller, not an
// input error.
func (m *Matrix) At(i, j int) float64 {
	if i < 0 || i >= m.r || j < 0 || j >= m.c {
		panic(fmt.Sprintf("linalg: index (%d, %d) out of range for %d×%d", i, j, m.r, m.c))
	}
	if m.q != nil {
		f, _ := m.q[i*m.c+j].Float64()
		return f
	}
	return m.f[i*m.c+j]
}

// RatAt returns a copy of entry (i, j), 0-based, and true when m is
// exact; nil and false otherwise. It panics when i or j is out of range.
func (m *Matrix) RatAt(i, j int) (*big.Rat, bool) {
	if i < 0 || i >= m.r || j < 0 || j >= m.c {
		panic(fmt.Sprintf("linalg: index (%d, %d) out of range for %d×%d", i, j, m.r, m.c))
	}
	if m.q == nil {
		return nil, false
	}
	return new(big.Rat).Set(&m.q[i*m.c+j]), true
}

// Value returns the value of a scalar as a float64; for a larger matrix
// it returns entry (0, 0).
func (m *Matrix) Value() float64 { return m.At(0, 0) }

// RatValue returns the exact value of a scalar (entry (0, 0)) and true,
// or nil and false when m is float.
func (m *Matrix) RatValue() (*big.Rat, bool) { return m.RatAt(0, 0) }

// IntValue returns the value of an exact integer scalar that fits in an
// int, and an error for anything else (a float, a fraction, a matrix).
// It is what a dimension such as `n = 3` or `zeros(m, n)` needs.
func (m *Matrix) IntValue() (int, error) {
	if !m.IsScalar() {
		return 0, fmt.Errorf("a %d×%d matrix is not an integer: %w", m.r, m.c, ErrNotNumber)
	}
	if m.q == nil {
		v := m.f[0]
		if v != math.Trunc(v) || math.Abs(v) > 1<<53 {
			return 0, fmt.Errorf("%v is not an integer: %w", v, ErrNotNumber)
		}
		return int(v), nil
	}
	q := &m.q[0]
	if !q.IsInt() || !q.Num().IsInt64() || q.Num().Int64() > math.MaxInt32 || q.Num().Int64() < math.MinInt32 {
		return 0, fmt.Errorf("%s is not a small integer: %w", q.RatString(), ErrNotNumber)
	}
	return int(q.Num().Int64()), nil
}

// Dense returns a new gonum matrix with the entries of m, converted to
// float64 when m is exact.
func (m *Matrix) Dense() *mat.Dense {
	return mat.NewDense(m.r, m.c, m.Floats())
}

// Floats returns a new row-major slice of the entries as float64.
func (m *Matrix) Floats() []float64 {
	out := make([]float64, m.r*m.c)
	if m.q == nil {
		copy(out, m.f)
		return out
	}
	for i := range m.q {
		out[i], _ = m.q[i].Float64()
	}
	return out
}

// Rats returns a new row-major slice of copies of the exact entries, or
// nil when m is float.
func (m *Matrix) Rats() []*big.Rat {
	if m.q == nil {
		return nil
	}
	out := make([]*big.Rat, len(m.q))
	for i := range m.q {
		out[i] = new(big.Rat).Set(&m.q[i])
	}
	return out
}

// ToFloat returns m with its entries converted to float64 (m itself when
// it is already float: values are immutable).
func (m *Matrix) ToFloat() *Matrix {
	if m.q == nil {
		return m
	}
	return &Matrix{r: m.r, c: m.c, f: m.Floats()}
}

// Equal reports whether a and b have the same shape and the same
// entries: exactly when both are exact, as float64 values otherwise.
func Equal(a, b *Matrix) bool {
	if a.r != b.r || a.c != b.c {
		return false
	}
	if a.q != nil && b.q != nil {
		for i := range a.q {
			if a.q[i].Cmp(&b.q[i]) != 0 {
				return false
			}
		}
		return true
	}
	af, bf := a.Floats(), b.Floats()
	for i := range af {
		if af[i] != bf[i] {
			return false
		}
	}
	return true
}

// EqualApprox reports whether a and b have the same shape and entries
// within tol of each other, absolutely or relative to the larger
// magnitude.
func EqualApprox(a, b *Matrix, tol float64) bool {
	if a.r != b.r || a.c != b.c {
		return false
	}
	af, bf := a.Floats(), b.Floats()
	for i := range af {
		d := math.Abs(af[i] - bf[i])
		s := math.Max(math.Abs(af[i]), math.Abs(bf[i]))
		if !(d <= tol || d <= tol*s) {
			return false
		}
	}
	return true
}

// IsZero reports whether every entry is zero.
func (m *Matrix) IsZero() bool {
	for i := range m.q {
		if m.q[i].Sign() != 0 {
			return false
		}
	}
	for _, v := range m.f {
		if v != 0 {
			return false
		}
	}
	return true
}

// settle returns m as is when its exact entries are within the exactness
// limits, and converted to float otherwise.
func (m *Matrix) settle() *Matrix {
	if m.q == nil {
		return m
	}
	if len(m.q) > MaxExactElements {
		return m.ToFloat()
	}
	for i := range m.q {
		if m.q[i].Num().BitLen() > MaxExactBits || m.q[i].Denom().BitLen() > MaxExactBits {
			return m.ToFloat()
		}
	}
	return m
}

// shape formats the dimensions of m for messages: "2×3".
func (m *Matrix) shape() string { return fmt.Sprintf("%d×%d", m.r, m.c) }

// maxBits returns the largest bit length of a numerator or denominator
// of an exact matrix (0 for a float one).
func (m *Matrix) maxBits() int {
	b := 0
	for i := range m.q {
		b = max(b, m.q[i].Num().BitLen(), m.q[i].Denom().BitLen())
	}
	return b
}
