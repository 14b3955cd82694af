package linalg

import (
	"errors"
	"fmt"
	"math"
	"math/big"
)

// errInexact tells an exact kernel that its result is not rational (or
// too large to keep), so the computation continues in float64. It never
// reaches a caller.
var errInexact = errors.New("linalg: result is not exact")

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
				return nil, fmt.Errorf("linalg: %s of %s, entry (%d, %d): %w", name, a.q[k].RatString(), k/a.c+1, k%a.c+1, err)
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
			return nil, fmt.Errorf("linalg: %s of %g, entry (%d, %d): %w", name, x, k/a.c+1, k%a.c+1, err)
		}
		z.f[k] = v
	}
	return z, nil
}

// exactAt returns an exact kernel for a function that is rational only
// at one rational point: f(at) = val; elsewhere it is inexact.
func exactAt(at, val *big.Rat) func(z, x *big.Rat) error {
	return func(z, x *big.Rat) error {
		if x.Cmp(at) == 0 {
			z.Set(val)
			return nil
		}
		return errInexact
	}
}

// ratZero, ratOne and ratHalf return fresh constants (no shared state).
func ratZero() *big.Rat { return new(big.Rat) }
func ratOne() *big.Rat  { return big.NewRat(1, 1) }
func ratHalf() *big.Rat { return big.NewRat(1, 2) }

func plain(f func(float64) float64) func(float64) (float64, error) {
	return func(x float64) (float64, error) { return f(x), nil }
}

// Exp returns the elementwise exponential (not the matrix exponential:
// see Expm). exp(0) = 1 stays exact.
func Exp(a *Matrix) (*Matrix, error) {
	return unary("exp", a, exactAt(ratZero(), ratOne()), plain(math.Exp))
}

// Log returns the elementwise natural logarithm. log(1) = 0 stays exact;
// an entry ≤ 0 is an error (ErrDomain).
func Log(a *Matrix) (*Matrix, error) {
	ex := exactAt(ratOne(), ratZero())
	return unary("log", a,
		func(z, x *big.Rat) error {
			if x.Sign() <= 0 {
				return fmt.Errorf("log needs a positive argument: %w", ErrDomain)
			}
			return ex(z, x)
		},
		func(x float64) (float64, error) {
			if !(x > 0) {
				return 0, fmt.Errorf("log needs a positive argument: %w", ErrDomain)
			}
			return math.Log(x), nil
		})
}

// Sin returns the elementwise sine; sin(0) = 0 stays exact.
func Sin(a *Matrix) (*Matrix, error) {
	return unary("sin", a, exactAt(ratZero(), ratZero()), plain(math.Sin))
}

// Cos returns the elementwise cosine; cos(0) = 1 stays exact.
func Cos(a *Matrix) (*Matrix, error) {
	return unary("cos", a, exactAt(ratZero(), ratOne()), plain(math.Cos))
}

// Tanh returns the elementwise hyperbolic tangent; tanh(0) = 0 stays
// exact.
func Tanh(a *Matrix) (*Matrix, error) {
	return unary("tanh", a, exactAt(ratZero(), ratZero()), plain(math.Tanh))
}

// Sigmoid returns the elementwise logistic function 1/(1 + e^{−x});
// sigmoid(0) = 1/2 stays exact.
func Sigmoid(a *Matrix) (*Matrix, error) {
	return unary("sigmoid", a, exactAt(ratZero(), ratHalf()), plain(sigmoid))
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// Sqrt returns the elementwise square root. The square root of the
// square of a rational stays exact (sqrt(9/4) = 3/2); a negative entry
// is an error (ErrDomain).
func Sqrt(a *Matrix) (*Matrix, error) {
	return unary("sqrt", a,
		func(z, x *big.Rat) error {
			if x.Sign() < 0 {
				return fmt.Errorf("sqrt needs a non-negative argument: %w", ErrDomain)
			}
			r, ok := ratRoot(x, 2)
			if !ok {
				return errInexact
			}
			z.Set(r)
			return nil
		},
		func(x float64) (float64, error) {
			if x < 0 {
				return 0, fmt.Errorf("sqrt needs a non-negative argument: %w", ErrDomain)
			}
			return math.Sqrt(x), nil
		})
}

// Abs returns the elementwise absolute value; exact stays exact.
func Abs(a *Matrix) (*Matrix, error) {
	return unary("abs", a, func(z, x *big.Rat) error { z.Abs(x); return nil }, plain(math.Abs))
}

// Sign returns the elementwise sign (−1, 0 or 1); exact stays exact.
func Sign(a *Matrix) (*Matrix, error) {
	return unary("sign", a, func(z, x *big.Rat) error { z.SetInt64(int64(x.Sign())); return nil },
		func(x float64) (float64, error) {
			switch {
			case x > 0:
				return 1, nil
			case x < 0:
				return -1, nil
			}
			return x, nil // 0, or NaN
		})
}

// Elementwise applies the elementwise function called name (one of
// ElementwiseNames) to a.
func Elementwise(name string, a *Matrix) (*Matrix, error) {
	switch name {
	case "exp":
		return Exp(a)
	case "log":
		return Log(a)
	case "sin":
		return Sin(a)
	case "cos":
		return Cos(a)
	case "tanh":
		return Tanh(a)
	case "sigmoid":
		return Sigmoid(a)
	case "sqrt":
		return Sqrt(a)
	case "abs":
		return Abs(a)
	case "sign":
		return Sign(a)
	}
	return nil, fmt.Errorf("linalg: no elementwise function %q (have %v)", name, ElementwiseNames())
}

// ElementwiseNames returns the names Elementwise accepts, sorted.
func ElementwiseNames() []string {
	return []string{"abs", "cos", "exp", "log", "sigmoid", "sign", "sin", "sqrt", "tanh"}
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
