package expr

import (
	"errors"
	"math/big"
	"strings"
	"testing"
)

type fixture struct {
	n, m                    Dim
	A, B, S, X, Q, Amn, Bnm *Symbol
	x, a, b, bm             *Symbol
	c                       *Symbol
}

func newFixture() fixture {
	n, m := Named("n"), Named("m")
	return fixture{
		n: n, m: m,
		A:   MatrixSymbol("A", n, n, 0),
		B:   MatrixSymbol("B", n, n, 0),
		S:   MatrixSymbol("S", n, n, Symmetric),
		X:   MatrixSymbol("X", n, n, Invertible),
		Q:   MatrixSymbol("Q", n, n, Orthogonal),
		Amn: MatrixSymbol("A", m, n, 0),
		Bnm: MatrixSymbol("B", n, m, 0),
		x:   VectorSymbol("x", n),
		a:   VectorSymbol("a", n),
		b:   VectorSymbol("b", n),
		bm:  VectorSymbol("b", m),
		c:   ScalarSymbol("c"),
	}
}

func must(t *testing.T) func(Node, error) Node {
	return func(n Node, err error) Node {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
}

func TestRender(t *testing.T) {
	f := newFixture()
	m := must(t)
	tests := []struct {
		name         string
		node         func() Node
		plain, latex string
		shape        string
	}{
		{"quadratic form", func() Node { return m(Mul(T(f.x), f.A, f.x)) }, "x'*A*x", "x^{T} A x", "1×1"},
		{"transpose of scalar pushes in", func() Node { return T(m(Mul(T(f.x), f.A, f.x))) }, "x'*A'*x", "x^{T} A^{T} x", "1×1"},
		{"sum sorted", func() Node { return m(Add(T(f.A), f.A)) }, "A + A'", "A + A^{T}", "n×n"},
		{"factor of a sum", func() Node { return m(Mul(m(Add(f.A, T(f.A))), f.x)) }, "(A + A')*x", `\left(A + A^{T}\right) x`, "n×1"},
		{"least squares gradient", func() Node { return m(Mul(IntConst(2), T(f.Amn), m(Sub(m(Mul(f.Amn, f.x)), f.bm)))) },
			"2*A'*(A*x - b)", `2 A^{T} \left(A x - b\right)`, "n×1"},
		{"transposed sum alone", func() Node { return T(m(Sub(m(Mul(f.Amn, f.x)), f.bm))) }, "x'*A' - b'", `x^{T} A^{T} - b^{T}`, "1×m"},
		{"transposed sum in a product", func() Node { return m(Mul(T(m(Sub(m(Mul(f.Amn, f.x)), f.bm))), f.Amn)) }, "(A*x - b)'*A", `\left(A x - b\right)^{T} A`, "1×n"},
		{"hadamard takes scalars out", func() Node { return m(Hadamard(m(Div(OnesOf(f.x.Shape()), f.c)), m(Apply("exp", f.x)))) }, "exp(x)/c", `\frac{\exp(x)}{c}`, "n×1"},
		{"exp of a scalar is e^", func() Node { return m(Apply("exp", m(Mul(IntConst(-5), f.c)))) }, "exp(-5*c)", `{\rm e}^{-5 c}`, "1×1"},
		{"exp of a quadratic form", func() Node { return m(Mul(m(Apply("exp", Neg(m(Mul(T(f.x), f.A, f.x))))), f.x)) },
			"exp(-x'*A*x)*x", `{\rm e}^{-x^{T} A x} x`, "n×1"},
		{"power of e^ is bracketed", func() Node { return m(ElemPow(m(Apply("exp", f.c)), big.NewRat(2, 1))) }, "exp(c)^2", `\left({\rm e}^{c}\right)^{2}`, "1×1"},
		{"det gradient", func() Node { return m(Mul(m(Det(f.X)), T(m(Inv(f.X))))) }, "det(X)*inv(X)'", `\det(X) X^{-T}`, "n×n"},
		{"X inv(X) is I", func() Node { return m(Mul(f.X, m(Inv(f.X)))) }, "eye(n)", "I", "n×n"},
		{"symmetric absorbs transpose", func() Node { return T(f.S) }, "S", "S", "n×n"},
		{"orthogonal inverse", func() Node { return m(Inv(f.Q)) }, "Q'", "Q^{T}", "n×n"},
		{"orthogonal Q'Q", func() Node { return m(Mul(T(f.Q), f.Q)) }, "eye(n)", "I", "n×n"},
		{"quotient by a scalar", func() Node {
			return m(Div(m(Mul(m(Add(f.A, T(f.A))), f.x)), m(Mul(T(f.x), f.A, f.x))))
		}, "(A + A')*x/(x'*A*x)", `\frac{\left(A + A^{T}\right) x}{x^{T} A x}`, "n×1"},
		{"norm", func() Node { return m(Norm(m(Sub(m(Mul(f.Amn, f.x)), f.bm)))) }, "norm(A*x - b)", `\left\|A x - b\right\|`, "1×1"},
		{"norm squared", func() Node { return m(ElemPow(m(Norm(m(Sub(m(Mul(f.Amn, f.x)), f.bm)))), big.NewRat(2, 1))) },
			"norm(A*x - b)^2", `\left\|A x - b\right\|^{2}`, "1×1"},
		{"norm of a vector", func() Node { return m(Norm(f.x)) }, "norm(x)", `\left\|x\right\|`, "1×1"},
		{"elementwise function", func() Node { return m(Apply("exp", f.x)) }, "exp(x)", `\exp(x)`, "n×1"},
		{"sigmoid", func() Node { return m(Apply("sigmoid", f.x)) }, "sigmoid(x)", `\sigma(x)`, "n×1"},
		{"elementwise quotient", func() Node { return m(HadamardDiv(f.x, f.a)) }, "x ./ a", `x \oslash a`, "n×1"},
		{"hadamard square", func() Node { return m(Hadamard(f.x, f.x)) }, "x.^2", `x^{\circ 2}`, "n×1"},
		{"erratum 32 answer", func() Node { return m(Mul(f.a, T(f.a), T(f.X), T(f.A))) }, "a*a'*X'*A'", `a a^{T} X^{T} A^{T}`, "n×n"},
		{"inverse of a product stays whole", func() Node {
			return T(m(Inv(m(Mul(f.Amn, m(Inv(f.X)), f.Bnm)))))
		}, "inv(A*inv(X)*B)'", `\left(A X^{-1} B\right)^{-T}`, "m×m"},
		{"inverse of transposed product", func() Node {
			return m(Inv(T(m(Mul(f.Amn, m(Inv(f.X)), f.Bnm)))))
		}, "inv(A*inv(X)*B)'", `\left(A X^{-1} B\right)^{-T}`, "m×m"},
		{"trace", func() Node { return m(Tr(m(Mul(f.A, T(f.X), f.X)))) }, "tr(A*X'*X)", `\operatorname{tr}(A X^{T} X)`, "1×1"},
		{"trace is linear", func() Node { return m(Tr(m(Add(f.A, m(Mul(IntConst(3), f.B)))))) }, "tr(A) + 3*tr(B)", `\operatorname{tr}(A) + 3 \operatorname{tr}(B)`, "1×1"},
		{"trace of transpose", func() Node { return m(Tr(T(f.A))) }, "tr(A)", `\operatorname{tr}(A)`, "1×1"},
		{"jacobian of x x'x", func() Node {
			return m(Add(m(Mul(m(Mul(T(f.x), f.x)), Eye(f.n))), m(Mul(IntConst(2), f.x, T(f.x)))))
		}, "(x'*x)*eye(n) + 2*x*x'", `\left(x^{T} x\right) I + 2 x x^{T}`, "n×n"},
		{"literal", func() Node {
			return m(Matrix([][]Node{{IntConst(1), RatConst(1, 2)}, {f.c, Neg(f.c)}}))
		}, "[1, 1/2; c, -c]", `\begin{bmatrix}1 & \frac{1}{2} \\ c & -c\end{bmatrix}`, "2×2"},
		{"scalar plus vector broadcasts", func() Node { return m(Add(f.c, f.x)) }, "c*ones(n, 1) + x", `c {\bf 1}_{n\times 1} + x`, "n×1"},
		{"power merge", func() Node { return m(Mul(f.X, f.X, f.X)) }, "X^3", "X^{3}", "n×n"},
		{"negative power", func() Node { return T(m(Pow(f.X, -2))) }, "inv(X^2)'", `\left(X^{2}\right)^{-T}`, "n×n"},
		{"power cancels", func() Node { return m(Mul(m(Pow(f.X, 3)), m(Inv(f.X)))) }, "X^2", "X^{2}", "n×n"},
		{"like terms", func() Node {
			return m(Add(m(Mul(f.A, f.x)), m(Mul(IntConst(2), f.A, f.x)), Neg(f.b)))
		}, "3*A*x - b", "3 A x - b", "n×1"},
		{"constants fold", func() Node { return m(Add(IntConst(2), RatConst(1, 3), f.c)) }, "c + 7/3", `c + \frac{7}{3}`, "1×1"},
		{"scalar factors in front", func() Node { return m(Mul(f.A, f.c, f.x, f.c)) }, "c^2*A*x", "c^{2} A x", "n×1"},
		{"scalar cancels", func() Node { return m(Mul(f.c, f.A, m(Div(f.x, f.c)))) }, "A*x", "A x", "n×1"},
		{"det of inverse", func() Node { return m(Det(m(Inv(f.X)))) }, "1/det(X)", `\frac{1}{\det(X)}`, "1×1"},
		{"logdet of inverse", func() Node { return m(LogDet(m(Inv(f.X)))) }, "-logdet(X)", `-\log\det(X)`, "1×1"},
		{"differential", func() Node { return m(Mul(T(D(f.x)), f.A, DN(f.x, 2))) }, "dx'*A*dx2", `{\rm d}x^{T}\, A\, {\rm d}x_{2}`, "1×1"},
		{"kron", func() Node { return m(Kron(f.A, f.Amn)) }, "kron(A, A)", `A \otimes A`, "m*n×n*n"},
		{"vec", func() Node { return m(Vec(f.Amn)) }, "vec(A)", `\operatorname{vec}(A)`, "m*n×1"},
		{"diag both ways", func() Node { return m(Diag(m(Diag(f.x)))) }, "x", "x", "n×1"},
		{"sum of entries", func() Node { return m(SumEntries(m(Apply("exp", f.x)))) }, "sum(exp(x))", `\operatorname{sum}(\exp(x))`, "1×1"},
		{"greek and index names", func() Node { return m(Mul(ScalarSymbol("lambda"), MatrixSymbol("A1", f.n, f.n, 0))) }, "lambda*A1", `\lambda A_{1}`, "n×n"},
		{"scalar power", func() Node { return m(Pow(m(Mul(T(f.x), f.x)), 2)) }, "(x'*x)^2", `\left(x^{T} x\right)^{2}`, "1×1"},
		{"negative scaled", func() Node { return Neg(m(Mul(m(Inv(f.X)), D(f.X), m(Inv(f.X))))) }, "-inv(X)*dX*inv(X)", `-X^{-1}\, {\rm d}X\, X^{-1}`, "n×n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.node()
			if got := n.String(); got != tt.plain {
				t.Errorf("plain = %q, want %q", got, tt.plain)
			}
			if got := n.LaTeX(); got != tt.latex {
				t.Errorf("latex = %q, want %q", got, tt.latex)
			}
			if got := n.Shape().String(); got != tt.shape {
				t.Errorf("shape = %s, want %s", got, tt.shape)
			}
		})
	}
}

