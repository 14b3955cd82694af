package linalg

import (
	"fmt"
	"math"
)

// vectorCheck reports an error unless a is a vector (a scalar counts).
func vectorCheck(name string, a *Matrix) error {
	if a.r != 1 && a.c != 1 {
		return fmt.Errorf("%s of a %d×%d matrix: %w (%s needs a vector)", name, a.r, a.c, ErrShape, name)
	}
	return nil
}

// Softmax returns exp(z)/sum(exp(z)) of a vector z, shifted by max(z) so
// that it never overflows. The result has z's shape and is float.
func Softmax(z *Matrix) (*Matrix, error) {
	if err := vectorCheck("softmax", z); err != nil {
		return nil, err
	}
	v := z.Floats()
	top := math.Inf(-1)
	for _, x := range v {
		top = math.Max(top, x)
	}
	out := newFloat(z.r, z.c)
	s := 0.0
	for i, x := range v {
		out.f[i] = math.Exp(x - top)
		s += out.f[i]
	}
	for i := range out.f {
		out.f[i] /= s
	}
	return out, nil
}

// LogSumExp returns log(sum(exp(z))) of a vector z, shifted by max(z) so
// that it never overflows, as a float scalar.
func LogSumExp(z *Matrix) (*Matrix, error) {
	if err := vectorCheck("logsumexp", z); err != nil {
		return nil, err
	}
	v := z.Floats()
	top := math.Inf(-1)
	for _, x := range v {
		top = math.Max(top, x)
	}
	s := 0.0
	for _, x := range v {
		s += math.Exp(x - top)
	}
	return Float(top + math.Log(s)), nil
}
