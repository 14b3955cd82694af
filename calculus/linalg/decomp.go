package linalg

import (
	"errors"
	"fmt"
	"math"
	"math/big"

	"gonum.org/v1/gonum/mat"
)

// guard turns a panic of gonum inside a float computation into an error,
// so that no input can crash the process. Inputs are checked before
// gonum is called; this is the second line of defence.
func guard(op string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s failed: %v", op, r)
	}
}

// ratRows copies an exact matrix into rows of rationals for elimination.
func ratRows(a *Matrix) [][]big.Rat {
	rows := make([][]big.Rat, a.r)
	for i := range rows {
		rows[i] = make([]big.Rat, a.c)
		for j := range rows[i] {
			rows[i][j].Set(&a.q[i*a.c+j])
		}
	}
	return rows
}

// exactOK reports whether an exact elimination on a is within
// MaxExactElim (see there for the estimate).
func exactOK(a *Matrix) bool {
	if a.q == nil {
		return false
	}
	n := float64(max(a.r, a.c))
	grown := n * float64(a.maxBits()+1) // bits of the fractions met on the way
	if grown > MaxExactBits {
		return false // the result could not stay exact anyway
	}
	return n*n*n*math.Max(1, grown/64) <= MaxExactElim
}

// rref brings rows (modified in place) to reduced row echelon form and
// returns the pivot columns.
func rref(rows [][]big.Rat) []int {
	if len(rows) == 0 {
		return nil
	}
	m, n := len(rows), len(rows[0])
	var pivots []int
	var t big.Rat
	r := 0
	for c := 0; c < n && r < m; c++ {
		p := -1
		for i := r; i < m; i++ {
			if rows[i][c].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		rows[r], rows[p] = rows[p], rows[r]
		inv := new(big.Rat).Inv(&rows[r][c])
		for j := c; j < n; j++ {
			rows[r][j].Mul(&rows[r][j], inv)
		}
		for i := 0; i < m; i++ {
			if i == r || rows[i][c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(&rows[i][c])
			for j := c; j < n; j++ {
				if rows[r][j].Sign() != 0 {
					rows[i][j].Sub(&rows[i][j], t.Mul(f, &rows[r][j]))
				}
			}
		}
		pivots = append(pivots, c)
		r++
	}
	return pivots
}

// Det returns the determinant of a square matrix, as a scalar: exact for
// exact matrices within the work budget, float otherwise.
func Det(a *Matrix) (d *Matrix, err error) {
	if !a.IsSquare() {
		return nil, fmt.Errorf("det of a %s matrix: %w", a.shape(), ErrNotSquare)
	}
	if exactOK(a) {
		return Scalar(ratDet(ratRows(a))).settle(), nil
	}
	if err := finite("det", a); err != nil {
		return nil, err
	}
	defer guard("det", &err)
	return Float(mat.Det(a.Dense())), nil
}

// ratDet computes the determinant by Gaussian elimination (rows are
// modified).
func ratDet(rows [][]big.Rat) *big.Rat {
	n := len(rows)
	det := big.NewRat(1, 1)
	var t big.Rat
	for c := 0; c < n; c++ {
		p := -1
		for i := c; i < n; i++ {
			if rows[i][c].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			return new(big.Rat)
		}
		if p != c {
			rows[c], rows[p] = rows[p], rows[c]
			det.Neg(det)
		}
		det.Mul(det, &rows[c][c])
		inv := new(big.Rat).Inv(&rows[c][c])
		for i := c + 1; i < n; i++ {
			if rows[i][c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Mul(&rows[i][c], inv)
			for j := c + 1; j < n; j++ {
				if rows[c][j].Sign() != 0 {
					rows[i][j].Sub(&rows[i][j], t.Mul(f, &rows[c][j]))
				}
			}
		}
	}
	return det
}

// LogDet returns log(det a) for a square matrix with a positive
// determinant, as a float scalar (exact 0 when det a = 1 exactly). A
// determinant ≤ 0 is an error (ErrDomain).
func LogDet(a *Matrix) (ld *Matrix, err error) {
	if !a.IsSquare() {
		return nil, fmt.Errorf("logdet of a %s matrix: %w", a.shape(), ErrNotSquare)
	}
	if exactOK(a) {
		d := ratDet(ratRows(a))
		if d.Sign() <= 0 {
			return nil, fmt.Errorf("logdet: the determinant is %s, not positive: %w", d.RatString(), ErrDomain)
		}
		if d.Cmp(ratOne()) == 0 {
			return Int(0), nil
		}
	}
	if err := finite("logdet", a); err != nil {
		return nil, err
	}
	defer guard("logdet", &err)
	v, sign := mat.LogDet(a.Dense())
	if sign <= 0 {
		return nil, fmt.Errorf("logdet: the determinant is not positive: %w", ErrDomain)
	}
	return Float(v), nil
}

// Inv returns the inverse of a square matrix: exact for exact matrices,
// float otherwise. A singular matrix is an error (ErrSingular); a float
// matrix whose condition number exceeds 1e16 counts as singular.
func Inv(a *Matrix) (inv *Matrix, err error) {
	if !a.IsSquare() {
		return nil, fmt.Errorf("inverse of a %s matrix: %w", a.shape(), ErrNotSquare)
	}
	if exactOK(a) {
		id, err := Eye(a.r)
		if err != nil {
			return nil, err
		}
		x, err := ratSolve(a, id)
		if err != nil {
			return nil, fmt.Errorf("inverse: %w", err)
		}
		return x, nil
	}
	if err := finite("inverse", a); err != nil {
		return nil, err
	}
	defer guard("inverse", &err)
	var d mat.Dense
	if err := d.Inverse(a.Dense()); err != nil {
		return nil, fmt.Errorf("inverse of a %s matrix: %v: %w", a.shape(), err, ErrSingular)
	}
	return FromDense(&d)
}

// ratSolve solves a x = b exactly for square a by Gauss–Jordan.
func ratSolve(a, b *Matrix) (*Matrix, error) {
	n, k := a.r, b.c
	rows := make([][]big.Rat, n)
	for i := range rows {
		rows[i] = make([]big.Rat, n+k)
		for j := 0; j < n; j++ {
			rows[i][j].Set(&a.q[i*n+j])
		}
		for j := 0; j < k; j++ {
			rows[i][n+j].Set(&b.q[i*k+j])
		}
	}
	piv := rref(rows)
	if len(piv) < n || piv[n-1] != n-1 {
		return nil, fmt.Errorf("the %s matrix has rank %d: %w", a.shape(), rankBelow(piv, n), ErrSingular)
	}
	x := newExact(n, k)
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			x.q[i*k+j].Set(&rows[i][n+j])
		}
	}
	return x.settle(), nil
}

// rankBelow counts the pivots in the first n columns.
func rankBelow(piv []int, n int) int {
	r := 0
	for _, p := range piv {
		if p < n {
			r++
		}
	}
	return r
}

// Solve returns x with a·x = b. For square a it is the unique solution
// (an error when a is singular); for non-square a it is the minimum-norm
// least-squares solution pinv(a)·b. Exact operands give an exact x.
func Solve(a, b *Matrix) (x *Matrix, err error) {
	if a.r != b.r {
		return nil, fmt.Errorf("solve with a %s matrix and a %s right-hand side: the row counts %d and %d differ: %w", a.shape(), b.shape(), a.r, b.r, ErrShape)
	}
	if !a.IsSquare() {
		p, err := Pinv(a)
		if err != nil {
			return nil, fmt.Errorf("solve: %w", err)
		}
		return Mul(p, b)
	}
	if exactOK(a) && b.q != nil {
		x, err := ratSolve(a, b)
		if err != nil {
			return nil, fmt.Errorf("solve: %w", err)
		}
		return x, nil
	}
	if err := finite("solve", a); err != nil {
		return nil, err
	}
	if err := finite("solve", b); err != nil {
		return nil, err
	}
	defer guard("solve", &err)
	var d mat.Dense
	if err := d.Solve(a.Dense(), b.Dense()); err != nil {
		return nil, fmt.Errorf("solve with a %s matrix: %v: %w", a.shape(), err, ErrSingular)
	}
	return FromDense(&d)
}

// Rank returns the rank of a: exact by row reduction for exact matrices,
// by singular values (tolerance max(m, n)·ε·σ₁) for float ones.
func Rank(a *Matrix) (rank int, err error) {
	if exactOK(a) {
		return len(rref(ratRows(a))), nil
	}
	if err := finite("rank", a); err != nil {
		return 0, err
	}
	defer guard("rank", &err)
	s, err := singularValues(a)
	if err != nil {
		return 0, err
	}
	if len(s) == 0 {
		return 0, nil
	}
	tol := float64(max(a.r, a.c)) * s[0] * 2.220446049250313e-16
	for _, v := range s {
		if v > tol {
			rank++
		}
	}
	return rank, nil
}

// RREF returns the reduced row echelon form of an exact matrix and its
// pivot columns (0-based). For a float matrix it returns an error: row
// reduction in floating point is not a well-defined teaching answer.
func RREF(a *Matrix) (*Matrix, []int, error) {
	if a.q == nil {
		return nil, nil, fmt.Errorf("rref needs exact entries; this %s matrix is float", a.shape())
	}
	rows := ratRows(a)
	piv := rref(rows)
	z := newExact(a.r, a.c)
	for i := range rows {
		for j := range rows[i] {
			z.q[i*a.c+j].Set(&rows[i][j])
		}
	}
	return z, piv, nil
}

// NullSpace returns a basis of the null space of an exact matrix as the
// columns of an n×k matrix, each column scaled to the smallest integers
// with its first nonzero entry positive; k = 0 gives nil. For a float
// matrix the basis comes from the SVD (orthonormal columns).
func NullSpace(a *Matrix) (basis *Matrix, err error) {
	if a.q == nil || !exactOK(a) {
		if err := finite("null space", a); err != nil {
			return nil, err
		}
		defer guard("null space", &err)
		return floatNullSpace(a)
	}
	rows := ratRows(a)
	piv := rref(rows)
	isPiv := make([]bool, a.c)
	for _, p := range piv {
		isPiv[p] = true
	}
	var cols [][]big.Rat
	for j := 0; j < a.c; j++ {
		if isPiv[j] {
			continue
		}
		v := make([]big.Rat, a.c)
		v[j].SetInt64(1)
		for i, p := range piv {
			v[p].Neg(&rows[i][j])
		}
		smallestIntegers(v)
		cols = append(cols, v)
	}
	if len(cols) == 0 {
		return nil, nil
	}
	z := newExact(a.c, len(cols))
	for k, v := range cols {
		for i := range v {
			z.q[i*len(cols)+k].Set(&v[i])
		}
	}
	return z, nil
}

// smallestIntegers scales v (in place) to the smallest integer multiple
// with its first nonzero entry positive.
func smallestIntegers(v []big.Rat) {
	l := big.NewInt(1)
	g := new(big.Int)
	for i := range v {
		d := v[i].Denom()
		g.GCD(nil, nil, l, d)
		l.Mul(l, d).Quo(l, g)
	}
	var gg *big.Int
	sign := 0
	for i := range v {
		v[i].Mul(&v[i], new(big.Rat).SetInt(l))
		if v[i].Sign() == 0 {
			continue
		}
		if sign == 0 {
			sign = v[i].Sign()
		}
		n := new(big.Int).Abs(v[i].Num())
		if gg == nil {
			gg = n
		} else {
			gg.GCD(nil, nil, gg, n)
		}
	}
	if gg == nil {
		return
	}
	f := new(big.Rat).SetFrac(big.NewInt(int64(sign)), gg)
	for i := range v {
		v[i].Mul(&v[i], f)
	}
}

func floatNullSpace(a *Matrix) (*Matrix, error) {
	var svd mat.SVD
	if !svd.Factorize(a.Dense(), mat.SVDFull) {
		return nil, fmt.Errorf("null space: the SVD did not converge")
	}
	s := svd.Values(nil)
	var v mat.Dense
	svd.VTo(&v)
	tol := float64(max(a.r, a.c)) * 2.220446049250313e-16
	if len(s) > 0 {
		tol *= s[0]
	}
	rank := 0
	for _, x := range s {
		if x > tol {
			rank++
		}
	}
	k := a.c - rank
	if k == 0 {
		return nil, nil
	}
	z := newFloat(a.c, k)
	for i := 0; i < a.c; i++ {
		for j := 0; j < k; j++ {
			z.f[i*k+j] = v.At(i, rank+j)
		}
	}
	return z, nil
}

// singularValues returns the singular values of a, largest first.
func singularValues(a *Matrix) ([]float64, error) {
	var svd mat.SVD
	if !svd.Factorize(a.Dense(), mat.SVDNone) {
		return nil, fmt.Errorf("the SVD of a %s matrix did not converge", a.shape())
	}
	return svd.Values(nil), nil
}

// SVD returns the thin singular value decomposition a = U·diag(s)·Vᵀ as
// float matrices: U is m×k, s is a k×1 vector (largest first), V is n×k,
// with k = min(m, n).
func SVD(a *Matrix) (u, s, v *Matrix, err error) {
	if err := finite("svd", a); err != nil {
		return nil, nil, nil, err
	}
	defer guard("svd", &err)
	var svd mat.SVD
	if !svd.Factorize(a.Dense(), mat.SVDThin) {
		return nil, nil, nil, fmt.Errorf("the SVD of a %s matrix did not converge", a.shape())
	}
	var ud, vd mat.Dense
	svd.UTo(&ud)
	svd.VTo(&vd)
	vals := svd.Values(nil)
	if u, err = FromDense(&ud); err != nil {
		return nil, nil, nil, err
	}
	if v, err = FromDense(&vd); err != nil {
		return nil, nil, nil, err
	}
	if s, err = New(len(vals), 1, vals); err != nil {
		return nil, nil, nil, err
	}
	return u, s, v, nil
}

// Norm returns the Frobenius norm sqrt(Σ aᵢⱼ²), which for a vector is
// its 2-norm, as a scalar; exact when the sum of squares is the square
// of a rational (norm([3; 4]) = 5).
func Norm(a *Matrix) (*Matrix, error) {
	ss, err := Dot(a, a)
	if err != nil {
		return nil, err
	}
	if ss.q == nil {
		// Scale to avoid overflow in the sum of squares.
		return Float(floatFrobenius(a.f)), nil
	}
	return Elementwise("sqrt", ss)
}

func floatFrobenius(f []float64) float64 {
	scale, ssq := 0.0, 1.0
	for _, v := range f {
		if v == 0 {
			continue
		}
		x := math.Abs(v)
		if scale < x {
			ssq = 1 + ssq*(scale/x)*(scale/x)
			scale = x
		} else {
			ssq += (x / scale) * (x / scale)
		}
	}
	return scale * math.Sqrt(ssq)
}

// Norm2 returns the spectral norm (largest singular value) of a matrix,
// and the 2-norm of a vector (exact as in Norm), as a scalar.
func Norm2(a *Matrix) (n *Matrix, err error) {
	if a.r == 1 || a.c == 1 {
		return Norm(a)
	}
	if err := finite("norm2", a); err != nil {
		return nil, err
	}
	defer guard("norm2", &err)
	s, err := singularValues(a)
	if err != nil {
		return nil, err
	}
	return Float(s[0]), nil
}

// Chol returns the lower triangular L with a = L·Lᵀ of a symmetric
// positive definite matrix; exact when every pivot is the square of a
// rational, float otherwise. A matrix that is not symmetric positive
// definite is an error (ErrNotPositiveDefinite).
func Chol(a *Matrix) (l *Matrix, err error) {
	if !a.IsSquare() {
		return nil, fmt.Errorf("chol of a %s matrix: %w", a.shape(), ErrNotSquare)
	}
	if !isSymmetric(a) {
		return nil, fmt.Errorf("chol: the matrix is not symmetric: %w", ErrNotPositiveDefinite)
	}
	if exactOK(a) {
		l, err := ratChol(a)
		if !errors.Is(err, errInexact) {
			return l, err
		}
	}
	if err := finite("chol", a); err != nil {
		return nil, err
	}
	defer guard("chol", &err)
	var c mat.Cholesky
	sym := mat.NewSymDense(a.r, a.Floats())
	if !c.Factorize(sym) {
		return nil, fmt.Errorf("chol of a %s matrix: %w", a.shape(), ErrNotPositiveDefinite)
	}
	var tri mat.TriDense
	c.LTo(&tri)
	return FromDense(&tri)
}

func ratChol(a *Matrix) (*Matrix, error) {
	n := a.r
	l := newExact(n, n)
	var t big.Rat
	for j := 0; j < n; j++ {
		var s big.Rat
		s.Set(&a.q[j*n+j])
		for k := 0; k < j; k++ {
			s.Sub(&s, t.Mul(&l.q[j*n+k], &l.q[j*n+k]))
		}
		if s.Sign() <= 0 {
			return nil, fmt.Errorf("chol: pivot %d is %s: %w", j+1, s.RatString(), ErrNotPositiveDefinite)
		}
		d, ok := ratRoot(&s, 2)
		if !ok {
			return nil, errInexact
		}
		l.q[j*n+j].Set(d)
		for i := j + 1; i < n; i++ {
			var s big.Rat
			s.Set(&a.q[i*n+j])
			for k := 0; k < j; k++ {
				s.Sub(&s, t.Mul(&l.q[i*n+k], &l.q[j*n+k]))
			}
			l.q[i*n+j].Quo(&s, d)
		}
	}
	return l.settle(), nil
}

// isSymmetric reports whether a equals its transpose (exactly, or to a
// relative 1e-12 for floats).
func isSymmetric(a *Matrix) bool {
	if !a.IsSquare() {
		return false
	}
	n := a.r
	if a.q != nil {
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				if a.q[i*n+j].Cmp(&a.q[j*n+i]) != 0 {
					return false
				}
			}
		}
		return true
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			x, y := a.f[i*n+j], a.f[j*n+i]
			if math.Abs(x-y) > 1e-12*math.Max(1, math.Max(math.Abs(x), math.Abs(y))) {
				return false
			}
		}
	}
	return true
}

