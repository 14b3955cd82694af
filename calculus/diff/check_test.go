package diff

import (
	"go/parser"
	"go/token"
	"os/exec"
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus/expr"
)

func TestCheckGrad(t *testing.T) {
	tests := []struct {
		name     string
		f        func(w *world, k *builder) expr.Node
		wrt      func(w *world) *expr.Symbol
		answer   func(w *world, k *builder) expr.Node
		correct  bool
		symbolic bool
		hint     string
	}{
		{"right, other order", func(w *world, k *builder) expr.Node { return k.mul(T(w.x), w.A, w.x) }, func(w *world) *expr.Symbol { return w.x },
			func(w *world, k *builder) expr.Node { return k.add(k.mul(T(w.A), w.x), k.mul(w.A, w.x)) }, true, true, ""},
		{"right only numerically", func(w *world, k *builder) expr.Node { return k.det(w.X) }, func(w *world) *expr.Symbol { return w.X },
			func(w *world, k *builder) expr.Node { return k.mul(k.det(T(w.X)), T(k.inv(w.X))) }, true, true, ""},
		{"missing the A' term", func(w *world, k *builder) expr.Node { return k.mul(T(w.x), w.A, w.x) }, func(w *world) *expr.Symbol { return w.x },
			func(w *world, k *builder) expr.Node { return k.mul(w.A, w.x) }, false, false, "missing the term A'*x"},
		{"right for symmetric A only", func(w *world, k *builder) expr.Node { return k.mul(T(w.x), w.A, w.x) }, func(w *world) *expr.Symbol { return w.x },
			func(w *world, k *builder) expr.Node { return k.mul(k.num(2), w.A, w.x) }, false, false, "right for symmetric A only"},
		{"transpose of the gradient", func(w *world, k *builder) expr.Node { return k.tr(k.mul(w.A, w.X)) }, func(w *world) *expr.Symbol { return w.X },
			func(w *world, k *builder) expr.Node { return w.A }, false, false, "this is the transpose of the gradient"},
		{"erratum 32 as printed", func(w *world, k *builder) expr.Node { return k.mul(T(w.a), w.X, w.A, w.X, w.a) }, func(w *world) *expr.Symbol { return w.X },
			func(w *world, k *builder) expr.Node {
				return k.add(k.mul(w.a, T(w.a), T(w.X), T(w.A)), k.mul(T(w.A), w.X, w.a, T(w.a)))
			}, false, false, "the term A'*X*a*a' should be A'*X'*a*a'"},
		{"sign", func(w *world, k *builder) expr.Node { return k.logdet(w.X) }, func(w *world) *expr.Symbol { return w.X },
			func(w *world, k *builder) expr.Node { return expr.Neg(T(k.inv(w.X))) }, false, false, "the sign is wrong"},
		{"factor", func(w *world, k *builder) expr.Node { return k.mul(T(w.x), w.x) }, func(w *world) *expr.Symbol { return w.x },
			func(w *world, k *builder) expr.Node { return w.x }, false, false, "off by a factor: the gradient is 2 times this answer"},
		{"blank answer", func(w *world, k *builder) expr.Node { return k.pow(k.norm(k.sub(k.mul(w.Amn, w.x), w.bm)), 2) }, func(w *world) *expr.Symbol { return w.x },
			func(w *world, k *builder) expr.Node { return expr.ZerosOf(w.x.Shape()) }, false, false, "the answer is 0, but f depends on x"},
		{"one term's sign", func(w *world, k *builder) expr.Node { return k.pow(k.norm(k.sub(k.mul(w.Amn, w.x), w.bm)), 2) }, func(w *world) *expr.Symbol { return w.x },
			func(w *world, k *builder) expr.Node { return k.mul(k.num(2), T(w.Amn), k.add(k.mul(w.Amn, w.x), w.bm)) }, false, false, "the term 2*A'*b should be -2*A'*b"},
		{"shape", func(w *world, k *builder) expr.Node { return k.mul(T(w.a), w.x) }, func(w *world) *expr.Symbol { return w.x },
			func(w *world, k *builder) expr.Node { return T(w.a) }, false, false, "this is the transpose of the gradient"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, k := newWorld(), &builder{}
			f, ans := tt.f(w, k), tt.answer(w, k)
			if k.err != nil {
				t.Fatal(k.err)
			}
			v, err := CheckGrad(f, tt.wrt(w), ans, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if v.Correct != tt.correct || v.Symbolic != tt.symbolic {
				t.Errorf("correct, symbolic = %v, %v; want %v, %v\n%s", v.Correct, v.Symbolic, tt.correct, tt.symbolic, v.Plain())
			}
			if !strings.HasPrefix(v.Hint, tt.hint) || (tt.hint == "" && v.Hint != "") {
				t.Errorf("hint = %q, want %q", v.Hint, tt.hint)
			}
			if v.Plain() == "" || v.LaTeX() == "" {
				t.Error("empty rendering")
			}
			for _, p := range mathjaxProblems(v.LaTeX()) {
				t.Errorf("verdict LaTeX: %s", p)
			}
		})
	}
}

