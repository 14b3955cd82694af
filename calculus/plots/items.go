package plots

// What a chart draws — lines, glyphs, the grid — and its legend, drawn
// with gonum.org/v1/plot/vg/draw (see chart.go for why they are not
// gonum/plot's own).
//
// Adapted from gonum.org/v1/plot v0.17.0 (legend.go, plotter/line.go,
// plotter/scatter.go, plotter/grid.go, plotutil/plotutil.go): Copyright
// ©2015 The Gonum Authors, under the BSD 3-clause licence reproduced in
// this repository's LICENSE file.

import (
	"errors"
	"image/color"
	"math"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legend lists names beside samples of what they name, from the top
// left of the canvas it is drawn on.
type legend struct {
	style text.Style
	// padding is kept between entries.
	padding    vg.Length
	thumbWidth vg.Length
	entries    []legendEntry
}

// legendEntry is one line of a legend.
type legendEntry struct {
	text  string
	thumb *line
}

// add adds an entry: name beside a sample of l.
func (lg *legend) add(name string, l *line) {
	lg.entries = append(lg.entries, legendEntry{text: name, thumb: l})
}

// draw draws the legend on c.
func (lg *legend) draw(c draw.Canvas) {
	iconx := c.Min.X
	em := lg.style.Rectangle(" ")
	textx := iconx + lg.thumbWidth + em.Max.X
	descent := lg.style.FontExtents().Descent
	enth := lg.entryHeight()
	y := c.Max.Y - enth - descent
	icon := &draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: iconx, Y: y},
		Max: vg.Point{X: iconx + lg.thumbWidth, Y: y + enth},
	}}
	for _, e := range lg.entries {
		e.thumb.thumbnail(icon)
		yoffs := (enth - descent - lg.style.Rectangle(e.text).Max.Y) / 2
		yoffs += descent
		c.FillText(lg.style, vg.Point{X: textx, Y: icon.Min.Y + yoffs}, e.text)
		icon.Min.Y -= enth + lg.padding
		icon.Max.Y -= enth + lg.padding
	}
}

// rectangle returns where the legend lies in c: its top right corner.
func (lg *legend) rectangle(c draw.Canvas) vg.Rectangle {
	var width, height vg.Length
	entryHeight := lg.entryHeight()
	for i, e := range lg.entries {
		width = vg.Length(math.Max(float64(width), float64(lg.thumbWidth+lg.style.Rectangle(" "+e.text).Max.X)))
		height += entryHeight
		if i != 0 {
			height += lg.padding
		}
	}
	var r vg.Rectangle
	r.Max.X = c.Max.X
	r.Min.X = c.Max.X - width
	r.Max.Y = c.Max.Y
	r.Min.Y = c.Max.Y - height
	return r
}

// entryHeight returns the height of the tallest entry's text.
func (lg *legend) entryHeight() (height vg.Length) {
	for _, e := range lg.entries {
		if h := lg.style.Rectangle(e.text).Max.Y; h > height {
			height = h
		}
	}
	return height
}

// xy is a point of data.
type xy struct{ X, Y float64 }

// errNotFinite is returned for a point to draw that is not finite.
var errNotFinite = errors.New("a point to draw is not a finite number")

// finite checks that every coordinate of pts is finite.
func finite(pts []xy) error {
	for _, p := range pts {
		if math.IsNaN(p.X) || math.IsInf(p.X, 0) || math.IsNaN(p.Y) || math.IsInf(p.Y, 0) {
			return errNotFinite
		}
	}
	return nil
}

// dataRange returns the smallest and largest coordinates of pts.
func dataRange(pts []xy) (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		xmin, xmax = math.Min(xmin, p.X), math.Max(xmax, p.X)
	}
	for _, p := range pts {
		ymin, ymax = math.Min(ymin, p.Y), math.Max(ymax, p.Y)
	}
	return xmin, xmax, ymin, ymax
}

// line is a polyline through points, clipped to the data area.
type line struct {
	pts   []xy
	style draw.LineStyle
}

// newLine returns a black line one point wide through pts, or an error
// if a point is not finite.
func newLine(pts []xy) (*line, error) {
	if err := finite(pts); err != nil {
		return nil, err
	}
	return &line{
		pts:   append([]xy(nil), pts...),
		style: draw.LineStyle{Color: color.Black, Width: vg.Points(1), Dashes: []vg.Length{}},
	}, nil
}

