package linalg

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"math/cmplx"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Eigenspace is one eigenvalue of a matrix with its eigenvectors.
type Eigenspace struct {
	// Value is the eigenvalue (its float value when it is exact).
	Value complex128
	// Rat is the exact eigenvalue, or nil when it was computed in float.
	Rat *big.Rat
	// Mult is the algebraic multiplicity when the eigenvalue is exact; a
	// float eigenvalue is listed once per occurrence with Mult 1.
	Mult int
	// Vectors holds a basis of the eigenspace as columns (n×g, g the
	// geometric multiplicity) when the eigenvalue is real: for an exact
	// eigenvalue the basis is exact, each column the smallest integer
	// vector with its first nonzero entry positive; for a float one it is
	// a unit vector. Nil for a complex eigenvalue.
	Vectors *Matrix
	// Complex is the unit eigenvector of a complex eigenvalue (float).
	Complex []complex128
}

// Eigen is the eigen-decomposition of a square matrix.
type Eigen struct {
	// Exact reports whether every eigenvalue is rational and was computed
	// exactly, with exact eigenvectors.
	Exact bool
	// Poly holds the coefficients c₀ … cₙ (lowest degree first) of the
	// characteristic polynomial det(λI − a) when a is exact; else nil.
	Poly []*big.Rat
	// Spaces lists the eigenvalues, by decreasing real part and then
	// decreasing imaginary part.
	Spaces []Eigenspace
}

// Values returns the eigenvalues with algebraic multiplicity, in the
// order of Spaces.
func (e *Eigen) Values() []complex128 {
	var out []complex128
	for _, s := range e.Spaces {
		for k := 0; k < max(s.Mult, 1); k++ {
			out = append(out, s.Value)
		}
	}
	return out
}

// Diagonalizable reports whether the eigenvectors of an exact
// decomposition span the space (geometric = algebraic multiplicity for
// every eigenvalue). For a float decomposition it reports whether every
// eigenvalue is real (float multiplicities are not decided).
func (e *Eigen) Diagonalizable() bool {
	for _, s := range e.Spaces {
		if s.Vectors == nil {
			return false
		}
		if _, g := s.Vectors.Dims(); g != s.Mult {
			return false
		}
	}
	return true
}

// Eig returns the eigenvalues and eigenvectors of a square matrix. An
// exact matrix of order at most MaxExactEig whose characteristic
// polynomial has only rational roots gets an exact decomposition (the
// characteristic polynomial by Faddeev–LeVerrier, its rational roots,
// and exact null spaces scaled to the smallest integers); any other
// matrix gets a float one from gonum (EigenSym for symmetric matrices).
func Eig(a *Matrix) (eig *Eigen, err error) {
	if !a.IsSquare() {
		return nil, fmt.Errorf("eig of a %s matrix: %w", a.shape(), ErrNotSquare)
	}
	e := &Eigen{}
	if a.q != nil && a.r <= MaxExactEig {
		poly, err := CharPoly(a)
		if err != nil {
			return nil, err
		}
		e.Poly = poly
		roots, mult, _ := RationalRoots(poly)
		total := 0
		for _, m := range mult {
			total += m
		}
		if total == a.r {
			if err := exactSpaces(a, e, roots, mult); err == nil {
				e.Exact = true
				return e, nil
			}
		}
	}
	if err := finite("eig", a); err != nil {
		return nil, err
	}
	defer guard("eig", &err)
	if err := floatSpaces(a, e); err != nil {
		return nil, err
	}
	return e, nil
}

// exactSpaces fills e.Spaces from the rational roots (by decreasing
// value, as RationalRoots returns them) and their multiplicities.
func exactSpaces(a *Matrix, e *Eigen, roots []*big.Rat, mult []int) error {
	n := a.r
	for k, r := range roots {
		shift := newExact(n, n)
		for i := range shift.q {
			shift.q[i].Set(&a.q[i])
		}
		for i := 0; i < n; i++ {
			shift.q[i*n+i].Sub(&shift.q[i*n+i], r)
		}
		ns, err := NullSpace(shift)
		if err != nil {
			return err
		}
		if ns == nil {
			return fmt.Errorf("eig: no eigenvector for %s", r.RatString())
		}
		f, _ := r.Float64()
		e.Spaces = append(e.Spaces, Eigenspace{Value: complex(f, 0), Rat: new(big.Rat).Set(r), Mult: mult[k], Vectors: ns})
	}
	return nil
}

