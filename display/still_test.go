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
	victim := itemOf(t, first.game.Page(), func(it layout.Item) bool { return it.Kind == layout.Face && it.Media != "" }).Media
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
	for _, it := range s.game.Page().Items {
		if it.Kind != layout.Face || it.Media == "" {
			continue
		}
		faces++
		cx, cy := int(it.R.X+it.R.W/2), int(it.R.Y+it.R.H/2)
		got := s.frame.At(cx, cy)
		if it.Media == victim {
			victims++
			// Initials on the item's colour: the middle is a letter or
			// the disc, never the black of the broken picture.
			edge := s.frame.At(int(it.R.X+it.R.W*0.2), cy)
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
		s.game.Open(s.game.State().Page) // build and paint again
		s.step(clk.Now(), nil)
	}
	if n := strings.Count(logs.String(), "picture not drawn"); n != 1 {
		t.Errorf("logged the broken picture %d times after four paints, want 1", n)
	}
}