func TestShapeErrors(t *testing.T) {
	f := newFixture()
	tests := []struct {
		name string
		do   func() (Node, error)
		want string
	}{
		{"multiply", func() (Node, error) { return Mul(f.Amn, f.bm) }, "cannot multiply A (m×n) by b (m×1): inner dimensions n and m differ"},
		{"add", func() (Node, error) { return Add(f.A, f.Amn) }, "cannot add A (n×n) and A (m×n)"},
		{"inverse", func() (Node, error) { return Inv(f.Amn) }, "cannot invert A (m×n): only a square matrix has an inverse"},
		{"trace", func() (Node, error) { return Tr(f.x) }, "cannot take the trace of x (n×1): the trace needs a square matrix"},
		{"hadamard", func() (Node, error) { return Hadamard(f.x, f.bm) }, "cannot combine elementwise x (n×1) and b (m×1)"},
		{"divide", func() (Node, error) { return Div(f.A, f.x) }, "cannot divide by x (n×1): only a scalar divides (use ./ for elementwise division)"},
		{"unknown function", func() (Node, error) { return Apply("erf", f.x) }, `unknown elementwise function "erf"`},
		{"ragged literal", func() (Node, error) { return Matrix([][]Node{{f.c, f.c}, {f.c}}) }, "row 2 of the matrix has 1 entries, row 1 has 2"},
		{"power range", func() (Node, error) { return Pow(f.A, 1<<20) }, "power 1048576 is out of range (at most 4096)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.do()
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q, want %q", err, tt.want)
			}
		})
	}
	var se *ShapeError
	if _, err := Mul(f.Amn, f.bm); !errors.As(err, &se) || se.LeftShape.String() != "m×n" {
		t.Errorf("Mul error is not a *ShapeError with the left shape: %v", err)
	}
}

