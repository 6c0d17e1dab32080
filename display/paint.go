package display

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"skaerm/display/layout"
	"skaerm/internal/picture"
)

// painter paints a layout.Page onto an image. Faces, pictures, icons and
// initials are rendered once into offscreen images and reused while they
// are on screen; text is drawn straight from Ebitengine's glyph cache,
// which costs less than a texture per line (docs/benchmarks.md). It
// belongs to the game goroutine.
type painter struct {
	faces  [2]*text.GoTextFaceSource // regular, bold
	white  *ebiten.Image             // 1x1 white source for filled paths
	texts  map[textKey]*cached       // initials on faces without a picture
	scaled map[scaledKey]*cached     // faces and pictures at their drawn size
	discs  map[discKey]*cached
	icons  map[iconKey]*cached
	under  color.RGBA // the ground of the icon being drawn (icon)
	round  uint64     // counts paints, for eviction
	// broken remembers pictures that would not decode, so a bad file costs
	// one attempt and one log line, not one per paint.
	broken   map[*still]bool
	onBroken func(key string, err error)
	// shown is what the target shows now (nil: unknown, paint it whole);
	// lastDrawn and lastClip say what the last paint did.
	shown     *onScreen
	lastDrawn int
	lastClip  image.Rectangle
	// madeBig says a big picture was decoded, or a texture for big
	// pictures made or freed, since the caller last looked: megabytes of
	// garbage on the Go heap, and the GL driver's memory moved.
	madeBig bool
	// pix is the buffer a big picture's pixels are put together in before
	// they are uploaded, kept from one slide to the next.
	pix []byte
}

// bigPicture is the size (in pixels) from which a scaled picture gets a
// texture of its own, outside Ebitengine's atlas, and is freed as soon as
// a whole paint no longer shows it: a photo of the slideshow is 1.5
// megapixels at 1080p, and on the atlas the slideshow's photos grew it to a
// 4096x4096 page (64 MiB) that is never given back.
const bigPicture = 1 << 19

type textKey struct {
	s    string
	size float64
	bold bool
	c    color.RGBA
}

type scaledKey struct {
	hash string
	w, h int
	face bool
}

type cached struct {
	img  *ebiten.Image
	used uint64
	// slot is the texture a big picture was written into (img is the part
	// of it the picture fills); the next big picture is written into the
	// same one when it fits. nil for other images.
	slot *ebiten.Image
	// opaque says every pixel of a big picture is opaque (a JPEG photo).
	opaque bool
}

// free gives the image's texture back (a sub-image cannot be freed: its
// slot is).
func (c *cached) free() {
	if c.slot != nil {
		c.slot.Deallocate()
		return
	}
	c.img.Deallocate()
}

func newPainter(regular, bold *text.GoTextFaceSource) *painter {
	w := ebiten.NewImage(3, 3)
	w.Fill(color.White)
	return &painter{
		faces:    [2]*text.GoTextFaceSource{regular, bold},
		white:    w.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image),
		texts:    map[textKey]*cached{},
		scaled:   map[scaledKey]*cached{},
		discs:    map[discKey]*cached{},
		icons:    map[iconKey]*cached{},
		broken:   map[*still]bool{},
		onBroken: func(string, error) {},
	}
}

// drawn is one item as it was painted, with the picture it showed (nil
// for none), so a picture that arrives for an unchanged item is a change.
type drawn struct {
	it  layout.Item
	src *still
}

// onScreen is what the painter last painted onto its target.
type onScreen struct {
	bg    color.RGBA
	items []drawn
}

// Above this share of the screen a change is painted whole.
const partialMax = 0.4

