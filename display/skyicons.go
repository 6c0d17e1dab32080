package display

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// drawSkyIcon draws the pictograms of the sky: the part of the day
// (sky-morning, sky-day, sky-evening, sky-night) and the weather
// (weather-<symbol>). Each differs from the others in shape, not only in
// colour: one colour draws them all. It reports false for a name it does
// not know.
func (p *painter) drawSkyIcon(dst *ebiten.Image, name string, x, y, s float32, c color.RGBA) bool {
	w := s * 0.07
	X := func(f float32) float32 { return x + f*s }
	Y := func(f float32) float32 { return y + f*s }
	line := func(x0, y0, x1, y1 float32) { vector.StrokeLine(dst, X(x0), Y(y0), X(x1), Y(y1), w, c, true) }
	dot := func(cx, cy, r float32, col color.RGBA) { vector.DrawFilledCircle(dst, X(cx), Y(cy), r*s, col, true) }
	white := p.under // what the cut-outs are drawn in
	// sun: a disc with rays all round (from, to in turns, 0 = right).
	sun := func(cx, cy, r float32, from, to float64) {
		dot(cx, cy, r, c)
		for i := 0; i < 8; i++ {
			a := float64(i) * math.Pi / 4
			t := a / (2 * math.Pi)
			if t == 0 && from > 0 {
				t = 1 // the ray to the right closes the upper half too
			}
			if t < from || t > to {
				continue
			}
			ca, sa := float32(math.Cos(a)), float32(math.Sin(a))
			line(cx+ca*(r+0.07), cy+sa*(r+0.07), cx+ca*(r+0.17), cy+sa*(r+0.17))
		}
	}
	// cloud: an outlined cloud filling the box from top y0 (its width is
	// most of the box), white inside so what is behind it is hidden.
	cloud := func(y0 float32) {
		parts := []struct{ cx, cy, r float32 }{
			{0.32, y0 + 0.2, 0.15}, {0.52, y0 + 0.13, 0.2}, {0.72, y0 + 0.22, 0.13},
		}
		base := func(grow float32, col color.RGBA) {
			for _, pt := range parts {
				dot(pt.cx, pt.cy, pt.r+grow, col)
			}
			p.roundRect(dst, X(0.12-grow), Y(y0+0.2-grow), (0.76+2*grow)*s, (0.17+2*grow)*s, (0.085+grow)*s, col)
		}
		base(0.035, c)
		base(-0.035, white)
	}
	horizon := func(yh float32) { line(0.04, yh, 0.96, yh) }
	moon := func(cx, cy, r float32) {
		dot(cx, cy, r, c)
		dot(cx+r*0.55, cy-r*0.35, r*0.85, white)
	}
	switch name {
	case "sky-morning": // the sun low, rising over the horizon
		sun(0.5, 0.72, 0.2, 0.5, 1)
		vector.DrawFilledRect(dst, X(0.25), Y(0.72), 0.5*s, 0.25*s, white, true)
		horizon(0.74)
	case "sky-day": // the sun high over the horizon
		sun(0.5, 0.38, 0.2, 0, 1)
		horizon(0.9)
	case "sky-evening": // the sun setting and the moon coming up
		sun(0.38, 0.78, 0.2, 0.5, 1)
		vector.DrawFilledRect(dst, X(0.1), Y(0.8), 0.6*s, 0.2*s, white, true)
		horizon(0.8)
		moon(0.76, 0.22, 0.14)
	case "sky-night": // the moon and stars
		moon(0.45, 0.5, 0.3)
		for _, st := range [][2]float32{{0.8, 0.18}, {0.86, 0.56}, {0.16, 0.14}} {
			line(st[0]-0.08, st[1], st[0]+0.08, st[1])
			line(st[0], st[1]-0.08, st[0], st[1]+0.08)
		}
	case "weather-clear":
		sun(0.5, 0.5, 0.22, 0, 1)
	case "weather-partly_cloudy":
		sun(0.34, 0.34, 0.16, 0, 1)
		cloud(0.36)
	case "weather-cloudy":
		cloud(0.2)
		line(0.2, 0.78, 0.8, 0.78)
	case "weather-fog":
		for i, l := range [][2]float32{{0.1, 0.9}, {0.2, 0.8}, {0.1, 0.9}, {0.25, 0.75}} {
			yy := 0.26 + float32(i)*0.16
			line(l[0], yy, l[1], yy)
		}
	case "weather-drizzle":
		cloud(0.04)
		for _, d := range [][2]float32{{0.3, 0.66}, {0.5, 0.74}, {0.7, 0.66}, {0.4, 0.88}, {0.6, 0.88}} {
			dot(d[0], d[1], 0.035, c)
		}
	case "weather-rain":
		cloud(0.04)
		for _, x0 := range []float32{0.32, 0.5, 0.68} {
			line(x0, 0.62, x0-0.08, 0.92)
		}
	case "weather-sleet":
		cloud(0.04)
		line(0.34, 0.62, 0.27, 0.9)
		line(0.66, 0.62, 0.59, 0.9)
		p.flake(dst, X(0.47), Y(0.78), 0.09*s, w*0.8, c)
	case "weather-snow":
		cloud(0.04)
		for _, f := range [][2]float32{{0.3, 0.75}, {0.7, 0.75}, {0.5, 0.86}} {
			p.flake(dst, X(f[0]), Y(f[1]), 0.09*s, w*0.8, c)
		}
	case "weather-thunder":
		cloud(0.04)
		var bolt vector.Path
		bolt.MoveTo(X(0.52), Y(0.5))
		bolt.LineTo(X(0.3), Y(0.8))
		bolt.LineTo(X(0.47), Y(0.8))
		bolt.LineTo(X(0.38), Y(1))
		bolt.LineTo(X(0.7), Y(0.7))
		bolt.LineTo(X(0.53), Y(0.7))
		bolt.LineTo(X(0.64), Y(0.5))
		bolt.Close()
		p.fillPath(dst, &bolt, c)
	case "weather-wind": // gusts: lines ending in curls
		for _, g := range []struct{ y, x1, r float32 }{{0.3, 0.62, 0.1}, {0.52, 0.78, 0.11}, {0.74, 0.56, 0.09}} {
			line(0.08, g.y, g.x1, g.y)
			var curl vector.Path
			curl.Arc(X(g.x1), Y(g.y-g.r), g.r*s, math.Pi/2, -math.Pi*0.9, vector.CounterClockwise)
			p.strokePath(dst, &curl, w, c)
		}
	default:
		return false
	}
	return true
}

// flake is a six-armed snowflake around (cx, cy).
func (p *painter) flake(dst *ebiten.Image, cx, cy, r, w float32, c color.RGBA) {
	for i := 0; i < 3; i++ {
		a := float64(i)*math.Pi/3 + math.Pi/2
		dx, dy := r*float32(math.Cos(a)), r*float32(math.Sin(a))
		vector.StrokeLine(dst, cx-dx, cy-dy, cx+dx, cy+dy, w, c, true)
	}
}