func (l *line) plot(c draw.Canvas, ch *chart) {
	trX, trY := ch.transforms(&c)
	ps := make([]vg.Point, len(l.pts))
	for i, p := range l.pts {
		ps[i] = vg.Point{X: trX(p.X), Y: trY(p.Y)}
	}
	lines := c.ClipLinesXY(ps)
	if l.style.Width == 0 || len(lines) == 0 {
		return
	}
	c.SetLineStyle(l.style)
	for _, seg := range lines {
		if len(seg) == 0 {
			continue
		}
		var p vg.Path
		p.Move(seg[0])
		for _, pt := range seg[1:] {
			p.Line(pt)
		}
		c.Stroke(p)
	}
}

func (l *line) dataRange() (xmin, xmax, ymin, ymax float64) { return dataRange(l.pts) }

// glyphBoxes keeps the line's width at its points inside the data area.
func (l *line) glyphBoxes(ch *chart) []glyphBox {
	r := 0.5 * l.style.Width
	rect := vg.Rectangle{Min: vg.Point{X: -r, Y: -r}, Max: vg.Point{X: +r, Y: +r}}
	bs := make([]glyphBox, len(l.pts))
	for i, p := range l.pts {
		bs[i] = glyphBox{X: ch.x.norm(p.X), Y: ch.y.norm(p.Y), Rectangle: rect}
	}
	return bs
}

// thumbnail draws the line's sample in a legend: a stroke across c.
func (l *line) thumbnail(c *draw.Canvas) {
	if l.style.Width != 0 {
		y := c.Center().Y
		c.StrokeLine2(l.style, c.Min.X, y, c.Max.X, y)
	}
}

// scatter is a glyph at each of its points.
type scatter struct {
	pts   []xy
	glyph draw.GlyphStyle
}

// newScatter returns black rings at pts, or an error if a point is not
// finite.
func newScatter(pts []xy) (*scatter, error) {
	if err := finite(pts); err != nil {
		return nil, err
	}
	return &scatter{
		pts:   append([]xy(nil), pts...),
		glyph: draw.GlyphStyle{Color: color.Black, Radius: vg.Points(2.5), Shape: draw.RingGlyph{}},
	}, nil
}

func (s *scatter) plot(c draw.Canvas, ch *chart) {
	trX, trY := ch.transforms(&c)
	for _, p := range s.pts {
		c.DrawGlyph(s.glyph, vg.Point{X: trX(p.X), Y: trY(p.Y)})
	}
}

func (s *scatter) dataRange() (xmin, xmax, ymin, ymax float64) { return dataRange(s.pts) }

// glyphBoxes keeps the glyphs inside the data area.
func (s *scatter) glyphBoxes(ch *chart) []glyphBox {
	bs := make([]glyphBox, len(s.pts))
	for i, p := range s.pts {
		r := s.glyph.Radius
		bs[i] = glyphBox{X: ch.x.norm(p.X), Y: ch.y.norm(p.Y), Rectangle: vg.Rectangle{
			Min: vg.Point{X: -r, Y: -r},
			Max: vg.Point{X: +r, Y: +r},
		}}
	}
	return bs
}

// grid draws thin grey lines at the labelled ticks of both axes.
type grid struct{}

func (grid) plot(c draw.Canvas, ch *chart) {
	style := draw.LineStyle{Color: color.Gray{Y: 128}, Width: vg.Points(0.25)}
	trX, trY := ch.transforms(&c)
	ymin, ymax, xmin, xmax := c.Min.Y, c.Max.Y, c.Min.X, c.Max.X
	for _, tk := range ch.x.ticks.Ticks(ch.x.min, ch.x.max) {
		if tk.IsMinor() {
			continue
		}
		if x := trX(tk.Value); !(x > xmax || x < xmin) {
			c.StrokeLine2(style, x, ymin, x, ymax)
		}
	}
	for _, tk := range ch.y.ticks.Ticks(ch.y.min, ch.y.max) {
		if tk.IsMinor() {
			continue
		}
		if y := trY(tk.Value); !(y > ymax || y < ymin) {
			c.StrokeLine2(style, xmin, y, xmax, y)
		}
	}
}

// colorN returns the i-th colour of gonum/plot's plotutil.SoftColors,
// the colours of the curves in turn, from the first again after the
// last.
func colorN(i int) color.Color {
	palette := [...]color.RGBA{
		{241, 90, 96, 255},
		{122, 195, 106, 255},
		{90, 155, 212, 255},
		{250, 167, 91, 255},
		{158, 103, 171, 255},
		{206, 112, 88, 255},
		{215, 127, 180, 255},
	}
	n := len(palette)
	return palette[(i%n+n)%n]
}
