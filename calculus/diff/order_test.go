package diff

import (
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus/expr"
)

// TestStepTermOrder pins the order of the terms on the intermediate lines
// of a derivation: the product rule writes d(u) v before u d(v), and a
// term keeps its place when its pending d(…) is expanded, instead of
// moving behind a still pending d(…) by the sort of the normal form.
func TestStepTermOrder(t *testing.T) {
	w := newWorld()
	tests := []struct {
		name  string
		f     func(k *builder) expr.Node
		x     func() *expr.Symbol
		lines []string // consecutive plain right sides, from the second line
	}{
		{"expanded term keeps its place", func(k *builder) expr.Node { return k.mul(k.pow(w.t, 2), k.f("exp", w.t)) },
			func() *expr.Symbol { return w.t }, []string{
				"exp(t)*d(t^2) + t^2*d(exp(t))",
				"2*t*exp(t)*dt + t^2*d(exp(t))",
				"2*t*exp(t)*dt + t^2*exp(t)*dt",
			}},
		{"product rule of leaves", func(k *builder) expr.Node { return k.mul(w.X, T(w.X)) },
			func() *expr.Symbol { return w.X }, []string{"dX*X' + X*dX'"}},
		{"pending stays last", func(k *builder) expr.Node {
			return k.add(k.pow(k.norm(k.sub(k.mul(w.Amn, w.x), w.bm)), 2), k.mul(w.t, k.mul(T(w.x), w.x)))
		}, func() *expr.Symbol { return w.x }, []string{
			"d(norm(A*x - b)^2) + d(t*(x'*x))",
			"d(A*x - b)'*(A*x - b) + (A*x - b)'*d(A*x - b) + d(t*(x'*x))",
		}},
		{"quotient: numerator first", func(k *builder) expr.Node { return k.div(k.mul(T(w.x), w.S, w.x), k.mul(T(w.x), w.x)) },
			func() *expr.Symbol { return w.x }, []string{"d(x'*S*x)/(x'*x) + (x'*S*x)*d(1/(x'*x))"}},
		{"inside a trace", func(k *builder) expr.Node { return k.tr(k.mul(T(w.X), w.A, w.X)) },
			func() *expr.Symbol { return w.X }, []string{"tr(dX'*A*X) + tr(X'*A*dX)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := &builder{}
			f := tt.f(k)
			if k.err != nil {
				t.Fatal(k.err)
			}
			d, err := Differential(f, []*expr.Symbol{tt.x()}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range d.Steps() {
				got = append(got, s.Plain)
			}
			all := strings.Join(got, "\n")
			if !strings.Contains(all, strings.Join(tt.lines, "\n")) {
				t.Errorf("lines\n%s\nwant, in a row,\n%s", all, strings.Join(tt.lines, "\n"))
			}
		})
	}
}
