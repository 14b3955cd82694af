package ode

import (
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/matcalc/matcalc/calculus/linalg"
)

// ErrNoClosedForm is returned (wrapped) when the eigenvalues of a matrix
// are not all in one field Q(√d) — for example two different irreducible
// quadratic factors, or an irreducible cubic — or when the matrix is
// float: then only numeric values of e^{At} are available.
var ErrNoClosedForm = errors.New("no exact closed form")

// NoClosedFormError is the error of a matrix whose e^{At} has no exact
// closed form: Why says what stands in the way. It wraps ErrNoClosedForm,
// and Err, the error behind it, if any.
type NoClosedFormError struct {
	Why string
	Err error
}

// Error returns "why: no exact closed form".
func (e *NoClosedFormError) Error() string { return e.Why + ": " + ErrNoClosedForm.Error() }

// Unwrap returns ErrNoClosedForm and Err.
func (e *NoClosedFormError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrNoClosedForm}
	}
	return []error{ErrNoClosedForm, e.Err}
}

// noClosedForm returns a *NoClosedFormError whose Why is formatted.
func noClosedForm(format string, args ...any) error {
	return &NoClosedFormError{Why: fmt.Sprintf(format, args...)}
}

// ErrNotDiagonalizable is returned by Diagonalize for a matrix without a
// basis of eigenvectors with rational eigenvalues.
var ErrNotDiagonalizable = errors.New("matrix is not diagonalisable over the rationals")

// kfield is Q(ω) with ω² = d, d a squarefree integer other than 0 and 1;
// d = 0 means the field is Q itself.
type kfield struct {
	d *big.Rat
}

// knum is a + b·ω in a kfield.
type knum struct {
	a, b *big.Rat
}

func kRat(r *big.Rat) knum { return knum{new(big.Rat).Set(r), new(big.Rat)} }
func kInt(n int64) knum    { return knum{big.NewRat(n, 1), new(big.Rat)} }

func (x knum) isZero() bool      { return x.a.Sign() == 0 && x.b.Sign() == 0 }
func (x knum) equal(y knum) bool { return x.a.Cmp(y.a) == 0 && x.b.Cmp(y.b) == 0 }
func (x knum) key() string       { return x.a.RatString() + "|" + x.b.RatString() }
func (x knum) neg() knum         { return knum{new(big.Rat).Neg(x.a), new(big.Rat).Neg(x.b)} }
func (x knum) add(y knum) knum   { return knum{new(big.Rat).Add(x.a, y.a), new(big.Rat).Add(x.b, y.b)} }
func (x knum) sub(y knum) knum   { return knum{new(big.Rat).Sub(x.a, y.a), new(big.Rat).Sub(x.b, y.b)} }
func (x knum) scale(r *big.Rat) knum {
	return knum{new(big.Rat).Mul(x.a, r), new(big.Rat).Mul(x.b, r)}
}

func (f kfield) mul(x, y knum) knum {
	a := new(big.Rat).Mul(x.a, y.a)
	if f.d.Sign() != 0 {
		t := new(big.Rat).Mul(x.b, y.b)
		a.Add(a, t.Mul(t, f.d))
	}
	b := new(big.Rat).Mul(x.a, y.b)
	b.Add(b, new(big.Rat).Mul(x.b, y.a))
	return knum{a, b}
}

// inv returns 1/x; x must not be zero.
func (f kfield) inv(x knum) knum {
	// (a − bω)/(a² − b²d)
	n := new(big.Rat).Mul(x.a, x.a)
	t := new(big.Rat).Mul(x.b, x.b)
	n.Sub(n, t.Mul(t, f.d))
	n.Inv(n)
	return knum{new(big.Rat).Mul(x.a, n), new(big.Rat).Neg(new(big.Rat).Mul(x.b, n))}
}

// kmat is a square matrix over a kfield.
type kmat [][]knum

func kIdentity(n int) kmat {
	m := make(kmat, n)
	for i := range m {
		m[i] = make([]knum, n)
		for j := range m[i] {
			m[i][j] = kInt(0)
		}
		m[i][i] = kInt(1)
	}
	return m
}

func kFromMatrix(a *linalg.Matrix) kmat {
	n, _ := a.Dims()
	m := make(kmat, n)
	for i := range m {
		m[i] = make([]knum, n)
		for j := range m[i] {
			q, _ := a.RatAt(i, j)
			m[i][j] = kRat(q)
		}
	}
	return m
}