func TestEqualForms(t *testing.T) {
	f := newFixture()
	m := must(t)
	tests := []struct {
		name string
		a, b func() Node
	}{
		{"(AB)' = B'A'", func() Node { return T(m(Mul(f.A, f.B))) }, func() Node { return m(Mul(T(f.B), T(f.A))) }},
		{"A'' = A", func() Node { return T(T(f.A)) }, func() Node { return f.A }},
		{"sum commutes", func() Node { return m(Add(f.A, f.B)) }, func() Node { return m(Add(f.B, f.A)) }},
		{"(A+B)' = A'+B'", func() Node { return T(m(Add(f.A, f.B))) }, func() Node { return m(Add(T(f.B), T(f.A))) }},
		{"scalars commute", func() Node { return m(Mul(f.c, f.A, m(Tr(f.B)))) }, func() Node { return m(Mul(m(Tr(f.B)), f.A, f.c)) }},
		{"flattening", func() Node { return m(Mul(m(Mul(f.A, f.B)), f.X)) }, func() Node { return m(Mul(f.A, m(Mul(f.B, f.X)))) }},
		{"inv inv", func() Node { return m(Inv(m(Inv(f.X)))) }, func() Node { return f.X }},
		{"inv transpose", func() Node { return m(Inv(T(f.X))) }, func() Node { return T(m(Inv(f.X))) }},
		{"x - x = 0", func() Node { return m(Sub(f.x, f.x)) }, func() Node { return ZerosOf(f.x.Shape()) }},
		{"2A/2", func() Node { return m(Div(m(Mul(IntConst(2), f.A)), IntConst(2))) }, func() Node { return f.A }},
		{"expand", func() Node { return m(Expand(m(Mul(m(Add(f.A, f.B)), f.x)), 100)) }, func() Node { return m(Add(m(Mul(f.A, f.x)), m(Mul(f.B, f.x)))) }},
		{"substitute", func() Node { return m(Substitute(m(Mul(f.A, f.x)), map[string]Node{"A": f.S})) }, func() Node { return m(Mul(f.S, f.x)) }},
		{"rebuild", func() Node { p := m(Mul(f.A, f.x)); return m(Rebuild(p, []Node{f.B, f.x})) }, func() Node { return m(Mul(f.B, f.x)) }},
		{"tr(I_3) = 3", func() Node { return m(Tr(Eye(Int(3)))) }, func() Node { return IntConst(3) }},
		{"tr(c*I_3) = 3c", func() Node { return m(Tr(m(Mul(f.c, Eye(Int(3)))))) }, func() Node { return m(Mul(IntConst(3), f.c)) }},
		{"tr(s) = s", func() Node { return m(Tr(m(Mul(T(f.x), f.A, f.x)))) }, func() Node { return m(Mul(T(f.x), f.A, f.x)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := tt.a(), tt.b()
			if !Equal(a, b) {
				t.Errorf("%s (%s) ≠ %s (%s)", a, a.Key(), b, b.Key())
			}
		})
	}
}

func TestDepthGuard(t *testing.T) {
	f := newFixture()
	var n Node = f.x
	var err error
	for i := 0; i < MaxDepth+10 && err == nil; i++ {
		n, err = Apply("exp", n)
	}
	if err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Fatalf("no depth error after %d levels: %v", MaxDepth+10, err)
	}
}

