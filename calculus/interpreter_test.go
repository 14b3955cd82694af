package calculus

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/matcalc/matcalc/calculus/syntax"
)

// decls is a setup cell shared by many tests: the language's example.
const decls = `n = 3
A : matrix(m, n)
x : vector(n)
b : vector(m)
c : scalar
S : matrix(n, n) symmetric
X : matrix(n, n) invertible`

const values = `A = [1 2 3; 4 5 6]
x = [1; 2; 3]
b = [1; 1]
c = 2`

type execCase struct {
	name  string
	setup []string
	src   string
	want  string // the plain outputs joined by "\n", when no error
	err   string // "Kind line:col: msg", when an error is expected
}

func runCase(t *testing.T, tc execCase) {
	t.Helper()
	in := New()
	ctx := context.Background()
	for _, s := range tc.setup {
		if _, err := in.Exec(ctx, s); err != nil {
			t.Fatalf("%s: setup %q: %v", tc.name, s, err)
		}
	}
	outs, err := in.Exec(ctx, tc.src)
	var plains []string
	for _, o := range outs {
		plains = append(plains, o.Plain)
	}
	got := strings.Join(plains, "\n")
	if tc.err != "" {
		var ce *Error
		if !errors.As(err, &ce) {
			t.Errorf("%s: %q: got %q, %v; want error %s", tc.name, tc.src, got, err, tc.err)
			return
		}
		if g := ce.Kind.String() + " " + ce.Error(); g != tc.err {
			t.Errorf("%s: %q:\n got error %s\nwant error %s", tc.name, tc.src, g, tc.err)
		}
		if ce.Source != lineOf(tc.src, ce.Line) {
			t.Errorf("%s: error source %q, want line %d of the cell", tc.name, ce.Source, ce.Line)
		}
		return
	}
	if err != nil {
		t.Errorf("%s: %q: unexpected error %v", tc.name, tc.src, err)
		return
	}
	if got != tc.want {
		t.Errorf("%s: %q:\n got %q\nwant %q", tc.name, tc.src, got, tc.want)
	}
}

