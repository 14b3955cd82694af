package numeric

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
)

// mk unwraps a constructor result; the expressions of these tests are
// well formed, so an error is a bug of the test.
func mk(n expr.Node, err error) expr.Node {
	if err != nil {
		panic(err)
	}
	return n
}

func ints(t testing.TB, r, c int, data ...int64) *linalg.Matrix {
	t.Helper()
	m, err := linalg.NewInts(r, c, data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var (
	n = expr.Named("n")
	m = expr.Named("m")
)

func TestEvalExact(t *testing.T) {
	A := expr.MatrixSymbol("A", n, n, 0)
	x := expr.VectorSymbol("x", n)
	a := expr.ScalarSymbol("a")
	b := &Bindings{
		Values: map[string]*linalg.Matrix{
			"A": ints(t, 2, 2, 3, -4, 4, -7),
			"x": ints(t, 2, 1, 1, 2),
			"a": linalg.Rat(1, 2),
		},
		Dims: map[string]int{"n": 2},
	}
	tests := []struct {
		name  string
		e     expr.Node
		want  string
		exact bool
	}{
		{"quadratic form", mk(expr.Mul(expr.T(x), A, x)), "-25", true},
		{"det", mk(expr.Det(A)), "-5", true},
		{"inverse", mk(expr.Inv(A)), "[7/5, -4/5; 4/5, -3/5]", true},
		{"trace of square", mk(expr.Tr(mk(expr.Pow(A, 2)))), "26", true},
		{"scaled sum", mk(expr.Add(expr.Scale(big.NewRat(1, 3), A), mk(expr.Mul(a, expr.Eye(n))))), "[3/2, -4/3; 4/3, -11/6]", true},
		{"scalar broadcast", mk(expr.Add(x, a)), "[3/2; 5/2]", true},
		{"kron", mk(expr.Kron(x, expr.T(x))), "[1, 2; 2, 4]", true},
		{"vec", mk(expr.Vec(A)), "[3; 4; -4; -7]", true},
		{"diag", mk(expr.Diag(x)), "[1, 0; 0, 2]", true},
		{"diag part", mk(expr.Diag(A)), "[3; -7]", true},
		{"sum", mk(expr.SumEntries(A)), "-4", true},
		{"hadamard", mk(expr.Hadamard(x, x)), "[1; 4]", true},
		{"elementwise power", mk(expr.ElemPow(x, big.NewRat(-1, 1))), "[1; 1/2]", true},
		{"literal", mk(expr.Matrix([][]expr.Node{{a, expr.IntConst(1)}, {expr.IntConst(0), a}})), "[1/2, 1; 0, 1/2]", true},
		{"sqrt of square", mk(expr.Apply("sqrt", mk(expr.Hadamard(x, x)))), "[1; 2]", true},
		{"norm irrational", mk(expr.Norm(x)), "2.236067977", false},
		{"exp", mk(expr.Apply("exp", a)), "1.648721271", false},
		{"logdet float", mk(expr.LogDet(mk(expr.Mul(A, expr.T(A))))), "3.218875825", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Eval(tt.e, b)
			if err != nil {
				t.Fatal(err)
			}
			if v.String() != tt.want || v.IsExact() != tt.exact {
				t.Errorf("%s = %s (exact %v), want %s (exact %v)", tt.e, v, v.IsExact(), tt.want, tt.exact)
			}
		})
	}
}

func TestEvalErrors(t *testing.T) {
	A := expr.MatrixSymbol("A", n, n, 0)
	x := expr.VectorSymbol("x", n)
	b := &Bindings{
		Values: map[string]*linalg.Matrix{"A": ints(t, 2, 2, 1, 2, 2, 4), "x": ints(t, 3, 1, 1, 2, 3)},
		Dims:   map[string]int{"n": 2},
	}
	tests := []struct {
		name string
		e    expr.Node
		want error
	}{
		{"singular", mk(expr.Inv(A)), linalg.ErrSingular},
		{"wrong shape", x, linalg.ErrShape},
		{"unbound", expr.ScalarSymbol("c"), ErrUnbound},
		{"unbound dimension", expr.Eye(m), ErrUnbound},
		{"log domain", mk(expr.Apply("log", mk(expr.Det(A)))), linalg.ErrDomain},
		{"differential", expr.D(A), ErrUnbound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Eval(tt.e, b)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Eval(%s) = %v, %v; want %v", tt.e, v, err, tt.want)
			}
		})
	}
}

