package plots

import (
	"encoding/xml"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/matcalc/matcalc/calculus/linalg"
	"github.com/matcalc/matcalc/calculus/ode"
)

func im(t testing.TB, n int, data ...int64) *linalg.Matrix {
	t.Helper()
	m, err := linalg.NewInts(n, len(data)/n, data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// solutionCurves are the components of x(t).
func solutionCurves(s *ode.Solution) []Curve {
	n, _ := s.A.Dims()
	curves := make([]Curve, n)
	for i := range curves {
		curves[i] = Curve{Name: fmt.Sprintf("x%d(t)", i+1), F: func(t float64) (float64, error) {
			v, err := s.Eval(t)
			if err != nil {
				return 0, err
			}
			return v.At(i, 0), nil
		}}
	}
	return curves
}

// svgPath is one <path> of an SVG document: its points and stroke colour.
type svgPath struct {
	pts    [][2]float64
	stroke string
}

// svgPaths lists the stroked paths made of straight segments only (lines,
// curves, arrows; not text or glyphs).
func svgPaths(t *testing.T, svg string) []svgPath {
	t.Helper()
	svgPathRE := regexp.MustCompile(`<path d="([^"]*)" style="([^"]*)"`)
	svgPtRE := regexp.MustCompile(`[ML](-?[0-9.e+-]+),(-?[0-9.e+-]+)`)
	strokeRE := regexp.MustCompile(`stroke:(#[0-9A-Fa-f]{6})`)
	var out []svgPath
	for _, m := range svgPathRE.FindAllStringSubmatch(svg, -1) {
		st := strokeRE.FindStringSubmatch(m[2])
		if st == nil || strings.ContainsAny(m[1], "ACQ") {
			continue
		}
		var p svgPath
		p.stroke = strings.ToUpper(st[1])
		for _, pt := range svgPtRE.FindAllStringSubmatch(m[1], -1) {
			x, err1 := strconv.ParseFloat(pt[1], 64)
			y, err2 := strconv.ParseFloat(pt[2], 64)
			if err1 != nil || err2 != nil {
				t.Fatalf("bad point %q", pt[0])
			}
			p.pts = append(p.pts, [2]float64{x, y})
		}
		out = append(out, p)
	}
	return out
}

func hexColor(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
}

// curves counts the paths of at least 20 points drawn in colour c.
func curves(paths []svgPath, c color.Color) int {
	n := 0
	for _, p := range paths {
		if p.stroke == hexColor(c) && len(p.pts) >= 20 {
			n++
		}
	}
	return n
}

// TestPlotCurveCounts checks that the plots draw the expected curves:
// one per component over time, and in a phase portrait one trajectory,
// a line per real eigenvector and an arrow per grid point.
func TestPlotCurveCounts(t *testing.T) {
	tests := []struct {
		name    string
		a       []int64
		x0      []int64
		n       int // components
		eigvecs int // eigenvector lines of the phase portrait
	}{
		{"text example (saddle)", []int64{3, -4, 4, -7}, []int64{1, 1}, 2, 2},
		{"spiral", []int64{-1, 2, -2, -1}, []int64{1, 0}, 2, 0},
		{"center", []int64{0, 1, -1, 0}, []int64{1, 0}, 2, 0},
		{"defective node", []int64{2, 1, 0, 2}, []int64{1, 1}, 2, 1},
		{"3×3", []int64{2, 0, 0, 1, 3, 0, 0, 0, -1}, []int64{1, 0, 1}, 3, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := im(t, tt.n, tt.a...)
			x0 := im(t, tt.n, tt.x0...)
			s, err := ode.Solve(a, nil, x0)
			if err != nil {
				t.Fatal(err)
			}
			fig, err := Curves("x(t)", solutionCurves(s), 0, 2)
			if err != nil {
				t.Fatal(err)
			}
			paths := svgPaths(t, fig.SVG)
			for i := 0; i < tt.n; i++ {
				if got := curves(paths, colorN(i)); got != 1 {
					t.Errorf("component %d: %d curves, want 1", i+1, got)
				}
			}
			if tt.eigvecs < 0 {
				return
			}
			fig, _, err = Phase(a, nil, x0)
			if err != nil {
				t.Fatal(err)
			}
			paths = svgPaths(t, fig.SVG)
			if got := curves(paths, colorN(0)); got != 1 {
				t.Errorf("phase portrait: %d trajectories, want 1", got)
			}
			lines := 0
			for i := 2; i < 4; i++ {
				for _, p := range paths {
					// Long ones: the legend shows a short sample too.
					if p.stroke == hexColor(colorN(i)) && len(p.pts) == 2 &&
						math.Hypot(p.pts[1][0]-p.pts[0][0], p.pts[1][1]-p.pts[0][1]) > 100 {
						lines++
					}
				}
			}
			if lines != tt.eigvecs {
				t.Errorf("phase portrait: %d eigenvector lines, want %d", lines, tt.eigvecs)
			}
			arrows := 0
			for _, p := range paths {
				if p.stroke == hexColor(colorN(6)) && len(p.pts) == 2 {
					arrows++
				}
			}
			// A shaft and two strokes of the head per grid point (the
			// steady state, where ẋ = 0, is at no grid point: the grid has
			// an even number of columns).
			if arrows < 3*(22*15-1) || arrows > 3*22*15 {
				t.Errorf("phase portrait: %d arrow strokes, want about %d", arrows, 3*22*15)
			}
		})
	}
}

// TestArrowFieldDirection draws a constant field ẋ = (1, 1) on a window
// three times wider than high, next to the line y = x: on the canvas
// every arrow must be parallel to that line and all arrows of one length
// (plotter.Field turned them by 45° whatever the aspect ratio).
func TestArrowFieldDirection(t *testing.T) {
	field := &dirField{cols: 5, rows: 4, xmin: 0, xmax: 3, ymin: 0, ymax: 1, a: []float64{0, 0, 0, 0}, b: []float64{1, 1}}
	p := newChart("")
	p.add(&arrowField{field: field, style: draw.LineStyle{Color: colorN(6), Width: vg.Points(0.6)}})
	l, err := newLine([]xy{{X: 0, Y: 0}, {X: 1, Y: 1}})
	if err != nil {
		t.Fatal(err)
	}
	l.style.Color = colorN(0)
	p.add(l)
	p.x.min, p.x.max, p.y.min, p.y.max = 0, 3, 0, 1
	fig, err := render(p)
	if err != nil {
		t.Fatal(err)
	}
	var ref []float64
	var shafts [][]float64
	for _, q := range svgPaths(t, fig.SVG) {
		if len(q.pts) != 2 {
			continue
		}
		d := []float64{q.pts[1][0] - q.pts[0][0], q.pts[1][1] - q.pts[0][1]}
		switch q.stroke {
		case hexColor(colorN(0)):
			ref = d
		case hexColor(colorN(6)):
			shafts = append(shafts, d)
		}
	}
	if ref == nil {
		t.Fatal("no reference line in the SVG")
	}
	refAngle := math.Atan2(ref[1], ref[0])
	if math.Abs(refAngle-math.Pi/4) < 0.05 {
		t.Fatalf("the reference line is at 45° on the canvas (%g): the test needs an aspect ratio far from 1", refAngle)
	}
	// Strokes come in threes: the shaft first, then the head.
	if len(shafts) != 3*5*4 {
		t.Fatalf("%d arrow strokes, want %d", len(shafts), 3*5*4)
	}
	length := math.Hypot(shafts[0][0], shafts[0][1])
	for k := 0; k < len(shafts); k += 3 {
		d := shafts[k]
		if got := math.Atan2(d[1], d[0]); math.Abs(got-refAngle) > 0.01 {
			t.Errorf("arrow %d at %.3f rad on the canvas, the line y = x at %.3f", k/3, got, refAngle)
		}
		if got := math.Hypot(d[0], d[1]); math.Abs(got-length) > 0.01 {
			t.Errorf("arrow %d is %.3f long, the first %.3f", k/3, got, length)
		}
	}
}

// svgStats checks that s is well-formed XML with an <svg> root and
// counts its <text> elements equal to each of names.
func svgStats(t *testing.T, s string, names []string) map[string]int {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	counts := map[string]int{}
	root := ""
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("invalid SVG: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			}
			inText = tok.Name.Local == "text"
		case xml.CharData:
			if inText {
				txt := strings.TrimSpace(string(tok))
				for _, n := range names {
					if txt == n {
						counts[n]++
					}
				}
			}
		case xml.EndElement:
			inText = false
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
	return counts
}

func TestPlots(t *testing.T) {
	a := im(t, 3, 2, 0, 0, 1, 3, 0, 0, 0, -1)
	s, err := ode.Solve(a, nil, im(t, 3, 1, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	fig, err := Curves("x(t)", solutionCurves(s), 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"x1(t)", "x2(t)", "x3(t)"}
	counts := svgStats(t, fig.SVG, names)
	for _, n := range names {
		if counts[n] != 1 {
			t.Errorf("legend entry %s appears %d times", n, counts[n])
		}
	}
	a2 := im(t, 2, 3, -4, 4, -7)
	fig, _, err = Phase(a2, nil, im(t, 2, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	counts = svgStats(t, fig.SVG, []string{"trajectory from x(0)", "eigenvector, λ = 1", "eigenvector, λ = -5"})
	for n, c := range counts {
		if c != 1 {
			t.Errorf("%s appears %d times", n, c)
		}
	}
	if len(counts) != 3 {
		t.Errorf("legend entries %v", counts)
	}
	if _, _, err := Phase(a, nil, im(t, 3, 1, 0, 1)); !errors.Is(err, linalg.ErrShape) {
		t.Errorf("3×3 phase portrait: %v", err)
	}
	if _, err := Curves("bad", []Curve{{Name: "f", F: func(float64) (float64, error) { return 0, nil }}}, 1, 0); err == nil {
		t.Errorf("reversed range accepted")
	}
}