func floatSpaces(a *Matrix, e *Eigen) error {
	n := a.r
	if isSymmetric(a) {
		var es mat.EigenSym
		if !es.Factorize(mat.NewSymDense(n, a.Floats()), true) {
			return fmt.Errorf("eig of a %s symmetric matrix did not converge", a.shape())
		}
		vals := es.Values(nil)
		var vecs mat.Dense
		es.VectorsTo(&vecs)
		for k := n - 1; k >= 0; k-- {
			col := make([]float64, n)
			for i := range col {
				col[i] = vecs.At(i, k)
			}
			normalizeSign(col)
			v, err := New(n, 1, col)
			if err != nil {
				return err
			}
			e.Spaces = append(e.Spaces, Eigenspace{Value: complex(vals[k], 0), Mult: 1, Vectors: v})
		}
		return nil
	}
	var eg mat.Eigen
	if !eg.Factorize(a.Dense(), mat.EigenRight) {
		return fmt.Errorf("eig of a %s matrix did not converge", a.shape())
	}
	vals := eg.Values(nil)
	var vecs mat.CDense
	eg.VectorsTo(&vecs)
	for k, v := range vals {
		col := make([]complex128, n)
		for i := range col {
			col[i] = vecs.At(i, k)
		}
		sp := Eigenspace{Value: v, Mult: 1}
		if imag(v) == 0 {
			re := make([]float64, n)
			for i := range re {
				re[i] = real(col[i])
			}
			normalizeSign(re)
			m, err := New(n, 1, re)
			if err != nil {
				return err
			}
			sp.Vectors = m
		} else {
			sp.Complex = col
		}
		e.Spaces = append(e.Spaces, sp)
	}
	slices.SortStableFunc(e.Spaces, func(x, y Eigenspace) int {
		if c := cmp.Compare(real(y.Value), real(x.Value)); c != 0 {
			return c
		}
		return cmp.Compare(imag(y.Value), imag(x.Value))
	})
	return nil
}

// normalizeSign makes the first entry of v that is not negligible
// positive, so that float eigenvectors are reproducible.
func normalizeSign(v []float64) {
	big := 0.0
	for _, x := range v {
		big = math.Max(big, math.Abs(x))
	}
	for _, x := range v {
		if math.Abs(x) > 1e-12*big {
			if x < 0 {
				for i := range v {
					v[i] = -v[i]
				}
			}
			return
		}
	}
}

// CharPoly returns the coefficients c₀ … cₙ (lowest degree first, cₙ = 1)
// of the characteristic polynomial det(λI − a) of an exact square
// matrix of order at most MaxExactEig, computed exactly by the
// Faddeev–LeVerrier recurrence (ErrTooLarge when the entries outgrow
// MaxExactBits on the way). A float matrix is an error: its polynomial
// is not a teaching answer.
func CharPoly(a *Matrix) ([]*big.Rat, error) {
	if !a.IsSquare() {
		return nil, fmt.Errorf("characteristic polynomial of a %s matrix: %w", a.shape(), ErrNotSquare)
	}
	if a.q == nil {
		return nil, fmt.Errorf("characteristic polynomial needs exact entries; this %s matrix is float", a.shape())
	}
	n := a.r
	if n > MaxExactEig {
		return nil, fmt.Errorf("characteristic polynomial of a %s matrix: %w", a.shape(), ErrTooLarge)
	}
	c := make([]*big.Rat, n+1)
	c[n] = big.NewRat(1, 1)
	m := newExact(n, n) // M₀ = 0
	var err error
	for k := 1; k <= n; k++ {
		// Mₖ = A·Mₖ₋₁ + cₙ₋ₖ₊₁·I
		if m, err = Mul(a, m); err != nil {
			return nil, err
		}
		if m.q == nil {
			return nil, fmt.Errorf("characteristic polynomial of a %s matrix: entries too large to keep exact: %w", a.shape(), ErrTooLarge)
		}
		for i := 0; i < n; i++ {
			m.q[i*n+i].Add(&m.q[i*n+i], c[n-k+1])
		}
		am, err := Mul(a, m)
		if err != nil {
			return nil, err
		}
		if am.q == nil {
			return nil, fmt.Errorf("characteristic polynomial of a %s matrix: entries too large to keep exact: %w", a.shape(), ErrTooLarge)
		}
		tr, err := Trace(am)
		if err != nil {
			return nil, err
		}
		t, ok := tr.RatValue()
		if t == nil || !ok {
			return nil, fmt.Errorf("characteristic polynomial of a %s matrix: entries too large to keep exact: %w", a.shape(), ErrTooLarge)
		}
		c[n-k] = t.Mul(t, big.NewRat(-1, int64(k)))
	}
	return c, nil
}

// PolyEval returns p(x) exactly for coefficients p (lowest degree first).
func PolyEval(p []*big.Rat, x *big.Rat) *big.Rat {
	v := new(big.Rat)
	for i := len(p) - 1; i >= 0; i-- {
		v.Mul(v, x).Add(v, p[i])
	}
	return v
}

// polyDivRoot divides p by (λ − r), which must be a root; it returns the
// quotient.
func polyDivRoot(p []*big.Rat, r *big.Rat) []*big.Rat {
	n := len(p) - 1
	q := make([]*big.Rat, n)
	carry := new(big.Rat)
	for i := n; i >= 1; i-- {
		carry = new(big.Rat).Add(p[i], new(big.Rat).Mul(carry, r))
		q[i-1] = carry
	}
	return q
}