func lineOf(src string, n int) string {
	lines := strings.Split(src, "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}

// The cell cases with exact outputs and errors are data:
// testdata/cells/*.txtar, run by TestCells.

func TestExecOutputsBeforeError(t *testing.T) {
	in := New()
	outs, err := in.Exec(context.Background(), "1 + 1\n[1 2]\nq")
	if err == nil || len(outs) != 2 || outs[0].Plain != "2" || outs[1].Plain != "[1, 2]" || outs[0].Kind != Value {
		t.Fatalf("got %v, %v", outs, err)
	}
}

func TestExecCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New().Exec(ctx, "1 + 1")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

// TestComponentsAndCode runs components and code through package diff;
// only the shape of the answers is pinned.
func TestComponentsAndCode(t *testing.T) {
	tests := []struct{ src, want string }{
		{"components(x'*S*x, x, 2)", "x1"},
		{"code(grad(x'*S*x, x), numpy)", "def "},
		{"g = grad(x'*S*x, x)\ncode(g, gonum)", "func "},
		{"code(x'*S*x, numpy)", "def "},
	}
	for _, tc := range tests {
		in := New()
		ctx := context.Background()
		if _, err := in.Exec(ctx, decls+"\nverify off"); err != nil {
			t.Fatal(err)
		}
		outs, err := in.Exec(ctx, tc.src)
		if err != nil || len(outs) == 0 {
			t.Errorf("%s: %v, %v", tc.src, outs, err)
			continue
		}
		var all []string
		for _, o := range outs {
			all = append(all, o.Plain)
		}
		if got := strings.Join(all, "\n"); !strings.Contains(got, tc.want) {
			t.Errorf("%s:\n%s\nlacks %q", tc.src, got, tc.want)
		}
	}
	_, err := New().Exec(context.Background(), "code(1, fortran)")
	var ce *Error
	if !errors.As(err, &ce) || ce.Msg != "code exports to numpy or gonum: write code(g, numpy)" {
		t.Errorf("code(1, fortran): %v", err)
	}
}

// TestPlainIsInput checks that the plain rendering of symbolic results
// reads back as the same expression.
func TestPlainIsInput(t *testing.T) {
	exprs := []string{
		"x'*S*x", "norm(A*x - b)^2", "inv(X)'", "tr(S^-1*X)", "log(det(X))",
		"exp(x) .* x", "sum(exp(x)) + c", "X^3 - 2*X", "<A*x, b>", "kron(X, S)",
		"[c, 1/3; 2*c, c^2]", "diag(x)", "vec(A)", "sigmoid(A*x)", "c*x/2",
		"cosh(x) - sinh(x)", "sinh(c)^2",
	}
	for _, e := range exprs {
		in := New()
		ctx := context.Background()
		if _, err := in.Exec(ctx, decls); err != nil {
			t.Fatal(err)
		}
		outs, err := in.Exec(ctx, "f = "+e+"\nf")
		if err != nil {
			t.Errorf("%s: %v", e, err)
			continue
		}
		first := outs[0].Plain
		outs, err = in.Exec(ctx, "g = "+first+"\ng")
		if err != nil {
			t.Errorf("%s: plain %q does not read back: %v", e, first, err)
			continue
		}
		if outs[0].Plain != first {
			t.Errorf("%s: plain %q reads back as %q", e, first, outs[0].Plain)
		}
	}
}

func TestIsCompleteAndNames(t *testing.T) {
	in := New()
	if st, ind := in.IsComplete("f(x,"); st != "incomplete" || ind != "    " {
		t.Errorf("IsComplete = %q, %q", st, ind)
	}
	if _, err := in.Exec(context.Background(), decls); err != nil {
		t.Fatal(err)
	}
	names := strings.Join(in.Names(), " ")
	for _, want := range []string{"A", "S", "m", "n", "grad", "tr", "layout", "symmetric"} {
		if !strings.Contains(" "+names+" ", " "+want+" ") {
			t.Errorf("Names() lacks %s: %s", want, names)
		}
	}
	if o, ok := in.Describe("S"); !ok || o.Plain != "S : matrix(n, n) symmetric\nshape n×n (3×3)\nno value" {
		t.Errorf("Describe(S) = %q, %v", o.Plain, ok)
	}
	for _, name := range []string{"n", "m", "grad", "tr", "layout", "I", "matrix", "spd"} {
		if o, ok := in.Describe(name); !ok || o.Plain == "" {
			t.Errorf("Describe(%s) = %q, %v", name, o.Plain, ok)
		}
	}
	if _, ok := in.Describe("nothing"); ok {
		t.Errorf("Describe(nothing) = true")
	}
	who := in.Who().Plain
	if !strings.Contains(who, "A : matrix(m, n)") || !strings.Contains(who, "dimensions: m (no value), n = 3") {
		t.Errorf("Who() = %q", who)
	}
	in.Reset()
	if got := in.Who().Plain; got != "nothing is declared" {
		t.Errorf("after Reset, Who() = %q", got)
	}
}

// TestCheck runs check(…) through package diff; its wording is diff's, so
// only the verdict and the hint are pinned here.
func TestCheck(t *testing.T) {
	tests := []struct {
		setup, src string
		want       []string
	}{
		{decls, "check(grad(x'*S*x, x) == 2*S*x)", []string{"✓ correct"}},
		{decls + "\nB : matrix(n, n)", "check(grad(tr(B*X), X) == B)", []string{"✗ wrong", "transpose"}},
		{decls + "\nB : matrix(n, n)", "check(grad(x'*B*x, x) == 2*B*x)", []string{"✗ wrong", "symmetric"}},
		{decls, "check(d(x'*x) == 2*x'*dx)", []string{"✓ correct"}},
		{decls, "check(d(det(X)) == det(X)*tr(X^-1*dX))", []string{"✓ correct"}},
		{decls, "check(hessian(x'*S*x, x) == 2*S)", []string{"✓ correct"}},
		{decls, "check(x'*S*x == (S*x)'*x)", []string{"✓ correct"}},
		{decls, "check(jacobian(A*x, x) == A')", []string{"✗"}},
		{decls, "check(det(2*X) == 8*det(X))", []string{"✓ correct", "on random values"}},
		{decls, "check(det(2*X) == 2*det(X))", []string{"✗ wrong", "for example at"}},
		{decls, "check(hessian(x'*S*x, x) == S)", []string{"✗ wrong", "the right answer is 2*S", "half"}},
		{decls, "check(d2(x'*S*x, x) == 2*dx2'*S*dx1)", []string{"✓ correct"}},
		{decls, "check(grad(tr(A*x*b'), A) == x*b')", []string{"✗ wrong", "transpose"}},
		// A counterexample honours a dimension the student bound.
		{"k = 4\nB : matrix(k, k)\ny : vector(k)", "check(grad(y'*B*y, y) == 2*B*y)", []string{"✗ wrong", "k = 4"}},
	}
	for _, tc := range tests {
		in := New()
		ctx := context.Background()
		if _, err := in.Exec(ctx, tc.setup); err != nil {
			t.Fatal(err)
		}
		outs, err := in.Exec(ctx, tc.src)
		if err != nil || len(outs) == 0 {
			t.Errorf("%s: %v, %v", tc.src, outs, err)
			continue
		}
		got := outs[len(outs)-1].Plain
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s:\n%s\nlacks %q", tc.src, got, w)
			}
		}
	}
}

