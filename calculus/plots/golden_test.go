package plots

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus/linalg"
)

var update = flag.Bool("update", false, "rewrite testdata/figures.golden")

// goldenFigures are figures of every kind the package draws: curves
// (several, one constant, with gaps where a curve is not finite, more
// curves than colours, large and small values, no title) and phase
// portraits (saddle, spirals, center, nodes, a star, a defective node,
// an affine system with its steady state away from the origin).
func goldenFigures(t *testing.T) map[string]*Figure {
	t.Helper()
	out := figures(t)
	curve := func(name string, f func(t float64) float64) Curve {
		return Curve{Name: name, F: func(t float64) (float64, error) { return f(t), nil }}
	}
	curveSets := []struct {
		name   string
		title  string
		curves []Curve
		t0, t1 float64
	}{
		{"constant", "c(t)", []Curve{curve("c", func(float64) float64 { return 2 })}, 0, 1},
		{"gaps", "gaps", []Curve{
			curve("log(t - 1)", math.Log1p),
			curve("1/t", func(t float64) float64 { return 1 / t }),
		}, -2, 3},
		{"nine curves", "x(t)", func() []Curve {
			var cs []Curve
			for k := 1; k <= 9; k++ {
				cs = append(cs, curve(fmt.Sprintf("sin(%dt)", k), func(t float64) float64 { return math.Sin(float64(k) * t) }))
			}
			return cs
		}(), 0, 6.5},
		{"large", "", []Curve{curve("exp(t)", math.Exp)}, 0, 15},
		{"small", "tiny", []Curve{curve("t²/1000", func(t float64) float64 { return t * t / 1000 })}, -0.01, 0.02},
	}
	for _, c := range curveSets {
		fig, err := Curves(c.title, c.curves, c.t0, c.t1)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		out["curves "+c.name] = fig
	}
	phases := []struct {
		name     string
		a, b, x0 []int64
	}{
		{"center", []int64{0, 1, -1, 0}, nil, []int64{1, 0}},
		{"defective node", []int64{2, 1, 0, 2}, nil, []int64{1, 1}},
		{"star", []int64{-1, 0, 0, -1}, nil, []int64{2, 1}},
		{"stable node", []int64{-3, 1, 0, -1}, nil, []int64{1, 2}},
		{"unstable spiral", []int64{1, -3, 3, 1}, nil, []int64{1, 0}},
		{"affine", []int64{-1, 1, -1, -2}, []int64{3, 1}, []int64{0, 0}},
		{"far start", []int64{-1, 0, 0, -2}, nil, []int64{40, -25}},
	}
	for _, c := range phases {
		a, x0 := im(t, 2, c.a...), im(t, 2, c.x0...)
		var b *linalg.Matrix
		if c.b != nil {
			b = im(t, 2, c.b...)
		}
		fig, _, err := Phase(a, b, x0)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		out["phase "+c.name] = fig
	}
	return out
}

// TestFiguresGolden pins every byte of the SVG and PNG renderings of
// goldenFigures (by their SHA-256): a change of the drawing code that
// moves a point or a glyph shows up here. go test -update rewrites the
// file after a change that is meant.
func TestFiguresGolden(t *testing.T) {
	figs := goldenFigures(t)
	names := make([]string, 0, len(figs))
	for n := range figs {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		f := figs[n]
		fmt.Fprintf(&b, "%s\tsvg %x\tpng %x\n", n, sha256.Sum256([]byte(f.SVG)), sha256.Sum256(f.PNG))
	}
	path := filepath.Join("testdata", "figures.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("figures differ from %s (go test -update rewrites it):\ngot:\n%swant:\n%s", path, got, want)
	}
}
