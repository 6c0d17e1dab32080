package display

import (
	"slices"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"skaerm/board"
	"skaerm/display/internal/fixture"
	"skaerm/display/layout"
	"skaerm/internal/clock"
)

func countDiff(a, b []byte) int {
	n := 0
	for i := range a {
		d := int(a[i]) - int(b[i])
		if d > 2 || d < -2 {
			n++
		}
	}
	return n
}

// TestMinuteTurnRepaintsOnlyTheClock: when the minute turns, only the
// region around the clock is painted again, and the result is the same
// picture a whole paint gives. A new reading of the cache that changes
// nothing visible paints nothing.
func TestMinuteTurnRepaintsOnlyTheClock(t *testing.T) {
	l := newLoop(t, 1920, 1080)
	if l.s.paint.lastClip != l.s.frame.Bounds() {
		t.Fatalf("the first paint covered %v, want the whole frame", l.s.paint.lastClip)
	}

	l.clk.Advance(time.Minute) // 09:31
	l.tick(nil)
	clip := l.s.paint.lastClip
	if share := float64(clip.Dx()*clip.Dy()) / (1920 * 1080); share > 0.05 {
		t.Errorf("the minute turn repainted %v, %.0f%% of the screen", clip, 100*share)
	}
	if n := len(l.s.game.Page().Items); l.s.paint.lastDrawn*4 > n {
		t.Errorf("the minute turn drew %d of %d items", l.s.paint.lastDrawn, n)
	}
	clock := itemOf(t, l.s.game.Page(), func(it layout.Item) bool { return it.Kind == layout.Text && it.Text == "09:31" })
	if !extent(clock).Intersect(l.s.frame.Bounds()).In(clip) {
		t.Errorf("the clock %v is outside the repainted region %v", clock.R, clip)
	}
	partial := readFrame(l.s.frame)

	l.s.paint.forget()
	l.s.game.Open(l.s.game.State().Page) // build and paint again
	l.tick(nil)
	whole := readFrame(l.s.frame)
	if n := countDiff(partial.Pix, whole.Pix); n > 0 {
		t.Errorf("the partly repainted frame differs from a whole paint in %d bytes", n)
	}

	// The same board read again (as after a 304): nothing to paint.
	l.s.load()
	l.tick(nil)
	if l.s.paint.lastDrawn != 0 {
		t.Errorf("an unchanged reading drew %d items", l.s.paint.lastDrawn)
	}
	if n := countDiff(readFrame(l.s.frame).Pix, whole.Pix); n > 0 {
		t.Errorf("an unchanged reading changed %d bytes", n)
	}
}

// TestArrivingPictureIsPainted: a face drawn as initials because its
// picture was not fetched yet is painted again when the picture arrives,
// though its place on the page did not change.
func TestArrivingPictureIsPainted(t *testing.T) {
	at := goldenAt(t)
	clk := clock.NewFake(at)
	b, media := fixture.Board(at)
	c := boardCache(t, clk, b, nil)
	s := shownScreen(t, Options{Source: c, Clock: clk})
	face := itemOf(t, s.game.Page(), func(it layout.Item) bool { return it.Kind == layout.Face && it.Media != "" })
	before := readFrame(s.frame)

	for h, data := range media {
		if err := c.PutMedia(h, data); err != nil {
			t.Fatal(err)
		}
	}
	s.load()
	s.step(clk.Now(), nil)
	if s.paint.lastDrawn == 0 {
		t.Fatal("the pictures arrived and nothing was painted")
	}
	after := readFrame(s.frame)
	r := extent(face)
	diff := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if before.RGBAAt(x, y) != after.RGBAAt(x, y) {
				diff++
			}
		}
	}
	if diff < r.Dx()*r.Dy()/4 {
		t.Errorf("only %d pixels of the face %v changed when its picture arrived", diff, face.R)
	}
}

