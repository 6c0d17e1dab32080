package display

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"skaerm/backend"
	"skaerm/cache"
	"skaerm/display/layout"
	"skaerm/internal/clock"
	skaermsync "skaerm/sync"
)

// TestWeatherFromTheReferenceBackend syncs from the reference backend on
// loopback into a real cache and draws the Today page from it: a v1.1
// backend's weather is drawn (pictogram and temperature on screen), a plain
// v1 backend's screen draws the page it drew before weather existed, with
// no tile and no empty box.
func TestWeatherFromTheReferenceBackend(t *testing.T) {
	var pages [2]*layout.Page
	for i, plain := range []bool{false, true} {
		clk := clock.NewFake(time.Now().Truncate(time.Second))
		r, err := backend.Start(context.Background(), "127.0.0.1:0", backend.Options{
			DataDir: t.TempDir(), Tokens: []string{"T"}, Demo: true, Clock: clk, PlainV1: plain,
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		c, err := cache.Open(filepath.Join(t.TempDir(), "cache.db"), cache.Options{Clock: clk})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		s, err := skaermsync.New(skaermsync.Options{BaseURL: r.URL, Token: "T", Cache: c, Clock: clk, MaxMediaBytes: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SyncOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		scr := shownScreen(t, Options{Source: c, Clock: clk})
		pages[i] = scr.game.Page()
		var icon *layout.Item
		for j, it := range scr.game.Page().Items {
			if it.Kind == layout.Icon && strings.HasPrefix(it.Text, "weather-") {
				icon = &scr.game.Page().Items[j]
			}
		}
		switch {
		case plain && icon != nil:
			t.Errorf("a plain v1 backend's screen draws weather: %q", icon.Text)
		case !plain && icon == nil:
			t.Error("the v1.1 backend's weather is not drawn")
		case !plain:
			// The pictogram is on screen: accent pixels inside its square.
			ink := 0
			for y := int(icon.R.Y); y < int(icon.R.Bottom()); y++ {
				for x := int(icon.R.X); x < int(icon.R.Right()); x++ {
					if near(scr.frame.At(x, y), layout.Accent) {
						ink++
					}
				}
			}
			if ink < int(icon.R.W*icon.R.H/40) {
				t.Errorf("the weather pictogram %q drew %d pixels", icon.Text, ink)
			}
		}
	}
	// Without weather the strip holds now and next alone, across the width.
	for _, it := range pages[1].Items {
		if it.Kind == layout.Text && strings.HasSuffix(it.Text, "°") {
			t.Errorf("a plain v1 screen shows %q", it.Text)
		}
	}
}
