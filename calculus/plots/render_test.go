package plots

import (
	"bytes"
	"image"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus/ode"
)

// figures are the plots of the course text's example (ẋ = 3x − 4y,
// ẏ = 4x − 7y, x(0) = y(0) = 1), of a spiral and of a 3×3 system.
func figures(t *testing.T) map[string]*Figure {
	t.Helper()
	out := map[string]*Figure{}
	for _, c := range []struct {
		name  string
		n     int
		a, x0 []int64
	}{
		{"saddle", 2, []int64{3, -4, 4, -7}, []int64{1, 1}},
		{"spiral", 2, []int64{-1, 2, -2, -1}, []int64{1, 0}},
		{"3×3", 3, []int64{2, 0, 0, 1, 3, 0, 0, 0, -1}, []int64{1, 0, 1}},
	} {
		a, x0 := im(t, c.n, c.a...), im(t, c.n, c.x0...)
		s, err := ode.Solve(a, nil, x0)
		if err != nil {
			t.Fatal(err)
		}
		if out[c.name+" over time"], err = Curves("x(t) of "+c.name, solutionCurves(s), 0, 2); err != nil {
			t.Fatal(err)
		}
		if c.n == 2 {
			if out[c.name+" phase portrait"], _, err = Phase(a, nil, x0); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}

// TestPNG checks the PNG beside every SVG: an image of the figure's size
// at 1.5 times the CSS pixel density, with a blank border (the title, the
// axis labels and the tick labels are inside the canvas), and ink.
func TestPNG(t *testing.T) {
	for name, f := range figures(t) {
		img, err := png.Decode(bytes.NewReader(f.PNG))
		if err != nil {
			t.Fatalf("%s: PNG: %v", name, err)
		}
		b := img.Bounds()
		if f.Width != 576 || f.Height != 384 || b.Dx() != f.Width*3/2 || b.Dy() != f.Height*3/2 {
			t.Errorf("%s: PNG %d×%d for a figure of %d×%d CSS pixels", name, b.Dx(), b.Dy(), f.Width, f.Height)
		}
		const border = 8 // pixels, about half the margin
		dark := 0
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if !white(img, x, y) {
					dark++
					if x < border || y < border || x >= b.Max.X-border || y >= b.Max.Y-border {
						t.Fatalf("%s: ink at (%d, %d), in the blank border of the canvas", name, x, y)
					}
				}
			}
		}
		if dark < b.Dx()*b.Dy()/50 {
			t.Errorf("%s: only %d pixels drawn", name, dark)
		}
	}
}

func white(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return r > 0xf000 && g > 0xf000 && b > 0xf000
}

// TestSVGFonts checks that the SVG asks for fonts every browser has.
func TestSVGFonts(t *testing.T) {
	family := regexp.MustCompile(`font-family:([^;"]*)`)
	for name, f := range figures(t) {
		if strings.Contains(f.SVG, "Liberation") {
			t.Errorf("%s: the SVG names a Liberation font", name)
		}
		fams := family.FindAllStringSubmatch(f.SVG, -1)
		if len(fams) == 0 {
			t.Errorf("%s: no font-family in the SVG", name)
		}
		for _, m := range fams {
			if !strings.HasSuffix(strings.TrimSpace(m[1]), "sans-serif") {
				t.Errorf("%s: font-family %q does not end in a generic family", name, m[1])
			}
		}
	}
}

// TestLegendBesideData checks that the legend covers nothing: every
// stroked path lies wholly left of the legend's column (the data, the
// grid, the axes) or wholly in it (the legend's samples), and the curves
// lie left of it.
func TestLegendBesideData(t *testing.T) {
	textX := regexp.MustCompile(`<text x="([0-9.]+)"[^>]*>([^<]*)</text>`)
	entry := regexp.MustCompile(`^(x\d\(t\)|eigenvector, .*|trajectory from x\(0\))$`)
	for name, f := range figures(t) {
		legendX := 1e9
		for _, m := range textX.FindAllStringSubmatch(f.SVG, -1) {
			if entry.MatchString(m[2]) {
				x, _ := strconv.ParseFloat(m[1], 64)
				legendX = min(legendX, x)
			}
		}
		if legendX == 1e9 {
			t.Fatalf("%s: no legend entry found", name)
		}
		// The column starts a sample (20 pt) and a space (3 pt) before the
		// text.
		col := legendX - 24
		for _, p := range svgPaths(t, f.SVG) {
			left, right := 0, 0
			for _, q := range p.pts {
				if q[0] < col {
					left++
				} else {
					right++
				}
			}
			if left > 0 && right > 0 {
				t.Errorf("%s: a path in %s crosses into the legend's column (x ≥ %.1f): %v", name, p.stroke, col, p.pts[:min(4, len(p.pts))])
			}
		}
		for i := 0; i < 3; i++ {
			if curves(svgPaths(t, f.SVG), colorN(i)) > 0 {
				for _, p := range svgPaths(t, f.SVG) {
					if p.stroke == hexColor(colorN(i)) && len(p.pts) >= 20 && p.pts[0][0] >= col {
						t.Errorf("%s: curve %d drawn in the legend's column", name, i)
					}
				}
			}
		}
	}
}

// TestRoundTicks checks that labelled ticks fall on multiples of 1, 2 or
// 5 times a power of ten, with 0 among them when the range holds it, and
// labels with the decimals the step needs.
func TestRoundTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		want   string
	}{
		{-1.5, 1.5, "-1.5 -1.0 -0.5 0.0 0.5 1.0 1.5"},
		{0, 2, "0.0 0.5 1.0 1.5 2.0"},
		{0.6, 4.9, "1 2 3 4"},
		{-2.25, 2.25, "-2 -1 0 1 2"},
		{0, 100, "0 20 40 60 80 100"},
		{-0.013, 0.021, "-0.010 -0.005 0.000 0.005 0.010 0.015 0.020"},
		{3, 4, "3.0 3.2 3.4 3.6 3.8 4.0"},
	}
	for _, tt := range tests {
		var labels []string
		minor := 0
		for _, tk := range (RoundTicks{}).Ticks(tt.lo, tt.hi) {
			if tk.Value < tt.lo || tk.Value > tt.hi {
				t.Errorf("%g..%g: tick %g outside the range", tt.lo, tt.hi, tk.Value)
			}
			if tk.IsMinor() {
				minor++
				continue
			}
			labels = append(labels, tk.Label)
		}
		if got := strings.Join(labels, " "); got != tt.want {
			t.Errorf("%g..%g: labels %q, want %q", tt.lo, tt.hi, got, tt.want)
		}
		if minor < len(labels)-1 {
			t.Errorf("%g..%g: %d minor ticks for %d labels", tt.lo, tt.hi, minor, len(labels))
		}
	}
}
