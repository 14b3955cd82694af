package diff

import (
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
	"github.com/matcalc/matcalc/calculus/numeric"
)

// vworld holds non-square symbols for the vec/Kronecker family: X, Z are
// m×n, A p×m, B n×q, An p×n, Bm m×q, C m×m, Y n×n invertible, D n×m.
type vworld struct {
	X, Z, A, B, An, Bm, C, Y, D, P *expr.Symbol
	a, x, t                        *expr.Symbol
}

func newVWorld() *vworld {
	m, n, p, q := expr.Named("m"), expr.Named("n"), expr.Named("p"), expr.Named("q")
	return &vworld{
		X:  expr.MatrixSymbol("X", m, n, 0),
		Z:  expr.MatrixSymbol("Z", m, n, 0),
		A:  expr.MatrixSymbol("A", p, m, 0),
		B:  expr.MatrixSymbol("B", n, q, 0),
		An: expr.MatrixSymbol("A", p, n, 0),
		Bm: expr.MatrixSymbol("B", m, q, 0),
		C:  expr.MatrixSymbol("C", m, m, 0),
		Y:  expr.MatrixSymbol("Y", n, n, expr.Invertible),
		D:  expr.MatrixSymbol("D", n, m, 0),
		P:  expr.MatrixSymbol("P", n, n, expr.SPD),
		a:  expr.VectorSymbol("a", n),
		x:  expr.VectorSymbol("x", n),
		t:  expr.ScalarSymbol("t"),
	}
}

type vcase struct {
	name string
	op   string // jacobian or hessian
	f    func(w *vworld, k *builder) expr.Node
	wrt  func(w *vworld) *expr.Symbol
	want string // the printed answer, or "" when only the golden file pins it
}

