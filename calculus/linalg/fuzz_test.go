package linalg

import (
	"math"
	"math/big"
	"testing"

	"github.com/matcalc/matcalc/calculus/builtin"
)

// matrixFrom decodes a small matrix from fuzz bytes: the first byte picks
// the shape and whether the entries are exact; each further byte is an
// entry (exact: a small fraction; float: a value that may be 0, huge,
// tiny, NaN or infinite).
func matrixFrom(data []byte) *Matrix {
	if len(data) == 0 {
		return Int(0)
	}
	r, c := int(data[0]%4)+1, int(data[0]/4%4)+1
	exact := data[0]&0x80 == 0
	entry := func(k int) byte {
		if len(data) <= 1 {
			return 0
		}
		return data[1+k%(len(data)-1)]
	}
	if exact {
		q := make([]*big.Rat, r*c)
		for k := range q {
			b := entry(k)
			q[k] = big.NewRat(int64(b%17)-8, int64(b/17%3)+1)
		}
		m, err := NewRat(r, c, q)
		if err != nil {
			panic(err)
		}
		return m
	}
	special := []float64{0, 1, -1, 0.5, 1e300, -1e300, 1e-300, math.NaN(), math.Inf(1), math.Inf(-1), 3, -7}
	f := make([]float64, r*c)
	for k := range f {
		f[k] = special[int(entry(k))%len(special)]
	}
	m, err := New(r, c, f)
	if err != nil {
		panic(err)
	}
	return m
}

// FuzzOps runs every operation on decoded matrices: none may panic.
func FuzzOps(f *testing.F) {
	f.Add([]byte{0x05, 3, 4, 5, 6}, []byte{0x01, 1, 2}, int8(2))
	f.Add([]byte{0x85, 7, 8, 9, 10}, []byte{0x05, 0, 0}, int8(-1))
	f.Add([]byte{0x0f, 1, 2, 3, 4, 5, 6, 7, 8, 9}, []byte{0x8f, 1}, int8(3))
	f.Fuzz(func(t *testing.T, x, y []byte, k int8) {
		a, b := matrixFrom(x), matrixFrom(y)
		_, _ = Add(a, b)
		_, _ = Sub(a, b)
		_, _ = Mul(a, b)
		_, _ = Div(a, b)
		_, _ = Hadamard(a, b)
		_, _ = HadamardDiv(a, b)
		_, _ = HadamardPow(a, b)
		_, _ = Kron(a, b)
		_, _ = Dot(a, b)
		_, _ = Solve(a, b)
		_, _ = Pow(a, int(k))
		for _, name := range builtin.Names(builtin.Elementwise) {
			_, _ = Elementwise(name, a)
		}
		_, _ = Inv(a)
		_, _ = Det(a)
		_, _ = LogDet(a)
		_, _ = Trace(a)
		_, _ = Rank(a)
		_, _ = Diag(a)
		_, _ = Norm(a)
		_, _ = Norm2(a)
		_, _ = Chol(a)
		_, _, _, _ = SVD(a)
		_, _ = Pinv(a)
		_, _ = Eig(a)
		_, _ = Expm(a)
		_, _ = NullSpace(a)
		_ = Sum(a)
		_ = Vec(a)
		_ = a.T().String() + a.LaTeX()
		if a.IsExact() && a.IsSquare() {
			if _, err := CharPoly(a); err != nil {
				t.Errorf("CharPoly(%s): %v", a, err)
			}
		}
	})
}
