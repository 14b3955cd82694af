package plots

// The axes of a chart, drawn with gonum.org/v1/plot/vg/draw (see
// chart.go for why they are not gonum/plot's own).
//
// Adapted from gonum.org/v1/plot v0.17.0 (axis.go): Copyright ©2015 The
// Gonum Authors, under the BSD 3-clause licence reproduced in this
// repository's LICENSE file.

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A Tick is a tick mark on an axis.
type Tick struct {
	// Value is the data value marked.
	Value float64
	// Label is the text at the mark; a minor tick has none.
	Label string
}

// IsMinor reports whether t is a minor tick (one without a label).
func (t Tick) IsMinor() bool { return t.Label == "" }

// lengthOffset is where the line of the tick starts: a minor tick is
// half as long as a major one.
func (t Tick) lengthOffset(length vg.Length) vg.Length {
	if t.IsMinor() {
		return length / 2
	}
	return 0
}

// axis is one axis of a chart, linear, its label centred.
type axis struct {
	min, max   float64
	vertical   bool
	label      string
	labelStyle text.Style
	line       draw.LineStyle
	// padding is kept between the axis line and the data.
	padding    vg.Length
	tickLabel  text.Style
	tickLine   draw.LineStyle
	tickLength vg.Length
	ticks      RoundTicks
}

// newAxis returns an axis with no range yet (every finite value is below
// min and above max), lines half a point wide and 8-point ticks, its
// text drawn by h.
func newAxis(vertical bool, h text.Handler) axis {
	a := axis{
		min:        math.Inf(+1),
		max:        math.Inf(-1),
		vertical:   vertical,
		line:       draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)},
		padding:    vg.Points(5),
		tickLine:   draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)},
		tickLength: vg.Points(8),
	}
	a.labelStyle = text.Style{Color: color.Black, Font: textFont(12), XAlign: draw.XCenter, YAlign: draw.YBottom, Handler: h}
	a.tickLabel = text.Style{Color: color.Black, Font: textFont(10), XAlign: draw.XCenter, YAlign: draw.YTop, Handler: h}
	if vertical {
		a.tickLabel.XAlign, a.tickLabel.YAlign = draw.XRight, draw.YCenter
	}
	return a
}

// sanitizeRange makes the range finite and not empty.
func (a *axis) sanitizeRange() {
	if math.IsInf(a.min, 0) {
		a.min = 0
	}
	if math.IsInf(a.max, 0) {
		a.max = 0
	}
	if a.min > a.max {
		a.min, a.max = a.max, a.min
	}
	if a.min == a.max {
		a.min--
		a.max++
	}
}

// norm returns x as a fraction of the axis range.
func (a *axis) norm(x float64) float64 { return (x - a.min) / (a.max - a.min) }

// drawTicks reports whether the tick marks are drawn.
func (a *axis) drawTicks() bool { return a.tickLine.Width > 0 && a.tickLength > 0 }

// size returns the height of a horizontal axis, the width of a vertical
// one.
func (a *axis) size() (s vg.Length) {
	marks := a.ticks.Ticks(a.min, a.max)
	if !a.vertical {
		if a.label != "" {
			s += a.labelStyle.Height(a.label)
		}
		if len(marks) > 0 {
			if a.drawTicks() {
				s += a.tickLength
			}
			s += tickLabelHeight(a.tickLabel, marks)
		}
	} else {
		if a.label != "" {
			s += a.labelStyle.FontExtents().Descent
			s += a.labelStyle.Height(a.label)
		}
		if len(marks) > 0 {
			if w := tickLabelWidth(a.tickLabel, marks); w > 0 {
				s += w
				s += a.labelStyle.Width(" ")
			}
			if a.drawTicks() {
				s += a.tickLength
			}
		}
	}
	s += a.line.Width / 2
	s += a.padding
	return s
}

// drawHorizontal draws the axis along the lower edge of c.
func (a *axis) drawHorizontal(c draw.Canvas) {
	y := c.Min.Y
	if a.label != "" {
		descent := a.labelStyle.FontExtents().Descent
		c.FillText(a.labelStyle, vg.Point{X: c.Center().X, Y: y + descent}, a.label)
		y += a.labelStyle.Height(a.label)
	}
	marks := a.ticks.Ticks(a.min, a.max)
	height := tickLabelHeight(a.tickLabel, marks)
	descent := a.tickLabel.FontExtents().Descent
	for _, t := range marks {
		x := c.X(a.norm(t.Value))
		if !c.ContainsX(x) || t.IsMinor() {
			continue
		}
		c.FillText(a.tickLabel, vg.Point{X: x, Y: y + height + descent}, t.Label)
	}
	if len(marks) > 0 {
		y += height
	} else {
		y += a.line.Width / 2
	}
	if len(marks) > 0 && a.drawTicks() {
		for _, t := range marks {
			x := c.X(a.norm(t.Value))
			if !c.ContainsX(x) {
				continue
			}
			c.StrokeLine2(a.tickLine, x, y+t.lengthOffset(a.tickLength), x, y+a.tickLength)
		}
		y += a.tickLength
	}
	c.StrokeLine2(a.line, c.Min.X, y, c.Max.X, y)
}

