package display

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"strings"
	"testing"

	"skaerm/display/internal/fixture"
	"skaerm/display/layout"
	"skaerm/internal/clock"
)

// TestPicturesDecodedOnlyWhenDrawn: the screen keeps the board's pictures
// encoded and draws them all the same; a picture whose header reads but
// whose pixels do not is drawn as initials, logged once, and not tried on
// every paint.
func TestPicturesDecodedOnlyWhenDrawn(t *testing.T) {
	at := goldenAt(t)
	clk := clock.NewFake(at)
	b, media := fixture.Board(at)

	// The first avatar on the Today page is cut off after its header:
	// image.DecodeConfig reads it, image.Decode does not.
	first := shownScreen(t, Options{Source: fixtureCache(t, at), Clock: clk})
	victim := itemOf(t, first.game.page, func(it layout.Item) bool { return it.Kind == layout.Face && it.Media != "" }).Media
	var whole bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	if err := png.Encode(&whole, img); err != nil {
		t.Fatal(err)
	}
	media[victim] = whole.Bytes()[:60]

	c := boardCache(t, clk, b, media)

	var logs bytes.Buffer
	s := shownScreen(t, Options{Source: c, Clock: clk, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	for h, st := range s.snap.Load().media {
		if st.img != nil {
			t.Errorf("media %s is held decoded in the snapshot", h)
		}
	}

	var faces, victims int
	for _, it := range s.game.page.Items {
		if it.Kind != layout.Face || it.Media == "" {
			continue
		}
		faces++
		cx, cy := int(it.R.X+it.R.W/2), int(it.R.Y+it.R.H/2)
		got := s.game.frame.At(cx, cy)
		if it.Media == victim {
			victims++
			// Initials on the item's colour: the middle is a letter or
			// the disc, never the black of the broken picture.
			edge := s.game.frame.At(int(it.R.X+it.R.W*0.2), cy)
			if !near(edge, it.Fill) {
				t.Errorf("the broken avatar's disc is %v, want the initials' colour %v", edge, it.Fill)
			}
			continue
		}
		if near(got, it.Fill) && it.Fill != (color.RGBA{}) {
			t.Errorf("avatar %s is drawn as initials; want the picture", it.Media)
		}
	}
	if faces == 0 || victims == 0 {
		t.Fatalf("%d faces with pictures, %d with the broken one; the test cannot tell", faces, victims)
	}
	if n := strings.Count(logs.String(), "picture not drawn"); n != 1 {
		t.Errorf("logged the broken picture %d times after one paint, want 1:\n%s", n, logs.String())
	}
	for range 3 {
		clk.Advance(1)
		s.game.dirty = true
		s.step(clk.Now(), nil)
	}
	if n := strings.Count(logs.String(), "picture not drawn"); n != 1 {
		t.Errorf("logged the broken picture %d times after four paints, want 1", n)
	}
}

// TestScalePictureCropsCentred: a picture is scaled to cover its box and
// what sticks out is cut evenly on both sides, whether it is made smaller
// (a face) or larger (a photo on the slideshow).
func TestScalePictureCropsCentred(t *testing.T) {
	// 400x100: a red quarter, a green half, a blue quarter.
	src := image.NewRGBA(image.Rect(0, 0, 400, 100))
	for y := 0; y < 100; y++ {
		for x := 0; x < 400; x++ {
			c := color.RGBA{0, 255, 0, 255}
			if x < 100 {
				c = color.RGBA{255, 0, 0, 255}
			} else if x >= 300 {
				c = color.RGBA{0, 0, 255, 255}
			}
			src.SetRGBA(x, y, c)
		}
	}
	for _, size := range []int{40, 90, 300} { // much smaller, a little smaller, larger
		out := scalePicture(src, size, size)
		if b := out.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Fatalf("size %d: got %v", size, b)
		}
		// The square comes from the middle: all green, no red or blue.
		for _, x := range []int{1, size / 2, size - 2} {
			if c := out.RGBAAt(x, size/2); c.G < 200 || c.R > 40 || c.B > 40 {
				t.Errorf("size %d: pixel %d is %v, want the green middle", size, x, c)
			}
		}
	}
}

// BenchmarkScaleSlide: a demo photo scaled to fill the slideshow's picture
// box at 1080p (the CPU part of showing a new slide).
func BenchmarkScaleSlide(b *testing.B) {
	src := demoPhoto(b)
	b.ResetTimer()
	for range b.N {
		scalePicture(src, 1850, 830)
	}
}

// BenchmarkScaleFace: an avatar scaled into a face on the Today page.
func BenchmarkScaleFace(b *testing.B) {
	src := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := range src.Pix {
		src.Pix[i] = uint8(i * 7)
	}
	b.ResetTimer()
	for range b.N {
		roundMask(scalePicture(src, 72, 72))
	}
}

// demoPhoto is the largest photo of the demo board, decoded.
func demoPhoto(tb testing.TB) image.Image {
	tb.Helper()
	_, media := fixture.Board(goldenAt(tb))
	var best image.Image
	for _, data := range media {
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			continue
		}
		if best == nil || img.Bounds().Dx()*img.Bounds().Dy() > best.Bounds().Dx()*best.Bounds().Dy() {
			best = img
		}
	}
	if best == nil {
		tb.Fatal("no photo in the demo board")
	}
	return best
}
