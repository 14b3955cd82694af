package kernelspec

import (
	"image"
	"image/color"
	"math"
)

// Logo draws matcalc's logo, a white nabla ∇ on a rounded blue square, at
// size×size pixels.
func Logo(size int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	bg := color.NRGBA{0x1f, 0x5f, 0xa8, 0xff}
	s := float64(size)
	radius := 0.18 * s
	// Nabla: an inverted triangle outline.
	ax, ay := 0.20*s, 0.24*s // top left
	bx, by := 0.80*s, 0.24*s // top right
	cx, cy := 0.50*s, 0.80*s // bottom
	stroke := 0.10 * s
	const sub = 4 // supersampling per axis
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			var inBox, inMark int
			for j := 0; j < sub; j++ {
				for i := 0; i < sub; i++ {
					px := float64(x) + (float64(i)+0.5)/sub
					py := float64(y) + (float64(j)+0.5)/sub
					if !inRoundedSquare(px, py, s, radius) {
						continue
					}
					inBox++
					outer := inTriangle(px, py, ax, ay, bx, by, cx, cy)
					d := math.Min(distSeg(px, py, ax, ay, bx, by), math.Min(distSeg(px, py, bx, by, cx, cy), distSeg(px, py, cx, cy, ax, ay)))
					if outer && d <= stroke || !outer && d <= stroke*0.15 {
						inMark++
					}
				}
			}
			if inBox == 0 {
				continue
			}
			t := float64(inMark) / float64(inBox)
			mix := func(a uint8) uint8 { return uint8(math.Round(float64(a)*(1-t) + 255*t)) }
			img.SetNRGBA(x, y, color.NRGBA{mix(bg.R), mix(bg.G), mix(bg.B), uint8(math.Round(255 * float64(inBox) / (sub * sub)))})
		}
	}
	return img
}

func inRoundedSquare(x, y, s, r float64) bool {
	cx := math.Min(math.Max(x, r), s-r)
	cy := math.Min(math.Max(y, r), s-r)
	return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
}

func inTriangle(px, py, ax, ay, bx, by, cx, cy float64) bool {
	d1 := (px-bx)*(ay-by) - (ax-bx)*(py-by)
	d2 := (px-cx)*(by-cy) - (bx-cx)*(py-cy)
	d3 := (px-ax)*(cy-ay) - (cx-ax)*(py-ay)
	neg := d1 < 0 || d2 < 0 || d3 < 0
	pos := d1 > 0 || d2 > 0 || d3 > 0
	return !(neg && pos)
}

func distSeg(px, py, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := ((px-ax)*dx + (py-ay)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	qx, qy := ax+t*dx-px, ay+t*dy-py
	return math.Hypot(qx, qy)
}
