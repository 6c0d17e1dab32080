package backend

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand/v2"

	"golang.org/x/image/vector"
)

// The demo's pictures are drawn here in code: friendly faces for avatars and
// simple landscapes for the gallery, news and activities. Every picture is a
// pure function of its parameters, so the same demo day always yields the
// same bytes.

type pt struct{ x, y float32 }

// painter fills anti-aliased polygons onto an RGBA image. Each shape is
// rasterized only over its own bounding box, which keeps large pictures fast.
type painter struct {
	dst *image.RGBA
	z   *vector.Rasterizer
}

func newPainter(w, h int) *painter {
	return &painter{dst: image.NewRGBA(image.Rect(0, 0, w, h)), z: vector.NewRasterizer(1, 1)}
}

// fill paints the polygons (holes go the other way round) in col.
func (p *painter) fill(col color.RGBA, polys ...[]pt) {
	minX, minY := float32(math.MaxFloat32), float32(math.MaxFloat32)
	maxX, maxY := float32(-math.MaxFloat32), float32(-math.MaxFloat32)
	for _, poly := range polys {
		for _, q := range poly {
			minX, minY = min(minX, q.x), min(minY, q.y)
			maxX, maxY = max(maxX, q.x), max(maxY, q.y)
		}
	}
	b := p.dst.Bounds()
	r := image.Rect(int(math.Floor(float64(minX))), int(math.Floor(float64(minY))),
		int(math.Ceil(float64(maxX)))+1, int(math.Ceil(float64(maxY)))+1).Intersect(b)
	if r.Empty() {
		return
	}
	ox, oy := float32(r.Min.X), float32(r.Min.Y)
	p.z.Reset(r.Dx(), r.Dy())
	for _, poly := range polys {
		if len(poly) < 3 {
			continue
		}
		p.z.MoveTo(poly[0].x-ox, poly[0].y-oy)
		for _, q := range poly[1:] {
			p.z.LineTo(q.x-ox, q.y-oy)
		}
		p.z.ClosePath()
	}
	p.z.Draw(p.dst, r, image.NewUniform(col), image.Point{})
}

// box fills an axis-aligned rectangle with an opaque colour.
func (p *painter) box(x0, y0, x1, y1 float32, col color.RGBA) {
	r := image.Rect(int(x0), int(y0), int(math.Ceil(float64(x1))), int(math.Ceil(float64(y1))))
	draw.Draw(p.dst, r, image.NewUniform(col), image.Point{}, draw.Src)
}

// gradient fills rows y0..y1 blending from top to bottom.
func (p *painter) gradient(y0, y1 int, top, bottom color.RGBA) {
	b := p.dst.Bounds()
	y0, y1 = max(y0, b.Min.Y), min(y1, b.Max.Y)
	for y := y0; y < y1; y++ {
		t := float64(y-y0) / float64(max(1, y1-y0-1))
		c := mix(top, bottom, t)
		row := p.dst.Pix[p.dst.PixOffset(b.Min.X, y) : p.dst.PixOffset(b.Min.X, y)+4*b.Dx()]
		for i := 0; i < len(row); i += 4 {
			row[i], row[i+1], row[i+2], row[i+3] = c.R, c.G, c.B, 255
		}
	}
}

func mix(a, b color.RGBA, t float64) color.RGBA {
	l := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return color.RGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), l(a.A, b.A)}
}

func rgb(hex uint32) color.RGBA {
	return color.RGBA{uint8(hex >> 16), uint8(hex >> 8), uint8(hex), 255}
}

func alpha(c color.RGBA, a uint8) color.RGBA {
	// color.RGBA is premultiplied.
	f := float64(a) / 255
	return color.RGBA{uint8(float64(c.R) * f), uint8(float64(c.G) * f), uint8(float64(c.B) * f), a}
}

// ellipse is a closed polygon around (cx, cy).
func ellipse(cx, cy, rx, ry float32) []pt {
	n := int(max(24, min(160, (rx+ry)/3)))
	out := make([]pt, n)
	for i := range out {
		a := 2 * math.Pi * float64(i) / float64(n)
		out[i] = pt{cx + rx*float32(math.Cos(a)), cy + ry*float32(math.Sin(a))}
	}
	return out
}

func circle(cx, cy, r float32) []pt { return ellipse(cx, cy, r, r) }