// TestLayoutResizesBeforeUpdate: the size Ebitengine gives Layout is the
// size the next turn builds and paints for, whole, without waiting for a
// Draw to discover it.
func TestLayoutResizesBeforeUpdate(t *testing.T) {
	l := newLoop(t, 1920, 1080)
	g := l.s.game
	if w, h := l.s.Layout(1280, 720); w != 1280 || h != 720 {
		t.Fatalf("Layout = %dx%d, want the outside size 1280x720", w, h)
	}
	if w, h := g.Size(); w != 1280 || h != 720 || !g.Dirty() || l.s.paint.shown != nil {
		t.Fatalf("after Layout: size %dx%d, dirty %v, painter remembers a page %v; want 1280x720, a new page, painted whole",
			w, h, g.Dirty(), l.s.paint.shown != nil)
	}
	l.tick(nil)
	if b := l.s.frame.Bounds(); b.Dx() != 1280 || b.Dy() != 720 || l.s.paint.lastClip != b {
		t.Errorf("the next turn painted %v of a %v frame, want all of a 1280x720 one", l.s.paint.lastClip, b)
	}
	if l.s.game.Page().W != 1280 || l.s.game.Page().H != 720 {
		t.Errorf("the page was laid out for %vx%v", l.s.game.Page().W, l.s.game.Page().H)
	}

	// The same size again changes nothing.
	l.s.Layout(1280, 720)
	if g.Dirty() {
		t.Error("Layout with an unchanged size asked for a new page")
	}
}

// slideshowScreen is a screen on the demo care home that has gone over to
// its slideshow after a minute without a touch.
func slideshowScreen(t *testing.T) (*Screen, *clock.Fake) {
	t.Helper()
	at := goldenAt(t)
	clk := clock.NewFake(at)
	s := shownScreen(t, Options{Source: demoCache(t, at), Clock: clk, IdleAfter: time.Minute})
	clk.Advance(time.Minute)
	s.step(clk.Now(), nil)
	if !s.game.State().Page.Is(board.PageIdle) {
		t.Fatalf("after a minute without a touch the screen shows %s, want the slideshow", s.game.State().Page)
	}
	return s, clk
}

// TestSlideshowKeepsOnlyTheShownPhoto: the idle slideshow holds the photo
// it shows as a texture and frees the one before, so its memory does not
// grow slide by slide; the status report's account of textures says so.
func TestSlideshowKeepsOnlyTheShownPhoto(t *testing.T) {
	s, clk := slideshowScreen(t)
	seen := map[string]bool{}
	for i := range 8 {
		var photo *layout.Item
		for _, it := range s.game.Page().Items {
			if it.Kind == layout.Picture && int(it.R.W)*int(it.R.H) >= bigPicture {
				photo = &it
			}
		}
		var big []string
		for k := range s.paint.scaled {
			if k.w*k.h >= bigPicture {
				big = append(big, k.hash)
			}
		}
		if len(big) > 1 {
			t.Errorf("slide %d: %d big pictures held, want at most the one shown: %v", i, len(big), big)
		}
		if photo != nil {
			seen[photo.Media] = true
			if len(big) != 1 || big[0] != photo.Media {
				t.Errorf("slide %d shows %s, the painter holds %v", i, photo.Media, big)
			}
			if fp := s.Footprint(); fp.Pictures.Bytes < uint64(photo.R.W*photo.R.H*4)*9/10 {
				t.Errorf("slide %d: the footprint counts %d bytes of pictures, the photo alone is %.0fx%.0f", i, fp.Pictures.Bytes, photo.R.W, photo.R.H)
			}
		}
		clk.Advance(15 * time.Second)
		s.step(clk.Now(), nil)
	}
	if len(seen) < 2 {
		t.Fatalf("8 slides showed %d photos; the test cannot tell", len(seen))
	}
}

