package linalg

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"
)

// ints builds an exact matrix from rows of integers.
func ints(t testing.TB, rows ...[]int64) *Matrix {
	t.Helper()
	var data []int64
	for _, r := range rows {
		data = append(data, r...)
	}
	m, err := NewInts(len(rows), len(rows[0]), data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func floats(t testing.TB, r, c int, data ...float64) *Matrix {
	t.Helper()
	m, err := New(r, c, data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestArithmetic(t *testing.T) {
	a := ints(t, []int64{1, 2}, []int64{3, 4})
	b := ints(t, []int64{0, 1}, []int64{1, 0})
	v := ints(t, []int64{1}, []int64{2})
	tests := []struct {
		name  string
		f     func() (*Matrix, error)
		want  string
		exact bool
	}{
		{"add", func() (*Matrix, error) { return Add(a, b) }, "[1, 3; 4, 4]", true},
		{"sub", func() (*Matrix, error) { return Sub(a, b) }, "[1, 1; 2, 4]", true},
		{"scalar plus matrix", func() (*Matrix, error) { return Add(Int(1), a) }, "[2, 3; 4, 5]", true},
		{"matrix minus scalar", func() (*Matrix, error) { return Sub(a, Rat(1, 2)) }, "[1/2, 3/2; 5/2, 7/2]", true},
		{"mul", func() (*Matrix, error) { return Mul(a, b) }, "[2, 1; 4, 3]", true},
		{"mul vector", func() (*Matrix, error) { return Mul(a, v) }, "[5; 11]", true},
		{"xTx times A", func() (*Matrix, error) {
			s, err := Mul(v.T(), v)
			if err != nil {
				return nil, err
			}
			return Mul(s, a)
		}, "[5, 10; 15, 20]", true},
		{"div", func() (*Matrix, error) { return Div(a, Int(3)) }, "[1/3, 2/3; 1, 4/3]", true},
		{"transpose", func() (*Matrix, error) { return a.T(), nil }, "[1, 3; 2, 4]", true},
		{"hadamard", func() (*Matrix, error) { return Hadamard(a, a) }, "[1, 4; 9, 16]", true},
		{"hadamard div", func() (*Matrix, error) { return HadamardDiv(a, ints(t, []int64{2, 2}, []int64{2, 2})) }, "[1/2, 1; 3/2, 2]", true},
		{"hadamard pow int", func() (*Matrix, error) { return HadamardPow(a, Int(-1)) }, "[1, 1/2; 1/3, 1/4]", true},
		{"hadamard pow root", func() (*Matrix, error) { return HadamardPow(ints(t, []int64{4, 9}), Rat(1, 2)) }, "[2, 3]", true},
		{"hadamard pow irrational", func() (*Matrix, error) { return HadamardPow(Int(2), Rat(1, 2)) }, "1.414213562", false},
		{"power", func() (*Matrix, error) { return Pow(a, 3) }, "[37, 54; 81, 118]", true},
		{"power zero", func() (*Matrix, error) { return Pow(a, 0) }, "[1, 0; 0, 1]", true},
		{"power negative", func() (*Matrix, error) { return Pow(a, -1) }, "[-2, 1; 3/2, -1/2]", true},
		{"kron", func() (*Matrix, error) { return Kron(b, v) }, "[0, 1; 0, 2; 1, 0; 2, 0]", true},
		{"vec", func() (*Matrix, error) { return Vec(a), nil }, "[1; 3; 2; 4]", true},
		{"diag of vector", func() (*Matrix, error) { return Diag(v) }, "[1, 0; 0, 2]", true},
		{"diag of matrix", func() (*Matrix, error) { return Diag(a) }, "[1; 4]", true},
		{"sum", func() (*Matrix, error) { return Sum(a), nil }, "10", true},
		{"trace", func() (*Matrix, error) { return Trace(a) }, "5", true},
		{"dot", func() (*Matrix, error) { return Dot(a, b) }, "5", true},
		{"neg", func() (*Matrix, error) { return Neg(a), nil }, "[-1, -2; -3, -4]", true},
		{"norm exact", func() (*Matrix, error) { return Norm(ints(t, []int64{3}, []int64{4})) }, "5", true},
		{"norm float", func() (*Matrix, error) { return Norm(ints(t, []int64{1}, []int64{1})) }, "1.414213562", false},
		{"norm2 matrix", func() (*Matrix, error) { return Norm2(ints(t, []int64{3, 0}, []int64{0, -5})) }, "5", false},
		{"float add", func() (*Matrix, error) { return Add(floats(t, 1, 2, 0.5, 0.25), ints(t, []int64{1, 1})) }, "[1.5, 1.25]", false},
		{"float mul", func() (*Matrix, error) { return Mul(floats(t, 1, 2, 0.5, 1), a) }, "[3.5, 5]", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.f()
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tt.want || got.IsExact() != tt.exact {
				t.Errorf("got %s (exact %v), want %s (exact %v)", got, got.IsExact(), tt.want, tt.exact)
			}
		})
	}
}

func TestElementwise(t *testing.T) {
	tests := []struct {
		fn    string
		in    *Matrix
		want  string
		exact bool
		err   error
	}{
		{"exp", ints(t, []int64{0, 0}), "[1, 1]", true, nil},
		{"exp", ints(t, []int64{0, 1}), "[1, 2.718281828]", false, nil},
		{"log", ints(t, []int64{1}), "0", true, nil},
		{"log", ints(t, []int64{0}), "", false, ErrDomain},
		{"log", floats(t, 1, 1, -1), "", false, ErrDomain},
		{"sqrt", ints(t, []int64{4, 9}), "[2, 3]", true, nil},
		{"sqrt", Rat(9, 4), "3/2", true, nil},
		{"sqrt", Int(-4), "", false, ErrDomain},
		{"sqrt", Int(2), "1.414213562", false, nil},
		{"sigmoid", Int(0), "1/2", true, nil},
		{"abs", Rat(-3, 2), "3/2", true, nil},
		{"sin", Int(0), "0", true, nil},
		{"cos", Int(0), "1", true, nil},
		{"tanh", Int(0), "0", true, nil},
		{"sign", ints(t, []int64{-3, 0, 2}), "[-1, 0, 1]", true, nil},
		{"sign", floats(t, 1, 2, -0.5, 2), "[-1, 1]", false, nil},
		{"nosuch", Int(0), "", false, errAny},
	}
	for _, tt := range tests {
		t.Run(tt.fn+" "+tt.in.String(), func(t *testing.T) {
			got, err := Elementwise(tt.fn, tt.in)
			if tt.err != nil {
				if err == nil || (tt.err != errAny && !errors.Is(err, tt.err)) {
					t.Fatalf("got %v, %v; want error %v", got, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tt.want || got.IsExact() != tt.exact {
				t.Errorf("got %s (exact %v), want %s (exact %v)", got, got.IsExact(), tt.want, tt.exact)
			}
		})
	}
}

var errAny = errors.New("any error")

func TestErrors(t *testing.T) {
	a := ints(t, []int64{1, 2, 3}, []int64{4, 5, 6})
	sing := ints(t, []int64{1, 2}, []int64{2, 4})
	tests := []struct {
		name string
		f    func() (*Matrix, error)
		want error
	}{
		{"add shapes", func() (*Matrix, error) { return Add(a, a.T()) }, ErrShape},
		{"mul shapes", func() (*Matrix, error) { return Mul(a, a) }, ErrShape},
		{"div by matrix", func() (*Matrix, error) { return Div(a, a) }, ErrShape},
		{"div by zero", func() (*Matrix, error) { return Div(a, Int(0)) }, ErrDomain},
		{"inv non-square", func() (*Matrix, error) { return Inv(a) }, ErrNotSquare},
		{"inv singular", func() (*Matrix, error) { return Inv(sing) }, ErrSingular},
		{"inv singular float", func() (*Matrix, error) { return Inv(sing.ToFloat()) }, ErrSingular},
		{"det non-square", func() (*Matrix, error) { return Det(a) }, ErrNotSquare},
		{"solve singular", func() (*Matrix, error) { return Solve(sing, ints(t, []int64{1}, []int64{1})) }, ErrSingular},
		{"chol indefinite", func() (*Matrix, error) { return Chol(ints(t, []int64{1, 2}, []int64{2, 1})) }, ErrNotPositiveDefinite},
		{"chol nonsymmetric", func() (*Matrix, error) { return Chol(ints(t, []int64{1, 2}, []int64{0, 1})) }, ErrNotPositiveDefinite},
		{"zeros huge", func() (*Matrix, error) { return Zeros(100000, 100000) }, ErrTooLarge},
		{"zeros zero", func() (*Matrix, error) { return Zeros(0, 3) }, ErrShape},
		{"kron huge", func() (*Matrix, error) {
			z, err := Zeros(2000, 1)
			if err != nil {
				return nil, err
			}
			return Kron(z, z.T())
		}, nil},
		{"kron too huge", func() (*Matrix, error) {
			z, err := Zeros(5000, 1)
			if err != nil {
				return nil, err
			}
			y, err := Zeros(1, 5000)
			if err != nil {
				return nil, err
			}
			return Kron(z, y)
		}, ErrTooLarge},
		{"diag huge", func() (*Matrix, error) {
			z, err := Zeros(100000, 1)
			if err != nil {
				return nil, err
			}
			return Diag(z)
		}, ErrTooLarge},
		{"power singular", func() (*Matrix, error) { return Pow(sing, -2) }, ErrSingular},
		{"logdet negative", func() (*Matrix, error) { return LogDet(ints(t, []int64{0, 1}, []int64{1, 0})) }, ErrDomain},
		{"expm non-square", func() (*Matrix, error) { return Expm(a) }, ErrNotSquare},
		{"expm overflow", func() (*Matrix, error) { return Expm(floats(t, 1, 1, 1000)) }, ErrNotNumber},
		{"zero to negative power", func() (*Matrix, error) { return HadamardPow(Int(0), Int(-1)) }, ErrDomain},
		{"inverse of Inf", func() (*Matrix, error) { return Inv(floats(t, 2, 2, math.Inf(1), 0, 0, 1)) }, ErrNotNumber},
		{"eig of NaN", func() (*Matrix, error) {
			_, err := Eig(floats(t, 2, 2, math.NaN(), 0, 0, 1))
			return nil, err
		}, ErrNotNumber},
		{"negative to half", func() (*Matrix, error) { return HadamardPow(Int(-4), Rat(1, 2)) }, ErrDomain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.f()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, %v; want error %v", got, err, tt.want)
			}
			// Context: the operation before the sentinel's own text, and
			// no package prefix (the text reaches students).
			if msg := err.Error(); msg == tt.want.Error() || !strings.HasSuffix(msg, tt.want.Error()) && !strings.Contains(msg, tt.want.Error()+" (") || strings.HasPrefix(msg, "linalg:") {
				t.Errorf("error %q lacks context, or names the package", err)
			}
		})
	}
}

func TestDecompositions(t *testing.T) {
	a := ints(t, []int64{3, -4}, []int64{4, -7})
	spd := ints(t, []int64{4, 2}, []int64{2, 10})
	tests := []struct {
		name  string
		f     func() (*Matrix, error)
		want  string
		exact bool
	}{
		{"det", func() (*Matrix, error) { return Det(a) }, "-5", true},
		{"det 3x3", func() (*Matrix, error) {
			return Det(ints(t, []int64{2, 0, 1}, []int64{1, 3, 2}, []int64{1, 1, 2}))
		}, "6", true},
		{"det float", func() (*Matrix, error) { return Det(a.ToFloat()) }, "-5", false},
		{"inv", func() (*Matrix, error) { return Inv(a) }, "[7/5, -4/5; 4/5, -3/5]", true},
		{"solve", func() (*Matrix, error) { return Solve(a, ints(t, []int64{1}, []int64{1})) }, "[3/5; 1/5]", true},
		{"solve least squares", func() (*Matrix, error) {
			return Solve(ints(t, []int64{1}, []int64{1}), ints(t, []int64{1}, []int64{3}))
		}, "2", true},
		{"chol exact", func() (*Matrix, error) { return Chol(spd) }, "[2, 0; 1, 3]", true},
		{"chol float", func() (*Matrix, error) { return Chol(ints(t, []int64{2, 1}, []int64{1, 2})) }, "[1.414213562, 0; 0.7071067812, 1.224744871]", false},
		{"pinv full rank", func() (*Matrix, error) { return Pinv(ints(t, []int64{1}, []int64{1})) }, "[1/2, 1/2]", true},
		{"pinv rank one", func() (*Matrix, error) { return Pinv(ints(t, []int64{1, 2}, []int64{2, 4})) }, "[1/25, 2/25; 2/25, 4/25]", true},
		{"pinv float", func() (*Matrix, error) { return Pinv(floats(t, 2, 2, 1, 2, 2, 4)) }, "[0.04, 0.08; 0.08, 0.16]", false},
		{"expm nilpotent", func() (*Matrix, error) { return Expm(ints(t, []int64{0, 1}, []int64{0, 0})) }, "[1, 1; 0, 1]", true},
		{"expm diagonal", func() (*Matrix, error) { return Expm(ints(t, []int64{1, 0}, []int64{0, 0})) }, "[2.718281828, 0; 0, 1]", false},
		{"logdet one", func() (*Matrix, error) { return LogDet(ints(t, []int64{1, 5}, []int64{0, 1})) }, "0", true},
		{"logdet", func() (*Matrix, error) { return LogDet(spd) }, "3.583518938", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.f()
			if err != nil {
				t.Fatal(err)
			}
			if got.Text(10) != tt.want || got.IsExact() != tt.exact {
				// Floats: compare approximately by value.
				if !got.IsExact() && !tt.exact && approxString(t, got, tt.want) {
					return
				}
				t.Errorf("got %s (exact %v), want %s (exact %v)", got, got.IsExact(), tt.want, tt.exact)
			}
		})
	}
}

// approxString reports whether got equals, to 1e-9, the literal want
// (a scalar or a [a, b; c, d] literal of decimals).
func approxString(t *testing.T, got *Matrix, want string) bool {
	t.Helper()
	s := strings.Trim(want, "[]")
	var vals []float64
	rows := strings.Split(s, "; ")
	for _, r := range rows {
		for _, e := range strings.Split(r, ", ") {
			q, ok := new(big.Rat).SetString(e)
			if !ok {
				t.Fatalf("bad literal %q", e)
			}
			f, _ := q.Float64()
			vals = append(vals, f)
		}
	}
	w, err := New(len(rows), len(vals)/len(rows), vals)
	if err != nil {
		return false
	}
	return EqualApprox(got, w, 1e-9)
}

func TestRank(t *testing.T) {
	tests := []struct {
		m    *Matrix
		want int
	}{
		{ints(t, []int64{1, 2}, []int64{2, 4}), 1},
		{ints(t, []int64{1, 2}, []int64{3, 4}), 2},
		{ints(t, []int64{0, 0}, []int64{0, 0}), 0},
		{floats(t, 2, 3, 1, 2, 3, 2, 4, 6), 1},
		{floats(t, 2, 2, 1, 0, 0, 1e-3), 2},
	}
	for _, tt := range tests {
		got, err := Rank(tt.m)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("rank %s = %d, want %d", tt.m, got, tt.want)
		}
	}
}

func TestSVD(t *testing.T) {
	a := floats(t, 3, 2, 1, 2, 3, 4, 5, 6)
	u, s, v, err := SVD(a)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Diag(s)
	if err != nil {
		t.Fatal(err)
	}
	us, _ := Mul(u, ds)
	back, err := Mul(us, v.T())
	if err != nil {
		t.Fatal(err)
	}
	if !EqualApprox(back, a, 1e-12) {
		t.Errorf("U·S·Vᵀ = %s, want %s", back, a)
	}
}

func TestEig(t *testing.T) {
	tests := []struct {
		name    string
		m       *Matrix
		exact   bool
		values  []string // exact eigenvalues, or float values %.6g
		vectors []string // per space: the Vectors matrix
		mult    []int
		poly    string
	}{
		{"text example", ints(t, []int64{3, -4}, []int64{4, -7}), true,
			[]string{"1", "-5"}, []string{"[2; 1]", "[1; 2]"}, []int{1, 1}, "[-5 4 1]"},
		{"repeated defective", ints(t, []int64{2, 1}, []int64{0, 2}), true,
			[]string{"2"}, []string{"[1; 0]"}, []int{2}, "[4 -4 1]"},
		{"repeated diagonalizable", ints(t, []int64{2, 0}, []int64{0, 2}), true,
			[]string{"2"}, []string{"[1, 0; 0, 1]"}, []int{2}, "[4 -4 1]"},
		{"rational", NewRatMust(t, 2, 2, "1/2", "0", "1", "-1/3"), true,
			[]string{"1/2", "-1/3"}, []string{"[5; 6]", "[0; 1]"}, []int{1, 1}, "[-1/6 -1/6 1]"},
		{"3x3", ints(t, []int64{2, 0, 0}, []int64{1, 3, 0}, []int64{0, 0, -1}), true,
			[]string{"3", "2", "-1"}, []string{"[0; 1; 0]", "[1; -1; 0]", "[0; 0; 1]"}, []int{1, 1, 1}, "[6 1 -4 1]"},
		{"zero eigenvalue", ints(t, []int64{1, 2}, []int64{2, 4}), true,
			[]string{"5", "0"}, []string{"[1; 2]", "[2; -1]"}, []int{1, 1}, "[0 -5 1]"},
		{"irrational", ints(t, []int64{1, 1}, []int64{1, 0}), false,
			[]string{"1.61803", "-0.618034"}, nil, []int{1, 1}, "[-1 -1 1]"},
		{"complex", ints(t, []int64{0, -1}, []int64{1, 0}), false,
			[]string{"(0+1i)", "(0-1i)"}, nil, []int{1, 1}, "[1 0 1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Eig(tt.m)
			if err != nil {
				t.Fatal(err)
			}
			if e.Exact != tt.exact {
				t.Fatalf("exact = %v, want %v", e.Exact, tt.exact)
			}
			if got := polyString(e.Poly); got != tt.poly {
				t.Errorf("poly = %s, want %s", got, tt.poly)
			}
			if len(e.Spaces) != len(tt.values) {
				t.Fatalf("%d spaces, want %d", len(e.Spaces), len(tt.values))
			}
			for i, s := range e.Spaces {
				var v string
				if tt.exact {
					v = s.Rat.RatString()
				} else if imag(s.Value) != 0 {
					v = formatComplex(s.Value)
				} else {
					v = FormatFloat(real(s.Value), 6)
				}
				if v != tt.values[i] {
					t.Errorf("value %d = %s, want %s", i, v, tt.values[i])
				}
				if s.Mult != tt.mult[i] {
					t.Errorf("mult %d = %d, want %d", i, s.Mult, tt.mult[i])
				}
				if tt.vectors != nil && s.Vectors.String() != tt.vectors[i] {
					t.Errorf("vectors %d = %s, want %s", i, s.Vectors, tt.vectors[i])
				}
				// A v = λ v for real eigenvalues.
				if s.Vectors != nil {
					av, _ := Mul(tt.m, s.Vectors)
					lv, _ := Mul(Float(real(s.Value)), s.Vectors)
					if !EqualApprox(av, lv, 1e-9) {
						t.Errorf("A v = %s, λ v = %s", av, lv)
					}
				}
			}
		})
	}
}

func formatComplex(z complex128) string {
	r := math.Round(real(z)*1e6) / 1e6
	i := math.Round(imag(z)*1e6) / 1e6
	if r == 0 {
		r = 0
	}
	return "(" + FormatFloat(r, 6) + signed(i) + "i)"
}

func signed(v float64) string {
	if v < 0 {
		return FormatFloat(v, 6)
	}
	return "+" + FormatFloat(v, 6)
}

func polyString(p []*big.Rat) string {
	parts := make([]string, len(p))
	for i, c := range p {
		parts[i] = c.RatString()
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// NewRatMust builds an exact matrix from rational literals.
func NewRatMust(t testing.TB, r, c int, entries ...string) *Matrix {
	t.Helper()
	data := make([]*big.Rat, len(entries))
	for i, e := range entries {
		q, ok := new(big.Rat).SetString(e)
		if !ok {
			t.Fatalf("bad rational %q", e)
		}
		data[i] = q
	}
	m, err := NewRat(r, c, data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRationalRoots(t *testing.T) {
	// λ(λ − 1)²(λ + 2/3)(λ² + 1), built by exact multiplication.
	prod := []*big.Rat{big.NewRat(1, 1)}
	for _, f := range [][]*big.Rat{
		{big.NewRat(-1, 1), big.NewRat(1, 1)},
		{big.NewRat(-1, 1), big.NewRat(1, 1)},
		{big.NewRat(2, 3), big.NewRat(1, 1)},
		{big.NewRat(1, 1), big.NewRat(0, 1), big.NewRat(1, 1)},
		{big.NewRat(0, 1), big.NewRat(1, 1)},
	} {
		prod = PolyMul(prod, f)
	}
	roots, mult, rest := RationalRoots(prod)
	got := map[string]int{}
	for i, r := range roots {
		got[r.RatString()] = mult[i]
	}
	want := map[string]int{"1": 2, "-2/3": 1, "0": 1}
	if len(got) != len(want) {
		t.Fatalf("roots %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("root %s multiplicity %d, want %d", k, got[k], v)
		}
	}
	if polyString(rest) != "[1 0 1]" {
		t.Errorf("rest = %s, want [1 0 1]", polyString(rest))
	}
	// By decreasing value.
	var order []string
	for _, r := range roots {
		order = append(order, r.RatString())
	}
	if got := strings.Join(order, " "); got != "1 0 -2/3" {
		t.Errorf("roots in the order %s, want 1 0 -2/3", got)
	}
}

func TestPolyMul(t *testing.T) {
	tests := []struct {
		a, b []*big.Rat
		want string
	}{
		{[]*big.Rat{big.NewRat(-1, 1), big.NewRat(1, 1)}, []*big.Rat{big.NewRat(1, 1), big.NewRat(1, 1)}, "[-1 0 1]"},
		{[]*big.Rat{big.NewRat(1, 2)}, []*big.Rat{big.NewRat(2, 3), big.NewRat(0, 1), big.NewRat(4, 1)}, "[1/3 0 2]"},
		{[]*big.Rat{big.NewRat(1, 1), big.NewRat(1, 1)}, []*big.Rat{big.NewRat(1, 1), big.NewRat(1, 1)}, "[1 2 1]"},
	}
	for _, tt := range tests {
		if got := polyString(PolyMul(tt.a, tt.b)); got != tt.want {
			t.Errorf("PolyMul(%s, %s) = %s, want %s", polyString(tt.a), polyString(tt.b), got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		m            *Matrix
		plain, latex string
	}{
		{Rat(4, 3), "4/3", `\frac{4}{3}`},
		{Rat(-4, 3), "-4/3", `-\frac{4}{3}`},
		{ints(t, []int64{1, 2}, []int64{3, 4}), "[1, 2; 3, 4]", `\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}`},
		{NewRatMust(t, 2, 1, "1/2", "-3"), "[1/2; -3]", `\begin{bmatrix} \frac{1}{2} \\ -3 \end{bmatrix}`},
		{Float(1.5e-7), "1.5e-07", `1.5 \times 10^{-7}`},
		{Float(0.5), "0.5", "0.5"},
		{Float(math.Copysign(0, -1)), "0", "0"},
		{Float(1.0 / 3), "0.3333333333", "0.3333333333"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.plain {
			t.Errorf("String = %q, want %q", got, tt.plain)
		}
		if got := tt.m.LaTeX(); got != tt.latex {
			t.Errorf("LaTeX = %q, want %q", got, tt.latex)
		}
	}
}

func TestIntValue(t *testing.T) {
	tests := []struct {
		m    *Matrix
		want int
		ok   bool
	}{
		{Int(3), 3, true},
		{Float(3), 3, true},
		{Rat(1, 2), 0, false},
		{Float(2.5), 0, false},
		{ints(t, []int64{1, 2}), 0, false},
	}
	for _, tt := range tests {
		got, err := tt.m.IntValue()
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("IntValue(%s) = %d, %v; want %d, ok %v", tt.m, got, err, tt.want, tt.ok)
		}
	}
}

func TestExactnessLimit(t *testing.T) {
	// Repeated squaring of 3/2 grows its numerator past MaxExactBits:
	// the result continues in float.
	x := Rat(3, 2)
	var err error
	for i := 0; i < 14; i++ {
		if x, err = Mul(x, x); err != nil {
			t.Fatal(err)
		}
	}
	if x.IsExact() {
		t.Errorf("(3/2)^(2^14) stayed exact")
	}
	if !math.IsInf(x.Value(), 1) {
		t.Errorf("got %v, want +Inf", x.Value())
	}
}

// TestExactThreshold pins where exact elimination gives way to float:
// small matrices stay exact, large ones (or ones with huge entries) are
// computed in float64 instead of taking minutes.
func TestExactThreshold(t *testing.T) {
	square := func(n int, entry func(i int) *big.Rat) *Matrix {
		data := make([]*big.Rat, n*n)
		for i := range data {
			data[i] = entry(i)
		}
		m, err := NewRat(n, n, data)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	small := func(i int) *big.Rat { return big.NewRat(int64((i*7919)%19-9), 1) }
	huge := func(i int) *big.Rat {
		x := new(big.Int).Lsh(big.NewInt(1), 2000)
		return new(big.Rat).SetFrac(x.Add(x, big.NewInt(int64(i*i))), big.NewInt(int64(i%5+1)))
	}
	tests := []struct {
		name  string
		m     *Matrix
		exact bool
	}{
		{"10×10 small", square(10, small), true},
		{"30×30 small", square(30, small), true},
		{"80×80 small", square(80, small), false},
		{"8×8 with 2000-bit entries", square(8, huge), false},
	}
	for _, tt := range tests {
		d, err := Det(tt.m)
		if err != nil {
			t.Fatal(err)
		}
		if d.IsExact() != tt.exact {
			t.Errorf("%s: det exact = %v, want %v", tt.name, d.IsExact(), tt.exact)
		}
	}
}

// TestCharPolyHugeEntries: when the Faddeev–LeVerrier products outgrow
// what can be kept exact, CharPoly (and so Eig) reports ErrTooLarge or
// goes on in float — never a nil dereference.
func TestCharPolyHugeEntries(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		entry func(i int) *big.Rat
	}{
		{"6×6 with 300-digit fractions", 6, func(i int) *big.Rat {
			num, _ := new(big.Int).SetString("1"+strings.Repeat("7", 299), 10)
			den, _ := new(big.Int).SetString("3"+strings.Repeat("1", 298)+fmt.Sprint(i%9+1), 10)
			return new(big.Rat).SetFrac(num.Add(num, big.NewInt(int64(i))), den)
		}},
		{"12×12 with 10^15/(10^15+i)", 12, func(i int) *big.Rat {
			return new(big.Rat).SetFrac64(1e15+int64(i*i%17), 1e15+int64(i))
		}},
	}
	for _, tt := range tests {
		data := make([]*big.Rat, tt.n*tt.n)
		for i := range data {
			data[i] = tt.entry(i)
		}
		m, err := NewRat(tt.n, tt.n, data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := CharPoly(m); err != nil && !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: CharPoly: %v, want nil or ErrTooLarge", tt.name, err)
		}
		if _, err := Eig(m); err != nil && !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: Eig: %v", tt.name, err)
		}
	}
}
