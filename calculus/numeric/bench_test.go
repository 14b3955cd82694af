package numeric

import (
	"testing"

	"github.com/matcalc/matcalc/calculus/expr"
)

func BenchmarkEvalQuadraticForm(b *testing.B) {
	A := expr.MatrixSymbol("A", n, n, 0)
	x := expr.VectorSymbol("x", n)
	f := mk(expr.Mul(expr.T(x), A, x))
	bind, err := Sample([]expr.Node{f}, nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Eval(f, bind); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckGradient(b *testing.B) {
	X := expr.MatrixSymbol("X", n, n, 0)
	f := mk(expr.LogDet(X))
	g := expr.T(mk(expr.Inv(X)))
	for b.Loop() {
		rep, err := CheckGradient(f, X, g, nil)
		if err != nil || !rep.OK(0) {
			b.Fatal(rep, err)
		}
	}
}
