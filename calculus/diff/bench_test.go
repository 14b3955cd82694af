package diff

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/matcalc/matcalc/calculus/expr"
)

var sympy = flag.Bool("sympy", false, "run TestSympyRatio: time SymPy (python3) on the scaling family")

// BenchmarkSeeds derives and renders (plain and LaTeX) every worked
// example of the course text. Target: under 1 ms each.
func BenchmarkSeeds(b *testing.B) {
	for _, c := range seedCases() {
		if c.err != nil {
			continue
		}
		b.Run(c.item+"_"+c.name, func(b *testing.B) {
			w := newWorld()
			for i := 0; i < b.N; i++ {
				d, _, err := run(c, w)
				if err != nil {
					b.Fatal(err)
				}
				_ = d.Plain()
				_ = d.LaTeX()
			}
		})
	}
}

func familyKs() []int { return []int{1, 2, 4, 8, 16, 32, 64} }

// traceFamily is tr(Xᵏ); chainFamily is tr(A₁XA₂X…AₖX).
func traceFamily(k int) (expr.Node, *expr.Symbol, error) {
	n := expr.Named("n")
	X := expr.MatrixSymbol("X", n, n, 0)
	p, err := expr.Pow(X, k)
	if err != nil {
		return nil, nil, err
	}
	f, err := expr.Tr(p)
	return f, X, err
}

func chainFamily(k int) (expr.Node, *expr.Symbol, error) {
	n := expr.Named("n")
	X := expr.MatrixSymbol("X", n, n, 0)
	var fs []expr.Node
	for i := 1; i <= k; i++ {
		fs = append(fs, expr.MatrixSymbol("A"+strconv.Itoa(i), n, n, 0), X)
	}
	p, err := expr.Mul(fs...)
	if err != nil {
		return nil, nil, err
	}
	f, err := expr.Tr(p)
	return f, X, err
}

func gradFamily(fam func(int) (expr.Node, *expr.Symbol, error), k int) (*Derivation, error) {
	f, X, err := fam(k)
	if err != nil {
		return nil, err
	}
	return Grad(f, X, Options{MaxSteps: 1000, MaxSize: 1 << 20})
}

// BenchmarkFamily times the gradient (derivation and result rendering) of
// tr(Xᵏ) and tr(A₁XA₂X…AₖX), k = 1 … 64, and reports the printed size of
// the result: both should grow no worse than quadratically in k.
func BenchmarkFamily(b *testing.B) {
	for _, fam := range []struct {
		name string
		f    func(int) (expr.Node, *expr.Symbol, error)
	}{{"trace", traceFamily}, {"chain", chainFamily}} {
		for _, k := range familyKs() {
			b.Run(fmt.Sprintf("%s/k=%d", fam.name, k), func(b *testing.B) {
				var size int
				for i := 0; i < b.N; i++ {
					d, err := gradFamily(fam.f, k)
					if err != nil {
						b.Fatal(err)
					}
					size = len(d.Result.String())
				}
				b.ReportMetric(float64(size), "result-bytes")
			})
		}
	}
}

// TestFamilyResults pins the family's answers for small k.
func TestFamilyResults(t *testing.T) {
	for _, tt := range []struct {
		fam  func(int) (expr.Node, *expr.Symbol, error)
		k    int
		want string
	}{
		{traceFamily, 1, "eye(n)"},
		{traceFamily, 3, "3*(X')^2"},
		{traceFamily, 64, "64*(X')^63"},
		{chainFamily, 1, "A1'"},
		{chainFamily, 2, "A1'*X'*A2' + A2'*X'*A1'"},
	} {
		d, err := gradFamily(tt.fam, tt.k)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Result.String(); got != tt.want {
			t.Errorf("k = %d: %s, want %s", tt.k, got, tt.want)
		}
	}
	// The printed size grows no worse than quadratically in k.
	var sizes []int
	for _, k := range []int{16, 32, 64} {
		d, err := gradFamily(chainFamily, k)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(d.Result.String()))
	}
	for i := 1; i < len(sizes); i++ {
		if float64(sizes[i]) > 4.5*float64(sizes[i-1]) {
			t.Errorf("doubling k grows the result from %d to %d bytes: worse than quadratic", sizes[i-1], sizes[i])
		}
	}
	d, err := gradFamily(chainFamily, 64)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(d.Result.String(), " + ") + 1; got != 64 {
		t.Errorf("chain k = 64 has %d terms, want 64", got)
	}
}

// TestSympyRatio (go test -run SympyRatio -sympy) times SymPy's
// matrix-expression derivatives on the family in the same run and
// reports the ratio; matcalc must be at least minSympyRatio times faster
// at every point.
func TestSympyRatio(t *testing.T) {
	if !*sympy {
		t.Skip("pass -sympy to compare with SymPy")
	}
	ks := []string{"1", "2", "4", "8", "16"}
	cmd := exec.Command("/usr/bin/python3", append([]string{"testdata/bench/sympy_family.py"}, ks...)...)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("python3 sympy: %v", err)
	}
	fams := map[string]func(int) (expr.Node, *expr.Symbol, error){"trace": traceFamily, "chain": chainFamily}
	sc := bufio.NewScanner(&out)
	t.Logf("%-6s %3s %14s %14s %9s", "family", "k", "matcalc", "sympy", "ratio")
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 4 {
			continue
		}
		k, _ := strconv.Atoi(fs[1])
		sec, _ := strconv.ParseFloat(fs[2], 64)
		// The median of three benchmarks, as the script takes the median
		// of three rounds for SymPy.
		var runs []int64
		for range 3 {
			res := testing.Benchmark(func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := gradFamily(fams[fs[0]], k); err != nil {
						b.Fatal(err)
					}
				}
			})
			runs = append(runs, res.NsPerOp())
		}
		slices.Sort(runs)
		ours := time.Duration(runs[1])
		ratio := sec / ours.Seconds()
		t.Logf("%-6s %3d %14v %14v %8.0f×", fs[0], k, ours, time.Duration(sec*1e9), ratio)
		if ratio < minSympyRatio {
			t.Errorf("%s k = %d: only %.0f× faster than SymPy, want %d×", fs[0], k, ratio, minSympyRatio)
		}
	}
}

// minSympyRatio is how many times faster than SymPy matcalc must be at
// every point of the family (issue 12: at least 400×).
const minSympyRatio = 400