// paint draws page onto dst; media holds the board's pictures by hash.
// When dst still shows the page painted last (forget was not called), only
// the region where the two differ is painted again: a minute turn repaints the
// clock, not the screen, and a change nobody can see (a new sync time, an
// unchanged board) paints nothing. It reports whether it painted.
func (p *painter) paint(dst *ebiten.Image, page *layout.Page, media, assets map[string]*still) bool {
	next := onScreen{bg: page.Bg, items: make([]drawn, len(page.Items))}
	for i, it := range page.Items {
		next.items[i] = drawn{it, sourceOf(it, media, assets)}
	}
	area := dst.Bounds()
	if p.shown != nil && p.shown.bg == next.bg && len(next.items) > len(p.shown.items) && slices.Equal(p.shown.items, next.items[:len(p.shown.items)]) {
		// Only new items on top (a sheet laid over its page): dst shows
		// the rest already.
		from := len(p.shown.items)
		var clip image.Rectangle
		for _, d := range next.items[from:] {
			clip = clip.Union(extent(d.it))
		}
		p.round++
		p.lastDrawn, p.lastClip = 0, clip.Intersect(area)
		p.items(dst, next.items, from, area, media, assets)
		p.shown = &next
		p.evict()
		return true
	}
	clip := area
	if p.shown != nil && p.shown.bg == next.bg {
		clip = changed(p.shown.items, next.items).Intersect(area)
		if clip.Empty() {
			p.shown = &next
			p.lastDrawn = 0
			return false
		}
		if float64(clip.Dx()*clip.Dy()) > partialMax*float64(area.Dx()*area.Dy()) {
			clip = area
		}
	}
	p.round++
	target := dst
	if clip != area {
		target = dst.SubImage(clip).(*ebiten.Image)
	}
	p.lastDrawn, p.lastClip = 0, clip
	if !opaqueFirst(next.items, clip) {
		target.Fill(page.Bg)
	}
	p.items(target, next.items, 0, clip, media, assets)
	p.shown = &next
	if clip == area {
		// Everything shown was drawn just now: big pictures not drawn are
		// not shown.
		p.dropBig()
	}
	p.evict()
	return true
}

// items paints items[from:] that touch clip onto target, which shows
// items[:from] already.
func (p *painter) items(target *ebiten.Image, items []drawn, from int, clip image.Rectangle, media, assets map[string]*still) {
	for i := from; i < len(items); i++ {
		d := items[i]
		if !extent(d.it).Overlaps(clip) {
			continue
		}
		p.lastDrawn++
		if d.it.Kind == layout.Box {
			if hole := p.coveredBy(d.it, items[i+1:], clip, media); !hole.Empty() {
				p.boxAround(target, d.it, hole)
				continue
			}
		}
		p.item(target, d.it, media, assets)
	}
}

// opaqueFirst reports whether the first item painted in clip is a plain
// opaque box that covers all of it (the slideshow's background): filling
// clip with the page's colour first would be a full-screen pass of the GL
// driver for nothing (under llvmpipe, a fifth of a slide's painting).
func opaqueFirst(items []drawn, clip image.Rectangle) bool {
	for _, d := range items {
		it := d.it
		if !extent(it).Overlaps(clip) {
			continue
		}
		if it.Kind != layout.Box || it.Fill.A != 0xff || it.Radius >= 0.5 || (it.StrokeW > 0 && it.Stroke != it.Fill) {
			return false
		}
		return clip.In(pixelRect(it.R))
	}
	return false
}

// pixelRect is the rectangle of pixels a plain box or a picture at r
// covers, rounded as roundRect and picture round it.
func pixelRect(r layout.Rect) image.Rectangle {
	x, y := math.Round(r.X), math.Round(r.Y)
	return image.Rect(int(x), int(y), int(x+math.Round(r.W)), int(y+math.Round(r.H)))
}

// coveredBy is the part of a plain box that a big picture drawn after it
// (among rest), or for a translucent box an opaque box drawn after it,
// covers with opaque pixels, empty for none: the slideshow's
// photo over its background. Painting the box there would be a pass of the
// GL driver over 1.5 megapixels that the photo then paints over (under
// llvmpipe, a sixth of a slide's painting). The photo is decoded now if it
// has to be, a moment before it is drawn.
func (p *painter) coveredBy(box layout.Item, rest []drawn, clip image.Rectangle, media map[string]*still) image.Rectangle {
	if box.Radius >= 0.5 || (box.StrokeW > 0 && box.Stroke != box.Fill) {
		return image.Rectangle{}
	}
	br := pixelRect(box.R)
	if box.Fill.A > 0 && box.Fill.A < 0xff {
		// A sheet's shade: under the sheet's opaque dialog it would be a
		// blend over a megapixel that the dialog then paints over.
		for _, d := range rest {
			it := d.it
			if it.Kind != layout.Box || it.Fill.A != 0xff || it.StrokeW > 0 && it.Stroke.A != 0xff {
				continue
			}
			if r := pixelRect(it.R); r.In(br) {
				// Inside its rounded, soft-edged corners.
				return r.Inset(int(math.Ceil(it.Radius)) + 1)
			}
		}
		return image.Rectangle{}
	}
	for _, d := range rest {
		it := d.it
		if it.Kind != layout.Picture || it.Fit || layout.IsAssetKey(it.Media) || !extent(it).Overlaps(clip) {
			continue
		}
		src, ok := media[it.Media]
		r := pixelRect(it.R)
		if !ok || p.broken[src] || r.Dx()*r.Dy() < bigPicture || !r.In(br) {
			continue
		}
		k := scaledKey{it.Media, r.Dx(), r.Dy(), false}
		img := p.scaledImage(k, src)
		if img == nil {
			continue
		}
		if c := p.scaled[k]; c != nil && c.opaque {
			// Enlarged with a linear filter, the photo's edge is partly
			// transparent (Ebitengine samples nothing beyond it), up to
			// half a source pixel wide: the box shows through there.
			b := img.Bounds()
			edge := 1 + int(math.Ceil(max(float64(r.Dx())/float64(b.Dx()), float64(r.Dy())/float64(b.Dy()))))
			return r.Inset(edge)
		}
	}
	return image.Rectangle{}
}