// drawVertical draws the axis along the left edge of c, its label
// turned a quarter counterclockwise.
func (a *axis) drawVertical(c draw.Canvas) {
	x := c.Min.X
	if a.label != "" {
		sty := a.labelStyle
		sty.Rotation += math.Pi / 2
		x += a.labelStyle.Height(a.label)
		descent := a.labelStyle.FontExtents().Descent
		c.FillText(sty, vg.Point{X: x - descent, Y: c.Center().Y}, a.label)
		x += descent
	}
	marks := a.ticks.Ticks(a.min, a.max)
	if w := tickLabelWidth(a.tickLabel, marks); len(marks) > 0 && w > 0 {
		x += w
	}
	major := false
	descent := a.tickLabel.FontExtents().Descent
	for _, t := range marks {
		y := c.Y(a.norm(t.Value))
		if !c.ContainsY(y) || t.IsMinor() {
			continue
		}
		c.FillText(a.tickLabel, vg.Point{X: x, Y: y + descent}, t.Label)
		major = true
	}
	if major {
		x += a.tickLabel.Width(" ")
	}
	if a.drawTicks() && len(marks) > 0 {
		for _, t := range marks {
			y := c.Y(a.norm(t.Value))
			if !c.ContainsY(y) {
				continue
			}
			c.StrokeLine2(a.tickLine, x+t.lengthOffset(a.tickLength), y, x+a.tickLength, y)
		}
		x += a.tickLength
	}
	c.StrokeLine2(a.line, x, c.Min.Y, x, c.Max.Y)
}

// glyphBoxes returns the boxes of the axis label and tick labels, for
// the padding that keeps them on the canvas.
func (a *axis) glyphBoxes() []glyphBox {
	var boxes []glyphBox
	var off vg.Length
	marks := a.ticks.Ticks(a.min, a.max)
	if !a.vertical {
		if a.label != "" {
			descent := a.labelStyle.FontExtents().Descent
			boxes = append(boxes, glyphBox{
				X:         a.norm(0.5 * (a.max + a.min)),
				Rectangle: a.labelStyle.Rectangle(a.label).Add(vg.Point{Y: off + descent}),
			})
			off += a.labelStyle.Height(a.label)
		}
		height := tickLabelHeight(a.tickLabel, marks)
		descent := a.tickLabel.FontExtents().Descent
		for _, t := range marks {
			if !t.IsMinor() {
				boxes = append(boxes, glyphBox{
					X:         a.norm(t.Value),
					Rectangle: a.tickLabel.Rectangle(t.Label).Add(vg.Point{Y: off + height + descent}),
				})
			}
		}
		return boxes
	}
	if a.label != "" {
		sty := a.labelStyle
		sty.Rotation += math.Pi / 2
		off += a.labelStyle.Height(a.label)
		descent := a.labelStyle.FontExtents().Descent
		boxes = append(boxes, glyphBox{
			Y:         a.norm(0.5 * (a.max + a.min)),
			Rectangle: sty.Rectangle(a.label).Add(vg.Point{X: off - descent}),
		})
		off += descent
	}
	if w := tickLabelWidth(a.tickLabel, marks); len(marks) != 0 && w > 0 {
		off += w
	}
	ext := a.tickLabel.FontExtents()
	desc := ext.Height - ext.Ascent // descent + line gap
	for _, t := range marks {
		if !t.IsMinor() {
			boxes = append(boxes, glyphBox{
				Y:         a.norm(t.Value),
				Rectangle: a.tickLabel.Rectangle(t.Label).Add(vg.Point{X: off, Y: desc}),
			})
		}
	}
	return boxes
}

// tickLabelHeight returns the height of the tallest tick label.
func tickLabelHeight(sty text.Style, ticks []Tick) vg.Length {
	h := vg.Length(0)
	for _, t := range ticks {
		if !t.IsMinor() {
			r := sty.Rectangle(t.Label)
			h = max(h, r.Max.Y-r.Min.Y)
		}
	}
	return h
}

// tickLabelWidth returns the width of the widest tick label.
func tickLabelWidth(sty text.Style, ticks []Tick) vg.Length {
	w := vg.Length(0)
	for _, t := range ticks {
		if !t.IsMinor() {
			r := sty.Rectangle(t.Label)
			w = max(w, r.Max.X-r.Min.X)
		}
	}
	return w
}
