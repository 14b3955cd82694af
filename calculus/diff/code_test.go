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

	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/numeric"
)

var gocode = flag.Bool("gocode", false, "build and run the generated gonum code (TestGonumCodeRuns)")

// TestGonumCodeRuns (go test -run GonumCodeRuns -gocode) compiles the
// generated gonum code and compares what it computes with package
// numeric's evaluation of f and of its gradient.
func TestGonumCodeRuns(t *testing.T) {
	if !*gocode {
		t.Skip("pass -gocode to build the generated code")
	}
	w, k := newWorld(), &builder{}
	f := k.add(k.pow(k.norm(k.sub(k.mul(w.Amn, w.x), w.bm)), 2), k.f("log", k.mul(T(w.x), w.P, w.x)), k.sum(k.f("sigmoid", w.x)))
	if k.err != nil {
		t.Fatal(k.err)
	}
	d, err := Grad(f, w.x, Options{})
	if err != nil {
		t.Fatal(err)
	}
	src, err := Code(d, "gonum")
	if err != nil {
		t.Fatal(err)
	}
	b, err := numeric.Sample([]expr.Node{f, d.Result}, &numeric.Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	var main strings.Builder
	main.WriteString("\nfunc main() {\n")
	var args []string
	for _, s := range symbolsOf([]expr.Node{f, d.Result}) {
		v := b.Values[s.Name()]
		r, c := v.Dims()
		fmt.Fprintf(&main, "\t%s := mat.NewDense(%d, %d, %#v)\n", s.Name(), r, c, v.Floats())
		args = append(args, s.Name())
	}
	fmt.Fprintf(&main, "\tv, g, err := f(%s)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n", strings.Join(args, ", "))
	main.WriteString("\tfmt.Println(v)\n\tr, _ := g.Dims()\n\tfor i := 0; i < r; i++ {\n\t\tfmt.Println(g.At(i, 0))\n\t}\n}\n")
	dir, err := os.MkdirTemp("testdata", "gencode")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src+main.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "run", "./"+dir).CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s\n%s", err, out, src+main.String())
	}
	lines := strings.Fields(string(out))
	wantV, err := numeric.Eval(f, b)
	if err != nil {
		t.Fatal(err)
	}
	wantG, err := numeric.Eval(d.Result, b)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]float64{wantV.Value()}, wantG.ToFloat().Floats()...)
	if len(lines) != len(want) {
		t.Fatalf("got %d numbers, want %d: %s", len(lines), len(want), out)
	}
	for i, l := range lines {
		got, err := strconv.ParseFloat(l, 64)
		if err != nil || math.Abs(got-want[i]) > 1e-9*(1+math.Abs(want[i])) {
			t.Errorf("number %d: got %s, want %g", i, l, want[i])
		}
	}
}