// boxAround paints a plain box except for hole, as up to four rectangles.
func (p *painter) boxAround(dst *ebiten.Image, box layout.Item, hole image.Rectangle) {
	if box.Fill.A == 0 {
		return
	}
	r := pixelRect(box.R)
	for _, s := range []image.Rectangle{
		{r.Min, image.Pt(r.Max.X, hole.Min.Y)},
		{image.Pt(r.Min.X, hole.Max.Y), r.Max},
		{image.Pt(r.Min.X, hole.Min.Y), image.Pt(hole.Min.X, hole.Max.Y)},
		{image.Pt(hole.Max.X, hole.Min.Y), image.Pt(r.Max.X, hole.Max.Y)},
	} {
		if !s.Empty() {
			vector.DrawFilledRect(dst, float32(s.Min.X), float32(s.Min.Y), float32(s.Dx()), float32(s.Dy()), box.Fill, false)
		}
	}
}

// dropBig frees the big pictures the last paint did not draw: the
// slideshow keeps only the photo on the screen.
func (p *painter) dropBig() {
	for k, c := range p.scaled {
		if k.w*k.h >= bigPicture && c.used != p.round {
			if c.slot != nil {
				p.madeBig = true
			}
			c.free()
			delete(p.scaled, k)
		}
	}
}

// bigSlot is a texture of at least w x h for a new big picture: the texture
// of a big picture this paint has not drawn (the slide before, about to be
// dropped) when it is large enough, so the slideshow writes every photo into
// one texture instead of making one per slide (under llvmpipe each new one
// is 8 MiB malloc'ed, cleared and faulted in; the old one's memory then had
// to be trimmed back). A texture that is too small (the box grew: another
// orientation) is freed and one of the new size made, padded to powers of
// two as the GL driver pads it anyway.
func (p *painter) bigSlot(w, h int) *ebiten.Image {
	var slot *ebiten.Image
	for k, c := range p.scaled {
		if c.slot == nil || c.used == p.round {
			continue
		}
		delete(p.scaled, k)
		if slot != nil {
			// Another one: not expected (one big picture on a page), but
			// one spare texture is enough.
			c.slot.Deallocate()
			continue
		}
		slot = c.slot
	}
	if slot != nil {
		if b := slot.Bounds(); b.Dx() >= w && b.Dy() >= h {
			return slot
		}
		slot.Deallocate()
	}
	p.madeBig = true
	return ebiten.NewImageWithOptions(image.Rect(0, 0, pow2(w), pow2(h)), &ebiten.NewImageOptions{Unmanaged: true})
}

// writeBig uploads a big picture's pixels (w x h, RGBA, premultiplied)
// into a slot and keeps it under k. The slot is made for the box (k.w x
// k.h) at least: every photo enlarged into that box fits in it.
func (p *painter) writeBig(k scaledKey, pix []byte, w, h int, opaque bool) *ebiten.Image {
	slot := p.bigSlot(max(w, k.w), max(h, k.h))
	img := slot.SubImage(image.Rect(0, 0, w, h)).(*ebiten.Image)
	img.WritePixels(pix)
	p.scaled[k] = &cached{img: img, used: p.round, slot: slot, opaque: opaque}
	p.madeBig = true
	return img
}

// forget makes the next paint a whole one: the target no longer shows what
// the painter painted (a new or resized screen, a black one).
func (p *painter) forget() { p.shown = nil }

