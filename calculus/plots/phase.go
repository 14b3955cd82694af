package plots

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/matcalc/matcalc/calculus/linalg"
	"github.com/matcalc/matcalc/calculus/ode"
)

// Phase draws the phase portrait of the 2×2 system ẋ = Ax + b (b may be
// nil): the direction field on a grid, the trajectory from x0 (see
// trajectory), the starting point, the steady state, and the eigenvector
// lines through it when the eigenvalues are real. It also describes in
// words what it draws (the text/plain form of the plot): the kind of
// portrait, the steady state, the eigenvector lines, and the time span
// of the trajectory and why it ends.
func Phase(a, b, x0 *linalg.Matrix) (fig *Figure, desc string, err error) {
	if r, c := a.Dims(); r != 2 || c != 2 {
		return nil, "", fmt.Errorf("a phase portrait needs a 2×2 matrix, not %d×%d: %w", r, c, linalg.ErrShape)
	}
	if r, c := x0.Dims(); r != 2 || c != 1 {
		return nil, "", fmt.Errorf("x(0) is %d×%d, want 2×1: %w", r, c, linalg.ErrShape)
	}
	sol, err := ode.SolveAffine(a, b, x0)
	if err != nil {
		return nil, "", err
	}
	var parts []string
	if st, err := ode.CheckStability(a, b); err == nil && st.Kind != "" {
		parts = append(parts, fmt.Sprintf("%s (%s)", ode.KindPhrase(st.Kind), st.Verdict))
	}
	defer recoverPlot(&err)
	center := [2]float64{0, 0}
	if sol.SteadyState != nil {
		center = [2]float64{sol.SteadyState.At(0, 0), sol.SteadyState.At(1, 0)}
	}
	// Window: the start and the center, with a margin.
	sx, sy := x0.At(0, 0), x0.At(1, 0)
	half := math.Max(math.Max(math.Abs(sx-center[0]), math.Abs(sy-center[1])), 1) * 1.5
	// The canvas is 3:2; so is the window at first (see below).
	xmin, xmax := center[0]-1.5*half, center[0]+1.5*half
	ymin, ymax := center[1]-half, center[1]+half
	if sol.SteadyState != nil {
		parts = append(parts, fmt.Sprintf("steady state x* = %s", sol.SteadyState))
	}
	traj, tEnd, why, err := trajectory(sol, [2]float64{sx, sy}, center, half)
	if err != nil {
		return nil, "", err
	}
	var lines []string
	af := a.Floats()
	var bf []float64
	if b != nil {
		bf = b.Floats()
	}
	field := &dirField{cols: 22, rows: 15, xmin: xmin, xmax: xmax, ymin: ymin, ymax: ymax, a: af, b: bf}
	p := newChart("phase portrait")
	p.x.label = "x"
	p.y.label = "y"
	p.add(&arrowField{field: field, style: draw.LineStyle{Color: colorN(6), Width: vg.Points(0.6)}})
	if eig, err := linalg.Eig(a); err == nil {
		for i, s := range eig.Spaces {
			if s.Vectors == nil {
				continue
			}
			_, g := s.Vectors.Dims()
			for k := 0; k < g; k++ {
				vx, vy := s.Vectors.At(0, k), s.Vectors.At(1, k)
				nv := math.Hypot(vx, vy)
				if nv == 0 {
					continue
				}
				vx, vy = vx/nv*half*3, vy/nv*half*3 // clipped to the window
				l, err := newLine([]xy{{X: center[0] - vx, Y: center[1] - vy}, {X: center[0] + vx, Y: center[1] + vy}})
				if err != nil {
					return nil, "", err
				}
				lines = append(lines, fmt.Sprintf("λ = %.4g", real(s.Value)))
				l.style.Color = colorN(2 + i)
				l.style.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
				p.add(l)
				p.legend.add(fmt.Sprintf("eigenvector, λ = %.4g", real(s.Value)), l)
			}
		}
	}
	if len(lines) > 0 {
		parts = append(parts, "eigenvector lines for "+strings.Join(lines, ", "))
	}
	parts = append(parts, fmt.Sprintf("direction field on a %d×%d grid", field.cols, field.rows),
		fmt.Sprintf("trajectory from x0 = %s for t from 0 to %.3g (%s)", x0, tEnd, why))
	if len(traj) > 1 {
		l, err := newLine(traj)
		if err != nil {
			return nil, "", err
		}
		l.style.Color = colorN(0)
		l.style.Width = vg.Points(2)
		p.add(l)
		p.legend.add("trajectory from x(0)", l)
	}
	pts, err := newScatter([]xy{{X: sx, Y: sy}, {X: center[0], Y: center[1]}})
	if err != nil {
		return nil, "", err
	}
	pts.glyph.Color = colorN(0)
	pts.glyph.Shape = draw.CircleGlyph{}
	p.add(pts)
	p.x.min, p.x.max, p.y.min, p.y.max = xmin, xmax, ymin, ymax
	// Fit the window to the data area's shape, so that circles stay round,
	// keeping at least ±1.5·half across and ±half up and down (the field
	// reads its bounds when it is drawn).
	aspect := dataAspect(p)
	rx, ry := aspect*half, half
	if aspect < 1.5 {
		rx, ry = 1.5*half, 1.5*half/aspect
	}
	field.xmin, field.xmax = center[0]-rx, center[0]+rx
	field.ymin, field.ymax = center[1]-ry, center[1]+ry
	p.x.min, p.x.max, p.y.min, p.y.max = field.xmin, field.xmax, field.ymin, field.ymax
	fig, err = render(p)
	return fig, strings.Join(parts, "; "), err
}