// TestStaticCheckAgrees checks that the static shape check and the
// statement itself report a shape error with the same words, and that a
// cell with a shape error runs nothing.
func TestStaticCheckAgrees(t *testing.T) {
	for _, src := range []string{"A*b", "f = A*x + x", "x / A", "A^2", "<x, b>", "x'.*b", "(A*x)⁻¹", "c + x'*S*A"} {
		in := New()
		ctx := context.Background()
		if _, err := in.Exec(ctx, decls); err != nil {
			t.Fatal(err)
		}
		_, err := in.Exec(ctx, "y = [1 2]\n"+src)
		var ce *Error
		if !errors.As(err, &ce) || ce.Kind != ShapeError {
			t.Errorf("%s: got %v, want a ShapeError", src, err)
			continue
		}
		if _, ok := in.Describe("y"); ok {
			t.Errorf("%s: the statement before the shape error ran", src)
		}
		file, err := syntax.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		c := &cell{in: in, env: in.env, src: src, ctx: ctx}
		var x syntax.Expr
		switch st := file.Stmts[0].(type) {
		case *syntax.ExprStmt:
			x = st.X
		case *syntax.AssignStmt:
			x = st.Value
		}
		static := ce
		_, lerr := c.lower(x, nil)
		var le *Error
		if !errors.As(lerr, &le) || le.Msg != static.Msg || le.Col != static.Col {
			t.Errorf("%s: static check says %v, the statement says %v", src, static, lerr)
		}
	}
}