// sourceOf is the picture an item shows, nil for none.
func sourceOf(it layout.Item, media, assets map[string]*still) *still {
	switch {
	case it.Kind == layout.Face && it.Media != "":
		return media[it.Media]
	case it.Kind == layout.Icon:
		return assets[layout.PictogramKey(it.Text)]
	case it.Kind == layout.Picture && layout.IsAssetKey(it.Media):
		return assets[it.Media]
	case it.Kind == layout.Picture:
		return media[it.Media]
	}
	return nil
}

// changed is the region where two paintings of items differ: the extents
// of the items that are in one and not in the other.
func changed(was, now []drawn) image.Rectangle {
	left := make(map[drawn]int, len(was))
	for _, d := range was {
		left[d]++
	}
	var r image.Rectangle
	for _, d := range now {
		if left[d] > 0 {
			left[d]--
			continue
		}
		r = r.Union(extent(d.it))
	}
	for d, n := range left {
		if n > 0 {
			r = r.Union(extent(d.it))
		}
	}
	return r
}

// extent is every pixel an item may touch: its rectangle, rounded out,
// plus a margin for soft edges and, for text, for a line image that is
// taller or wider than the box the layout gave it.
func extent(it layout.Item) image.Rectangle {
	m := 3.0
	if it.Kind == layout.Text {
		m += math.Ceil(it.Font.Size * 0.75)
	}
	return image.Rect(
		int(math.Floor(it.R.X-m)), int(math.Floor(it.R.Y-m)),
		int(math.Ceil(it.R.X+it.R.W+m)), int(math.Ceil(it.R.Y+it.R.H+m)))
}

// item draws one item onto dst.
func (p *painter) item(dst *ebiten.Image, it layout.Item, media, assets map[string]*still) {
	switch it.Kind {
	case layout.Box:
		p.box(dst, it)
	case layout.Text:
		p.text(dst, it)
	case layout.Face:
		p.face(dst, it, media)
	case layout.Icon:
		if _, ok := assets[layout.PictogramKey(it.Text)]; ok {
			p.picture(dst, layout.Item{R: it.R, Media: layout.PictogramKey(it.Text), Fit: true}, assets)
			return
		}
		img := p.icon(it.Text, int(math.Round(math.Min(it.R.W, it.R.H))), it.Color, it.Fill)
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Translate(math.Round(it.R.X), math.Round(it.R.Y))
		dst.DrawImage(img, op)
	case layout.Picture:
		if layout.IsAssetKey(it.Media) {
			p.picture(dst, it, assets)
		} else {
			p.picture(dst, it, media)
		}
	}
}

// dispose frees every cached image.
func (p *painter) dispose() {
	p.round += 1 << 32
	evictMap(p.texts, p.round, 0)
	evictMap(p.scaled, p.round, 0)
	evictMap(p.discs, p.round, 0)
	evictMap(p.icons, p.round, 0)
}

// evict frees cached images not used by the last few paints.
func (p *painter) evict() {
	const keep = 8
	if len(p.texts)+len(p.scaled)+len(p.discs)+len(p.icons) < 600 {
		return
	}
	evictMap(p.texts, p.round, keep)
	evictMap(p.scaled, p.round, keep)
	evictMap(p.discs, p.round, keep)
	evictMap(p.icons, p.round, keep)
}

func evictMap[K comparable](m map[K]*cached, round, keep uint64) {
	for k, c := range m {
		if round-c.used > keep {
			c.free()
			delete(m, k)
		}
	}
}

func (p *painter) box(dst *ebiten.Image, it layout.Item) {
	x, y, w, h := float32(it.R.X), float32(it.R.Y), float32(it.R.W), float32(it.R.H)
	r := float32(it.Radius)
	if it.StrokeW > 0 && it.Stroke != it.Fill {
		p.roundRect(dst, x, y, w, h, r, it.Stroke)
		sw := float32(it.StrokeW)
		x, y, w, h, r = x+sw, y+sw, w-2*sw, h-2*sw, max(0, r-sw)
	}
	if it.Fill.A > 0 {
		p.roundRect(dst, x, y, w, h, r, it.Fill)
	}
}

