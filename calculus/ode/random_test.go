package ode

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/matcalc/matcalc/calculus/linalg"
)

// TestRandomClosedForms compares e^{At} in closed form with the numeric
// matrix exponential, and Solve's x(t) with e^{At}x0, for small integer
// matrices drawn with a fixed seed (every kind of spectrum turns up:
// repeated, defective, complex, irrational, several factors).
func TestRandomClosedForms(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 2))
	closed, none := 0, 0
	for trial := 0; trial < 300; trial++ {
		n := 2 + trial%3
		data := make([]int64, n*n)
		for i := range data {
			data[i] = int64(rng.IntN(7)) - 3
			if rng.IntN(3) == 0 {
				data[i] = 0 // sparse ones have repeated and defective spectra
			}
		}
		a, err := linalg.NewInts(n, n, data)
		if err != nil {
			t.Fatal(err)
		}
		e, err := Expm(a)
		if errors.Is(err, ErrNoClosedForm) {
			none++
			// The numeric fallback: labelled, checked, and right.
			x0 := make([]float64, n)
			x0[0] = 1
			x0m, err := linalg.New(n, 1, x0)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Solve(a, nil, x0m)
			if err != nil {
				t.Fatalf("%s: %v", a, err)
			}
			if s.Exact || s.NumericErr > 1e-8 {
				t.Errorf("%s without a closed form: exact %v, RK4 %g", a, s.Exact, s.NumericErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		closed++
		for _, tv := range []float64{0.3, 1} {
			got, err := e.Eval(tv)
			if err != nil {
				t.Fatal(err)
			}
			want, err := NumericExpm(a, tv)
			if err != nil {
				t.Fatal(err)
			}
			if d := relDiff(got, want); d > 1e-9 {
				t.Errorf("%s (%s): e^{At} at t = %g differs from the numeric one by %g\n%s", a, e.Method, tv, d, e)
			}
		}
		x0 := make([]int64, n)
		for i := range x0 {
			x0[i] = int64(rng.IntN(5)) - 2
		}
		x0m, err := linalg.NewInts(n, 1, x0)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Solve(a, nil, x0m)
		if err != nil {
			t.Fatalf("%s, x0 = %s: %v", a, x0m, err)
		}
		if !s.Exact || !s.ExactCheck {
			t.Errorf("%s, x0 = %s: exact %v, exact check %v", a, x0m, s.Exact, s.ExactCheck)
		}
		// With b (A singular or not): exact, and x(1) agrees with RK4.
		bv := make([]int64, n)
		for i := range bv {
			bv[i] = int64(rng.IntN(5)) - 2
		}
		b, err := linalg.NewInts(n, 1, bv)
		if err != nil {
			t.Fatal(err)
		}
		s, err = SolveAffine(a, b, x0m)
		if err != nil {
			t.Fatalf("%s, b = %s, x0 = %s: %v", a, b, x0m, err)
		}
		if !s.Exact || !s.ExactCheck || s.NumericErr > 1e-8 {
			t.Errorf("%s, b = %s, x0 = %s: exact %v, exact check %v, RK4 %g", a, b, x0m, s.Exact, s.ExactCheck, s.NumericErr)
		}
	}
	t.Logf("%d closed forms, %d without", closed, none)
	if closed < 150 {
		t.Errorf("only %d of 300 matrices had a closed form (%d had none)", closed, none)
	}
}

// relDiff is ‖a − b‖_max / max(‖b‖_max, 1).
func relDiff(a, b *linalg.Matrix) float64 {
	r, c := a.Dims()
	num, den := 0.0, 1.0
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			num = math.Max(num, math.Abs(a.At(i, j)-b.At(i, j)))
			den = math.Max(den, math.Abs(b.At(i, j)))
		}
	}
	return num / den
}

// TestRandomStability compares the verdict of CheckStability with the
// largest real part of the float eigenvalues, away from the boundary,
// for small integer matrices drawn with a fixed seed.
func TestRandomStability(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 3))
	seen := map[Verdict]int{}
	for trial := 0; trial < 300; trial++ {
		n := 2 + trial%3
		data := make([]int64, n*n)
		for i := range data {
			data[i] = int64(rng.IntN(7)) - 4 // a little more negative than positive
		}
		a, err := linalg.NewInts(n, n, data)
		if err != nil {
			t.Fatal(err)
		}
		st, err := CheckStability(a, nil)
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		f, err := linalg.New(n, n, a.Floats())
		if err != nil {
			t.Fatal(err)
		}
		eig, err := linalg.Eig(f)
		if err != nil {
			t.Fatal(err)
		}
		maxRe := math.Inf(-1)
		for _, s := range eig.Spaces {
			maxRe = math.Max(maxRe, real(s.Value))
		}
		var want Verdict
		switch {
		case maxRe < -1e-6:
			want = Stable
		case maxRe > 1e-6:
			want = Unstable
		default:
			continue // on the boundary: decided exactly, not comparable
		}
		seen[want]++
		if st.Verdict != want {
			t.Errorf("%s: verdict %s, but the largest real part is %g", a, st.Verdict, maxRe)
		}
		if math.Abs(st.MaxRealPart-maxRe) > 1e-6*math.Max(1, math.Abs(maxRe)) {
			t.Errorf("%s: largest real part %g, numerically %g", a, st.MaxRealPart, maxRe)
		}
	}
	if seen[Stable] < 20 || seen[Unstable] < 20 {
		t.Errorf("too few of each verdict: %v", seen)
	}
}