// vecCases are the rules of the family, each on non-square shapes where
// the function allows one: products, transposes, inverses, powers,
// Kronecker and Hadamard products, elementwise functions, scalar
// multiples, vec and diag, and Hessians of scalar functions of a
// non-square X.
func vecCases() []vcase {
	X := func(w *vworld) *expr.Symbol { return w.X }
	Y := func(w *vworld) *expr.Symbol { return w.Y }
	x := func(w *vworld) *expr.Symbol { return w.x }
	type F = func(w *vworld, k *builder) expr.Node
	j := func(name string, f F, wrt func(*vworld) *expr.Symbol, want string) vcase {
		return vcase{name, "jacobian", f, wrt, want}
	}
	h := func(name string, f F, wrt func(*vworld) *expr.Symbol, want string) vcase {
		return vcase{name, "hessian", f, wrt, want}
	}
	return []vcase{
		j("X_a", func(w *vworld, k *builder) expr.Node { return k.mul(w.X, w.a) }, X, "kron(a', eye(m))"),
		j("Xt", func(w *vworld, k *builder) expr.Node { return T(w.X) }, X, "K(m, n)"),
		j("X", func(w *vworld, k *builder) expr.Node { return w.X }, X, "eye(m*n)"),
		j("AXB", func(w *vworld, k *builder) expr.Node { return k.mul(w.A, w.X, w.B) }, X, "kron(B', A)"),
		j("AXtB", func(w *vworld, k *builder) expr.Node { return k.mul(w.An, T(w.X), w.Bm) }, X, "kron(B', A)*K(m, n)"),
		j("AX", func(w *vworld, k *builder) expr.Node { return k.mul(w.A, w.X) }, X, "kron(eye(n), A)"),
		j("XB", func(w *vworld, k *builder) expr.Node { return k.mul(w.X, w.B) }, X, "kron(B', eye(m))"),
		j("x_xt", func(w *vworld, k *builder) expr.Node { return k.mul(w.x, T(w.x)) }, x, "kron(eye(n), x) + kron(x, eye(n))"),
		j("inv", func(w *vworld, k *builder) expr.Node { return k.inv(w.Y) }, Y, "-kron(inv(Y)', inv(Y))"),
		j("inv_a", func(w *vworld, k *builder) expr.Node { return k.mul(k.inv(w.Y), w.a) }, Y, "-kron(a'*inv(Y)', inv(Y))"),
		j("X2", func(w *vworld, k *builder) expr.Node { return k.mpow(w.Y, 2) }, Y, "kron(eye(n), Y) + kron(Y', eye(n))"),
		j("X3", func(w *vworld, k *builder) expr.Node { return k.mpow(w.Y, 3) }, Y, ""),
		j("X_minus2", func(w *vworld, k *builder) expr.Node { return k.mpow(w.Y, -2) }, Y, ""),
		j("XtX", func(w *vworld, k *builder) expr.Node { return k.mul(T(w.X), w.X) }, X, "(eye(n*n) + K(n, n))*kron(eye(n), X')"),
		j("XXt", func(w *vworld, k *builder) expr.Node { return k.mul(w.X, T(w.X)) }, X, ""),
		j("XtCX", func(w *vworld, k *builder) expr.Node { return k.mul(T(w.X), w.C, w.X) }, X, ""),
		j("XDX", func(w *vworld, k *builder) expr.Node { return k.mul(w.X, w.D, w.X) }, X, ""),
		j("exp", func(w *vworld, k *builder) expr.Node { return k.f("exp", w.X) }, X, "diag(vec(exp(X)))"),
		j("sigmoid_AX", func(w *vworld, k *builder) expr.Node { return k.f("sigmoid", k.mul(w.A, w.X)) }, X, ""),
		j("exp_Xa", func(w *vworld, k *builder) expr.Node { return k.f("exp", k.mul(w.X, w.a)) }, X, ""),
		j("hadamard_square", func(w *vworld, k *builder) expr.Node { return k.had(w.X, w.X) }, X, "2*diag(vec(X))"),
		j("hadamard_const", func(w *vworld, k *builder) expr.Node { return k.had(w.Z, w.X) }, X, "diag(vec(Z))"),
		j("sin_X_hadamard_X", func(w *vworld, k *builder) expr.Node { return k.had(k.f("sin", w.X), w.X) }, X, ""),
		j("hadamard_quotient", func(w *vworld, k *builder) expr.Node { return k.ok(expr.HadamardDiv(w.Z, w.X)) }, X, ""),
		j("kron_A_X", func(w *vworld, k *builder) expr.Node { return k.kron(w.A, w.X) }, X, ""),
		j("kron_X_A", func(w *vworld, k *builder) expr.Node { return k.kron(w.X, w.A) }, X, ""),
		j("kron_X_X", func(w *vworld, k *builder) expr.Node { return k.kron(w.X, w.X) }, X, ""),
		j("kron_x_a", func(w *vworld, k *builder) expr.Node { return k.kron(w.x, T(w.a)) }, x, ""),
		j("trace_times_Y", func(w *vworld, k *builder) expr.Node { return k.mul(k.tr(w.Y), w.Y) }, Y, "tr(Y)*eye(n*n) + vec(Y)*vec(eye(n))'"),
		j("det_times_inv", func(w *vworld, k *builder) expr.Node { return k.mul(k.det(w.Y), k.inv(w.Y)) }, Y, ""),
		j("quadratic_times_X", func(w *vworld, k *builder) expr.Node { return k.mul(k.mul(T(w.a), T(w.X), w.X, w.a), w.X) }, X, ""),
		j("vec_X", func(w *vworld, k *builder) expr.Node { return k.vec(w.X) }, X, "eye(m*n)"),
		j("vec_XtX", func(w *vworld, k *builder) expr.Node { return k.vec(k.mul(T(w.X), w.X)) }, X, ""),
		j("diag_x", func(w *vworld, k *builder) expr.Node { return k.diag(w.x) }, x, ""),
		j("diag_of_Y", func(w *vworld, k *builder) expr.Node { return k.diag(w.Y) }, Y, ""),
		j("scalar_variable", func(w *vworld, k *builder) expr.Node { return k.mul(w.t, w.X) }, func(w *vworld) *expr.Symbol { return w.t }, "vec(X)"),
		j("Xt_a_matrix_vector", func(w *vworld, k *builder) expr.Node { return k.mul(T(w.X), w.X, w.a) }, X, ""),
		h("tr_XtCX", func(w *vworld, k *builder) expr.Node { return k.tr(k.mul(T(w.X), w.C, w.X)) }, X, "kron(eye(n), C + C')"),
		h("tr_XtX", func(w *vworld, k *builder) expr.Node { return k.tr(k.mul(T(w.X), w.X)) }, X, "2*eye(m*n)"),
		h("tr_XDXD", func(w *vworld, k *builder) expr.Node { return k.tr(k.mul(w.X, w.D, w.X, w.D)) }, X, ""),
		h("tr_AXB_XtAt", func(w *vworld, k *builder) expr.Node {
			r := k.mul(w.A, w.X, w.B)
			return k.tr(k.mul(r, T(r)))
		}, X, ""),
		h("norm_squared", func(w *vworld, k *builder) expr.Node {
			return k.pow(k.norm(k.sub(k.mul(w.X, w.a), k.mul(w.Z, w.a))), 2)
		}, X, ""),
		h("a_Xt_X_a", func(w *vworld, k *builder) expr.Node { return k.mul(T(w.a), T(w.X), w.X, w.a) }, X, "2*kron(a*a', eye(m))"),
		h("logdet_P", func(w *vworld, k *builder) expr.Node { return k.logdet(w.P) }, func(w *vworld) *expr.Symbol { return w.P }, ""),
	}
}