func (f kfield) mulMat(x, y kmat) kmat {
	n := len(x)
	z := make(kmat, n)
	for i := range z {
		z[i] = make([]knum, n)
		for j := range z[i] {
			s := kInt(0)
			for k := 0; k < n; k++ {
				if x[i][k].isZero() || y[k][j].isZero() {
					continue
				}
				s = s.add(f.mul(x[i][k], y[k][j]))
			}
			z[i][j] = s
		}
	}
	return z
}

// shift returns a − λI.
func (a kmat) shift(lam knum) kmat {
	n := len(a)
	z := make(kmat, n)
	for i := range z {
		z[i] = slices.Clone(a[i])
		z[i][i] = a[i][i].sub(lam)
	}
	return z
}

// spectrum is the eigenvalues of a rational matrix, all in one field.
type spectrum struct {
	field kfield
	// poly is det(λI − A), lowest degree first.
	poly []*big.Rat
	// values lists the eigenvalues with multiplicity: rational ones by
	// decreasing value, then a conjugate pair α ± γω (each m times).
	values []knum
	// rational roots and multiplicities, by decreasing value.
	roots []*big.Rat
	mult  []int
	// quad is the irreducible quadratic factor λ² + pλ + q (lowest degree
	// first) and qmult its multiplicity; nil when there is none.
	quad  []*big.Rat
	qmult int
	// alpha, gamma: the quadratic's roots are alpha ± gamma·ω.
	alpha, gamma *big.Rat
}

// charFactors is the characteristic polynomial of an exact square
// matrix split by linalg.RationalRoots: its rational roots by decreasing
// value with their multiplicities, and the rest without rational roots.
type charFactors struct {
	n     int
	poly  []*big.Rat
	roots []*big.Rat
	mult  []int
	rest  []*big.Rat
}

// factorCharPoly checks that a is an exact square matrix small enough
// for exact eigenvalues and factors its characteristic polynomial over
// the rationals. what names the method in the error for a float matrix.
func factorCharPoly(a *linalg.Matrix, what string) (*charFactors, error) {
	if !a.IsExact() {
		return nil, noClosedForm("%s", what)
	}
	n, c := a.Dims()
	if n != c {
		return nil, fmt.Errorf("a %d×%d matrix: %w", n, c, linalg.ErrNotSquare)
	}
	if n > linalg.MaxExactEig {
		return nil, noClosedForm("a %d×%d matrix is larger than %d×%d", n, n, linalg.MaxExactEig, linalg.MaxExactEig)
	}
	poly, err := linalg.CharPoly(a)
	if err != nil {
		return nil, &NoClosedFormError{Why: err.Error(), Err: err}
	}
	roots, mult, rest := linalg.RationalRoots(poly)
	return &charFactors{n: n, poly: poly, roots: roots, mult: mult, rest: rest}, nil
}

// analyse finds the eigenvalues of an exact square matrix in a field
// Q(√d).
func analyse(a *linalg.Matrix) (*spectrum, error) {
	cf, err := factorCharPoly(a, "the matrix has float entries")
	if err != nil {
		return nil, err
	}
	rest := cf.rest
	s := &spectrum{field: kfield{d: new(big.Rat)}, poly: cf.poly}
	for i, r := range cf.roots {
		s.roots = append(s.roots, r)
		s.mult = append(s.mult, cf.mult[i])
		for k := 0; k < cf.mult[i]; k++ {
			s.values = append(s.values, kRat(r))
		}
	}
	if len(rest) == 1 {
		return s, nil
	}
	quad, m, ok := quadraticPower(rest)
	if !ok {
		return nil, noClosedForm("the characteristic polynomial has a factor of degree %d without rational roots that is not a power of one quadratic", len(rest)-1)
	}
	// λ² + pλ + q: roots −p/2 ± √(p²/4 − q).
	p, q := quad[1], quad[0]
	alpha := new(big.Rat).Mul(p, big.NewRat(-1, 2))
	disc := new(big.Rat).Mul(alpha, alpha)
	disc.Sub(disc, q)
	// √disc = √(N·D)/D = (s/D)·√d with N·D = s²·d, d squarefree.
	nd := new(big.Int).Mul(disc.Num(), disc.Denom())
	sq, d := squarefree(nd)
	gamma := new(big.Rat).SetFrac(sq, disc.Denom())
	s.field = kfield{d: new(big.Rat).SetInt(d)}
	s.quad, s.qmult, s.alpha, s.gamma = quad, m, alpha, gamma
	for k := 0; k < m; k++ {
		s.values = append(s.values, knum{new(big.Rat).Set(alpha), new(big.Rat).Set(gamma)})
	}
	for k := 0; k < m; k++ {
		s.values = append(s.values, knum{new(big.Rat).Set(alpha), new(big.Rat).Neg(gamma)})
	}
	return s, nil
}

