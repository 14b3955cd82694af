package diff

import (
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/numeric"
)

// rworld holds the symbols of the scalar-by-matrix Jacobians: X m×n (and
// Y, S n×n, S symmetric), A n×m, B n×q, C m×m, C (Cn), P n×n, a of
// length m·n, b of length m·q.
type rworld struct {
	X, Y, S, A, B, C, Cn, P *expr.Symbol
	a, b                    *expr.Symbol
}

func newRWorld() *rworld {
	m, n, q := expr.Named("m"), expr.Named("n"), expr.Named("q")
	return &rworld{
		X:  expr.MatrixSymbol("X", m, n, 0),
		Y:  expr.MatrixSymbol("Y", n, n, expr.Invertible),
		S:  expr.MatrixSymbol("S", n, n, expr.Symmetric),
		A:  expr.MatrixSymbol("A", n, m, 0),
		B:  expr.MatrixSymbol("B", n, q, 0),
		C:  expr.MatrixSymbol("C", m, m, 0),
		Cn: expr.MatrixSymbol("C", n, n, 0),
		P:  expr.MatrixSymbol("P", n, n, 0),
		a:  expr.VectorSymbol("a", m.Mul(n)),
		b:  expr.VectorSymbol("b", m.Mul(q)),
	}
}

type rcase struct {
	name string
	f    func(w *rworld, k *builder) expr.Node
	wrt  func(w *rworld) *expr.Symbol
	want string // the printed J
	// grad: whether grad(f, X) exists (then J = vec(grad)' is checked);
	// otherwise grad must fail with a ReshapeError.
	grad bool
}

// rowCases are scalar functions of a matrix: some with a gradient (J is
// its vec as a row), some that hold vec(X), whose gradient would need a
// reshape and only the row exists.
func rowCases() []rcase {
	X := func(w *rworld) *expr.Symbol { return w.X }
	Y := func(w *rworld) *expr.Symbol { return w.Y }
	S := func(w *rworld) *expr.Symbol { return w.S }
	return []rcase{
		{"tr_AX", func(w *rworld, k *builder) expr.Node { return k.tr(k.mul(w.A, w.X)) }, X, "vec(A')'", true},
		{"tr_XtCX", func(w *rworld, k *builder) expr.Node { return k.tr(k.mul(T(w.X), w.C, w.X)) }, X, "", true},
		{"logdet_Y", func(w *rworld, k *builder) expr.Node { return k.logdet(w.Y) }, Y, "vec(inv(Y)')'", true},
		{"norm_squared", func(w *rworld, k *builder) expr.Node { return k.pow(k.norm(w.X), 2) }, X, "", true},
		{"tr_CnS", func(w *rworld, k *builder) expr.Node { return k.tr(k.mul(w.Cn, w.S)) }, S, "vec(C')'", true},
		{"a_vec_X", func(w *rworld, k *builder) expr.Node { return k.mul(T(w.a), k.vec(w.X)) }, X, "a'", false},
		{"vec_X_a", func(w *rworld, k *builder) expr.Node { return k.mul(T(k.vec(w.X)), w.a) }, X, "a'", false},
		{"a_vec_X_squared", func(w *rworld, k *builder) expr.Node { return k.pow(k.mul(T(w.a), k.vec(w.X)), 2) }, X, "2*(a'*vec(X))*a'", false},
		{"b_vec_XB", func(w *rworld, k *builder) expr.Node { return k.mul(T(w.b), k.vec(k.mul(w.X, w.B))) }, X, "b'*kron(B', eye(m))", false},
		{"a_vec_Xt", func(w *rworld, k *builder) expr.Node { return k.mul(T(w.a), k.vec(T(w.X))) }, X, "a'*K(m, n)", false},
		{"vec_quadratic", func(w *rworld, k *builder) expr.Node {
			return k.mul(T(k.vec(w.Y)), k.kron(w.Cn, w.Y), k.vec(w.Y))
		}, Y, "", false},
		{"vec_plus_trace", func(w *rworld, k *builder) expr.Node {
			return k.add(k.mul(T(w.a), k.vec(w.X)), k.tr(k.mul(w.A, w.X)))
		}, X, "a' + vec(A')'", false},
	}
}