// RationalRoots returns the distinct rational roots of the polynomial p
// (coefficients lowest degree first, rational) by decreasing value, with
// their multiplicities, and the quotient of p by them (lowest degree first: a
// polynomial with no rational root; [1] when all roots were rational,
// up to the leading coefficient). Candidate roots come from the
// polynomial's float roots rounded to fractions whose denominator
// divides the leading coefficient (the rational root theorem), and every
// root is verified exactly.
func RationalRoots(p []*big.Rat) (roots []*big.Rat, mult []int, rest []*big.Rat) {
	rest = trimPoly(p)
	if len(rest) <= 1 {
		return nil, nil, rest
	}
	add := func(r *big.Rat) {
		m := 0
		for len(rest) > 1 && PolyEval(rest, r).Sign() == 0 {
			rest = polyDivRoot(rest, r)
			m++
		}
		if m > 0 {
			roots = append(roots, r)
			mult = append(mult, m)
		}
	}
	add(new(big.Rat)) // zero roots
	for len(rest) > 1 {
		found := false
		for _, cand := range rootCandidates(rest) {
			before := len(roots)
			add(cand)
			if len(roots) > before {
				found = true
				break // polynomial changed: recompute float roots
			}
		}
		if !found {
			break
		}
	}
	order := make([]int, len(roots))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int { return roots[j].Cmp(roots[i]) })
	sr, sm := make([]*big.Rat, len(roots)), make([]int, len(roots))
	for k, i := range order {
		sr[k], sm[k] = roots[i], mult[i]
	}
	return sr, sm, rest
}

// PolyMul returns the product of the polynomials a and b (coefficients
// lowest degree first).
func PolyMul(a, b []*big.Rat) []*big.Rat {
	out := make([]*big.Rat, len(a)+len(b)-1)
	for i := range out {
		out[i] = new(big.Rat)
	}
	for i, x := range a {
		for j, y := range b {
			out[i+j].Add(out[i+j], new(big.Rat).Mul(x, y))
		}
	}
	return out
}

func trimPoly(p []*big.Rat) []*big.Rat {
	out := make([]*big.Rat, len(p))
	for i, c := range p {
		out[i] = new(big.Rat)
		if c != nil {
			out[i].Set(c)
		}
	}
	for len(out) > 1 && out[len(out)-1].Sign() == 0 {
		out = out[:len(out)-1]
	}
	return out
}

// rootCandidates proposes rational roots of p: each float root's real
// part rounded to the nearest fraction p/q, for every q dividing the
// leading coefficient of p made integral (at most 64 such q).
func rootCandidates(p []*big.Rat) []*big.Rat {
	n := len(p) - 1
	// Integer coefficients: multiply by the lcm of denominators.
	l := big.NewInt(1)
	g := new(big.Int)
	for _, c := range p {
		g.GCD(nil, nil, l, c.Denom())
		l.Mul(l, c.Denom()).Quo(l, g)
	}
	lead := new(big.Int).Mul(p[n].Num(), new(big.Int).Quo(l, p[n].Denom()))
	lead.Abs(lead)
	qs := []int64{1}
	if lead.IsInt64() && lead.Int64() <= 1<<40 {
		qs = divisors(lead.Int64(), 64)
	}
	zs := floatRoots(p)
	var out []*big.Rat
	seen := map[string]bool{}
	for _, z := range zs {
		x := real(z)
		if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e15 {
			continue
		}
		for _, q := range qs {
			num := math.Round(x * float64(q))
			r := new(big.Rat).SetFrac64(int64(num), q)
			if k := r.RatString(); !seen[k] {
				seen[k] = true
				out = append(out, r)
			}
		}
	}
	return out
}

// divisors returns the positive divisors of n ≥ 1, at most limit of
// them, smallest first.
func divisors(n int64, limit int) []int64 {
	var small, large []int64
	for d := int64(1); d*d <= n && d <= 1<<20; d++ {
		if n%d == 0 {
			small = append(small, d)
			if d != n/d {
				large = append(large, n/d)
			}
		}
	}
	slices.Reverse(large)
	out := append(small, large...)
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// floatRoots returns the roots of p (lowest degree first) as the
// eigenvalues of its companion matrix.
func floatRoots(p []*big.Rat) (roots []complex128) {
	defer func() {
		if recover() != nil {
			roots = nil
		}
	}()
	n := len(p) - 1
	lead, _ := p[n].Float64()
	c := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		v, _ := p[i].Float64()
		c.Set(i, n-1, -v/lead)
		if i > 0 {
			c.Set(i, i-1, 1)
		}
	}
	var eg mat.Eigen
	if !eg.Factorize(c, mat.EigenNone) {
		return nil
	}
	roots = eg.Values(nil)
	slices.SortFunc(roots, func(x, y complex128) int { return cmp.Compare(cmplx.Abs(x), cmplx.Abs(y)) })
	return roots
}