// roundRect fills a rectangle with rounded corners: straight parts as plain
// rectangles, corners cut from a disc rendered once on the CPU with a soft
// edge. Nothing here uses Ebitengine's anti-aliased triangles, whose 2x
// offscreen buffer is flushed at every switch and costs a second per page
// under software GL.
func (p *painter) roundRect(dst *ebiten.Image, x, y, w, h, r float32, c color.RGBA) {
	x, y = float32(math.Round(float64(x))), float32(math.Round(float64(y)))
	w, h = float32(math.Round(float64(w))), float32(math.Round(float64(h)))
	if w <= 0 || h <= 0 {
		return
	}
	r = float32(math.Round(float64(min(r, w/2, h/2))))
	if r < 1 {
		vector.DrawFilledRect(dst, x, y, w, h, c, false)
		return
	}
	vector.DrawFilledRect(dst, x+r, y, w-2*r, h, c, false)
	vector.DrawFilledRect(dst, x, y+r, r, h-2*r, c, false)
	vector.DrawFilledRect(dst, x+w-r, y+r, r, h-2*r, c, false)
	disc := p.disc(int(2*r), c)
	ir := int(r)
	corners := []struct {
		src    image.Rectangle
		dx, dy float32
	}{
		{image.Rect(0, 0, ir, ir), x, y},
		{image.Rect(ir, 0, 2*ir, ir), x + w - r, y},
		{image.Rect(0, ir, ir, 2*ir), x, y + h - r},
		{image.Rect(ir, ir, 2*ir, 2*ir), x + w - r, y + h - r},
	}
	for _, cn := range corners {
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Translate(float64(cn.dx), float64(cn.dy))
		dst.DrawImage(disc.SubImage(cn.src).(*ebiten.Image), op)
	}
}

type discKey struct {
	d int
	c color.RGBA
}

// disc is a filled circle of diameter d in c with a soft edge, made once.
func (p *painter) disc(d int, c color.RGBA) *ebiten.Image {
	k := discKey{d, c}
	if e, ok := p.discs[k]; ok {
		e.used = p.round
		return e.img
	}
	img := image.NewRGBA(image.Rect(0, 0, d, d))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	roundMask(img)
	e := &cached{img: ebiten.NewImageFromImage(img), used: p.round}
	p.discs[k] = e
	return e.img
}

type iconKey struct {
	name  string
	s     int
	c     color.RGBA
	under color.RGBA
}

// icon is a pictogram drawn once into its own image, where anti-aliasing
// is cheap, and reused.
//
// under is the colour the pictogram lies on, which its cut-outs (the moon's
// crescent, a cloud's inside) are drawn in; zero means white, a card's.
func (p *painter) icon(name string, s int, c, under color.RGBA) *ebiten.Image {
	if under == (color.RGBA{}) {
		under = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	}
	k := iconKey{name, s, c, under}
	if e, ok := p.icons[k]; ok {
		e.used = p.round
		return e.img
	}
	img := ebiten.NewImage(s, s)
	p.under = under
	p.drawIcon(img, name, 0, 0, float32(s), c)
	p.icons[k] = &cached{img: img, used: p.round}
	return img
}

func (p *painter) fillPath(dst *ebiten.Image, path *vector.Path, c color.RGBA) {
	vs, is := path.AppendVerticesAndIndicesForFilling(nil, nil)
	p.triangles(dst, vs, is, c, ebiten.FillRuleNonZero)
}

// strokePath draws the outline of path, w wide, with round ends.
func (p *painter) strokePath(dst *ebiten.Image, path *vector.Path, w float32, c color.RGBA) {
	vs, is := path.AppendVerticesAndIndicesForStroke(nil, nil, &vector.StrokeOptions{Width: w, LineCap: vector.LineCapRound})
	p.triangles(dst, vs, is, c, ebiten.FillRuleFillAll)
}

// triangles draws a path's triangles in one colour.
func (p *painter) triangles(dst *ebiten.Image, vs []ebiten.Vertex, is []uint16, c color.RGBA, rule ebiten.FillRule) {
	// Colours are premultiplied.
	r, g, b, a := c.RGBA()
	for i := range vs {
		vs[i].SrcX, vs[i].SrcY = 1, 1
		vs[i].ColorR = float32(r) / 0xffff
		vs[i].ColorG = float32(g) / 0xffff
		vs[i].ColorB = float32(b) / 0xffff
		vs[i].ColorA = float32(a) / 0xffff
	}
	op := &ebiten.DrawTrianglesOptions{}
	op.ColorScaleMode = ebiten.ColorScaleModePremultipliedAlpha
	op.AntiAlias = true
	op.FillRule = rule
	dst.DrawTriangles(vs, is, p.white, op)
}