// TestSlideshowWritesIntoOneTexture: each slide's photo is written into the
// texture of the photo before when it fits, so a run of slides makes no new
// texture per slide (under llvmpipe each one was 8 MiB malloc'ed, cleared and
// faulted in, and its memory trimmed back afterwards).
func TestSlideshowWritesIntoOneTexture(t *testing.T) {
	s, clk := slideshowScreen(t)
	var slot *ebiten.Image
	made, photos := 0, map[string]bool{}
	for i := range 3 * board.Slides(s.shown.reading.Board) {
		var held []*cached
		for k, c := range s.paint.scaled {
			if c.slot != nil {
				held = append(held, c)
				photos[k.hash] = true
			}
		}
		if len(held) != 1 {
			t.Fatalf("slide %d: %d pictures in slots, want the one shown", i, len(held))
		}
		c := held[0]
		if c.slot != slot {
			if slot != nil {
				sb, ib := slot.Bounds(), c.img.Bounds()
				if sb.Dx() >= ib.Dx() && sb.Dy() >= ib.Dy() {
					t.Errorf("slide %d: a new %v texture for a %v photo, the texture before (%v) was large enough", i, c.slot.Bounds(), ib, sb)
				}
			}
			slot = c.slot
			made++
		}
		if b := c.img.Bounds(); !b.In(slot.Bounds()) {
			t.Errorf("slide %d: the photo's %v is not inside its texture's %v", i, b, slot.Bounds())
		}
		clk.Advance(layout.SlideFor)
		s.step(clk.Now(), nil)
	}
	if len(photos) < 2 {
		t.Fatalf("the slideshow showed %d photos; the test cannot tell", len(photos))
	}
	if made != 1 {
		t.Errorf("%d textures made for %d photos over the slides, want 1: it is made for the photo's box, which every slide's photo fits", made, len(photos))
	}
	t.Logf("%d photos, %d textures, the last %v", len(photos), made, slot.Bounds())
}

// TestSheetPaintedOverItsPage: a sheet opening over its page paints only
// the sheet, and its shade only around its dialog; the next step (the
// faces, then the confirmation) and the sheet's closing are painted as
// changes. Each frame is the picture a whole paint of its page gives.
func TestSheetPaintedOverItsPage(t *testing.T) {
	at := goldenAt(t)
	clk := clock.NewFake(at)
	s := shownScreen(t, Options{Source: demoCache(t, at), Clock: clk})
	l := &loop{t: t, s: s, clk: clk}
	same := func(step string) {
		t.Helper()
		p := newPainter(s.paint.faces[0], s.paint.faces[1])
		defer p.dispose()
		img := ebiten.NewImageWithOptions(s.frame.Bounds(), &ebiten.NewImageOptions{Unmanaged: true})
		defer img.Deallocate()
		p.paint(img, s.game.Page(), s.login.withPersonal(s.shown.media), s.shown.assets)
		if n := countDiff(readFrame(s.frame).Pix, readFrame(img).Pix); n > 0 {
			t.Errorf("%s: the frame differs from a whole paint of its page in %d bytes", step, n)
		}
	}
	shade := func() (layout.Item, []drawn) {
		items := s.paint.shown.items
		for i, d := range items {
			if d.it.Kind == layout.Box && d.it.Fill == layout.Shade {
				return d.it, items[i+1:]
			}
		}
		t.Fatal("no shade on the sheet")
		return layout.Item{}, nil
	}
	l.tap(l.find(func(in layout.Intent) bool {
		return in.Kind == layout.Open && in.Page.Is(board.PageBookings) && in.Page.ID == ""
	}))
	l.tap(l.find(func(in layout.Intent) bool {
		return in.Kind == layout.Open && in.Page == layout.ResourcePage("bk-d1-vask")
	}))
	grid := s.game.Page().Items
	l.tap(l.find(func(in layout.Intent) bool { return in.Kind == layout.Choose }))
	sheet := s.game.Page().Items
	if len(sheet) <= len(grid) || !slices.Equal(sheet[:len(grid)], grid) {
		t.Fatal("the faces' sheet does not lie over the grid as it was")
	}
	if n := len(sheet) - len(grid); s.paint.lastDrawn != n {
		t.Errorf("opening the sheet drew %d items, want its own %d", s.paint.lastDrawn, n)
	}
	sh, rest := shade()
	hole := s.paint.coveredBy(sh, rest, s.frame.Bounds(), nil)
	if share := float64(hole.Dx()*hole.Dy()) / (1920 * 1080); share < 0.3 {
		t.Errorf("the shade is left out under %v of the dialog, %.0f%% of the screen", hole, 100*share)
	}
	same("the faces' sheet")

	l.tap(l.find(func(in layout.Intent) bool { return in.Kind == layout.Pick }))
	if !slices.ContainsFunc(s.game.Page().Targets, func(tg layout.Target) bool { return tg.Intent.Kind == layout.Confirm }) {
		t.Fatal("no confirmation after the face")
	}
	same("the confirmation")

	l.tap(l.find(func(in layout.Intent) bool { return in.Kind == layout.Confirm }))
	l.reload()
	same("the grid after booking")
}