func TestDim(t *testing.T) {
	m, n := Named("m"), Named("n")
	if got := n.Mul(m).Mul(Int(2)).String(); got != "2*m*n" {
		t.Errorf("2·n·m = %s", got)
	}
	if n.Mul(m) != m.Mul(n) {
		t.Error("dimension product does not commute")
	}
	v, err := n.Mul(m).Eval(func(s string) (int, bool) { return map[string]int{"m": 2, "n": 3}[s], true })
	if err != nil || v != 6 {
		t.Errorf("eval = %d, %v", v, err)
	}
	if _, err := n.Eval(func(string) (int, bool) { return 0, false }); err == nil {
		t.Error("unbound dimension evaluated")
	}
}

func BenchmarkBuildRender(b *testing.B) {
	f := newFixture()
	for i := 0; i < b.N; i++ {
		r, _ := Sub(mustB(Mul(f.Amn, f.x)), f.bm)
		g, _ := Mul(IntConst(2), T(f.Amn), r)
		_ = g.String()
		_ = g.LaTeX()
	}
}

func mustB(n Node, err error) Node {
	if err != nil {
		panic(err)
	}
	return n
}

func TestNilOperands(t *testing.T) {
	x := VectorSymbol("x", Named("n"))
	if T(nil) != nil || Scale(big.NewRat(2, 1), nil) != nil {
		t.Error("T(nil) or Scale(nil) is not nil")
	}
	for name, do := range map[string]func() (Node, error){
		"Add": func() (Node, error) { return Add(x, nil) },
		"Mul": func() (Node, error) { return Mul(nil, x) },
		"Inv": func() (Node, error) { return Inv(nil) },
		"Tr":  func() (Node, error) { return Tr(nil) },
		"Combine": func() (Node, error) {
			return Combine(Term{nil, x})
		},
	} {
		if _, err := do(); err == nil {
			t.Errorf("%s accepted a nil operand", name)
		}
	}
	if Size(nil) != 0 {
		t.Error("Size(nil) != 0")
	}
}