// textImage renders one line once and keeps it, for centring it by its
// rendered size.
func (p *painter) textImage(s string, f layout.Font, c color.RGBA) *ebiten.Image {
	k := textKey{s, f.Size, f.Bold, c}
	if e, ok := p.texts[k]; ok {
		e.used = p.round
		return e.img
	}
	face := p.fontFace(f)
	w, h := text.Measure(s, face, 0)
	img := ebiten.NewImage(max(1, int(math.Ceil(w))+2), max(1, int(math.Ceil(h))+2))
	op := &text.DrawOptions{}
	op.ColorScale.ScaleWithColor(c)
	text.Draw(img, s, face, op)
	p.texts[k] = &cached{img: img, used: p.round}
	return img
}

// fontFace is the type face that draws text in the layout's font f.
func (p *painter) fontFace(f layout.Font) *text.GoTextFace {
	src := p.faces[0]
	if f.Bold {
		src = p.faces[1]
	}
	return &text.GoTextFace{Source: src, Size: f.Size}
}

func (p *painter) text(dst *ebiten.Image, it layout.Item) {
	op := &text.DrawOptions{}
	// Whole pixels keep glyphs as crisp as they were rendered.
	op.GeoM.Translate(math.Round(it.R.X), math.Round(it.R.Y))
	op.ColorScale.ScaleWithColor(it.Color)
	text.Draw(dst, it.Text, p.fontFace(it.Font), op)
}

// face draws a round avatar, or initials on the item's colour when there is
// no avatar or it cannot be decoded.
func (p *painter) face(dst *ebiten.Image, it layout.Item, media map[string]*still) {
	d := int(math.Round(math.Min(it.R.W, it.R.H)))
	if d <= 0 {
		return
	}
	x, y := math.Round(it.R.X), math.Round(it.R.Y)
	if src, ok := media[it.Media]; ok && it.Media != "" {
		if img := p.scaledImage(scaledKey{it.Media, d, d, true}, src); img != nil {
			op := &ebiten.DrawImageOptions{}
			op.GeoM.Translate(x, y)
			dst.DrawImage(img, op)
			return
		}
	}
	disc := p.disc(d, it.Fill)
	discOp := &ebiten.DrawImageOptions{}
	discOp.GeoM.Translate(x, y)
	dst.DrawImage(disc, discOp)
	f := it.Font
	if f.Size == 0 {
		f = layout.Font{Size: float64(d) * 0.42, Bold: true}
	}
	img := p.textImage(it.Text, f, it.Color)
	b := img.Bounds()
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(math.Round(x+float64(d-b.Dx())/2+1), math.Round(y+float64(d-b.Dy())/2+1))
	dst.DrawImage(img, op)
}

func (p *painter) picture(dst *ebiten.Image, it layout.Item, media map[string]*still) {
	w, h := int(math.Round(it.R.W)), int(math.Round(it.R.H))
	src, ok := media[it.Media]
	if ok && p.broken[src] {
		ok = false
	}
	if !ok || w <= 0 || h <= 0 {
		// Not fetched yet: a quiet frame keeps the page from looking broken.
		p.roundRect(dst, float32(it.R.X), float32(it.R.Y), float32(it.R.W), float32(it.R.H), float32(it.Radius), layout.Chip)
		return
	}
	x, y := it.R.X, it.R.Y
	if it.Fit {
		// Keep the picture's shape inside R, centred: a logo is never cropped.
		sb := src.Bounds()
		scale := math.Min(it.R.W/float64(sb.Dx()), it.R.H/float64(sb.Dy()))
		fw, fh := int(math.Max(1, math.Round(float64(sb.Dx())*scale))), int(math.Max(1, math.Round(float64(sb.Dy())*scale)))
		x += (it.R.W - float64(fw)) / 2
		y += (it.R.H - float64(fh)) / 2
		w, h = fw, fh
	}
	key := it.Media
	if layout.IsAssetKey(it.Media) {
		// An asset keeps its key when the folder changes: tell the
		// pictures apart by the decoded image itself.
		key = fmt.Sprintf("%s@%p", it.Media, src)
	}
	img := p.scaledImage(scaledKey{key, w, h, false}, src)
	if img == nil {
		p.roundRect(dst, float32(it.R.X), float32(it.R.Y), float32(it.R.W), float32(it.R.H), float32(it.Radius), layout.Chip)
		return
	}
	op := &ebiten.DrawImageOptions{}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		// The visible part at its own size (enlargedPhoto): the GPU
		// enlarges it as it draws.
		op.GeoM.Scale(float64(w)/float64(b.Dx()), float64(h)/float64(b.Dy()))
		op.Filter = ebiten.FilterLinear
	}
	op.GeoM.Translate(math.Round(x), math.Round(y))
	dst.DrawImage(img, op)
}