// runVec runs one case of the family.
func runVec(c vcase) (*Derivation, error) {
	w, k := newVWorld(), &builder{}
	f := c.f(w, k)
	if k.err != nil {
		return nil, k.err
	}
	if c.op == "hessian" {
		return Hessian(f, c.wrt(w), Options{})
	}
	return Jacobian(f, c.wrt(w), Options{})
}

// checkGolden compares the derivation with its golden file (or rewrites
// it with -update).
func checkGolden(t *testing.T, d *Derivation, golden string) {
	t.Helper()
	got := d.LaTeX() + "\n" + commentLines(d.Plain())
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("derivation differs from %s:\n%s", golden, got)
	}
}

// vecDims are the dimensions the family is checked on: all different, so
// that no operand is square by accident, in two arrangements.
var vecDims = []map[string]int{
	{"m": 2, "n": 3, "p": 4, "q": 5},
	{"m": 4, "n": 2, "p": 3, "q": 1},
}

// TestVecFamily proves every rule of the vec/Kronecker family against
// central finite differences of vec F on non-square shapes, and pins
// each derivation by a golden file.
func TestVecFamily(t *testing.T) {
	for _, c := range vecCases() {
		t.Run(c.op+"_"+c.name, func(t *testing.T) {
			d, err := runVec(c)
			if err != nil {
				t.Fatal(err)
			}
			if c.want != "" && d.Result.String() != c.want {
				t.Errorf("result = %s, want %s", d.Result, c.want)
			}
			checkGolden(t, d, filepath.Join("testdata", "vec", c.op+"_"+c.name+".tex"))
			for _, p := range mathjaxProblems(d.LaTeX()) {
				t.Errorf("MathJax: %s", p)
			}
			for i, dims := range vecDims {
				rep, err := d.Verify(&numeric.Options{Seed: uint64(11 + i), Trials: 2, Directions: 2, Dims: dims})
				if err != nil {
					t.Fatalf("numeric check on %v: %v", dims, err)
				}
				if !rep.OK(0) {
					t.Errorf("numeric check on %v failed for %s: %s\n%s", dims, d.Result, rep, rep.Describe())
				}
			}
		})
	}
}