// runRow builds a case's f and takes its Jacobian.
func runRow(c rcase) (*Derivation, *expr.Symbol, error) {
	w, k := newRWorld(), &builder{}
	f := c.f(w, k)
	if k.err != nil {
		return nil, nil, k.err
	}
	x := c.wrt(w)
	d, err := Jacobian(f, x, Options{})
	return d, x, err
}

// TestRowJacobians proves each scalar-by-matrix Jacobian against central
// finite differences of f on non-square shapes, pins it by a golden
// file, and checks it against the gradient: J = vec(grad f)' entry by
// entry where the gradient exists (for an unconstrained X), a
// ReshapeError from grad where it does not.
func TestRowJacobians(t *testing.T) {
	for _, c := range rowCases() {
		t.Run(c.name, func(t *testing.T) {
			d, x, err := runRow(c)
			if err != nil {
				t.Fatal(err)
			}
			if want := (expr.Shape{Rows: expr.Int(1), Cols: vecSize(x.Shape())}); d.Result.Shape() != want {
				t.Errorf("J is %s, want %s", d.Result.Shape(), want)
			}
			if c.want != "" && d.Result.String() != c.want {
				t.Errorf("J = %s, want %s", d.Result, c.want)
			}
			checkGolden(t, d, filepath.Join("testdata", "vec", "row_"+c.name+".tex"))
			for _, p := range mathjaxProblems(d.LaTeX()) {
				t.Errorf("MathJax: %s", p)
			}
			for i, dims := range []map[string]int{{"m": 2, "n": 3, "q": 4}, {"m": 3, "n": 2, "q": 1}} {
				rep, err := d.Verify(&numeric.Options{Seed: uint64(21 + i), Trials: 2, Directions: 2, Dims: dims})
				if err != nil {
					t.Fatalf("numeric check on %v: %v", dims, err)
				}
				if !rep.OK(0) {
					t.Errorf("numeric check on %v failed for %s: %s\n%s", dims, d.Result, rep, rep.Describe())
				}
			}
			g, gerr := Grad(d.F, x, Options{})
			var re *ReshapeError
			switch {
			case !c.grad:
				if !errors.As(gerr, &re) {
					t.Fatalf("grad: error %v, want a ReshapeError", gerr)
				}
				for _, s := range []string{"reshape", "jacobian(" + d.F.String() + ", " + x.Name() + ")", "vec form"} {
					if !strings.Contains(gerr.Error(), s) {
						t.Errorf("grad's error %q does not say %q", gerr, s)
					}
				}
				if strings.Contains(gerr.Error(), "vec(") && !strings.Contains(d.Notes[1], "reshape") {
					t.Errorf("the note does not say the gradient needs a reshape: %s", d.Notes[1])
				}
			case gerr != nil:
				t.Fatalf("grad: %v", gerr)
			case x.Props().Has(expr.Symmetric):
				if !strings.Contains(d.Notes[1], "free") {
					t.Errorf("symmetric %s: the note does not say J treats its entries as free: %s", x.Name(), d.Notes[1])
				}
			default:
				checkRowIsVecGrad(t, d, g)
			}
		})
	}
}

