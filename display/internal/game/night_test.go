package game_test

import (
	"testing"
	"time"

	"skaerm/board"
	"skaerm/display/internal/game"
	"skaerm/display/layout"
)

// TestNightPageOnWake: a display lit again at night shows the night page,
// whatever page it went dark on; "Vis dagens program" opens the board and
// tells the power controller; the next wake at night shows the night page
// again; a wake in the day, or the morning coming, shows the board; the
// night page never turns to the slideshow.
func TestNightPageOnWake(t *testing.T) {
	full := 0
	p := newPlay(t, func(c *game.Config) { c.OnFullBoard = func() { full++ } })
	p.step(game.Tick{})
	roster := board.PageOf(board.PageRoster)
	p.tap(func(in layout.Intent) bool { return in.Kind == layout.Open && in.Page == roster })
	if p.g.State().Page != roster {
		t.Fatalf("on %s, want the roster", p.g.State().Page)
	}
	p.night = true
	p.step(game.Tick{Blank: true})
	if !p.step(game.Tick{}) || !p.g.State().Page.Is(board.PageNight) {
		t.Fatalf("lit at night: page %s, want the night page (painted)", p.g.State().Page)
	}
	// Minutes without a touch: no slideshow on the night page.
	p.now = p.now.Add(10 * time.Minute)
	p.step(game.Tick{})
	if !p.g.State().Page.Is(board.PageNight) {
		t.Fatalf("after 10 minutes on the night page: %s", p.g.State().Page)
	}
	p.tap(func(in layout.Intent) bool { return in.Kind == layout.Open && in.Page.Is(board.PageToday) })
	if !p.g.State().Page.Is(board.PageToday) || full != 1 {
		t.Fatalf("after \"Vis dagens program\": page %s, OnFullBoard called %d times", p.g.State().Page, full)
	}
	p.step(game.Tick{})
	if !p.g.State().Page.Is(board.PageToday) {
		t.Fatalf("the board asked for at night gave way to %s", p.g.State().Page)
	}
	p.step(game.Tick{Blank: true})
	p.step(game.Tick{})
	if !p.g.State().Page.Is(board.PageNight) {
		t.Fatalf("the next wake at night: %s, want the night page", p.g.State().Page)
	}
	// The morning comes (the schedule ends) while it is shown.
	p.night = false
	p.step(game.Tick{})
	if !p.g.State().Page.Is(board.PageToday) || full != 1 {
		t.Fatalf("in the morning: %s (OnFullBoard %d)", p.g.State().Page, full)
	}
	// A wake in the day shows the board it went dark on.
	p.step(game.Tick{Blank: true})
	p.step(game.Tick{})
	if !p.g.State().Page.Is(board.PageToday) {
		t.Fatalf("lit in the day: %s", p.g.State().Page)
	}
}