func TestSampleProperties(t *testing.T) {
	syms := []expr.Node{
		expr.MatrixSymbol("S", n, n, expr.Symmetric),
		expr.MatrixSymbol("P", n, n, expr.SPD),
		expr.MatrixSymbol("Q", n, n, expr.Orthogonal),
		expr.MatrixSymbol("D", n, n, expr.Diagonal),
		expr.MatrixSymbol("X", n, n, expr.Invertible),
		expr.MatrixSymbol("B", m, n, 0),
		mk(expr.Apply("log", expr.VectorSymbol("y", m))),
	}
	b, err := Sample(syms, &Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if b.Dims["n"] == b.Dims["m"] {
		t.Errorf("drawn dimensions are equal: %v", b.Dims)
	}
	if !linalg.IsSymmetric(b.Values["S"]) || !linalg.IsSymmetric(b.Values["P"]) {
		t.Errorf("S or P not symmetric")
	}
	if _, err := linalg.Chol(b.Values["P"]); err != nil {
		t.Errorf("P not positive definite: %v", err)
	}
	q := b.Values["Q"]
	qtq, _ := linalg.Mul(q.T(), q)
	id, _ := linalg.Eye(b.Dims["n"])
	if !linalg.EqualApprox(qtq, id, 1e-12) {
		t.Errorf("QᵀQ = %s", qtq)
	}
	d := b.Values["D"]
	dd, _ := linalg.Diag(d)
	back, _ := linalg.Diag(dd)
	if !linalg.Equal(back, d) {
		t.Errorf("D is not diagonal: %s", d)
	}
	det, err := linalg.Det(b.Values["X"])
	if err != nil || det.Value() <= 0 {
		t.Errorf("det X = %v, %v; want positive", det, err)
	}
	for _, v := range b.Values["y"].Floats() {
		if v <= 0 {
			t.Errorf("y under log has entry %g", v)
		}
	}
	// Reproducible.
	b2, err := Sample(syms, &Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if !linalg.Equal(b.Values["B"], b2.Values["B"]) {
		t.Errorf("same seed, different samples")
	}
}

func TestCheckGradient(t *testing.T) {
	A := expr.MatrixSymbol("A", n, n, 0)
	S := expr.MatrixSymbol("S", n, n, expr.Symmetric)
	X := expr.MatrixSymbol("X", n, n, 0)
	B := expr.MatrixSymbol("B", n, m, 0)
	x := expr.VectorSymbol("x", n)
	xtAx := mk(expr.Mul(expr.T(x), A, x))
	lse := mk(expr.Apply("log", mk(expr.SumEntries(mk(expr.Apply("exp", x))))))
	softmax := mk(expr.Div(mk(expr.Apply("exp", x)), mk(expr.SumEntries(mk(expr.Apply("exp", x))))))
	trXB := mk(expr.Tr(mk(expr.Mul(X, B, expr.T(B)))))
	tests := []struct {
		name  string
		f     expr.Node
		x     *expr.Symbol
		grad  expr.Node
		right bool
	}{
		{"x'Ax right", xtAx, x, mk(expr.Mul(mk(expr.Add(A, expr.T(A))), x)), true},
		{"x'Ax missing A' term", xtAx, x, mk(expr.Mul(A, x)), false},
		{"x'Ax transposed", xtAx, x, mk(expr.Mul(expr.Scale(big.NewRat(2, 1), expr.T(A)), x)), false},
		{"x'Sx symmetric", mk(expr.Mul(expr.T(x), S, x)), x, mk(expr.Mul(expr.Scale(big.NewRat(2, 1), S), x)), true},
		{"logdet", mk(expr.LogDet(X)), X, expr.T(mk(expr.Inv(X))), true},
		{"logdet transposed", mk(expr.LogDet(X)), X, mk(expr.Inv(X)), false},
		{"tr(XBB')", trXB, X, mk(expr.Mul(B, expr.T(B))), true},
		{"log-sum-exp", lse, x, softmax, true},
		{"det", mk(expr.Det(X)), X, mk(expr.Mul(mk(expr.Det(X)), expr.T(mk(expr.Inv(X))))), true},
		{"tr(X^3)", mk(expr.Tr(mk(expr.Pow(X, 3)))), X, expr.Scale(big.NewRat(3, 1), expr.T(mk(expr.Pow(X, 2)))), true},
		{"tr(X^3) wrong", mk(expr.Tr(mk(expr.Pow(X, 3)))), X, expr.Scale(big.NewRat(3, 1), mk(expr.Pow(X, 2))), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := CheckGradient(tt.f, tt.x, tt.grad, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s", rep)
			if rep.OK(0) != tt.right {
				t.Errorf("grad %s of %s: %s; want ok = %v\n%s", tt.grad, tt.f, rep, tt.right, rep.Describe())
			}
			if tt.right && rep.RelErr > 1e-8 {
				t.Errorf("relative error %g larger than expected", rep.RelErr)
			}
		})
	}
}

func TestCheckDifferential(t *testing.T) {
	X := expr.MatrixSymbol("X", n, n, 0)
	W := expr.MatrixSymbol("W", n, m, 0)
	dX := expr.D(X)
	dW := expr.D(W)
	Xi := mk(expr.Inv(X))
	tests := []struct {
		name  string
		f, df expr.Node
		vars  []*expr.Symbol
		right bool
	}{
		{"inverse", Xi, expr.Neg(mk(expr.Mul(Xi, dX, Xi))), []*expr.Symbol{X}, true},
		{"inverse wrong", Xi, expr.Neg(mk(expr.Mul(Xi, Xi, dX))), []*expr.Symbol{X}, false},
		{"square", mk(expr.Pow(X, 2)), mk(expr.Add(mk(expr.Mul(dX, X)), mk(expr.Mul(X, dX)))), []*expr.Symbol{X}, true},
		{"square as 2XdX", mk(expr.Pow(X, 2)), expr.Scale(big.NewRat(2, 1), mk(expr.Mul(X, dX))), []*expr.Symbol{X}, false},
		{"product of two", mk(expr.Mul(X, W)), mk(expr.Add(mk(expr.Mul(dX, W)), mk(expr.Mul(X, dW)))), []*expr.Symbol{X, W}, true},
		{"product, W constant", mk(expr.Mul(X, W)), mk(expr.Mul(dX, W)), []*expr.Symbol{X}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := CheckDifferential(tt.f, tt.df, tt.vars, &Options{Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK(0) != tt.right {
				t.Errorf("d(%s) = %s: %s; want ok = %v", tt.f, tt.df, rep, tt.right)
			}
		})
	}
}

func TestCheckJacobianHessian(t *testing.T) {
	A := expr.MatrixSymbol("A", m, n, 0)
	C := expr.MatrixSymbol("C", n, n, 0)
	x := expr.VectorSymbol("x", n)
	Ax := mk(expr.Mul(A, x))
	ex := mk(expr.Apply("exp", x))
	rep, err := CheckJacobian(Ax, x, A, nil)
	if err != nil || !rep.OK(0) {
		t.Errorf("Jacobian of Ax = A: %v, %v", rep, err)
	}
	rep, err = CheckJacobian(ex, x, mk(expr.Diag(ex)), nil)
	if err != nil || !rep.OK(0) {
		t.Errorf("Jacobian of exp(x) = diag(exp(x)): %v, %v", rep, err)
	}
	if _, err := CheckJacobian(Ax, x, expr.T(A), nil); !errors.Is(err, linalg.ErrShape) {
		t.Errorf("Jacobian of the wrong shape: %v", err)
	}
	f := mk(expr.Mul(expr.T(x), C, x))
	rep, err = CheckHessian(f, x, mk(expr.Add(C, expr.T(C))), nil)
	if err != nil || !rep.OK(0) {
		t.Errorf("Hessian of x'Cx = C + C': %v, %v", rep, err)
	}
	rep, err = CheckHessian(f, x, expr.Scale(big.NewRat(2, 1), C), nil)
	if err != nil || rep.OK(0) {
		t.Errorf("Hessian of x'Cx = 2C passed: %v, %v", rep, err)
	}
	lse := mk(expr.Apply("log", mk(expr.SumEntries(ex))))
	p := mk(expr.Div(ex, mk(expr.SumEntries(ex))))
	hess := mk(expr.Sub(mk(expr.Diag(p)), mk(expr.Mul(p, expr.T(p)))))
	rep, err = CheckHessian(lse, x, hess, nil)
	if err != nil || !rep.OK(0) {
		t.Errorf("Hessian of log-sum-exp: %v, %v", rep, err)
	}
}

func TestCheckSecondDifferential(t *testing.T) {
	X := expr.MatrixSymbol("X", n, n, 0)
	f := mk(expr.Tr(mk(expr.Pow(X, 2))))
	d1, d2 := expr.DN(X, 1), expr.DN(X, 2)
	right := expr.Scale(big.NewRat(2, 1), mk(expr.Tr(mk(expr.Mul(d1, d2)))))
	wrong := expr.Scale(big.NewRat(2, 1), mk(expr.Tr(mk(expr.Mul(expr.T(d1), d2)))))
	for _, tt := range []struct {
		d2f expr.Node
		ok  bool
	}{{right, true}, {wrong, false}} {
		rep, err := CheckSecondDifferential(f, tt.d2f, []*expr.Symbol{X}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s", rep)
		if rep.OK(0) != tt.ok {
			t.Errorf("d²(%s) = %s: %s; want ok = %v", f, tt.d2f, rep, tt.ok)
		}
	}
}

// TestCheckDifferentialArgs pins the argument errors the first and the
// second differential checks share.
func TestCheckDifferentialArgs(t *testing.T) {
	X := expr.MatrixSymbol("X", n, n, 0)
	x := expr.VectorSymbol("x", n)
	checks := map[string]func(f, d expr.Node, vars []*expr.Symbol, opts *Options) (*Report, error){
		"differential":        CheckDifferential,
		"second differential": CheckSecondDifferential,
	}
	tests := []struct {
		name  string
		f, d  expr.Node
		vars  []*expr.Symbol
		shape bool   // the error wraps linalg.ErrShape
		frag  string // after "<what> "
	}{
		{"nil", nil, X, []*expr.Symbol{X}, false, "check of a nil expression"},
		{"shapes differ", X, x, []*expr.Symbol{X}, true, "x is "},
		{"no variables", X, X, nil, false, "check with no variables"},
	}
	for what, check := range checks {
		for _, tt := range tests {
			t.Run(what+"/"+tt.name, func(t *testing.T) {
				_, err := check(tt.f, tt.d, tt.vars, nil)
				if err == nil {
					t.Fatal("no error")
				}
				if want := what + " "; !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), tt.frag) {
					t.Errorf("error %q, want %q…%q", err, want, tt.frag)
				}
				if errors.Is(err, linalg.ErrShape) != tt.shape {
					t.Errorf("error %q wraps ErrShape: %v, want %v", err, !tt.shape, tt.shape)
				}
			})
		}
	}
}

func TestCheckDomainRetry(t *testing.T) {
	// log(x'y) is undefined where x'y ≤ 0: the check must find points
	// where it is defined.
	x := expr.VectorSymbol("x", n)
	y := expr.VectorSymbol("y", n)
	xy := mk(expr.Mul(expr.T(x), y))
	f := mk(expr.Apply("log", xy))
	grad := mk(expr.Div(y, xy))
	rep, err := CheckGradient(f, x, grad, &Options{Seed: 11, Trials: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK(0) {
		t.Errorf("log(x'y): %s", rep)
	}
}
