package display

import (
	"image/color"
	"math"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// drawIcon draws the pictogram name as a simple line drawing in the square
// (x, y, s). Unknown names get a calendar, so every card has a picture.
func (p *painter) drawIcon(dst *ebiten.Image, name string, x, y, s float32, c color.RGBA) {
	w := s * 0.07 // line width
	// Coordinates below are in a 0..1 box.
	X := func(f float32) float32 { return x + f*s }
	Y := func(f float32) float32 { return y + f*s }
	line := func(x0, y0, x1, y1 float32) { vector.StrokeLine(dst, X(x0), Y(y0), X(x1), Y(y1), w, c, true) }
	circle := func(cx, cy, r float32) { vector.StrokeCircle(dst, X(cx), Y(cy), r*s, w, c, true) }
	dot := func(cx, cy, r float32) { vector.DrawFilledCircle(dst, X(cx), Y(cy), r*s, c, true) }
	rect := func(x0, y0, x1, y1 float32) {
		vector.StrokeRect(dst, X(x0), Y(y0), (x1-x0)*s, (y1-y0)*s, w, c, true)
	}
	fill := func(x0, y0, x1, y1 float32) {
		vector.DrawFilledRect(dst, X(x0), Y(y0), (x1-x0)*s, (y1-y0)*s, c, true)
	}
	triangle := func(x0, y0, x1, y1, x2, y2 float32) {
		var path vector.Path
		path.MoveTo(X(x0), Y(y0))
		path.LineTo(X(x1), Y(y1))
		path.LineTo(X(x2), Y(y2))
		path.Close()
		p.fillPath(dst, &path, c)
	}
	if p.drawSkyIcon(dst, name, x, y, s, c) {
		return
	}
	switch {
	case name == "games": // a die
		p.roundRect(dst, X(0.12), Y(0.12), 0.76*s, 0.76*s, 0.14*s, c)
		p.roundRect(dst, X(0.12)+w, Y(0.12)+w, 0.76*s-2*w, 0.76*s-2*w, 0.14*s-w, p.under)
		for _, d := range [][2]float32{{0.32, 0.32}, {0.68, 0.32}, {0.5, 0.5}, {0.32, 0.68}, {0.68, 0.68}} {
			dot(d[0], d[1], 0.07)
		}
	case name == "music": // a pair of notes
		dot(0.3, 0.75, 0.11)
		dot(0.72, 0.65, 0.11)
		line(0.4, 0.75, 0.4, 0.18)
		line(0.82, 0.65, 0.82, 0.1)
		line(0.4, 0.18, 0.82, 0.1)
		line(0.4, 0.3, 0.82, 0.22)
	case name == "walk": // a walking figure
		dot(0.55, 0.14, 0.09)
		line(0.52, 0.27, 0.45, 0.58)
		line(0.45, 0.58, 0.6, 0.9)
		line(0.45, 0.58, 0.3, 0.9)
		line(0.5, 0.35, 0.7, 0.5)
		line(0.5, 0.35, 0.3, 0.48)
		line(0.78, 0.35, 0.78, 0.92) // the stick
	case name == "exercise": // a dumbbell
		line(0.2, 0.5, 0.8, 0.5)
		fill(0.12, 0.3, 0.24, 0.7)
		fill(0.76, 0.3, 0.88, 0.7)
		fill(0.04, 0.38, 0.12, 0.62)
		fill(0.88, 0.38, 0.96, 0.62)
	case name == "baking" || strings.HasPrefix(name, "meal-") && name != "meal-coffee" && name != "meal-evening": // plate, fork and knife
		circle(0.5, 0.52, 0.27)
		circle(0.5, 0.52, 0.15)
		line(0.1, 0.2, 0.1, 0.85)
		line(0.04, 0.2, 0.04, 0.4)
		line(0.16, 0.2, 0.16, 0.4)
		line(0.04, 0.4, 0.16, 0.4)
		line(0.9, 0.2, 0.9, 0.85)
		fill(0.87, 0.2, 0.95, 0.5)
	case name == "speaker": // a loudspeaker and its sound
		fill(0.08, 0.36, 0.28, 0.64)
		triangle(0.26, 0.36, 0.54, 0.12, 0.54, 0.88)
		triangle(0.26, 0.36, 0.54, 0.88, 0.26, 0.64)
		line(0.68, 0.36, 0.74, 0.5)
		line(0.74, 0.5, 0.68, 0.64)
		line(0.82, 0.24, 0.92, 0.5)
		line(0.92, 0.5, 0.82, 0.76)
	case name == "speaker-stop": // reading: a square to stop it
		fill(0.22, 0.22, 0.78, 0.78)
	case name == "coffee" || name == "meal-coffee" || name == "meal-evening": // a cup
		rect(0.2, 0.35, 0.68, 0.8)
		circle(0.76, 0.55, 0.1)
		line(0.12, 0.88, 0.76, 0.88)
		line(0.35, 0.12, 0.35, 0.25)
		line(0.5, 0.08, 0.5, 0.25)
	case name == "trip": // a bus
		rect(0.1, 0.2, 0.9, 0.72)
		line(0.1, 0.45, 0.9, 0.45)
		line(0.37, 0.2, 0.37, 0.45)
		line(0.63, 0.2, 0.63, 0.45)
		dot(0.28, 0.78, 0.09)
		dot(0.72, 0.78, 0.09)
	case name == "movie": // a screen with a play sign
		rect(0.08, 0.18, 0.92, 0.75)
		triangle(0.42, 0.32, 0.64, 0.465, 0.42, 0.61)
		line(0.3, 0.88, 0.7, 0.88)
	case name == "church": // a church with a cross
		line(0.5, 0.04, 0.5, 0.28)
		line(0.4, 0.12, 0.6, 0.12)
		line(0.2, 0.5, 0.5, 0.28)
		line(0.8, 0.5, 0.5, 0.28)
		rect(0.24, 0.5, 0.76, 0.92)
		fill(0.43, 0.7, 0.57, 0.92)
	case name == "reading": // an open book
		line(0.5, 0.25, 0.5, 0.85)
		line(0.08, 0.2, 0.5, 0.25)
		line(0.92, 0.2, 0.5, 0.25)
		line(0.08, 0.2, 0.08, 0.8)
		line(0.92, 0.2, 0.92, 0.8)
		line(0.08, 0.8, 0.5, 0.85)
		line(0.92, 0.8, 0.5, 0.85)
	case name == "garden": // a flower
		for i := 0; i < 6; i++ {
			a := float64(i) * math.Pi / 3
			circle(0.5+0.15*float32(math.Cos(a)), 0.35+0.15*float32(math.Sin(a)), 0.09)
		}
		dot(0.5, 0.35, 0.07)
		line(0.5, 0.55, 0.5, 0.95)
		line(0.5, 0.78, 0.7, 0.66)
	case name == "meeting": // speech bubbles
		p.roundRect(dst, X(0.06), Y(0.12), 0.58*s, 0.4*s, 0.1*s, c)
		p.roundRect(dst, X(0.06)+w, Y(0.12)+w, 0.58*s-2*w, 0.4*s-2*w, 0.1*s-w, p.under)
		p.roundRect(dst, X(0.36), Y(0.46), 0.58*s, 0.4*s, 0.1*s, c)
		line(0.5, 0.86, 0.44, 0.98)
	case name == "role" || name == "role-nurse": // a staff badge with its clip: a heart for care, a cross for nursing
		rect(0.2, 0.18, 0.8, 0.94)
		fill(0.38, 0.06, 0.62, 0.26)
		line(0.34, 0.82, 0.66, 0.82)
		if name == "role-nurse" {
			fill(0.44, 0.36, 0.56, 0.7)
			fill(0.33, 0.47, 0.67, 0.59)
			break
		}
		dot(0.415, 0.47, 0.09)
		dot(0.585, 0.47, 0.09)
		triangle(0.328, 0.49, 0.672, 0.49, 0.5, 0.7)
	case name == "role-kitchen": // a cook's hat
		dot(0.3, 0.42, 0.16)
		dot(0.7, 0.42, 0.16)
		dot(0.5, 0.3, 0.21)
		fill(0.3, 0.42, 0.7, 0.72)
		fill(0.3, 0.77, 0.7, 0.88)
	case name == "booking": // a key
		circle(0.27, 0.5, 0.16)
		line(0.43, 0.5, 0.92, 0.5)
		line(0.82, 0.5, 0.82, 0.68)
		line(0.68, 0.5, 0.68, 0.63)
	default: // a calendar page
		rect(0.12, 0.18, 0.88, 0.9)
		fill(0.12, 0.18, 0.88, 0.36)
		line(0.32, 0.08, 0.32, 0.26)
		line(0.68, 0.08, 0.68, 0.26)
		for _, d := range [][2]float32{{0.3, 0.52}, {0.5, 0.52}, {0.7, 0.52}, {0.3, 0.72}, {0.5, 0.72}} {
			dot(d[0], d[1], 0.05)
		}
	}
}