func TestCheckDifferential(t *testing.T) {
	w, k := newWorld(), &builder{}
	f := k.mpow(w.X, 2)
	dX := expr.D(w.X)
	right := k.add(k.mul(dX, w.X), k.mul(w.X, dX))
	wrong := k.mul(k.num(2), w.X, dX)
	if k.err != nil {
		t.Fatal(k.err)
	}
	v, err := CheckDifferential(f, []*expr.Symbol{w.X}, right, Options{})
	if err != nil || !v.Correct || !v.Symbolic {
		t.Fatalf("d(X^2) = dX*X + X*dX judged %+v, %v", v, err)
	}
	v, err = CheckDifferential(f, []*expr.Symbol{w.X}, wrong, Options{})
	if err != nil || v.Correct || !strings.Contains(v.Hint, "do not commute") {
		t.Fatalf("d(X^2) = 2*X*dX judged %+v, %v", v, err)
	}
	for _, p := range mathjaxProblems(v.LaTeX()) {
		t.Errorf("verdict LaTeX: %s", p)
	}
	v, err = CheckDifferential(f, []*expr.Symbol{w.X}, expr.ZerosOf(w.X.Shape()), Options{})
	if err != nil || v.Correct || v.Hint != "the answer is 0, but f depends on X" {
		t.Fatalf("d(X^2) = 0 judged %+v, %v", v, err)
	}
}

func TestComponents(t *testing.T) {
	w, k := newWorld(), &builder{}
	f := k.mul(T(w.x), w.A, w.x)
	if k.err != nil {
		t.Fatal(k.err)
	}
	d, err := Components(f, w.x, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := "[2*A11*x1 + A12*x2 + A21*x2; A12*x1 + A21*x1 + 2*A22*x2]"
	if got := d.Result.String(); got != want {
		t.Errorf("components = %s, want %s", got, want)
	}
	if last := d.Steps()[len(d.Steps())-1]; !strings.HasPrefix(last.Note, "the same as") {
		t.Errorf("components disagree with the matrix formula: %s", last.Note)
	}
	if _, err := Components(f, w.x, 99); err == nil {
		t.Error("components with n = 99 accepted")
	}
	// tr(A'X) for a matrix X: the gradient is A.
	g := k.tr(k.mul(T(w.A), w.X))
	d, err = Components(g, w.X, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Result.String(); got != "[A11, A12; A21, A22]" {
		t.Errorf("components of tr(A'X) = %s", got)
	}
}

func TestCode(t *testing.T) {
	w, k := newWorld(), &builder{}
	f := k.add(k.pow(k.norm(k.sub(k.mul(w.Amn, w.x), w.bm)), 2), k.f("log", k.det(w.X)), k.sum(k.f("sigmoid", w.x)))
	if k.err != nil {
		t.Fatal(k.err)
	}
	d, err := Grad(f, w.x, Options{})
	if err != nil {
		t.Fatal(err)
	}
	py, err := Code(d, "numpy")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"def f(A, X, b, x):", "assert A.shape == (m, n)", "return value.item(), gradient"} {
		if !strings.Contains(py, want) {
			t.Errorf("numpy code lacks %q:\n%s", want, py)
		}
	}
	if _, err := exec.LookPath(python); err == nil {
		cmd := exec.Command(python, "-c", "import ast, sys; ast.parse(sys.stdin.read())")
		cmd.Stdin = strings.NewReader(py)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("numpy code does not parse: %v\n%s\n%s", err, out, py)
		}
	}
	src, err := Code(d, "gonum")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "f.go", src, 0); err != nil {
		t.Errorf("gonum code does not parse: %v\n%s", err, src)
	}
	if _, err := Code(d, "julia"); err == nil {
		t.Error("code(g, julia) accepted")
	}
	dd, err := Differential(f, []*expr.Symbol{w.x}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CodeExpr("df", dd.Result, "numpy"); err == nil {
		t.Error("code of a differential accepted")
	}
}

func TestCheckSymbolicScalars(t *testing.T) {
	w, k := newWorld(), &builder{}
	// d(x'Ax) written with the transposed scalar: dx'A x = x'A'dx.
	f := k.mul(T(w.x), w.A, w.x)
	dx := expr.D(w.x)
	answer := k.add(k.mul(T(w.x), T(w.A), dx), k.mul(T(w.x), w.A, dx))
	g := k.tr(k.mul(w.A, w.X, w.B))
	dX := expr.D(w.X)
	rotated := k.tr(k.mul(w.B, w.A, dX))
	if k.err != nil {
		t.Fatal(k.err)
	}
	v, err := CheckDifferential(f, []*expr.Symbol{w.x}, answer, Options{})
	if err != nil || !v.Correct || !v.Symbolic {
		t.Errorf("x'A'dx + x'A dx judged %+v, %v", v, err)
	}
	v, err = CheckDifferential(g, []*expr.Symbol{w.X}, rotated, Options{})
	if err != nil || !v.Correct || !v.Symbolic {
		t.Errorf("tr(B A dX) judged %+v, %v", v, err)
	}
}