// TestRenderInOrder: the terms of a sum come in the order asked, the
// others after them, negative terms after positive ones; nested sums
// and non-sums are written as String and LaTeX write them.
func TestRenderInOrder(t *testing.T) {
	f := newFixture()
	m := must(t)
	ax, bx := m(Mul(f.A, f.x)), m(Mul(f.B, f.x))
	tests := []struct {
		name         string
		n            Node
		keys         []string
		plain, latex string
	}{
		{"asked order", m(Add(ax, bx, f.a)), []string{bx.Key(), f.a.Key(), ax.Key()}, "B*x + a + A*x", `B x + a + A x`},
		{"others after", m(Add(ax, bx, f.a)), []string{bx.Key()}, "B*x + A*x + a", `B x + A x + a`},
		{"negative last", m(Sub(m(Add(ax, f.a)), bx)), []string{bx.Key(), f.a.Key()}, "a + A*x - B*x", `a + A x - B x`},
		{"no keys", m(Add(ax, bx)), nil, m(Add(ax, bx)).String(), m(Add(ax, bx)).LaTeX()},
		{"not a sum", ax, []string{ax.Key()}, "A*x", "A x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, l := RenderInOrder(tt.n, tt.keys)
			if p != tt.plain || l != tt.latex {
				t.Errorf("RenderInOrder(%s) = %q, %q; want %q, %q", tt.n, p, l, tt.plain, tt.latex)
			}
		})
	}
}
