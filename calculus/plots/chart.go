package plots

// The layout of a figure — title, axes, data, legend — drawn with
// gonum.org/v1/plot/vg/draw alone. It is gonum/plot's own layout, cut to
// what matcalc's figures use, so that the package does not import
// gonum.org/v1/plot: that package's init registers all twelve Liberation
// fonts (4.5 MB of TrueType) in a global cache, and they would all be
// linked into every binary, the browser's WebAssembly module included,
// while the figures use one face, Liberation Sans. Every computation is
// gonum/plot's, in its order, so that the figures are the same to the
// byte (TestFiguresGolden pins them).
//
// Adapted from gonum.org/v1/plot v0.17.0 (plot.go; axis.go in axis.go,
// the rest in items.go): Copyright ©2015 The Gonum Authors, under the
// BSD 3-clause licence reproduced in this repository's LICENSE file.

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A glyphBox is where a glyph is drawn: its place in normalized
// coordinates and its box relative to that place.
type glyphBox struct {
	X, Y float64
	vg.Rectangle
}

// chart is a plot: a title, two axes and the data drawn in the area they
// frame, which is padded so that no glyph at its edge is clipped.
type chart struct {
	title        string
	titleStyle   text.Style
	titlePadding vg.Length
	x, y         axis
	items        []item
	// legend is drawn beside the chart, not in it (see render).
	legend legend
}

// An item is something a chart draws in its data area.
type item interface {
	// plot draws the item on c, the data area of ch.
	plot(c draw.Canvas, ch *chart)
}

// A ranger is an item whose data widen the axes' ranges.
type ranger interface {
	dataRange() (xmin, xmax, ymin, ymax float64)
}

// A glyphBoxer is an item with glyphs the data area is padded for.
type glyphBoxer interface {
	glyphBoxes(ch *chart) []glyphBox
}

// newChart returns a chart with matcalc's fonts and round ticks and an
// empty legend.
func newChart(title string) *chart {
	h := textHandler()
	return &chart{
		title:        title,
		titleStyle:   text.Style{Color: color.Black, Font: textFont(13), XAlign: draw.XCenter, YAlign: draw.YTop, Handler: h},
		titlePadding: vg.Points(6),
		x:            newAxis(false, h),
		y:            newAxis(true, h),
		legend: legend{
			style:      text.Style{Font: textFont(10), Handler: h},
			padding:    vg.Points(3),
			thumbWidth: vg.Points(20),
		},
	}
}

// add adds an item, widening the axes' ranges to its data.
func (ch *chart) add(it item) {
	if r, ok := it.(ranger); ok {
		xmin, xmax, ymin, ymax := r.dataRange()
		ch.x.min = math.Min(ch.x.min, xmin)
		ch.x.max = math.Max(ch.x.max, xmax)
		ch.y.min = math.Min(ch.y.min, ymin)
		ch.y.max = math.Max(ch.y.max, ymax)
	}
	ch.items = append(ch.items, it)
}

// draw draws the chart on c: a white background, the title, the axes
// and the items in the order they were added.
func (ch *chart) draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	if ch.title != "" {
		descent := ch.titleStyle.FontExtents().Descent
		c.FillText(ch.titleStyle, vg.Point{X: c.Center().X, Y: c.Max.Y + descent}, ch.title)
		c.Max.Y -= ch.titleStyle.Rectangle(ch.title).Size().Y
		c.Max.Y -= ch.titlePadding
	}
	ch.x.sanitizeRange()
	ch.y.sanitizeRange()
	ywidth, xheight := ch.y.size(), ch.x.size()
	ch.x.drawHorizontal(ch.padX(draw.Crop(c, ywidth, 0, 0, 0)))
	ch.y.drawVertical(ch.padY(draw.Crop(c, 0, 0, xheight, 0)))
	data := ch.padY(ch.padX(draw.Crop(c, ywidth, 0, xheight, 0)))
	for _, it := range ch.items {
		it.plot(data, ch)
	}
}

// dataCanvas returns the part of c the data are drawn in.
func (ch *chart) dataCanvas(c draw.Canvas) draw.Canvas {
	if ch.title != "" {
		c.Max.Y -= ch.titleStyle.Rectangle(ch.title).Size().Y
		c.Max.Y -= ch.titlePadding
	}
	ch.x.sanitizeRange()
	ch.y.sanitizeRange()
	return ch.padY(ch.padX(draw.Crop(c, ch.y.size(), 0, ch.x.size(), 0)))
}

