package calculus

import (
	"context"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus/builtin"
	"github.com/matcalc/matcalc/calculus/diff"
	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
	"github.com/matcalc/matcalc/calculus/numeric"
)

// TestTable walks the table of package builtin and fails when any piece
// of any function is missing: its help, its spellings and LaTeX, its
// value, its derivative (checked by finite differences), its rendering,
// and its example, which must run in a fresh interpreter. Adding a
// function is one entry there; this test says what the entry lacks.
func TestTable(t *testing.T) {
	in := New()
	for _, f := range builtin.All() {
		t.Run(f.Name, func(t *testing.T) {
			h := f.Help
			if h.Sig == "" || h.Doc == "" || h.Example == "" || h.Rule == "" {
				t.Errorf("help incomplete: %+v", h)
			}
			if !strings.HasPrefix(h.Sig, f.Name) {
				t.Errorf("signature %q does not begin with %s", h.Sig, f.Name)
			}
			switch f.Kind {
			case builtin.Statement:
				if len(f.Args) == 0 {
					t.Errorf("a statement without its words")
				}
				if _, ok := in.commands[f.Name]; !ok {
					t.Errorf("the interpreter does not know the statement")
				}
			default:
				if f.Min < 1 || (f.Max != -1 && f.Max < f.Min) {
					t.Errorf("arity %d..%d", f.Min, f.Max)
				}
				if _, ok := in.fns[f.Name]; !ok && !f.Internal {
					t.Errorf("the interpreter does not know the function")
				}
			}
			if f.Kind != builtin.Command && f.Kind != builtin.Statement {
				if f.NumPy == "" || f.Gonum == "" || f.LaTeX == "" {
					t.Errorf("spelling missing: NumPy %q, gonum %q, LaTeX %q", f.NumPy, f.Gonum, f.LaTeX)
				}
			}
			if f.Kind == builtin.Elementwise {
				elementwise(t, f)
			}
			shapeRule(t, f)
			if f.Callable() {
				d, ok := in.Describe(f.Name)
				if !ok || !strings.Contains(d.Plain, h.Sig) {
					t.Errorf("help on %s: %q, %v", f.Name, d.Plain, ok)
				}
			}
			runExample(t, f)
		})
	}
}

// runExample runs the entry's help example in a fresh interpreter: it
// must run without an error, and a derivative in it must pass the
// numerical check (verify is on by default).
func runExample(t *testing.T, f builtin.Func) {
	t.Helper()
	outs, err := New().Exec(context.Background(), f.Help.Example)
	if err != nil {
		t.Fatalf("example %q: %v", f.Help.Example, err)
	}
	for _, o := range outs {
		t.Logf("%s", o.Plain)
		if strings.Contains(o.Plain, "✗") {
			t.Errorf("example %q fails its check:\n%s", f.Help.Example, o.Plain)
		}
	}
}

// elementwise checks an elementwise entry: every piece present; its
// float value is what linalg computes; its exact values agree with the
// float ones; its derivative, built by diff, agrees with central
// differences of its value; its LaTeX is what the renderer writes.
func elementwise(t *testing.T, f builtin.Func) {
	t.Helper()
	if f.Float == nil || f.Exact == nil || f.Deriv == nil {
		t.Fatalf("value or derivative missing")
	}
	if !strings.Contains(f.NumPy, "{}") {
		t.Errorf("NumPy template %q has no {}", f.NumPy)
	}
	points := []float64{-1.7, -0.4, 0.3, 0.9, 2.2}
	s := expr.ScalarSymbol("s")
	der, err := diff.Derivative(f.Name, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range points {
		if !f.Domain.Contains(x) {
			if _, err := linalg.Elementwise(f.Name, linalg.Float(x)); err == nil {
				t.Errorf("%s(%g) outside the domain: no error", f.Name, x)
			}
			continue
		}
		v, err := linalg.Elementwise(f.Name, linalg.Float(x))
		if err != nil {
			t.Fatal(err)
		}
		if got := v.Value(); got != f.Float(x) {
			t.Errorf("linalg %s(%g) = %g, want %g", f.Name, x, got, f.Float(x))
		}
		h := 1e-5
		fd := (f.Float(x+h) - f.Float(x-h)) / (2 * h)
		dm, err := numeric.Eval(der, &numeric.Bindings{Values: map[string]*linalg.Matrix{"s": linalg.Float(x)}})
		if err != nil {
			t.Fatal(err)
		}
		dv := dm.Value()
		if math.Abs(dv-fd) > 1e-6*(1+math.Abs(fd)) {
			t.Errorf("%s'(%g): the rule %q gives %g, finite differences %g", f.Name, x, f.Help.Rule, dv, fd)
		}
	}
	for _, x := range []*big.Rat{big.NewRat(0, 1), big.NewRat(1, 1), big.NewRat(9, 4), big.NewRat(-3, 2)} {
		if !f.Domain.ContainsRat(x) {
			continue
		}
		fx, _ := x.Float64()
		if v, ok := f.Exact(x); ok {
			if got, _ := v.Float64(); math.Abs(got-f.Float(fx)) > 1e-15 {
				t.Errorf("exact %s(%s) = %s, float %g", f.Name, x.RatString(), v.RatString(), f.Float(fx))
			}
		}
	}
	if f.PowDen != 0 {
		return // built as a power: no node of its own to render
	}
	n, err := expr.Apply(f.Name, expr.VectorSymbol("x", expr.Named("n")))
	if err != nil {
		t.Fatal(err)
	}
	latex := n.LaTeX()
	if f.TeX == builtin.TeXBars {
		if !strings.HasPrefix(latex, `\left|`) {
			t.Errorf("LaTeX %q", latex)
		}
	} else if !strings.HasPrefix(latex, f.LaTeX) {
		t.Errorf("LaTeX %q does not begin with %s", latex, f.LaTeX)
	}
}

// shapeRule checks an entry's shape rule, which the static checker uses,
// against the shape the lowering builds for a call on a square matrix.
func shapeRule(t *testing.T, f builtin.Func) {
	t.Helper()
	if f.Shape == builtin.ShapeOther || !f.Callable() {
		return
	}
	in := New()
	decl := "X : matrix(n, n) spd"
	if f.Vector {
		decl = "X : vector(n)"
	}
	if _, err := in.Exec(context.Background(), decl); err != nil {
		t.Fatal(err)
	}
	n, err := in.Symbolic(f.Name + "(X)")
	if err != nil {
		t.Fatalf("%s(X): %v", f.Name, err)
	}
	want := expr.MatrixShape(expr.Named("n"), expr.Named("n"))
	if f.Vector {
		want = expr.VectorShape(expr.Named("n"))
	}
	if f.Shape == builtin.ShapeScalar {
		want = expr.ScalarShape()
	}
	if n.Shape() != want {
		t.Errorf("%s(X) is %s, but the shape rule says %s", f.Name, n.Shape(), want)
	}
}