// TestODECommands runs the ODE commands through package ode; the
// wording of the steps is ode's, so only the results are pinned.
func TestODECommands(t *testing.T) {
	setup := "A = [3 -4; 4 -7]\nx0 = [1; 1]"
	tests := []struct {
		src  string
		want string // the last output's plain text, or a part of it
		svg  bool
	}{
		{"ode(A, x0)", "[1/3*exp(-5*t) + 2/3*exp(t); 2/3*exp(-5*t) + 1/3*exp(t)]", false},
		{"xs = ode(A, x0)\nxs", "[1/3*exp(-5*t) + 2/3*exp(t); 2/3*exp(-5*t) + 1/3*exp(t)]", false},
		{"E = expm(A*t)\nE", "[4/3*exp(t) - 1/3*exp(-5*t), 2/3*(exp(-5*t) - exp(t)); 2/3*(exp(t) - exp(-5*t)), 4/3*exp(-5*t) - 1/3*exp(t)]", false},
		{"putzer([1 1; 0 1])", "[exp(t), t*exp(t); 0, exp(t)]", false},
		{"expm([0 1; -1 0]*t)", "[cos(t), sin(t); -sin(t), cos(t)]", false},
		{"t : scalar\nexpm(A*t^2/2)*x0", "[4/3*exp(1/2*t^2) - 1/3*exp(-5/2*t^2), 2/3*(exp(-5/2*t^2) - exp(1/2*t^2)); 2/3*(exp(1/2*t^2) - exp(-5/2*t^2)), 4/3*exp(-5/2*t^2) - 1/3*exp(1/2*t^2)]*x0", false},
		{"t : scalar\ncheck(expm([2 1; 0 2]*t) == [exp(2*t), t*exp(2*t); 0, exp(2*t)])", "✓ correct", false},
		{"stability(A)", "unstable (saddle)", false},
		{"phase(A, x0)", "phase portrait", true},
		{"xs = ode(A, x0)\nplot(xs(t), t = 0..2)", "2 curve(s)", true},
		{"xs = ode(A, x0)\nxs(0)", "[1; 1]", false},
		{"E = expm(A*t)\nsol = E*x0\ncheck(jacobian(sol, t) == A*sol)", "✓ correct", false},
		{"E = expm(A*t)\nsol = E*x0\ncheck(jacobian(sol, t) == 2*A*sol)", "✗ wrong", false},
		{"xs = ode(A, x0)\nxs(2*t)", "2/3*exp(2*t)", false},
	}
	for _, tc := range tests {
		in := New()
		ctx := context.Background()
		if _, err := in.Exec(ctx, setup); err != nil {
			t.Fatal(err)
		}
		outs, err := in.Exec(ctx, tc.src)
		if err != nil || len(outs) == 0 {
			t.Errorf("%s: %v, %v", tc.src, outs, err)
			continue
		}
		last := outs[len(outs)-1]
		if !strings.Contains(last.Plain, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.src, last.Plain, tc.want)
		}
		if tc.svg != strings.HasPrefix(strings.TrimSpace(last.SVG), "<") {
			t.Errorf("%s: SVG %.60q", tc.src, last.SVG)
		}
		// Every plot comes as a PNG too, for front ends that do not show SVG.
		if tc.svg != bytes.HasPrefix(last.PNG, []byte("\x89PNG")) || tc.svg && (last.Width == 0 || last.Height == 0) {
			t.Errorf("%s: PNG %d bytes, %d×%d", tc.src, len(last.PNG), last.Width, last.Height)
		}
	}
}

// TestDerivationOutputs checks what a derivation command shows: the
// derivation (package diff's wording) as a Display, then the result as
// the Value, which binds when assigned.
func TestDerivationOutputs(t *testing.T) {
	in := New()
	ctx := context.Background()
	if _, err := in.Exec(ctx, decls+"\nverify off"); err != nil {
		t.Fatal(err)
	}
	outs, err := in.Exec(ctx, "grad(x'*S*x, x)")
	if err != nil || len(outs) != 2 || outs[0].Kind != Display || !strings.Contains(outs[0].Plain, "d(x'*S*x)") ||
		outs[1].Kind != Value || outs[1].Plain != "2*S*x" || outs[1].LaTeX != "2 S x" {
		t.Fatalf("grad: %#v, %v", outs, err)
	}
	outs, err = in.Exec(ctx, "g = grad(x'*S*x, x)\ng")
	if err != nil || len(outs) != 2 || outs[0].Kind != Display || outs[1].Plain != "2*S*x" {
		t.Fatalf("g = grad: %#v, %v", outs, err)
	}
	outs, err = in.Exec(ctx, "verify on\ngrad(x'*S*x, x)")
	if err != nil || len(outs) != 3 || !strings.Contains(outs[1].Plain, "✓") {
		t.Fatalf("verified grad: %#v, %v", outs, err)
	}
}

// TestRandReproducible checks that rand gives the same numbers in a new
// interpreter and after Reset.
func TestRandReproducible(t *testing.T) {
	ctx := context.Background()
	in := New()
	a, err := in.Exec(ctx, "rand(2)")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := in.Exec(ctx, "rand(2)")
	in.Reset()
	c, _ := in.Exec(ctx, "rand(2)")
	d, _ := New().Exec(ctx, "rand(2)")
	if a[0].Plain == b[0].Plain || a[0].Plain != c[0].Plain || a[0].Plain != d[0].Plain {
		t.Errorf("rand: %q, then %q; after Reset %q; new %q", a[0].Plain, b[0].Plain, c[0].Plain, d[0].Plain)
	}
}

