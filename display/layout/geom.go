package layout

import (
	"image/color"
	"math"
)

// Rect is a box in screen pixels; (X, Y) is its top-left corner.
type Rect struct{ X, Y, W, H float64 }

// Contains reports whether the point (x, y) is inside r.
func (r Rect) Contains(x, y float64) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// Inset shrinks r by d on every side.
func (r Rect) Inset(d float64) Rect {
	return Rect{r.X + d, r.Y + d, math.Max(0, r.W-2*d), math.Max(0, r.H-2*d)}
}

// Right is the x just past r.
func (r Rect) Right() float64 { return r.X + r.W }

// Bottom is the y just below r.
func (r Rect) Bottom() float64 { return r.Y + r.H }

// In reports whether r lies inside o (with half a pixel to spare for rounding).
func (r Rect) In(o Rect) bool {
	const e = 0.5
	return r.X >= o.X-e && r.Y >= o.Y-e && r.Right() <= o.Right()+e && r.Bottom() <= o.Bottom()+e
}

// splitH cuts r into columns of the given weights with gap between them.
func (r Rect) splitH(gap float64, weights ...float64) []Rect {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	free := r.W - gap*float64(len(weights)-1)
	out := make([]Rect, len(weights))
	x := r.X
	for i, w := range weights {
		cw := free * w / total
		out[i] = Rect{x, r.Y, cw, r.H}
		x += cw + gap
	}
	return out
}

// splitV cuts r into rows of the given weights with gap between them.
func (r Rect) splitV(gap float64, weights ...float64) []Rect {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	free := r.H - gap*float64(len(weights)-1)
	out := make([]Rect, len(weights))
	y := r.Y
	for i, w := range weights {
		ch := free * w / total
		out[i] = Rect{r.X, y, r.W, ch}
		y += ch + gap
	}
	return out
}

// takeTop returns the top h of r and what is left below it after gap.
func (r Rect) takeTop(h, gap float64) (top, rest Rect) {
	h = math.Min(h, r.H)
	top = Rect{r.X, r.Y, r.W, h}
	rest = Rect{r.X, r.Y + h + gap, r.W, math.Max(0, r.H-h-gap)}
	return top, rest
}

// takeBottom returns the bottom h of r and what is left above it after gap.
func (r Rect) takeBottom(h, gap float64) (bottom, rest Rect) {
	h = math.Min(h, r.H)
	bottom = Rect{r.X, r.Bottom() - h, r.W, h}
	rest = Rect{r.X, r.Y, r.W, math.Max(0, r.H-h-gap)}
	return bottom, rest
}

// takeLeft returns the left w of r and what is left to its right after gap.
func (r Rect) takeLeft(w, gap float64) (left, rest Rect) {
	w = math.Min(w, r.W)
	left = Rect{r.X, r.Y, w, r.H}
	rest = Rect{r.X + w + gap, r.Y, math.Max(0, r.W-w-gap), r.H}
	return left, rest
}

// The palette: dark text on light surfaces, every text colour at least 7:1
// against every surface it is drawn on (WCAG AAA); tests check each pair.
var (
	Paper   = color.RGBA{0xFB, 0xF8, 0xF1, 0xFF} // page background, warm white
	Card    = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF} // cards
	Ink     = color.RGBA{0x14, 0x14, 0x14, 0xFF} // text
	Muted   = color.RGBA{0x3A, 0x3A, 0x3A, 0xFF} // secondary text, still 7:1
	Line    = color.RGBA{0x5A, 0x5A, 0x5A, 0xFF} // card borders
	Accent  = color.RGBA{0x0B, 0x3D, 0x91, 0xFF} // buttons, links, the clock
	OnDark  = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF} // text on Accent, Alarm, Good and face colours
	NowBg   = color.RGBA{0xFF, 0xEE, 0x99, 0xFF} // the shift on now (also marked in words)
	Alarm   = color.RGBA{0x8E, 0x10, 0x10, 0xFF} // FULDT, LUKKET, refusals (always with words)
	Good    = color.RGBA{0x0E, 0x5A, 0x2A, 0xFF} // signed up (always with words)
	Chip    = color.RGBA{0xE6, 0xE3, 0xDC, 0xFF} // the neutral "+3" chip
	Shade   = color.RGBA{0x00, 0x00, 0x00, 0xB0} // dims the page behind a confirmation
	Blanket = color.RGBA{0x10, 0x10, 0x10, 0xFF} // idle slideshow background
	Calm    = color.RGBA{0xDD, 0xE8, 0xF6, 0xFF} // an info notice from staff
)

// faceColors are the backgrounds for initials: dark enough that white
// letters on them reach 7:1.
var faceColors = []color.RGBA{
	{0x1F, 0x4E, 0x79, 0xFF}, // blue
	{0x6B, 0x2D, 0x5C, 0xFF}, // plum
	{0x1E, 0x56, 0x31, 0xFF}, // green
	{0x7A, 0x33, 0x00, 0xFF}, // rust
	{0x4B, 0x3F, 0x72, 0xFF}, // violet
	{0x0F, 0x52, 0x57, 0xFF}, // teal
	{0x80, 0x1E, 0x3F, 0xFF}, // wine
	{0x3D, 0x3D, 0x3D, 0xFF}, // graphite
}

// Contrast is the WCAG 2 contrast ratio between two opaque colours.
func Contrast(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.RGBA) float64 {
	ch := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.R) + 0.7152*ch(c.G) + 0.0722*ch(c.B)
}