// IsSymmetric reports whether a is square and equal to its transpose
// (exactly for exact matrices, to a relative 1e-12 for float ones).
func IsSymmetric(a *Matrix) bool { return isSymmetric(a) }

// Pinv returns the Moore–Penrose pseudo-inverse. For an exact matrix it
// is exact, from the rank factorisation a = C·F (C the pivot columns of
// a, F the nonzero rows of its reduced echelon form):
// pinv(a) = Fᵀ(FFᵀ)⁻¹(CᵀC)⁻¹Cᵀ. For a float matrix it comes from the SVD.
func Pinv(a *Matrix) (p *Matrix, err error) {
	if a.IsZero() {
		z, err := Zeros(a.c, a.r)
		if err != nil {
			return nil, err
		}
		if a.q == nil {
			z = z.ToFloat()
		}
		return z, nil
	}
	if exactOK(a) {
		if p, err := ratPinv(a); err == nil {
			return p, nil
		}
	}
	if err := finite("pinv", a); err != nil {
		return nil, err
	}
	defer guard("pinv", &err)
	var svd mat.SVD
	if !svd.Factorize(a.Dense(), mat.SVDThin) {
		return nil, fmt.Errorf("the SVD of a %s matrix did not converge", a.shape())
	}
	s := svd.Values(nil)
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	tol := float64(max(a.r, a.c)) * s[0] * 2.220446049250313e-16
	z := newFloat(a.c, a.r)
	for k, sv := range s {
		if sv <= tol {
			continue
		}
		for i := 0; i < a.c; i++ {
			for j := 0; j < a.r; j++ {
				z.f[i*a.r+j] += v.At(i, k) * u.At(j, k) / sv
			}
		}
	}
	return z, nil
}

