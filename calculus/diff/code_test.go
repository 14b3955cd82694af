package diff

import (
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus/builtin"
	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/numeric"
)

var gocode = flag.Bool("gocode", false, "build and run the generated gonum code (TestGonumCodeRuns)")

// python is the interpreter the NumPy code runs under.
const python = "/usr/bin/python3"

// codeCase is one derivation whose generated code is run.
type codeCase struct {
	name string
	f    func(w *world, k *builder) expr.Node
	x    func(w *world) *expr.Symbol
}

// codeCases are the derivations the generated code is run on: those of
// the text's examples that a student would export, and the sum of
// sum(f(x)) over every elementwise function f of package builtin's table
// (one run for all of them: each run starts a Python or a Go build).
func codeCases() []codeCase {
	var names []string
	for _, f := range builtin.All() {
		if f.Kind == builtin.Elementwise && !f.Internal {
			names = append(names, f.Name)
		}
	}
	return append(textCodeCases(), codeCase{"every elementwise function",
		func(w *world, k *builder) expr.Node {
			var terms []expr.Node
			for _, name := range names {
				terms = append(terms, k.sum(k.f(name, w.x)))
			}
			return k.add(terms...)
		}, func(w *world) *expr.Symbol { return w.x }})
}

// textCodeCases are the derivations of the text's examples that a student
// would export.
func textCodeCases() []codeCase {
	return []codeCase{
		{"quadratic form", func(w *world, k *builder) expr.Node { return k.mul(T(w.x), w.A, w.x) },
			func(w *world) *expr.Symbol { return w.x }},
		{"least squares", func(w *world, k *builder) expr.Node { return k.pow(k.norm(k.sub(k.mul(w.Amn, w.x), w.bm)), 2) },
			func(w *world) *expr.Symbol { return w.x }},
		{"pseudo-inverse", func(w *world, k *builder) expr.Node {
			return k.sum(k.ok(expr.Pinv(expr.MatrixSymbol("Y", w.m, w.n, 0))))
		}, func(w *world) *expr.Symbol { return expr.MatrixSymbol("Y", w.m, w.n, 0) }},
		{"log det", func(w *world, k *builder) expr.Node { return k.logdet(w.X) },
			func(w *world) *expr.Symbol { return w.X }},
		{"tr(AX'X)", func(w *world, k *builder) expr.Node { return k.tr(k.mul(w.A, T(w.Y), w.Y)) },
			func(w *world) *expr.Symbol { return w.Y }},
		{"logistic loss", func(w *world, k *builder) expr.Node {
			z := k.had(w.bm, k.mul(w.Amn, w.x))
			return k.sum(k.f("log", k.add(expr.OnesOf(z.Shape()), k.f("exp", expr.Neg(z)))))
		}, func(w *world) *expr.Symbol { return w.x }},
		{"mixed", func(w *world, k *builder) expr.Node {
			return k.add(k.pow(k.norm(k.sub(k.mul(w.Amn, w.x), w.bm)), 2), k.f("log", k.mul(T(w.x), w.P, w.x)), k.sum(k.f("sigmoid", w.x)))
		}, func(w *world) *expr.Symbol { return w.x }},
	}
}

// codeRun derives c, generates its code in lang, and compares the numbers
// run prints (value, then the derivative's entries row by row) with
// package numeric's evaluation of f and of the derivative.
func codeRun(t *testing.T, c codeCase, lang string, run func(src string, b *numeric.Bindings, syms []*expr.Symbol) ([]byte, error)) {
	t.Helper()
	w, k := newWorld(), &builder{}
	f := c.f(w, k)
	if k.err != nil {
		t.Fatal(k.err)
	}
	d, err := Grad(f, c.x(w), Options{})
	if err != nil {
		t.Fatal(err)
	}
	src, err := Code(d, lang)
	if err != nil {
		t.Fatal(err)
	}
	nodes := []expr.Node{f, d.Result}
	b, err := numeric.Sample(nodes, &numeric.Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	out, err := run(src, b, symbolsOf(nodes))
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, src)
	}
	wantV, err := numeric.Eval(f, b)
	if err != nil {
		t.Fatal(err)
	}
	wantG, err := numeric.Eval(d.Result, b)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]float64{wantV.Value()}, wantG.ToFloat().Floats()...)
	lines := strings.Fields(string(out))
	if len(lines) != len(want) {
		t.Fatalf("got %d numbers, want %d: %s\n%s", len(lines), len(want), out, src)
	}
	for i, l := range lines {
		got, err := strconv.ParseFloat(l, 64)
		if err != nil || math.Abs(got-want[i]) > 1e-9*(1+math.Abs(want[i])) {
			t.Errorf("number %d: got %s, want %g\n%s", i, l, want[i], src)
		}
	}
}

