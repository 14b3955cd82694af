package diff

import (
	"math/big"
	"testing"

	"github.com/matcalc/matcalc/calculus/expr"
)

// pinvCases are the differential of the pseudo-inverse in each case its
// declared shape decides: tall (full column rank), wide (full row rank),
// square (invertible), and sizes named m, n that do not say which is
// larger (the constant-rank formula). Every one is pinned by a golden
// derivation and checked by finite differences on Gaussian (full-rank)
// matrices, which the numeric pinv (SVD) evaluates.
func pinvCases() []dcase {
	tall := func(*world) *expr.Symbol { return expr.MatrixSymbol("X", expr.Int(5), expr.Int(3), 0) }
	wide := func(*world) *expr.Symbol { return expr.MatrixSymbol("X", expr.Int(3), expr.Int(5), 0) }
	named := func(w *world) *expr.Symbol { return expr.MatrixSymbol("X", w.m, w.n, 0) }
	square := func(w *world) *expr.Symbol { return expr.MatrixSymbol("X", w.n, w.n, 0) }
	y5 := expr.VectorSymbol("y", expr.Int(5))
	y3 := expr.VectorSymbol("y", expr.Int(3))
	A35 := expr.MatrixSymbol("A", expr.Int(3), expr.Int(5), 0)
	A53 := expr.MatrixSymbol("A", expr.Int(5), expr.Int(3), 0)
	type F = func(w *world, k *builder) expr.Node
	of := func(x func(*world) *expr.Symbol, g func(k *builder, X expr.Node) expr.Node) F {
		return func(w *world, k *builder) expr.Node { return g(k, x(w)) }
	}
	p := func(k *builder, X expr.Node) expr.Node { return k.ok(expr.Pinv(X)) }
	c := func(name, op string, x func(*world) *expr.Symbol, g func(k *builder, X expr.Node) expr.Node, want string) dcase {
		return dcase{item: "pinv", name: name, op: op, f: of(x, g), wrt: x, want: want}
	}
	return []dcase{
		c("d_tall", "d", tall, p, "inv(X'*X)*dX'*(eye(5) - X*pinv(X)) - pinv(X)*dX*pinv(X)"),
		c("d_wide", "d", wide, p, "(eye(5) - pinv(X)*X)*dX'*inv(X*X') - pinv(X)*dX*pinv(X)"),
		c("d_square", "d", square, p, "-pinv(X)*dX*pinv(X)"),
		c("d_named", "d", named, p, ""),
		c("d_transpose_wide", "d", wide, func(k *builder, X expr.Node) expr.Node { return p(k, T(X)) }, ""),
		c("least_squares_tall", "grad", tall, func(k *builder, X expr.Node) expr.Node {
			return k.pow(k.norm(k.mul(p(k, X), y5)), 2)
		}, ""),
		c("least_squares_wide", "grad", wide, func(k *builder, X expr.Node) expr.Node {
			return k.pow(k.norm(k.mul(p(k, X), y3)), 2)
		}, ""),
		c("tr_A_pinv_tall", "grad", tall, func(k *builder, X expr.Node) expr.Node { return k.tr(k.mul(A53, p(k, X))) }, ""),
		c("tr_A_pinv_wide", "grad", wide, func(k *builder, X expr.Node) expr.Node { return k.tr(k.mul(A35, p(k, X))) }, ""),
		c("tr_pinv_named", "grad", named, func(k *builder, X expr.Node) expr.Node { return k.tr(k.mul(X, p(k, X))) }, ""), // 0 = d rank, through (I − XX⁺)X = 0 and X(I − X⁺X) = 0
		c("projection_tall", "d", tall, func(k *builder, X expr.Node) expr.Node { return k.mul(X, p(k, X)) }, ""),
		c("jacobian_tall", "jacobian", tall, p, ""),
		c("jacobian_wide", "jacobian", wide, p, ""),
		c("hessian_wide", "hessian", func(*world) *expr.Symbol { return expr.MatrixSymbol("X", expr.Int(2), expr.Int(3), 0) },
			func(k *builder, X expr.Node) expr.Node { return k.tr(k.mul(T(p(k, X)), p(k, X))) }, ""),
	}
}

// TestPinv derives, pins and checks the pseudo-inverse cases.
func TestPinv(t *testing.T) {
	for _, c := range pinvCases() {
		t.Run(c.name, func(t *testing.T) { checkCase(t, c, "pinv") })
	}
}

// TestPinvNormalForm pins the constructor's identities.
func TestPinvNormalForm(t *testing.T) {
	n := expr.Named("n")
	X := expr.MatrixSymbol("X", expr.Int(5), expr.Int(3), 0)
	V := expr.MatrixSymbol("V", n, n, expr.Invertible)
	must := func(e expr.Node, err error) expr.Node {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	P := must(expr.Pinv(X))
	L := must(expr.Sub(expr.Eye(expr.Int(5)), must(expr.Mul(X, P))))
	R := must(expr.Sub(expr.Eye(expr.Int(3)), must(expr.Mul(P, X))))
	for _, c := range []struct {
		got  expr.Node
		want string
	}{
		{must(expr.Pinv(X)), "pinv(X)"},
		{must(expr.Pinv(must(expr.Pinv(X)))), "X"},
		{must(expr.Pinv(T(X))), "pinv(X)'"},
		{must(expr.Pinv(V)), "inv(V)"},
		{must(expr.Pinv(expr.Scale(big.NewRat(2, 1), X))), "1/2*pinv(X)"},
		{must(expr.Pinv(expr.Eye(n))), "eye(n)"},
		{must(expr.Mul(X, must(expr.Pinv(X)), X)), "X"},
		{must(expr.Mul(must(expr.Pinv(X)), X, must(expr.Pinv(X)))), "pinv(X)"},
		{T(must(expr.Mul(X, must(expr.Pinv(X))))), "X*pinv(X)"},
		{T(must(expr.Mul(must(expr.Pinv(X)), X))), "pinv(X)*X"},
		// The complements L = I − XX⁺ and R = I − X⁺X vanish next to X.
		{must(expr.Mul(L, X)), "zeros(5, 3)"},
		{must(expr.Mul(P, L)), "zeros(3, 5)"},
		{must(expr.Mul(T(X), L)), "zeros(3, 5)"},
		{must(expr.Mul(L, T(P))), "zeros(5, 3)"},
		{must(expr.Mul(X, R)), "zeros(5, 3)"},
		{must(expr.Mul(R, P)), "zeros(3, 5)"},
		{must(expr.Mul(R, T(X))), "zeros(3, 5)"},
		{must(expr.Mul(T(P), R)), "zeros(5, 3)"},
		{must(expr.Mul(L, L)), "eye(5) - X*pinv(X)"},
		{must(expr.Mul(R, R, R)), "eye(3) - pinv(X)*X"},
		{must(expr.Mul(R, expr.MatrixSymbol("A", expr.Int(3), expr.Int(3), 0))), "(eye(3) - pinv(X)*X)*A"},
	} {
		if c.got.String() != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
	if s := must(expr.Pinv(X)).Shape().String(); s != "3×5" {
		t.Errorf("shape of pinv(X) = %s, want 3×5", s)
	}
	if l := T(must(expr.Pinv(X))).LaTeX(); l != "X^{+T}" {
		t.Errorf("LaTeX of pinv(X)' = %s, want X^{+T}", l)
	}
}