// squarefree writes n = s²·d with d squarefree (sign kept in d), by trial
// division up to 10⁶; a larger remaining factor is kept in d.
func squarefree(n *big.Int) (s, d *big.Int) {
	s = big.NewInt(1)
	d = new(big.Int).Set(n)
	neg := d.Sign() < 0
	d.Abs(d)
	p := big.NewInt(2)
	p2 := new(big.Int)
	r := new(big.Int)
	q := new(big.Int)
	for ; p.Int64() <= 1_000_000; p.Add(p, big.NewInt(1)) {
		p2.Mul(p, p)
		if p2.Cmp(d) > 0 {
			break
		}
		for {
			q.QuoRem(d, p2, r)
			if r.Sign() != 0 {
				break
			}
			d.Set(q)
			s.Mul(s, p)
		}
	}
	if neg {
		d.Neg(d)
	}
	return s, d
}

// quadraticPower reports whether the monic-normalised polynomial p
// (lowest degree first) equals Qᵐ for a monic quadratic Q, and returns Q.
func quadraticPower(p []*big.Rat) ([]*big.Rat, int, bool) {
	deg := len(p) - 1
	if deg < 2 || deg%2 != 0 {
		return nil, 0, false
	}
	p = monic(p)
	// The squarefree part p / gcd(p, p') must be the quadratic.
	g := polyGCD(p, polyDeriv(p))
	sf, rem := polyDivMod(p, g)
	if !polyIsZero(rem) || len(sf) != 3 {
		return nil, 0, false
	}
	sf = monic(sf)
	m := deg / 2
	pow := []*big.Rat{big.NewRat(1, 1)}
	for k := 0; k < m; k++ {
		pow = linalg.PolyMul(pow, sf)
	}
	if !polyEqual(pow, p) {
		return nil, 0, false
	}
	return sf, m, true
}

func monic(p []*big.Rat) []*big.Rat {
	p = trim(p)
	lead := p[len(p)-1]
	out := make([]*big.Rat, len(p))
	for i, c := range p {
		out[i] = new(big.Rat).Quo(c, lead)
	}
	return out
}

func trim(p []*big.Rat) []*big.Rat {
	for len(p) > 1 && p[len(p)-1].Sign() == 0 {
		p = p[:len(p)-1]
	}
	return p
}

func polyIsZero(p []*big.Rat) bool {
	for _, c := range p {
		if c.Sign() != 0 {
			return false
		}
	}
	return true
}

func polyEqual(p, q []*big.Rat) bool {
	p, q = trim(p), trim(q)
	if len(p) != len(q) {
		return false
	}
	for i := range p {
		if p[i].Cmp(q[i]) != 0 {
			return false
		}
	}
	return true
}

func polyDeriv(p []*big.Rat) []*big.Rat {
	if len(p) <= 1 {
		return []*big.Rat{new(big.Rat)}
	}
	out := make([]*big.Rat, len(p)-1)
	for i := 1; i < len(p); i++ {
		out[i-1] = new(big.Rat).Mul(p[i], big.NewRat(int64(i), 1))
	}
	return out
}

// polyDivMod divides p by a nonzero q.
func polyDivMod(p, q []*big.Rat) (quo, rem []*big.Rat) {
	q = trim(q)
	rem = make([]*big.Rat, len(p))
	for i, c := range p {
		rem[i] = new(big.Rat).Set(c)
	}
	rem = trim(rem)
	dq := len(q) - 1
	if len(rem)-1 < dq {
		return []*big.Rat{new(big.Rat)}, rem
	}
	quo = make([]*big.Rat, len(rem)-dq)
	for i := range quo {
		quo[i] = new(big.Rat)
	}
	for len(rem)-1 >= dq && !polyIsZero(rem) {
		k := len(rem) - 1 - dq
		c := new(big.Rat).Quo(rem[len(rem)-1], q[dq])
		quo[k] = c
		for i := 0; i <= dq; i++ {
			rem[k+i].Sub(rem[k+i], new(big.Rat).Mul(c, q[i]))
		}
		rem = trim(rem[:len(rem)-1])
		if len(rem) == 0 {
			rem = []*big.Rat{new(big.Rat)}
		}
	}
	return quo, rem
}

func polyGCD(a, b []*big.Rat) []*big.Rat {
	a, b = trim(a), trim(b)
	for !polyIsZero(b) {
		_, r := polyDivMod(a, b)
		a, b = b, trim(r)
	}
	return monic(a)
}
