package display

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"skaerm/display/layout"
	"skaerm/internal/clock"
)

func writePNG(t *testing.T, path string, c color.RGBA, w, h int) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// itemOf finds the first item the test cares about on the page.
func itemOf(t *testing.T, p *layout.Page, match func(layout.Item) bool) layout.Item {
	t.Helper()
	for _, it := range p.Items {
		if match(it) {
			return it
		}
	}
	t.Fatalf("no such item on %s", p.ID)
	return layout.Item{}
}

func near(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, b uint8) int { x := int(a>>8) - int(b); return x * x }
	return d(r, want.R)+d(g, want.G)+d(b, want.B) < 3*20*20
}

// TestAssetsOverride: the care home's logo shows in the header, its own
// pictogram replaces the built-in one, and a changed file is drawn after
// ReloadAssets, without a restart.
func TestAssetsOverride(t *testing.T) {
	dir := t.TempDir()
	purple := color.RGBA{120, 20, 160, 255}
	green := color.RGBA{20, 140, 60, 255}
	orange := color.RGBA{230, 120, 10, 255}
	writePNG(t, filepath.Join(dir, "logo.png"), purple, 300, 100)
	at := goldenAt(t)
	clk := clock.NewFake(at)
	s := shownScreen(t, Options{Source: fixtureCache(t, at), Clock: clk, AssetsDir: dir})

	logo := itemOf(t, s.game.Page(), func(it layout.Item) bool { return it.Kind == layout.Picture && it.Media == layout.LogoKey })
	cx, cy := int(logo.R.X+logo.R.W/2), int(logo.R.Y+logo.R.H/2)
	if got := s.frame.At(cx, cy); !near(got, purple) {
		t.Errorf("the logo's middle is %v, want the logo's purple", got)
	}
	icon := itemOf(t, s.game.Page(), func(it layout.Item) bool { return it.Kind == layout.Icon })
	ix, iy := int(icon.R.X+icon.R.W/2), int(icon.R.Y+icon.R.H/2)
	if near(s.frame.At(ix, iy), green) {
		t.Fatal("the built-in pictogram is already green: the test cannot tell")
	}

	writePNG(t, filepath.Join(dir, "logo.png"), orange, 300, 100)
	writePNG(t, filepath.Join(dir, "pictograms", icon.Text+".png"), green, 64, 64)
	s.ReloadAssets()
	<-s.changed // what the loader goroutine would wait on
	s.load()
	clk.Advance(1)
	s.step(clk.Now(), nil)
	if got := s.frame.At(cx, cy); !near(got, orange) {
		t.Errorf("after the logo changed its middle is %v, want orange", got)
	}
	if got := s.frame.At(ix, iy); !near(got, green) {
		t.Errorf("the %s pictogram is %v, want the care home's own green one", icon.Text, got)
	}

	// A broken file is skipped: the screen draws its own pictogram again.
	if err := os.WriteFile(filepath.Join(dir, "pictograms", icon.Text+".png"), []byte("not a picture"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.ReloadAssets()
	<-s.changed
	s.load()
	s.step(clk.Now(), nil)
	if near(s.frame.At(ix, iy), green) {
		t.Error("a broken pictogram file still shows the old picture")
	}
}