// TestVecRulesUsed checks that the family's cases exercise every vec
// identity of the rules table.
func TestVecRulesUsed(t *testing.T) {
	used := map[RuleID]bool{}
	for _, c := range vecCases() {
		d, err := runVec(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range d.Steps() {
			used[s.Rule] = true
			for _, r := range Rules() {
				if s.Note != "" && strings.Contains(s.Note, r.Name) {
					used[r.ID] = true
				}
			}
		}
	}
	for _, r := range []RuleID{RuleVec, RuleVecKron, RuleCommutation, RuleVecHadamard, RuleVecScalar, RuleVecKronProduct,
		RuleReadVecJacobian, RuleVecBilinear, RuleSecondIdentification} {
		if !used[r] {
			t.Errorf("no case uses the rule %q", r)
		}
	}
}

// cookbookHessianSections are the labels of the Cookbook's trace and
// determinant identities of a matrix variable.
func cookbookHessianSections(item string) bool {
	switch item {
	case "cb49", "cb51", "cb53", "cb55", "cb57", "cb141", "cb142":
		return true
	}
	return strings.HasPrefix(item, "cb1") && item >= "cb100" && item <= "cb117"
}

// TestCookbookHessians takes every scalar function of a matrix in the
// Cookbook's trace and determinant sections and proves its Hessian
// (mn×mn, read off d²f = vec(dX₂)ᵀ H vec(dX₁)) by finite differences.
func TestCookbookHessians(t *testing.T) {
	n := 0
	for _, c := range cookbookCases() {
		if c.op != "grad" || !cookbookHessianSections(c.item) {
			continue
		}
		w := newWorld()
		if c.wrt(w).Shape().Cols.IsOne() {
			continue
		}
		n++
		c.op = "hessian"
		t.Run(c.item+"_"+c.name, func(t *testing.T) {
			d, _, err := run(c, w)
			if err != nil {
				t.Fatal(err)
			}
			if r := d.Result.Shape(); r.Rows != r.Cols || r.Rows != w.X.Shape().Rows.Mul(w.X.Shape().Cols) {
				t.Errorf("H is %s", r)
			}
			checkGolden(t, d, filepath.Join("testdata", "vec", "hess_"+c.item+"_"+c.name+".tex"))
			for _, p := range mathjaxProblems(d.LaTeX()) {
				t.Errorf("MathJax: %s", p)
			}
			if expr.IsZero(d.Result) {
				// A linear f: the mixed second difference is rounding
				// noise at the check's floor; zero is exact here.
				if !expr.IsZero(d.Differential) {
					t.Errorf("H = 0 but d2f = %s", d.Differential)
				}
				return
			}
			rep, err := d.Verify(&numeric.Options{Seed: 5, Trials: 2, Directions: 2})
			if err != nil {
				t.Fatalf("numeric check: %v", err)
			}
			if !rep.OK(0) {
				t.Errorf("numeric check failed for %s: %s\n%s", d.Result, rep, rep.Describe())
			}
		})
	}
	if n < 20 {
		t.Errorf("only %d Cookbook functions, want the %d of both sections", n, 20)
	}
}

// TestTensorErrorStays checks that the "three indices" error is left only
// where no Jacobian matrix exists: the Hessian of a non-scalar.
func TestTensorErrorStays(t *testing.T) {
	w, k := newVWorld(), &builder{}
	_, err := Hessian(k.mul(w.X, w.a), w.X, Options{})
	if !errors.Is(err, ErrTensor) {
		t.Errorf("hessian(X*a, X): error %v, want ErrTensor", err)
	}
	if err != nil && strings.Contains(err.Error(), "the differential is the answer") {
		t.Errorf("old wording: %v", err)
	}
}

// TestVecJacobianIsTheMatrix evaluates each Jacobian J on random values
// and compares it, entry by entry, with the finite-difference Jacobian of
// vec F: column k is (vec F(X + h eₖ) − vec F(X − h eₖ)) / 2h, eₖ the
// k-th entry of vec X (column-major).
func TestVecJacobianIsTheMatrix(t *testing.T) {
	for _, c := range vecCases() {
		if c.op != "jacobian" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			d, err := runVec(c)
			if err != nil {
				t.Fatal(err)
			}
			x := d.Vars[0]
			vf, err := expr.Vec(d.F)
			if err != nil {
				t.Fatal(err)
			}
			b, err := numeric.Sample([]expr.Node{d.F, d.Result}, &numeric.Options{Seed: 3, Dims: vecDims[0]})
			if err != nil {
				t.Fatal(err)
			}
			J, err := numeric.Eval(d.Result, b)
			if err != nil {
				t.Fatal(err)
			}
			X := b.Values[x.Name()]
			r, cols := X.Dims()
			jr, jc := J.Dims()
			if jc != r*cols {
				t.Fatalf("J is %d×%d for %s of %d×%d", jr, jc, x.Name(), r, cols)
			}
			const h = 1e-5
			worst := 0.0
			for k := 0; k < r*cols; k++ {
				i, j := k%r, k/r // vec order: entry (i, j) is k = i + j·r
				at := func(s float64) []float64 {
					data := X.Floats()
					data[i*cols+j] += s
					v, err := linalg.New(r, cols, data)
					if err != nil {
						t.Fatal(err)
					}
					bb := b.Clone()
					bb.Values[x.Name()] = v
					f, err := numeric.Eval(vf, bb)
					if err != nil {
						t.Fatal(err)
					}
					return f.Floats()
				}
				up, down := at(h), at(-h)
				if len(up) != jr {
					t.Fatalf("vec F has %d entries, J %d rows", len(up), jr)
				}
				for row := range up {
					fd := (up[row] - down[row]) / (2 * h)
					worst = math.Max(worst, math.Abs(fd-J.At(row, k))/(1+math.Abs(fd)))
				}
			}
			if worst > 1e-6 {
				t.Errorf("J = %s differs from the finite-difference Jacobian of vec F by %.2g", d.Result, worst)
			}
		})
	}
}

