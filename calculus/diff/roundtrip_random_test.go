package diff_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus"
	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
	"github.com/matcalc/matcalc/calculus/numeric"
)

// roundTripper reads printed answers back through the interpreter, with
// every symbol of the random suite declared.
type roundTripper struct {
	in *calculus.Interpreter
}

func newRoundTripper(t testing.TB, syms ...*expr.Symbol) *roundTripper {
	in := calculus.New()
	var decls []string
	seen := map[string]bool{}
	for _, s := range syms {
		if !seen[s.Name()] {
			seen[s.Name()] = true
			decls = append(decls, decl(s))
		}
	}
	if _, err := in.Exec(t.Context(), strings.Join(decls, "\n")); err != nil {
		t.Fatalf("declarations: %v", err)
	}
	return &roundTripper{in: in}
}

func (w *randWorld) symbols() []*expr.Symbol {
	return []*expr.Symbol{w.X, w.x, w.t, w.A, w.S, w.P, w.Q, w.D, w.Amn, w.a, w.b, w.bm, w.c}
}

// sameValue reports whether a and b agree to 1e-9 relative at two random
// points (and the relative difference seen).
func sameValue(a, b expr.Node) (bool, float64, error) {
	worst := 0.0
	for seed := uint64(1); seed <= 2; seed++ {
		bind, err := numeric.Sample([]expr.Node{a, b}, &numeric.Options{Seed: seed})
		if err != nil {
			return false, 0, err
		}
		va, err := numeric.Eval(a, bind)
		if err != nil {
			return false, 0, err
		}
		vb, err := numeric.Eval(b, bind)
		if err != nil {
			return false, 0, err
		}
		d, err := linalg.Sub(va, vb)
		if err != nil {
			return false, 0, err
		}
		na, _ := linalg.Norm(va.ToFloat())
		nb, _ := linalg.Norm(vb.ToFloat())
		nd, _ := linalg.Norm(d.ToFloat())
		rel := nd.Value() / math.Max(math.Max(na.Value(), nb.Value()), 1e-300)
		if nd.Value() == 0 || math.Max(na.Value(), nb.Value()) < 1e-12 {
			rel = 0 // both zero but for rounding (d/dt sum(softmax(x/exp(t))))
		}
		worst = math.Max(worst, rel)
	}
	return worst <= 1e-9, worst, nil
}

// roundTrip reads n's plain text back and reports what went wrong, or "".
// sameTree tells whether the reading has n's normal form.
func (rt *roundTripper) roundTrip(n expr.Node) (problem string, sameTree bool) {
	text := n.String()
	back, err := rt.in.Symbolic(text)
	if err != nil {
		return "does not read back: " + err.Error(), false
	}
	if expr.Equal(back, n) {
		return "", true
	}
	if back.Shape() != n.Shape() {
		return "reads back as " + back.String() + " of shape " + back.Shape().String(), false
	}
	ok, rel, err := sameValue(n, back)
	if err != nil {
		return "", false // a point outside the domain of one side: the trees differ, values unknown
	}
	if !ok {
		return fmt.Sprintf("reads back as %s, another value (relative difference %.2g)", back, rel), false
	}
	return "", false
}

// TestRoundTripRandom: every expression of the random suite and every
// result the engine derives for it, printed as plain text and read back,
// is the same expression (the same normal form, or at least the same
// value at random points).
func TestRoundTripRandom(t *testing.T) {
	w := newRandWorld()
	rt := newRoundTripper(t, w.symbols()...)
	total, trees := 0, 0
	var problems []string
	try := func(what string, n expr.Node) {
		if expr.ContainsDifferential(n) {
			return
		}
		total++
		p, same := rt.roundTrip(n)
		if same {
			trees++
		}
		if p != "" {
			problems = append(problems, what+": "+n.String()+" "+p)
		}
	}
	seeds := uint64(randomSeeds)
	if testing.Short() {
		seeds = 100
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		for _, c := range newGenerator(seed).cases(seed) {
			try(fmt.Sprintf("seed %d: f", seed), c.f)
			for _, a := range asked(c.f, w) {
				d, err := a.do()
				if err != nil {
					continue
				}
				try(fmt.Sprintf("seed %d: %s of %s", seed, a.what, c.f), d.Result)
			}
		}
	}
	t.Logf("%d printed expressions read back: %d to the same tree, the rest to the same value; %d problems", total, trees, len(problems))
	for i, p := range problems {
		if i >= 30 {
			t.Errorf("… and %d more", len(problems)-i)
			break
		}
		t.Error(p)
	}
}