// TestEvalChangesNothing checks Eval, which evaluates user_expressions:
// it shows the value of one expression, refuses statements that would
// bind or declare, and leaves the environment and the random numbers as
// they were.
func TestEvalChangesNothing(t *testing.T) {
	tests := []struct {
		src  string
		want string // the plain value, when no error
		err  string // "Kind line:col: msg", when an error is expected
	}{
		{src: "x", want: "x"},
		{src: "A*x + b", want: "A*x + b"},
		{src: "n + 1", want: "4"},
		{src: "rand(1)"},
		{src: "M = [1 2; 3 4]", err: "SyntaxError 1:1: expected an expression, not an assignment: an expression is evaluated and changes nothing"},
		{src: "n = 4", err: "SyntaxError 1:1: expected an expression, not an assignment: an expression is evaluated and changes nothing"},
		{src: "y : scalar", err: "SyntaxError 1:1: expected an expression, not a declaration: an expression is evaluated and changes nothing"},
		{src: "layout numerator", err: "SyntaxError 1:1: expected an expression, not a command: an expression is evaluated and changes nothing"},
		{src: "x\nb", err: "SyntaxError 2:1: expected one expression: an expression is evaluated, not run as a cell"},
		{src: "", err: "SyntaxError 1:1: expected an expression, found nothing"},
		{src: "xx", err: "NameError 1:1: unknown name xx: did you mean x?"},
		{src: "f(x", err: "SyntaxError 1:4: expected ')' to close '(' at 1:2, found end of input"},
		{src: "g = grad(x'*S*x, x)", err: "SyntaxError 1:1: expected an expression, not an assignment: an expression is evaluated and changes nothing"},
		{src: "grad(x'*S*x, x)", want: "2*S*x"},
		{src: "ode([1 0; 0 2], [1; 1])"},
	}
	ctx := context.Background()
	for _, tc := range tests {
		in := New()
		if _, err := in.Exec(ctx, decls); err != nil {
			t.Fatal(err)
		}
		before := in.Who().Plain
		o, err := in.Eval(ctx, tc.src)
		switch {
		case tc.err != "":
			var ce *Error
			if !errors.As(err, &ce) {
				t.Errorf("Eval(%q) = %q, %v; want error %s", tc.src, o.Plain, err, tc.err)
			} else if g := ce.Kind.String() + " " + ce.Error(); g != tc.err {
				t.Errorf("Eval(%q):\n got error %s\nwant error %s", tc.src, g, tc.err)
			}
		case err != nil:
			t.Errorf("Eval(%q): unexpected error %v", tc.src, err)
		case tc.want != "" && o.Plain != tc.want:
			t.Errorf("Eval(%q) = %q, want %q", tc.src, o.Plain, tc.want)
		}
		if after := in.Who().Plain; after != before {
			t.Errorf("Eval(%q) changed the environment:\n%s\nbecame\n%s", tc.src, before, after)
		}
		// The random numbers go on as if Eval had not run.
		got, _ := in.Exec(ctx, "rand(2)")
		want, _ := New().Exec(ctx, "rand(2)")
		if len(got) != 1 || len(want) != 1 || got[0].Plain != want[0].Plain {
			t.Errorf("Eval(%q) changed the random numbers: %v, want %v", tc.src, got, want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"abc", "", 3}, {"grad", "grad", 0},
		{"gard", "grad", 1}, {"ab", "ba", 1}, {"abc", "ca", 3}, {"kitten", "sitting", 3},
		{"𝐱y", "y𝐱", 1}, {"∇f", "∇g", 1},
	}
	for _, tc := range tests {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestClosest(t *testing.T) {
	tests := []struct {
		name  string
		cands []string
		want  string
	}{
		{"xx", []string{"X", "x"}, "x"},
		{"XX", []string{"X", "x"}, "X"},
		{"a", []string{"A", "b"}, "A"},
		{"y", []string{"x"}, ""},
		{"grd", []string{"grad", "gamma"}, "grad"},
		{"Detr", []string{"det", "tr"}, "det"},
		{"normm", []string{"norm", "Norm"}, "norm"},
		{"zzzzzz", []string{"x"}, ""},
		{"gard", []string{"grad", "gamma"}, "grad"},
		{"ivn", []string{"inv", "det"}, "inv"},
		{"lgodet", []string{"logdet"}, "logdet"},
	}
	for _, tc := range tests {
		if got := Closest(tc.name, tc.cands); got != tc.want {
			t.Errorf("Closest(%q, %q) = %q, want %q", tc.name, tc.cands, got, tc.want)
		}
	}
}

// TestWalkBothReadings checks that the numeric reading (eval) and the
// symbolic one (lower), which share walk, refuse the same forms with the
// same message.
func TestWalkBothReadings(t *testing.T) {
	tests := []struct{ src, err string }{
		{"x + norm(0..1)", "SyntaxError 1:10: a range lo..hi is only allowed in plot"},
		{"norm(k = x)", "SyntaxError 1:6: a named argument such as k = … is only allowed in plot"},
		{"-(x == x)", "SyntaxError 1:5: a comparison == is only allowed inside check(…)"},
		{"(x >= x)'", "SyntaxError 1:4: a comparison >= is only allowed inside check(…)"},
	}
	for _, tc := range tests {
		for _, setup := range []string{"x : vector(2)", "x : vector(2)\nx = [1; 2]"} {
			runCase(t, execCase{name: setup, setup: []string{setup}, src: tc.src, err: tc.err})
		}
	}
}

// TestEigComplex checks eig of real matrices with complex eigenvalues:
// they are diagonalizable over the complex numbers, and the numbers are
// written as a teacher would and as package ode does (i, 1 - i, 2*i, not
// 0 + 1i).
func TestEigComplex(t *testing.T) {
	tests := []struct {
		src   string
		want  []string // lines the plain output has
		never string   // text it must not have
		latex string   // text its LaTeX has
	}{
		{"eig([0 -1; 1 0])", []string{"eigenvalues: i, -i  # floating point", "lambda = i: v = [0.7071067812; -0.7071067812*i]  # floating point"}, "not diagonalizable", `v = \begin{bmatrix} 0.7071067812 \\ -0.7071067812\,i \end{bmatrix}`},
		{"eig([1 -1; 1 1])", []string{"eigenvalues: 1 + i, 1 - i  # floating point"}, "not diagonalizable", `\lambda = 1 + i:`},
		{"eig([0 -2; 2 0])", []string{"eigenvalues: 2*i, -2*i  # floating point"}, "0i", `\lambda = 2\,i:`},
		{"eig([1 1; 0 1])", []string{"eigenvalues: 1 (multiplicity 2)", "not diagonalizable: too few independent eigenvectors"}, "floating", `\text{not diagonalizable}`},
	}
	for _, tc := range tests {
		outs, err := New().Exec(context.Background(), tc.src)
		if err != nil || len(outs) != 1 {
			t.Errorf("%s: %v, %v", tc.src, outs, err)
			continue
		}
		lines := strings.Split(outs[0].Plain, "\n")
		for _, w := range tc.want {
			if !slices.Contains(lines, w) {
				t.Errorf("%s: no line %q in\n%s", tc.src, w, outs[0].Plain)
			}
		}
		if strings.Contains(outs[0].Plain, tc.never) {
			t.Errorf("%s: %q in\n%s", tc.src, tc.never, outs[0].Plain)
		}
		if !strings.Contains(outs[0].LaTeX, tc.latex) {
			t.Errorf("%s: no %q in the LaTeX %s", tc.src, tc.latex, outs[0].LaTeX)
		}
	}
}

// TestInterruptBetweenOperations checks that an interrupt during one
// costly operation stops the cell before the next one starts: the second
// product or the det after a product is never computed.
func TestInterruptBetweenOperations(t *testing.T) {
	in := New()
	ctx := context.Background()
	if _, err := in.Exec(ctx, "P = rand(700, 700)"); err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{"det(P*P)", "P*P*P", "(P*P)^2", "solve(P*P, ones(700, 1))", "eig(P*P)"} {
		ctx, cancel := context.WithCancel(ctx)
		time.AfterFunc(5*time.Millisecond, cancel)
		outs, err := in.Exec(ctx, src)
		cancel()
		if !errors.Is(err, context.Canceled) || len(outs) != 0 {
			t.Errorf("%s interrupted during the first product: %d outputs, error %v; want context.Canceled", src, len(outs), err)
		}
	}
}

func TestPowerWork(t *testing.T) {
	tests := []struct {
		n, k int
		want float64 // in units of n³
	}{
		{10, 0, 0}, {10, 1, 1}, {10, 2, 2}, {10, 3, 3}, {10, 4, 3}, {10, 7, 5}, {10, 8, 4},
		{10, 4096, 13}, {10, -1, 3}, {10, -2, 4}, {10, -3, 5},
	}
	for _, tc := range tests {
		if got := powerWork(tc.n, tc.k) / cube(tc.n); got != tc.want {
			t.Errorf("powerWork(%d, %d) = %v n³, want %v n³", tc.n, tc.k, got, tc.want)
		}
	}
}

// TestAtBoundValues: with every symbol bound, grad, jacobian and hessian
// show their value under the symbolic answer (issue 17); d and d2 say where
// the numbers are; anything left unbound shows nothing.
func TestAtBoundValues(t *testing.T) {
	const setup = "A : matrix(3, 3)\nx : vector(3)\nf = x'*A*x\nverify off"
	const bound = "A = [1 0 0; 0 2 0; 0 0 3]\nx = [1; 2; 3]"
	tests := []struct {
		name, setup, src string
		want             string // the at-values line, or "" for none
	}{
		{"grad", bound, "grad(f, x)", "at the bound values: [2; 8; 18]"},
		{"grad bound to a name", bound, "g = grad(f, x)", "at the bound values: [2; 8; 18]"},
		{"hessian", bound, "hessian(f, x)", "at the bound values: [2, 0, 0; 0, 4, 0; 0, 0, 6]"},
		{"jacobian", bound, "jacobian(A*x, x)", "at the bound values: [1, 0, 0; 0, 2, 0; 0, 0, 3]"},
		{"floating point", "A = [1 0 0; 0 2 0; 0 0 3]\nx = [0.5; 1; 2]", "grad(f, x)",
			"at the bound values: [1; 4; 12]"},
		{"inexact", "A = [1 0 0; 0 2 0; 0 0 3]\nx = [0.1; 0.2; 0.3]", "grad(sum(exp(x)), x)",
			"at the bound values: [1.105170918; 1.221402758; 1.349858808]  # floating point"},
		{"d", bound, "d(f, x)", "at the bound values: the differential is linear in dx, which has no value: grad, jacobian or hessian give the numbers"},
		{"d2", bound, "d2(f, x)", "at the bound values: the differential is linear in dx, which has no value: grad, jacobian or hessian give the numbers"},
		{"x unbound", "A = [1 0 0; 0 2 0; 0 0 3]", "grad(f, x)", ""},
		{"A unbound", "x = [1; 2; 3]", "grad(f, x)", ""},
		{"nothing bound", "", "hessian(f, x)", ""},
	}
	for _, tc := range tests {
		in := New()
		ctx := context.Background()
		if _, err := in.Exec(ctx, setup); err != nil {
			t.Fatal(err)
		}
		if tc.setup != "" {
			if _, err := in.Exec(ctx, tc.setup); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
		}
		outs, err := in.Exec(ctx, tc.src)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		var at []Output
		for _, o := range outs {
			if strings.HasPrefix(o.Plain, "at the bound values: ") {
				at = append(at, o)
			}
		}
		switch {
		case tc.want == "" && len(at) > 0:
			t.Errorf("%s: %q shows %q with something unbound", tc.name, tc.src, at[0].Plain)
		case tc.want != "" && (len(at) != 1 || at[0].Plain != tc.want):
			t.Errorf("%s: %q: outputs %q, want one %q", tc.name, tc.src, plainsOf(outs), tc.want)
		case tc.want != "" && !strings.HasPrefix(tc.src, "g =") && outs[len(outs)-1].Kind != Value:
			t.Errorf("%s: %q: the symbolic result is no longer the cell's value: %q", tc.name, tc.src, plainsOf(outs))
		case tc.want != "" && (at[0].Kind != Display || !strings.HasPrefix(at[0].LaTeX, `\text{at the bound values: `)):
			t.Errorf("%s: at-values output %#v", tc.name, at[0])
		}
	}
}

func plainsOf(outs []Output) []string {
	var ps []string
	for _, o := range outs {
		ps = append(ps, o.Plain)
	}
	return ps
}