// transforms returns the maps from data coordinates to c's.
func (ch *chart) transforms(c *draw.Canvas) (x, y func(float64) vg.Length) {
	x = func(v float64) vg.Length { return c.X(ch.x.norm(v)) }
	y = func(v float64) vg.Length { return c.Y(ch.y.norm(v)) }
	return x, y
}

// glyphBoxes returns the glyph boxes of the items that lie in the range
// of the axes.
func (ch *chart) glyphBoxes() (boxes []glyphBox) {
	for _, it := range ch.items {
		gb, ok := it.(glyphBoxer)
		if !ok {
			continue
		}
		for _, b := range gb.glyphBoxes(ch) {
			if b.Size().X > 0 && (b.X < 0 || b.X > 1) {
				continue
			}
			if b.Size().Y > 0 && (b.Y < 0 || b.Y > 1) {
				continue
			}
			boxes = append(boxes, b)
		}
	}
	return boxes
}

// padX narrows c so that the glyphs at the left and right ends of the
// data and the x axis are not clipped.
func (ch *chart) padX(c draw.Canvas) draw.Canvas {
	glyphs := ch.glyphBoxes()
	l := leftMost(&c, glyphs)
	glyphs = append(glyphs, ch.x.glyphBoxes()...)
	r := rightMost(&c, glyphs)
	minx := c.Min.X - l.Min.X
	maxx := c.Max.X - (r.Min.X + r.Size().X)
	lx, rx := vg.Length(l.X), vg.Length(r.X)
	n := (lx*maxx - rx*minx) / (lx - rx)
	m := ((lx-1)*maxx - rx*minx + minx) / (lx - rx)
	return draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: n, Y: c.Min.Y},
		Max: vg.Point{X: m, Y: c.Max.Y},
	}}
}

// padY narrows c so that the glyphs at the bottom and top of the data
// and the y axis are not clipped.
func (ch *chart) padY(c draw.Canvas) draw.Canvas {
	glyphs := ch.glyphBoxes()
	b := bottomMost(&c, glyphs)
	glyphs = append(glyphs, ch.y.glyphBoxes()...)
	t := topMost(&c, glyphs)
	miny := c.Min.Y - b.Min.Y
	maxy := c.Max.Y - (t.Min.Y + t.Size().Y)
	by, ty := vg.Length(b.Y), vg.Length(t.Y)
	n := (by*maxy - ty*miny) / (by - ty)
	m := ((by-1)*maxy - ty*miny + miny) / (by - ty)
	return draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{Y: n, X: c.Min.X},
		Max: vg.Point{Y: m, X: c.Max.X},
	}}
}

// rightMost returns the box reaching furthest right past c.
func rightMost(c *draw.Canvas, boxes []glyphBox) glyphBox {
	maxx := c.Max.X
	r := glyphBox{X: 1}
	for _, b := range boxes {
		if b.Size().X <= 0 {
			continue
		}
		if x := c.X(b.X) + b.Min.X + b.Size().X; x > maxx && b.X <= 1 {
			maxx = x
			r = b
		}
	}
	return r
}

// leftMost returns the box reaching furthest left past c.
func leftMost(c *draw.Canvas, boxes []glyphBox) glyphBox {
	minx := c.Min.X
	l := glyphBox{}
	for _, b := range boxes {
		if b.Size().X <= 0 {
			continue
		}
		if x := c.X(b.X) + b.Min.X; x < minx && b.X >= 0 {
			minx = x
			l = b
		}
	}
	return l
}

// topMost returns the box reaching furthest above c.
func topMost(c *draw.Canvas, boxes []glyphBox) glyphBox {
	maxy := c.Max.Y
	t := glyphBox{Y: 1}
	for _, b := range boxes {
		if b.Size().Y <= 0 {
			continue
		}
		if y := c.Y(b.Y) + b.Min.Y + b.Size().Y; y > maxy && b.Y <= 1 {
			maxy = y
			t = b
		}
	}
	return t
}

// bottomMost returns the box reaching furthest below c.
func bottomMost(c *draw.Canvas, boxes []glyphBox) glyphBox {
	miny := c.Min.Y
	l := glyphBox{}
	for _, b := range boxes {
		if b.Size().Y <= 0 {
			continue
		}
		if y := c.Y(b.Y) + b.Min.Y; y < miny && b.Y >= 0 {
			miny = y
			l = b
		}
	}
	return l
}