func ratPinv(a *Matrix) (*Matrix, error) {
	rows := ratRows(a)
	piv := rref(rows)
	r := len(piv)
	f := newExact(r, a.c)
	for i := 0; i < r; i++ {
		for j := 0; j < a.c; j++ {
			f.q[i*a.c+j].Set(&rows[i][j])
		}
	}
	c := newExact(a.r, r)
	for i := 0; i < a.r; i++ {
		for k, p := range piv {
			c.q[i*r+k].Set(&a.q[i*a.c+p])
		}
	}
	ft := f.T()
	ffT, err := Mul(f, ft)
	if err != nil {
		return nil, err
	}
	ctc, err := Mul(c.T(), c)
	if err != nil {
		return nil, err
	}
	i1, err := Inv(ffT)
	if err != nil {
		return nil, err
	}
	i2, err := Inv(ctc)
	if err != nil {
		return nil, err
	}
	out := ft
	for _, m := range []*Matrix{i1, i2, c.T()} {
		if out, err = Mul(out, m); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Expm returns the matrix exponential e^a of a square matrix. It is
// exact when a is exact and nilpotent (the series ends); otherwise it is
// computed in float64 by scaling and squaring with a Padé approximant
// (gonum's Dense.Exp, Higham 2005). An overflowing result is an error.
func Expm(a *Matrix) (e *Matrix, err error) {
	if !a.IsSquare() {
		return nil, fmt.Errorf("expm of a %s matrix: %w", a.shape(), ErrNotSquare)
	}
	if a.q != nil && a.r <= 32 {
		if e, ok := nilpotentExp(a); ok {
			return e, nil
		}
	}
	if err := finite("expm", a); err != nil {
		return nil, err
	}
	defer guard("expm", &err)
	var d mat.Dense
	d.Exp(a.Dense())
	for _, v := range d.RawMatrix().Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("expm of a %s matrix overflows float64: %w", a.shape(), ErrNotNumber)
		}
	}
	return FromDense(&d)
}

// nilpotentExp returns Σ aᵏ/k! when aⁿ = 0.
func nilpotentExp(a *Matrix) (*Matrix, bool) {
	n := a.r
	sum, err := Eye(n)
	if err != nil {
		return nil, false
	}
	term := sum
	for k := 1; k <= n; k++ {
		if term, err = Mul(term, a); err != nil || term.q == nil {
			return nil, false
		}
		if term, err = Div(term, Int(int64(k))); err != nil {
			return nil, false
		}
		if term.IsZero() {
			return sum, true
		}
		if sum, err = Add(sum, term); err != nil || sum.q == nil {
			return nil, false
		}
	}
	return nil, false
}

// finite returns an error (ErrNotNumber) when a has a NaN or infinite
// entry: decompositions of such matrices mean nothing.
func finite(op string, a *Matrix) error {
	for k, v := range a.f {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s of a matrix with the entry %v at (%d, %d): %w", op, v, k/a.c+1, k%a.c+1, ErrNotNumber)
		}
	}
	return nil
}