// TestNumpyCodeRuns runs the generated NumPy code under /usr/bin/python3
// and compares value and gradient with package numeric's.
func TestNumpyCodeRuns(t *testing.T) {
	if err := exec.Command(python, "-c", "import numpy").Run(); err != nil {
		t.Skipf("%s cannot import numpy (%v): the generated NumPy code is not run", python, err)
	}
	for _, c := range codeCases() {
		t.Run(c.name, func(t *testing.T) {
			codeRun(t, c, "numpy", func(src string, b *numeric.Bindings, syms []*expr.Symbol) ([]byte, error) {
				var main strings.Builder
				main.WriteString("\n\nif __name__ == \"__main__\":\n")
				var args []string
				for _, s := range syms {
					v := b.Values[s.Name()]
					r, c := v.Dims()
					var fs []string
					for _, x := range v.Floats() {
						fs = append(fs, strconv.FormatFloat(x, 'g', -1, 64))
					}
					fmt.Fprintf(&main, "    %s = np.array([%s]).reshape(%d, %d)\n", s.Name(), strings.Join(fs, ", "), r, c)
					args = append(args, s.Name())
				}
				fmt.Fprintf(&main, "    v, g = f(%s)\n", strings.Join(args, ", "))
				main.WriteString("    print(repr(float(v)))\n    for e in np.asarray(g, dtype=float).reshape(-1):\n        print(repr(float(e)))\n")
				cmd := exec.Command(python, "-")
				cmd.Stdin = strings.NewReader(src + main.String())
				return cmd.CombinedOutput()
			})
		})
	}
}

// TestGonumCodeRuns (go test -run GonumCodeRuns -gocode) compiles the
// generated gonum code and compares what it computes with package
// numeric's evaluation of f and of its gradient.
func TestGonumCodeRuns(t *testing.T) {
	if !*gocode {
		t.Skip("pass -gocode to build the generated code")
	}
	for _, c := range codeCases() {
		t.Run(c.name, func(t *testing.T) {
			codeRun(t, c, "gonum", func(src string, b *numeric.Bindings, syms []*expr.Symbol) ([]byte, error) {
				var main strings.Builder
				main.WriteString("\nfunc main() {\n")
				var args []string
				for _, s := range syms {
					v := b.Values[s.Name()]
					r, c := v.Dims()
					fmt.Fprintf(&main, "\t%s := mat.NewDense(%d, %d, %#v)\n", s.Name(), r, c, v.Floats())
					args = append(args, s.Name())
				}
				fmt.Fprintf(&main, "\tv, g, err := f(%s)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n", strings.Join(args, ", "))
				main.WriteString("\tfmt.Println(v)\n\tr, c := g.Dims()\n\tfor i := 0; i < r; i++ {\n\t\tfor j := 0; j < c; j++ {\n\t\t\tfmt.Println(g.At(i, j))\n\t\t}\n\t}\n}\n")
				dir, err := os.MkdirTemp("testdata", "gencode")
				if err != nil {
					return nil, err
				}
				defer os.RemoveAll(dir)
				if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src+main.String()), 0o644); err != nil {
					return nil, err
				}
				return exec.Command("go", "run", "./"+dir).CombinedOutput()
			})
		})
	}
}
