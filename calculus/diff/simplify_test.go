package diff

import (
	"testing"

	"github.com/matcalc/matcalc/calculus/expr"
)

// TestSimplifyTraces pins the traces an answer does not keep: the trace
// of an outer product is the inner product, the trace of a scalar the
// scalar, the trace of a numeric identity its size; other traces stay.
func TestSimplifyTraces(t *testing.T) {
	w := newWorld()
	y := expr.VectorSymbol("y", w.n)
	tests := []struct {
		name  string
		f     func(k *builder) expr.Node
		plain string
	}{
		{"tr(xx') = x'x", func(k *builder) expr.Node { return k.tr(k.mul(w.x, T(w.x))) }, "x'*x"},
		{"tr(xy') = y'x", func(k *builder) expr.Node { return k.tr(k.mul(w.x, T(y))) }, "y'*x"},
		{"tr(Axx') = x'Ax", func(k *builder) expr.Node { return k.tr(k.mul(w.A, w.x, T(w.x))) }, "x'*A*x"},
		{"tr(2xx')", func(k *builder) expr.Node { return k.tr(k.mul(k.num(2), w.x, T(w.x))) }, "2*x'*x"},
		{"tr(xx'A') = x'Ax", func(k *builder) expr.Node { return k.tr(k.mul(w.x, T(w.x), T(w.A))) }, "x'*A*x"},
		{"inside a sum", func(k *builder) expr.Node { return k.add(k.tr(k.mul(w.x, T(y))), k.tr(w.B)) }, "y'*x + tr(B)"},
		{"tr(s) = s", func(k *builder) expr.Node { return k.tr(k.mul(T(w.x), w.A, w.x)) }, "x'*A*x"},
		{"tr(I_3) = 3", func(k *builder) expr.Node { return k.tr(k.mul(w.s, expr.Eye(expr.Int(3)))) }, "3*s"},
		{"tr(AB) stays", func(k *builder) expr.Node { return k.tr(k.mul(w.A, w.B)) }, "tr(A*B)"},
		{"tr(A) stays", func(k *builder) expr.Node { return k.tr(w.A) }, "tr(A)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := &builder{}
			f := tt.f(k)
			if k.err != nil {
				t.Fatal(k.err)
			}
			if got := Simplify(f).String(); got != tt.plain {
				t.Errorf("Simplify(%s) = %s, want %s", f, got, tt.plain)
			}
		})
	}
}

// TestGradTraceOfOuter: the gradient with respect to a scalar reads
// tr(xy') as y'x.
func TestGradTraceOfOuter(t *testing.T) {
	w, k := newWorld(), &builder{}
	f := k.mul(w.s, k.tr(k.mul(w.x, T(w.v))))
	if k.err != nil {
		t.Fatal(k.err)
	}
	d, err := Grad(f, w.s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Result.String(); got != "v'*x" {
		t.Errorf("grad(s tr(xv'), s) = %s, want v'*x", got)
	}
}

// TestDifferentialTraceOfOuter: d(f) ends, as the text does, with the
// traces of outer products written as the scalars they are, in one step.
func TestDifferentialTraceOfOuter(t *testing.T) {
	w, k := newWorld(), &builder{}
	f := k.tr(k.mul(w.A, w.x, T(w.x)))
	if k.err != nil {
		t.Fatal(k.err)
	}
	d, err := Differential(f, []*expr.Symbol{w.x}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	last := d.Steps()[len(d.Steps())-1]
	if got, want := d.Result.String(), "dx'*A*x + x'*A*dx"; got != want {
		t.Errorf("d(tr(Axx')) = %s, want %s", got, want)
	}
	if last.Rule != RuleCyclic {
		t.Errorf("last step is %v, want the cyclic property of the trace", last.Rule)
	}
}
