package linalg

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/matcalc/matcalc/calculus/builtin"
)

// errInexact tells an exact kernel that its result is not rational (or
// too large to keep), so the computation continues in float64. It never
// reaches a caller.
var errInexact = errors.New("result is not exact")

// unary applies an elementwise function. ex computes an exact entry (or
// returns errInexact to switch to float for the whole matrix); fl
// computes a float entry.
func unary(name string, a *Matrix, ex func(z, x *big.Rat) error, fl func(x float64) (float64, error)) (*Matrix, error) {
	if a.q != nil && ex != nil {
		z := newExact(a.r, a.c)
		inexact := false
		for k := range a.q {
			err := ex(&z.q[k], &a.q[k])
			if errors.Is(err, errInexact) {
				inexact = true
				break
			}
			if err != nil {
				return nil, fmt.Errorf("%s of %s, entry (%d, %d): %w", name, a.q[k].RatString(), k/a.c+1, k%a.c+1, err)
			}
		}
		if !inexact {
			return z.settle(), nil
		}
	}
	af := a.Floats()
	z := newFloat(a.r, a.c)
	for k, x := range af {
		v, err := fl(x)
		if err != nil {
			return nil, fmt.Errorf("%s of %g, entry (%d, %d): %w", name, x, k/a.c+1, k%a.c+1, err)
		}
		z.f[k] = v
	}
	return z, nil
}

// ratOne returns a fresh 1 (no shared state).
func ratOne() *big.Rat { return big.NewRat(1, 1) }

// Elementwise applies the elementwise function called name (an
// Elementwise entry of package builtin) to a: its exact value where the
// entry has one for every entry of a, its float value otherwise; an entry
// outside the function's domain is an error (ErrDomain).
func Elementwise(name string, a *Matrix) (*Matrix, error) {
	f, ok := builtin.Lookup(name)
	if !ok || f.Kind != builtin.Elementwise {
		return nil, fmt.Errorf("no elementwise function %q (have %v)", name, builtin.Names(builtin.Elementwise))
	}
	domainErr := func() error {
		return fmt.Errorf("%s needs %s: %w", name, f.Domain.Requirement(), ErrDomain)
	}
	var ex func(z, x *big.Rat) error
	if f.Exact != nil {
		ex = func(z, x *big.Rat) error {
			if !f.Domain.ContainsRat(x) {
				return domainErr()
			}
			v, ok := f.Exact(x)
			if !ok {
				return errInexact
			}
			z.Set(v)
			return nil
		}
	}
	return unary(name, a, ex, func(x float64) (float64, error) {
		if !f.Domain.Contains(x) {
			return 0, domainErr()
		}
		return f.Float(x), nil
	})
}

// ratRoot returns the exact q-th root of a non-negative rational x and
// true, or false when it is not rational.
func ratRoot(x *big.Rat, q int) (*big.Rat, bool) {
	if x.Sign() < 0 || q < 1 {
		return nil, false
	}
	n, ok := intRoot(x.Num(), q)
	if !ok {
		return nil, false
	}
	d, ok := intRoot(x.Denom(), q)
	if !ok {
		return nil, false
	}
	return new(big.Rat).SetFrac(n, d), true
}

// intRoot returns the exact q-th root of a non-negative integer n.
func intRoot(n *big.Int, q int) (*big.Int, bool) {
	if n.Sign() == 0 || q == 1 {
		return new(big.Int).Set(n), true
	}
	if q == 2 {
		r := new(big.Int).Sqrt(n)
		return r, new(big.Int).Mul(r, r).Cmp(n) == 0
	}
	// Binary search on [0, 2^(bits/q + 1)].
	lo := big.NewInt(0)
	hi := new(big.Int).Lsh(big.NewInt(1), uint(n.BitLen()/q+1))
	bq := big.NewInt(int64(q))
	mid, p := new(big.Int), new(big.Int)
	for lo.Cmp(hi) <= 0 {
		mid.Add(lo, hi).Rsh(mid, 1)
		p.Exp(mid, bq, nil)
		switch p.Cmp(n) {
		case 0:
			return mid, true
		case -1:
			lo.Add(mid, big.NewInt(1))
		default:
			hi.Sub(mid, big.NewInt(1))
		}
	}
	return nil, false
}