// scaledImage scales src to cover w x h (cropping the overflow), on the CPU
// (picture.Cover), and for faces cuts it round with a soft edge. The
// decoded pixels are dropped once the scaled copy is made. A picture that
// cannot be decoded gives nil, once: it is not tried again.
func (p *painter) scaledImage(k scaledKey, st *still) *ebiten.Image {
	if e, ok := p.scaled[k]; ok {
		e.used = p.round
		return e.img
	}
	if p.broken[st] {
		return nil
	}
	src, err := st.pixels()
	if err != nil {
		if len(p.broken) >= 256 {
			clear(p.broken) // pictures long gone from the board
		}
		p.broken[st] = true
		p.onBroken(k.hash, err)
		return nil
	}
	if k.w*k.h >= bigPicture && !k.face {
		opaque := false
		if o, ok := src.(interface{ Opaque() bool }); ok {
			opaque = o.Opaque() // a JPEG's YCbCr: at once; RGBA: a scan
		}
		if out := p.enlargedPhoto(src, k.w, k.h); out != nil {
			return p.writeBig(k, out.Pix, out.Rect.Dx(), out.Rect.Dy(), opaque)
		}
		out := picture.Cover(src, k.w, k.h)
		return p.writeBig(k, out.Pix, k.w, k.h, opaque)
	}
	out := picture.Cover(src, k.w, k.h)
	if k.face {
		roundMask(out)
	}
	var img *ebiten.Image
	if k.w*k.h >= bigPicture {
		img = ebiten.NewImageWithOptions(out.Bounds(), &ebiten.NewImageOptions{Unmanaged: true})
		img.WritePixels(out.Pix)
	} else {
		img = ebiten.NewImageFromImage(out)
	}
	p.scaled[k] = &cached{img: img, used: p.round}
	return img
}

// enlargedPhoto is the part of src a w x h box shows, at its own size,
// when that part is near the box's size or smaller (a slideshow photo: the
// sync keeps photos within 1920x1080): the GPU scales it while drawing, as
// cheaply as it draws it at all, instead of the CPU scaling it first (on
// this machine 47 ms for a 1080p slide; a Pi's core is slower). nil when
// the picture must shrink more than by half (a GPU's bilinear filter would
// alias, as picture.Scaler says) or when its texture would take more memory
// than one of the box's size (textures are padded to powers of two).
//
// The pixels are put together in the painter's buffer, which the next big
// picture reuses: they are valid until then.
func (p *painter) enlargedPhoto(src image.Image, w, h int) *image.RGBA {
	crop := picture.CoverCrop(src.Bounds(), w, h)
	if crop.Empty() || crop.Dx() > 2*w || crop.Dy() > 2*h || pow2(crop.Dx()) > pow2(w) || pow2(crop.Dy()) > pow2(h) {
		return nil
	}
	n := 4 * crop.Dx() * crop.Dy()
	if cap(p.pix) < n {
		p.pix = make([]byte, n)
	}
	out := &image.RGBA{Pix: p.pix[:n], Stride: 4 * crop.Dx(), Rect: image.Rect(0, 0, crop.Dx(), crop.Dy())}
	draw.Draw(out, out.Bounds(), src, crop.Min, draw.Src)
	return out
}

// pow2 is the least power of two at least n.
func pow2(n int) int {
	p := 1
	for p < n {
		p *= 2
	}
	return p
}

// roundMask makes everything outside the inscribed circle transparent, with
// a one-pixel soft edge (the image is premultiplied after this).
func roundMask(img *image.RGBA) {
	b := img.Bounds()
	cx, cy := float64(b.Dx())/2, float64(b.Dy())/2
	r := math.Min(cx, cy)
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			d := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy)
			a := math.Max(0, math.Min(1, r-d+0.5))
			if a >= 1 {
				continue
			}
			i := img.PixOffset(x, y)
			for c := 0; c < 4; c++ {
				img.Pix[i+c] = uint8(float64(img.Pix[i+c]) * a)
			}
		}
	}
}
