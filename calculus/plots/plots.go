// Package plots draws the figures of matcalc's ODE commands with
// gonum/plot's drawing layer (gonum.org/v1/plot/vg and its SVG and image
// back ends): curves over time (plot(x(t), t = 0..2)) and phase portraits
// of 2×2 systems (phase(A)). It is apart from package ode so that the
// solver builds without a plotting library. The layout is gonum/plot's,
// in chart.go, without gonum.org/v1/plot itself, which would link twelve
// fonts where the figures use one (see chart.go).
//
// Every figure comes in two renderings of one drawing: an SVG document
// (fonts not embedded, asked for by families every browser has, ending in
// the generic sans-serif) and a PNG image, which front ends show where
// they do not trust SVG (an untrusted notebook, GitHub). The legend sits
// in its own column right of the data, so it covers no curve; title, axis
// labels and tick labels stay inside a margin of the canvas; ticks fall
// on round values (1, 2 or 5 times a power of ten).
package plots

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"strconv"
	"strings"

	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure is one plot in two renderings.
type Figure struct {
	// SVG is a complete SVG document.
	SVG string
	// PNG is the same drawing as a PNG image of PNGWidth×PNGHeight
	// pixels, meant to be shown at Width×Height CSS pixels.
	PNG []byte
	// Width and Height are the size of the figure in CSS pixels (1/96
	// inch), the size of the SVG.
	Width, Height int
}

// Canvas size and resolution.
const (
	figWidth  = 6 * vg.Inch
	figHeight = 4 * vg.Inch
	// pngDPI renders the PNG at 1.5 times the CSS pixel density, sharp
	// on most screens at a moderate size.
	pngDPI = 144
	// margin is kept free on every side of the canvas.
	margin = 0.12 * vg.Inch
)

// fontFamily is what the SVG asks the browser for in place of the font
// the layout was measured with (Liberation Sans): Arial and Helvetica
// have the same metrics, and every browser has a sans-serif.
const fontFamily = "Arial, Helvetica, sans-serif"

// textFont is the font of the figure's text: Liberation Sans, embedded
// (so the PNG needs no system font).
func textFont(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
}

// textHandler returns the handler that measures and draws the figure's
// text, with a font cache of the one face the figures use (Liberation
// Sans Regular, the face gonum/plot's collection holds for textFont).
func textHandler() text.Handler {
	face, err := opentype.Parse(liberationsansregular.TTF)
	if err != nil {
		panic(fmt.Sprintf("the embedded Liberation Sans does not parse: %v", err))
	}
	return text.Plain{Fonts: font.NewCache(font.Collection{{Font: textFont(0), Face: face}})}
}

// Curve is one function of t to plot.
type Curve struct {
	Name string
	F    func(t float64) (float64, error)
}

// plotSamples is the number of points per curve.
const plotSamples = 241

// maxPlotCurves bounds the curves of one plot.
const maxPlotCurves = 32

// Curves plots the curves over [t0, t1]. Points where a curve is not
// finite are left out. It is what plot(x(t), t = 0..2) draws.
func Curves(title string, curves []Curve, t0, t1 float64) (fig *Figure, err error) {
	if !(t1 > t0) || math.IsInf(t0, 0) || math.IsInf(t1, 0) {
		return nil, fmt.Errorf("plot range %g..%g: the end must be a finite number above the start", t0, t1)
	}
	if len(curves) == 0 || len(curves) > maxPlotCurves {
		return nil, fmt.Errorf("plot of %d curves (1 to %d)", len(curves), maxPlotCurves)
	}
	defer recoverPlot(&err)
	p := newChart(title)
	p.x.label = "t"
	for i, c := range curves {
		var pts []xy
		for k := 0; k < plotSamples; k++ {
			t := t0 + (t1-t0)*float64(k)/float64(plotSamples-1)
			v, err := c.F(t)
			if err != nil {
				return nil, fmt.Errorf("plot %s at t = %g: %w", c.Name, t, err)
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			pts = append(pts, xy{X: t, Y: v})
		}
		if len(pts) == 0 {
			return nil, fmt.Errorf("plot %s: no finite value on %g..%g", c.Name, t0, t1)
		}
		l, err := newLine(pts)
		if err != nil {
			return nil, fmt.Errorf("plot %s: %w", c.Name, err)
		}
		l.style.Color = colorN(i)
		l.style.Width = vg.Points(1.5)
		p.add(l)
		p.legend.add(c.Name, l)
	}
	p.add(grid{})
	p.x.min, p.x.max = t0, t1
	return render(p)
}

// render draws p with its legend in a column at its right and returns
// both renderings.
func render(p *chart) (*Figure, error) {
	var svgBuf bytes.Buffer
	sc := vgsvg.NewWith(vgsvg.UseWH(figWidth, figHeight), vgsvg.EmbedFonts(false))
	layout(draw.New(sc), p)
	if _, err := sc.WriteTo(&svgBuf); err != nil {
		return nil, fmt.Errorf("render SVG: %w", err)
	}
	ic := vgimg.NewWith(vgimg.UseWH(figWidth, figHeight), vgimg.UseDPI(pngDPI))
	layout(draw.New(ic), p)
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, ic.Image()); err != nil {
		return nil, fmt.Errorf("render PNG: %w", err)
	}
	return &Figure{
		SVG:    genericFonts(svgBuf.String()),
		PNG:    pngBuf.Bytes(),
		Width:  int(math.Round(figWidth.Points() * 96 / 72)),
		Height: int(math.Round(figHeight.Points() * 96 / 72)),
	}, nil
}