// reverse turns a contour the other way round, making it a hole.
func reverse(poly []pt) []pt {
	out := make([]pt, len(poly))
	for i, q := range poly {
		out[len(poly)-1-i] = q
	}
	return out
}

// arcBand is a thick arc from angle a0 to a1 (radians, y pointing down).
func arcBand(cx, cy, r, width float32, a0, a1 float64) []pt {
	const n = 40
	out := make([]pt, 0, 2*n+2)
	for i := 0; i <= n; i++ {
		a := a0 + (a1-a0)*float64(i)/n
		out = append(out, pt{cx + (r+width/2)*float32(math.Cos(a)), cy + (r+width/2)*float32(math.Sin(a))})
	}
	for i := n; i >= 0; i-- {
		a := a0 + (a1-a0)*float64(i)/n
		out = append(out, pt{cx + (r-width/2)*float32(math.Cos(a)), cy + (r-width/2)*float32(math.Sin(a))})
	}
	return out
}

func rect(x0, y0, x1, y1 float32) []pt {
	return []pt{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
}

// line is a straight stroke of the given width.
func line(a, b pt, width float32) []pt {
	dx, dy := b.x-a.x, b.y-a.y
	l := float32(math.Hypot(float64(dx), float64(dy)))
	if l == 0 {
		return nil
	}
	nx, ny := -dy/l*width/2, dx/l*width/2
	return []pt{{a.x + nx, a.y + ny}, {b.x + nx, b.y + ny}, {b.x - nx, b.y - ny}, {a.x - nx, a.y - ny}}
}

// face describes one drawn avatar.
type face struct {
	Background, Skin, Hair, Clothes color.RGBA
	Hair0                           int // hair style: 0 short, 1 bald, 2 curly, 3 long, 4 bun
	Glasses, Beard                  bool
}

var (
	skinTones   = []uint32{0xF6D7C3, 0xEBC2A0, 0xE0B08A, 0xC99068, 0x9B6646, 0x6B4430}
	greyHair    = []uint32{0xEDEDED, 0xD6D6D6, 0xBDBDBD, 0xA59E96, 0xC9C2B8}
	youngHair   = []uint32{0x2B1E16, 0x5A3A22, 0xA0652F, 0xD8B46A, 0x1A1A1A, 0x8E3B24}
	pastels     = []uint32{0xFFE3A3, 0xBFE3F5, 0xCDEBC4, 0xF7C9D4, 0xDCCEF2, 0xFFD2B0, 0xC6ECE6, 0xF2E6C9}
	clothColors = []uint32{0x3F6FB5, 0xB5473F, 0x4C8C5A, 0x8A5DA8, 0xD98A2B, 0x2F7F86, 0x6B6B6B, 0xC25B87}
)

// randomFace picks a face; elderly faces get grey hair.
func randomFace(r *rand.Rand, elderly, male bool) face {
	f := face{
		Background: rgb(pastels[r.IntN(len(pastels))]),
		Skin:       rgb(skinTones[r.IntN(len(skinTones))]),
		Clothes:    rgb(clothColors[r.IntN(len(clothColors))]),
		Glasses:    r.IntN(100) < 45 && elderly || r.IntN(100) < 15,
	}
	if elderly {
		f.Hair = rgb(greyHair[r.IntN(len(greyHair))])
	} else {
		f.Hair = rgb(youngHair[r.IntN(len(youngHair))])
	}
	if male {
		f.Hair0 = []int{0, 0, 1, 2}[r.IntN(4)]
		if !elderly && f.Hair0 == 1 {
			f.Hair0 = 0
		}
		f.Beard = r.IntN(100) < 25
	} else {
		f.Hair0 = []int{0, 2, 3, 4}[r.IntN(4)]
	}
	return f
}

// drawFace paints a size x size avatar.
func drawFace(f face, size int) *image.RGBA {
	p := newPainter(size, size)
	s := float32(size) / 512 // design on a 512 grid
	c := func(x, y float32) pt { return pt{x * s, y * s} }
	el := func(x, y, rx, ry float32) []pt { return ellipse(x*s, y*s, rx*s, ry*s) }

	p.box(0, 0, float32(size), float32(size), f.Background)
	p.fill(mix(f.Background, rgb(0xFFFFFF), 0.35), el(256, 256, 236, 236))

	// Body and neck.
	p.fill(f.Clothes, el(256, 590, 215, 190))
	p.fill(mix(f.Skin, rgb(0x000000), 0.12), rect(222*s, 330*s, 290*s, 425*s))
	p.fill(mix(f.Clothes, rgb(0xFFFFFF), 0.25), []pt{c(205, 410), c(256, 470), c(307, 410), c(290, 400), c(256, 440), c(222, 400)})

	// Hair behind the head.
	switch f.Hair0 {
	case 3:
		p.fill(f.Hair, el(256, 250, 150, 175), el(150, 310, 44, 95), el(362, 310, 44, 95))
	case 4:
		p.fill(f.Hair, el(256, 78, 58, 52))
	}

	// Ears and head.
	p.fill(f.Skin, el(134, 255, 26, 36), el(378, 255, 26, 36))
	p.fill(f.Skin, el(256, 240, 122, 150))

	// Hair on top.
	switch f.Hair0 {
	case 0, 3, 4:
		cap := make([]pt, 0, 48)
		for i := 0; i <= 40; i++ {
			a := math.Pi + math.Pi*float64(i)/40
			cap = append(cap, c(256+132*float32(math.Cos(a)), 222+142*float32(math.Sin(a))))
		}
		cap = append(cap, c(372, 200), c(330, 160), c(290, 172), c(250, 150), c(200, 172), c(150, 190), c(140, 222))
		p.fill(f.Hair, cap)
	case 1:
		p.fill(f.Hair, el(146, 210, 26, 52), el(366, 210, 26, 52))
	case 2:
		var curls [][]pt
		for i := 0; i <= 10; i++ {
			a := math.Pi + math.Pi*float64(i)/10
			curls = append(curls, el(256+122*float32(math.Cos(a)), 205+125*float32(math.Sin(a)), 42, 42))
		}
		p.fill(f.Hair, curls...)
		p.fill(f.Hair, el(256, 150, 95, 60))
	}

	// Eyebrows, eyes, nose, cheeks, mouth.
	brow := mix(f.Hair, rgb(0x000000), 0.35)
	p.fill(brow, arcBand(206*s, 236*s, 30*s, 8*s, math.Pi*1.2, math.Pi*1.8), arcBand(306*s, 236*s, 30*s, 8*s, math.Pi*1.2, math.Pi*1.8))
	eye := rgb(0x2A2A35)
	p.fill(eye, el(206, 252, 13, 16), el(306, 252, 13, 16))
	p.fill(rgb(0xFFFFFF), el(210, 246, 4, 4), el(310, 246, 4, 4))
	p.fill(mix(f.Skin, rgb(0x000000), 0.18), arcBand(256*s, 276*s, 20*s, 7*s, math.Pi*0.15, math.Pi*0.85))
	p.fill(alpha(rgb(0xF08080), 0x55), el(182, 305, 26, 16), el(330, 305, 26, 16))
	if f.Beard {
		beard := make([]pt, 0, 48)
		for i := 0; i <= 40; i++ {
			a := math.Pi * float64(i) / 40
			beard = append(beard, c(256+116*float32(math.Cos(a)), 270+118*float32(math.Sin(a))))
		}
		beard = append(beard, c(160, 300), c(256, 330), c(352, 300))
		p.fill(f.Hair, beard)
	}
	p.fill(rgb(0xA23B3B), arcBand(256*s, 300*s, 48*s, 10*s, math.Pi*0.18, math.Pi*0.82))

	if f.Glasses {
		frame := rgb(0x3A3A46)
		p.fill(frame, el(206, 254, 40, 34), reverse(el(206, 254, 33, 27)))
		p.fill(frame, el(306, 254, 40, 34), reverse(el(306, 254, 33, 27)))
		p.fill(frame, rect(244*s, 248*s, 268*s, 256*s))
		p.fill(alpha(rgb(0xFFFFFF), 0x30), el(206, 254, 33, 27), el(306, 254, 33, 27))
	}
	return p.dst
}

// Scenes are the demo's photos: simple drawn landscapes.
const (
	sceneBeach   = "beach"
	sceneGarden  = "garden"
	sceneForest  = "forest"
	sceneWinter  = "winter"
	sceneHarbour = "harbour"
	sceneSunset  = "sunset"
	sceneParty   = "party"
	sceneBaking  = "baking"
)

// drawScene paints scene kind at w x h, varied by seed.
func drawScene(kind string, w, h int, seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(0x5ca3e, seed))
	p := newPainter(w, h)
	W, H := float32(w), float32(h)
	horizon := int(H * (0.48 + 0.1*r.Float32()))

	sky := func(top, bottom uint32) { p.gradient(0, horizon+2, rgb(top), rgb(bottom)) }
	sun := func(x, y, rad float32, col uint32) {
		p.fill(rgb(col), circle(x, y, rad))
	}
	clouds := func(n int) {
		for i := 0; i < n; i++ {
			x, y := W*r.Float32(), float32(horizon)*(0.1+0.4*r.Float32())
			s := W * (0.05 + 0.04*r.Float32())
			p.fill(alpha(rgb(0xFFFFFF), 0xE0), ellipse(x, y, s*1.6, s*0.6), ellipse(x-s*0.6, y-s*0.3, s*0.7, s*0.6), ellipse(x+s*0.4, y-s*0.45, s*0.8, s*0.7))
		}
	}
	hill := func(cx, top float32, rx float32, col uint32) {
		p.fill(rgb(col), ellipse(cx, top+rx*0.6, rx, rx*0.6))
		p.box(cx-rx, top+rx*0.6, cx+rx, H, rgb(col))
	}
	pine := func(x, base, height float32, col uint32, snow bool) {
		p.fill(rgb(0x5B3A1E), rect(x-height*0.04, base-height*0.15, x+height*0.04, base))
		for i := 0; i < 3; i++ {
			t := float32(i) * 0.28
			wd := height * (0.36 - float32(i)*0.08)
			y0 := base - height*(0.1+t)
			p.fill(rgb(col), []pt{{x - wd, y0}, {x, y0 - height*0.45}, {x + wd, y0}})
			if snow {
				p.fill(rgb(0xF7FBFF), []pt{{x - wd*0.35, y0 - height*0.29}, {x, y0 - height*0.45}, {x + wd*0.35, y0 - height*0.29}})
			}
		}
	}
	flower := func(x, y, s float32) {
		p.fill(rgb(0x3E7D3A), rect(x-s*0.08, y, x+s*0.08, y+s*2.2))
		col := rgb([]uint32{0xE84A5F, 0xFFD23F, 0xFFFFFF, 0xB86FD8, 0xFF8C42}[r.IntN(5)])
		var petals [][]pt
		for i := 0; i < 6; i++ {
			a := float64(i) * math.Pi / 3
			petals = append(petals, circle(x+s*0.55*float32(math.Cos(a)), y+s*0.55*float32(math.Sin(a)), s*0.42))
		}
		p.fill(col, petals...)
		p.fill(rgb(0xF2B705), circle(x, y, s*0.35))
	}

	switch kind {
	case sceneBeach:
		sky(0x6EC6FF, 0xDDF3FF)
		sun(W*(0.15+0.7*r.Float32()), H*0.15, H*0.07, 0xFFE066)
		clouds(3)
		sea := float32(horizon)
		p.gradient(horizon, int(H*0.8), rgb(0x1F7FB8), rgb(0x55B3D9))
		p.box(0, H*0.8, W, H, rgb(0xF1D9A4))
		for i := 0; i < 10; i++ {
			y := sea + (H*0.78-sea)*r.Float32()
			x := W * r.Float32()
			p.fill(alpha(rgb(0xFFFFFF), 0x90), arcBand(x, y+20, 30, 5, math.Pi*1.2, math.Pi*1.8))
		}
		p.fill(rgb(0xF1D9A4), ellipse(W*0.5, H*0.95, W*0.8, H*0.2))
		bx := W * (0.2 + 0.5*r.Float32())
		p.fill(rgb(0x8B4A2B), []pt{{bx - 110, sea + 60}, {bx + 110, sea + 60}, {bx + 80, sea + 100}, {bx - 80, sea + 100}})
		p.fill(rgb(0xFFFFFF), []pt{{bx, sea - 170}, {bx, sea + 50}, {bx + 100, sea + 50}})
		p.fill(rgb(0xE85D4A), []pt{{bx - 8, sea - 150}, {bx - 8, sea + 50}, {bx - 90, sea + 50}})
	case sceneGarden, sceneParty:
		sky(0x7CC8F2, 0xE7F6FF)
		sun(W*0.82, H*0.14, H*0.07, 0xFFD84D)
		clouds(2)
		p.box(0, float32(horizon), W, H, rgb(0x5C9E43))
		hill(W*0.2, float32(horizon)-40, W*0.45, 0x7BBF5E)
		hill(W*0.85, float32(horizon)-10, W*0.5, 0x69AE4F)
		p.box(0, float32(horizon)+60, W, H, rgb(0x5C9E43))
		if kind == sceneParty {
			// Bunting and balloons over a long table.
			var flags [][]pt
			for i := 0; i < 14; i++ {
				x := W * float32(i) / 14
				y := H*0.12 + 40*float32(math.Sin(float64(i)*0.45))
				flags = append(flags, []pt{{x, y}, {x + W/14, y}, {x + W/28, y + 70}})
			}
			for i, f := range flags {
				p.fill(rgb([]uint32{0xE84A5F, 0xFFFFFF, 0x2F7F86, 0xFFD23F}[i%4]), f)
			}
			for i := 0; i < 6; i++ {
				x, y := W*(0.1+0.8*r.Float32()), H*(0.25+0.15*r.Float32())
				p.fill(rgb(0x444444), line(pt{x, y + 60}, pt{x + 10, y + 240}, 3))
				p.fill(rgb([]uint32{0xE84A5F, 0xB86FD8, 0xFFD23F, 0x3F6FB5}[r.IntN(4)]), ellipse(x, y, 48, 60))
			}
			p.fill(rgb(0xFFFFFF), rect(W*0.15, H*0.68, W*0.85, H*0.74))
			p.fill(rgb(0x8B5A2B), rect(W*0.17, H*0.74, W*0.19, H*0.9), rect(W*0.81, H*0.74, W*0.83, H*0.9))
			for i := 0; i < 7; i++ {
				x := W * (0.2 + 0.1*float32(i))
				p.fill(rgb([]uint32{0xF6C28B, 0xE3E3E3, 0xC0392B}[i%3]), ellipse(x, H*0.665, 34, 16))
			}
		} else {
			for i := 0; i < 18; i++ {
				flower(W*r.Float32(), H*(0.62+0.3*r.Float32()), 26+14*r.Float32())
			}
			tx := W * (0.1 + 0.2*r.Float32())
			p.fill(rgb(0x6B4423), rect(tx-22, float32(horizon)-40, tx+22, float32(horizon)+200))
			p.fill(rgb(0x3E8E41), circle(tx, float32(horizon)-110, 150), circle(tx-90, float32(horizon)-40, 100), circle(tx+90, float32(horizon)-50, 110))
		}
	case sceneForest:
		sky(0x9FD3F0, 0xEEF8FF)
		clouds(3)
		p.box(0, float32(horizon), W, H, rgb(0x8BC07A))
		hill(W*0.5, float32(horizon)-30, W*0.7, 0x8BC07A)
		p.box(0, float32(horizon)+80, W, H, rgb(0x6FA85C))
		p.fill(rgb(0xD9C08F), []pt{{W * 0.45, H}, {W * 0.55, H}, {W * 0.51, float32(horizon) + 80}, {W * 0.49, float32(horizon) + 80}})
		for i := 0; i < 16; i++ {
			x := W * r.Float32()
			if x > W*0.4 && x < W*0.6 {
				x += W * 0.25
			}
			base := float32(horizon) + 80 + (H-float32(horizon)-80)*r.Float32()*0.7
			pine(x, base, 220+260*r.Float32(), []uint32{0x2E6B3A, 0x24583A, 0x3B7D45}[r.IntN(3)], false)
		}
	case sceneWinter:
		sky(0xB8D4E8, 0xF2F7FB)
		p.box(0, float32(horizon), W, H, rgb(0xE9F1F7))
		hill(W*0.25, float32(horizon)-20, W*0.5, 0xE9F1F7)
		hill(W*0.8, float32(horizon)+10, W*0.5, 0xF7FBFF)
		p.box(0, float32(horizon)+90, W, H, rgb(0xFBFDFF))
		for i := 0; i < 10; i++ {
			pine(W*r.Float32(), float32(horizon)+100+200*r.Float32(), 200+200*r.Float32(), 0x2E5E4A, true)
		}
		var flakes [][]pt
		for i := 0; i < 120; i++ {
			flakes = append(flakes, circle(W*r.Float32(), H*r.Float32(), 3+4*r.Float32()))
		}
		p.fill(alpha(rgb(0xFFFFFF), 0xD0), flakes...)
	case sceneHarbour:
		sky(0x86C5EB, 0xE3F2FB)
		clouds(4)
		p.gradient(horizon, int(H), rgb(0x2A7AB0), rgb(0x174E74))
		for i := 0; i < 8; i++ {
			x := W * float32(i) / 8
			hh := 140 + 120*r.Float32()
			col := rgb([]uint32{0xE8B04A, 0xC0392B, 0xF3E9D2, 0x2F7F86, 0xE07A5F}[r.IntN(5)])
			p.fill(col, rect(x+6, float32(horizon)-hh, x+W/8-6, float32(horizon)))
			p.fill(rgb(0x7A3B2E), []pt{{x, float32(horizon) - hh}, {x + W/16, float32(horizon) - hh - 80}, {x + W/8, float32(horizon) - hh}})
			for j := 0; j < 2; j++ {
				wx := x + 30 + float32(j)*(W/16)
				p.fill(rgb(0xFFF6D5), rect(wx, float32(horizon)-hh+40, wx+40, float32(horizon)-hh+90))
			}
		}
		for i := 0; i < 3; i++ {
			bx, by := W*(0.15+0.3*float32(i))+60*r.Float32(), float32(horizon)+120+180*r.Float32()
			p.fill(rgb(0xFFFFFF), []pt{{bx - 130, by}, {bx + 130, by}, {bx + 95, by + 55}, {bx - 95, by + 55}})
			p.fill(rgb(0x444444), rect(bx-4, by-220, bx+4, by))
			p.fill(rgb(0xF4F1E8), []pt{{bx + 8, by - 210}, {bx + 8, by - 10}, {bx + 120, by - 10}})
		}
	case sceneSunset:
		sky(0xF5A25D, 0xFDE3A7)
		sun(W*0.5, float32(horizon), H*0.12, 0xFF7B39)
		p.gradient(horizon, int(H), rgb(0xC8614A), rgb(0x3D2C4E))
		for i := 0; i < 14; i++ {
			y := float32(horizon) + 30 + float32(i)*28
			wd := W * 0.2 * (1 - float32(i)/16)
			p.fill(alpha(rgb(0xFFB36B), 0x90), rect(W*0.5-wd, y, W*0.5+wd, y+8))
		}
		for i := 0; i < 30; i++ {
			x := W * 0.05 * float32(i%6)
			if i >= 15 {
				x = W - x - 20
			}
			p.fill(rgb(0x2B2233), line(pt{x, H}, pt{x + 30*r.Float32() - 15, H - 200 - 200*r.Float32()}, 6))
		}
	case sceneBaking:
		p.gradient(0, h, rgb(0xFFF1DC), rgb(0xF3D9B1))
		p.box(0, H*0.7, W, H, rgb(0x9C6B3F))
		p.fill(rgb(0xFFFFFF), ellipse(W*0.5, H*0.72, W*0.3, H*0.06))
		p.fill(rgb(0xC98B4B), rect(W*0.28, H*0.45, W*0.72, H*0.7), ellipse(W*0.5, H*0.7, W*0.22, H*0.04))
		p.fill(rgb(0xF7E7CE), ellipse(W*0.5, H*0.45, W*0.22, H*0.05), rect(W*0.28, H*0.45, W*0.72, H*0.52))
		for i := 0; i < 9; i++ {
			x := W * (0.32 + 0.045*float32(i))
			p.fill(rgb(0xC0392B), circle(x, H*0.44+10*float32(i%2), 22))
		}
		for i := 0; i < 5; i++ {
			x := W * (0.08 + 0.2*float32(i))
			if i == 2 {
				continue
			}
			p.fill(rgb(0xD9A066), ellipse(x, H*0.85, 70, 45))
			p.fill(rgb(0xFFFFFF), ellipse(x, H*0.83, 30, 10))
		}
	}
	return p.dst
}