// Trajectory sampling: steps of trajDt up to trajMaxT at the most.
const (
	trajDt   = 0.01
	trajMaxT = 20.0
)

// trajectory samples x(t) from start for t = 0, trajDt, … until t =
// trajMaxT, or sooner when it leaves the window (center ± 2·half), comes
// within 0.2% of the window of the center (it has converged) or comes
// back to within 1% of the start after t = 0.5 (a closed orbit).
// It also returns the last time drawn and why the trajectory ends there.
func trajectory(sol *ode.Solution, start, center [2]float64, half float64) (traj []xy, tEnd float64, why string, err error) {
	why = "the time limit"
	for k := 0; float64(k)*trajDt <= trajMaxT; k++ {
		t := float64(k) * trajDt
		v, err := sol.Eval(t)
		if err != nil {
			return nil, 0, "", err
		}
		x, y := v.At(0, 0), v.At(1, 0)
		if math.IsNaN(x) || math.IsNaN(y) || math.Abs(x-center[0]) > 2*half || math.Abs(y-center[1]) > 2*half {
			why = "it leaves the window"
			break
		}
		traj = append(traj, xy{X: x, Y: y})
		tEnd = t
		if k > 0 && math.Hypot(x-center[0], y-center[1]) < 0.002*half {
			why = "it has reached the steady state"
			break
		}
		if t > 0.5 && math.Hypot(x-start[0], y-start[1]) < 0.01*half {
			why = "a closed orbit: it is back at x0"
			break
		}
	}
	return traj, tEnd, why, nil
}

// dirField is the direction field of ẋ = Ax + b on a grid, with vectors
// scaled to a common length (directions, not speeds).
type dirField struct {
	cols, rows             int
	xmin, xmax, ymin, ymax float64
	a, b                   []float64
}

// Dims returns the grid size.
func (f *dirField) Dims() (c, r int) { return f.cols, f.rows }

// X returns the abscissa of column c: the middle of the c-th of cols
// equal strips of the window, so that no arrow reaches past its edge.
func (f *dirField) X(c int) float64 {
	return f.xmin + (f.xmax-f.xmin)*(float64(c)+0.5)/float64(f.cols)
}

// Y returns the ordinate of row r, the middle of the r-th strip.
func (f *dirField) Y(r int) float64 {
	return f.ymin + (f.ymax-f.ymin)*(float64(r)+0.5)/float64(f.rows)
}

// Vector returns the unit direction of ẋ at grid point (c, r).
func (f *dirField) Vector(c, r int) xy {
	x, y := f.X(c), f.Y(r)
	vx := f.a[0]*x + f.a[1]*y
	vy := f.a[2]*x + f.a[3]*y
	if f.b != nil {
		vx += f.b[0]
		vy += f.b[1]
	}
	n := math.Hypot(vx, vy)
	if n == 0 || math.IsNaN(n) || math.IsInf(n, 0) {
		return xy{}
	}
	return xy{X: vx / n, Y: vy / n}
}

// arrowField draws a direction field as arrows of one length on the
// canvas. (plotter.Field rotates by the angle in data coordinates and
// then scales each axis apart, which turns the arrows when the window's
// aspect ratio is not 1 and thickens their strokes.)
type arrowField struct {
	field *dirField
	style draw.LineStyle
}

// plot draws the arrows: a shaft centred on each grid point, 0.6 of the
// smaller grid spacing long, and a head of two strokes at ±25°.
func (f *arrowField) plot(c draw.Canvas, ch *chart) {
	trX, trY := ch.transforms(&c)
	cols, rows := f.field.Dims()
	if cols < 2 || rows < 2 {
		return
	}
	dx := math.Abs(float64(trX(f.field.X(1)) - trX(f.field.X(0))))
	dy := math.Abs(float64(trY(f.field.Y(1)) - trY(f.field.Y(0))))
	half := 0.3 * math.Min(dx, dy)
	for i := 0; i < cols; i++ {
		for j := 0; j < rows; j++ {
			v := f.field.Vector(i, j)
			if v.X == 0 && v.Y == 0 {
				continue
			}
			x, y := f.field.X(i), f.field.Y(j)
			p := vg.Point{X: trX(x), Y: trY(y)}
			if !c.Contains(p) {
				continue
			}
			// The direction on the canvas: the image of a short step along v.
			step := 1e-3 * math.Max(f.field.xmax-f.field.xmin, f.field.ymax-f.field.ymin)
			q := vg.Point{X: trX(x + step*v.X), Y: trY(y + step*v.Y)}
			ux, uy := float64(q.X-p.X), float64(q.Y-p.Y)
			n := math.Hypot(ux, uy)
			if n == 0 || math.IsNaN(n) {
				continue
			}
			ux, uy = ux/n, uy/n
			tail := vg.Point{X: p.X - vg.Length(half*ux), Y: p.Y - vg.Length(half*uy)}
			tip := vg.Point{X: p.X + vg.Length(half*ux), Y: p.Y + vg.Length(half*uy)}
			c.StrokeLines(f.style, []vg.Point{tail, tip})
			head := 0.6 * half
			for _, a := range []float64{math.Pi - 0.44, math.Pi + 0.44} {
				hx := ux*math.Cos(a) - uy*math.Sin(a)
				hy := ux*math.Sin(a) + uy*math.Cos(a)
				c.StrokeLines(f.style, []vg.Point{tip, {X: tip.X + vg.Length(head*hx), Y: tip.Y + vg.Length(head*hy)}})
			}
		}
	}
}