// layout draws the plot inside the margin and, when it has entries, the
// legend in a column right of the plot, its top level with the top of
// the data area.
func layout(c draw.Canvas, p *chart) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	area, col, ok := areas(c, p)
	p.draw(area)
	if ok {
		p.legend.draw(col)
	}
}

// areas splits canvas c, less its margin, into the plot's area and the
// legend's column; ok is false when the legend has no entry (the plot
// then gets the whole width).
func areas(c draw.Canvas, p *chart) (area, col draw.Canvas, ok bool) {
	inner := draw.Crop(c, margin, -margin, margin, -margin)
	r := p.legend.rectangle(inner)
	if r.Size().Y == 0 {
		return inner, draw.Canvas{}, false
	}
	// A fifth more than the width measured in Liberation Sans: a browser
	// without Arial or Liberation Sans draws the SVG's text in a wider
	// sans-serif (DejaVu Sans, about 12% wider).
	const gap = vg.Length(8)
	w := r.Size().X*1.2 + gap
	top := inner.Max.Y
	if p.title != "" {
		top -= p.titleStyle.Rectangle(p.title).Size().Y + p.titlePadding
	}
	col = draw.Canvas{Canvas: inner.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: inner.Max.X - w + gap, Y: inner.Min.Y},
		Max: vg.Point{X: inner.Max.X, Y: top},
	}}
	return draw.Crop(inner, 0, -w, 0, 0), col, true
}

// dataAspect returns the width over the height of the area the data of
// p is drawn in, with its present axis ranges and legend.
func dataAspect(p *chart) float64 {
	c := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: figWidth, Y: figHeight}}}
	area, _, _ := areas(c, p)
	d := p.dataCanvas(area).Size()
	return float64(d.X / d.Y)
}

// genericFonts replaces the font family gonum/plot names in the SVG
// (the embedded font's own name) by fontFamily.
func genericFonts(svg string) string {
	return strings.ReplaceAll(svg, "font-family:Liberation Sans;", "font-family:"+fontFamily+";")
}

// RoundTicks puts major ticks at the multiples of a round step (1, 2 or
// 5 times a power of ten) that give 4 to 8 labels, and a minor tick
// halfway between two labels. Labels have as many decimals as the step
// needs, no more.
type RoundTicks struct{}

// Ticks returns the ticks of the range lo..hi.
func (RoundTicks) Ticks(lo, hi float64) []Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return nil
	}
	step := roundStep(hi - lo)
	decimals := 0
	if e := -math.Floor(math.Log10(step) + 1e-9); e > 0 {
		decimals = int(e)
	}
	var ticks []Tick
	first := math.Ceil(lo/step - 1e-9)
	for k := first; k*step <= hi+step*1e-9; k++ {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ticks = append(ticks, Tick{Value: v, Label: strconv.FormatFloat(v, 'f', decimals, 64)})
		if m := v + step/2; m <= hi {
			ticks = append(ticks, Tick{Value: m})
		}
	}
	if m := first*step - step/2; m >= lo {
		ticks = append(ticks, Tick{Value: m})
	}
	return ticks
}

// roundStep returns the smallest step of 1, 2 or 5 times a power of ten
// that cuts span into at most 7 intervals.
func roundStep(span float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(span/7)))
	for _, m := range []float64{1, 2, 5, 10} {
		if span/(m*mag) <= 7 {
			return m * mag
		}
	}
	return 10 * mag
}

// recoverPlot turns a panic of the plotting library into an error.
func recoverPlot(err *error) {
	if r := recover(); r != nil {
		*err = errors.Join(*err, fmt.Errorf("plotting failed: %v", r))
	}
}