// checkRowIsVecGrad evaluates J and vec(grad f)' at a random point and
// compares them entry by entry.
func checkRowIsVecGrad(t *testing.T, d, g *Derivation) {
	t.Helper()
	vg, err := expr.Vec(g.Result)
	if err != nil {
		t.Fatal(err)
	}
	row := expr.T(vg)
	b, err := numeric.Sample([]expr.Node{d.F, d.Result, row}, &numeric.Options{Seed: 7, Dims: map[string]int{"m": 2, "n": 3, "q": 4}})
	if err != nil {
		t.Fatal(err)
	}
	J, err := numeric.Eval(d.Result, b)
	if err != nil {
		t.Fatal(err)
	}
	G, err := numeric.Eval(row, b)
	if err != nil {
		t.Fatal(err)
	}
	jr, jc := J.Dims()
	if gr, gc := G.Dims(); gr != jr || gc != jc {
		t.Fatalf("J is %d×%d, vec(grad)' %d×%d", jr, jc, gr, gc)
	}
	for k := 0; k < jc; k++ {
		if diff := math.Abs(J.At(0, k) - G.At(0, k)); diff > 1e-9*(1+math.Abs(G.At(0, k))) {
			t.Errorf("J[%d] = %g, vec(grad(f))'[%d] = %g", k, J.At(0, k), k, G.At(0, k))
		}
	}
}

// TestGradReshapeError pins grad's message for a function that holds
// vec(X): what is missing, and what to ask instead.
func TestGradReshapeError(t *testing.T) {
	w, k := newRWorld(), &builder{}
	f := k.mul(T(w.a), k.vec(w.X))
	if k.err != nil {
		t.Fatal(k.err)
	}
	_, err := Grad(f, w.X, Options{Name: "g"})
	var re *ReshapeError
	if !errors.As(err, &re) {
		t.Fatalf("error %v, want a ReshapeError", err)
	}
	want := "dg = a'*vec(dX) has no form tr(M*dX): the gradient would need a reshape of a vector into m×n, which matcalc does not have; jacobian(g, X) gives its vec form, the row J with dg = J*vec(dX)"
	if err.Error() != want {
		t.Errorf("error:\n%s\nwant\n%s", err, want)
	}
	if errors.Unwrap(err) == nil {
		t.Error("the ReshapeError keeps no cause")
	}
	// a vector variable has no reshape to do: vec(dx) = dx.
	n := expr.Named("n")
	x, c := expr.VectorSymbol("x", n), expr.VectorSymbol("c", n.Mul(n))
	if _, err := Grad(k.mul(T(c), k.vec(k.mul(x, T(x)))), x, Options{}); errors.As(err, &re) {
		t.Errorf("grad by a vector: %v", err)
	}
}

// TestRowHessians takes Hessians of scalar functions that hold vec(X),
// whose first differential has no trace form: d²f is read as
// vec(dX₂)ᵀ B vec(dX₁) all the same, checked by finite differences.
func TestRowHessians(t *testing.T) {
	for _, c := range []rcase{
		{"a_vec_X_squared", func(w *rworld, k *builder) expr.Node { return k.pow(k.mul(T(w.a), k.vec(w.X)), 2) }, nil, "2*a*a'", false},
		{"vec_quadratic", func(w *rworld, k *builder) expr.Node {
			return k.mul(T(k.vec(w.X)), k.kron(w.P, w.C), k.vec(w.X))
		}, nil, "kron(P', C') + kron(P, C)", false},
		{"vec_times_trace", func(w *rworld, k *builder) expr.Node {
			return k.mul(k.mul(T(w.a), k.vec(w.X)), k.tr(k.mul(w.A, w.X)))
		}, nil, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			w, k := newRWorld(), &builder{}
			f := c.f(w, k)
			if k.err != nil {
				t.Fatal(k.err)
			}
			d, err := Hessian(f, w.X, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if c.want != "" && d.Result.String() != c.want {
				t.Errorf("H = %s, want %s", d.Result, c.want)
			}
			checkGolden(t, d, filepath.Join("testdata", "vec", "rowhess_"+c.name+".tex"))
			for _, p := range mathjaxProblems(d.LaTeX()) {
				t.Errorf("MathJax: %s", p)
			}
			for i, dims := range []map[string]int{{"m": 2, "n": 3}, {"m": 3, "n": 2}} {
				rep, err := d.Verify(&numeric.Options{Seed: uint64(31 + i), Trials: 2, Directions: 2, Dims: dims})
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