// TestVecComponents writes Jacobians of the family out entry by entry
// (n = 2) and checks that they agree with the matrix formulas.
func TestVecComponents(t *testing.T) {
	for _, name := range []string{"X_a", "Xt", "AXB", "x_xt", "XtX", "hadamard_square", "kron_A_X", "exp", "XB"} {
		var c vcase
		for _, v := range vecCases() {
			if v.name == name {
				c = v
			}
		}
		w, k := newVWorld(), &builder{}
		f := c.f(w, k)
		d, err := Components(f, c.wrt(w), 2)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		last := d.Steps()[len(d.Steps())-1]
		if !strings.HasPrefix(last.Note, "the same as the matrix formula") {
			t.Errorf("%s: %s", name, last.Note)
		}
		for _, p := range mathjaxProblems(d.LaTeX()) {
			t.Errorf("%s: MathJax: %s", name, p)
		}
	}
}

// TestCommutationCode runs the exported NumPy form of K(m, n)·vec(X) and
// of a Jacobian with K and kron, and compares them with package numeric.
func TestCommutationCode(t *testing.T) {
	if err := exec.Command(python, "-c", "import numpy").Run(); err != nil {
		t.Skipf("%s cannot import numpy (%v)", python, err)
	}
	w := newVWorld()
	d, err := Jacobian(expr.T(w.X), w.X, Options{})
	if err != nil {
		t.Fatal(err)
	}
	vx, err := expr.Vec(w.X)
	if err != nil {
		t.Fatal(err)
	}
	kv, err := expr.Mul(d.Result, vx)
	if err != nil {
		t.Fatal(err)
	}
	// J alone names no symbol: it is exported with F, as code(J) does.
	dsrc, err := Code(d, "numpy")
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range []expr.Node{kv, d.Result} {
		src, err := CodeExpr("g", n, "numpy")
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			src = dsrc + "\n\ndef g(X):\n    return f(X)[1]\n"
		}
		b, err := numeric.Sample([]expr.Node{n, w.X}, &numeric.Options{Seed: 9, Dims: map[string]int{"m": 2, "n": 3}})
		if err != nil {
			t.Fatal(err)
		}
		var fs []string
		for _, x := range b.Values["X"].Floats() {
			fs = append(fs, strconv.FormatFloat(x, 'g', -1, 64))
		}
		prog := src + "\n\nX = np.array([" + strings.Join(fs, ", ") + "]).reshape(2, 3)\nfor e in np.asarray(g(X), dtype=float).reshape(-1):\n    print(repr(float(e)))\n"
		cmd := exec.Command(python, "-")
		cmd.Stdin = strings.NewReader(prog)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s\n%s", err, out, prog)
		}
		want, err := numeric.Eval(n, b)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Fields(string(out))
		wf := want.ToFloat().Floats()
		if len(got) != len(wf) {
			t.Fatalf("%s: %d numbers, want %d\n%s", n, len(got), len(wf), prog)
		}
		for i := range got {
			if g, err := strconv.ParseFloat(got[i], 64); err != nil || math.Abs(g-wf[i]) > 1e-12 {
				t.Errorf("%s: entry %d is %s, want %g", n, i, got[i], wf[i])
			}
		}
	}
}
