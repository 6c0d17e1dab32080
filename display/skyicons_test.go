package display

import (
	"crypto/sha256"
	"image/color"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/display/internal/fixture"
	"skaerm/display/layout"
	"skaerm/internal/clock"
)

// TestSkyPictogramsAreDrawn draws every sky and weather pictogram and reads
// the pixels back: each is drawn in code (not the calendar every unknown
// name gets), covers a fair part of its square in the one colour, and no
// two look the same, so the shape tells them apart where colour cannot.
func TestSkyPictogramsAreDrawn(t *testing.T) {
	s := shownScreen(t, Options{Source: fixtureCache(t, goldenAt(t)), Clock: clock.NewFake(goldenAt(t))})
	names := []string{"sky-morning", "sky-day", "sky-evening", "sky-night"}
	for _, sym := range board.Symbols {
		names = append(names, layout.WeatherPictogram(sym))
	}
	const size = 96
	calendar := readFrame(s.paint.icon("no-such-pictogram", size, layout.Accent, color.RGBA{}))
	seen := map[[32]byte]string{sha256.Sum256(calendar.Pix): "the calendar"}
	for _, name := range names {
		img := readFrame(s.paint.icon(name, size, layout.Accent, color.RGBA{}))
		ink := 0
		for i := 0; i < len(img.Pix); i += 4 {
			r, g, b, a := img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3]
			if a > 200 && b > r+40 && b > g+20 { // the accent blue
				ink++
			}
		}
		if share := float64(ink) / (size * size); share < 0.04 || share > 0.6 {
			t.Errorf("%s covers %.0f%% of its square", name, 100*share)
		}
		sum := sha256.Sum256(img.Pix)
		if other, ok := seen[sum]; ok {
			t.Errorf("%s looks the same as %s", name, other)
		}
		seen[sum] = name
	}
}

// TestNowChangesOnTheMinuteTurn: the strip says what is on now from the
// minute it starts, with the loop woken by nothing but the minute turn
// it already waits for.
func TestNowChangesOnTheMinuteTurn(t *testing.T) {
	loc := goldenAt(t).Location()
	start := time.Date(2026, 11, 23, 9, 59, 30, 0, loc)
	clk := clock.NewFake(start)
	bd, media := fixture.Board(start)
	s := shownScreen(t, Options{Source: boardCache(t, clk, bd, media), Clock: clk})
	if !hasText(s.game.Page(), "10:00 Banko med kaffe og kage i Fælleshuset") {
		t.Fatal("at 09:59 the strip does not name the banko as next")
	}
	minute := time.Date(2026, 11, 23, 10, 0, 0, 0, loc)
	if got := time.Unix(0, s.deadline.Load()); !got.Equal(minute) {
		t.Errorf("the loop next wakes at %v, want the minute turn %v", got, minute)
	}
	clk.Set(minute)
	s.step(minute, nil)
	if !hasText(s.game.Page(), "Banko med kaffe og kage i Fælleshuset") || !hasText(s.game.Page(), "12:00 Frokost") {
		t.Error("at 10:00 the strip does not say the banko is on now")
	}
}
