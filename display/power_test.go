package display

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/display/layout"
	"skaerm/internal/clock"
	"skaerm/sync/pairing"
)

// TestBlankWakeAndHeartbeat: a dark display draws black, the first touch on
// it only wakes it (and is reported), and every loop turn feeds the watchdog.
func TestBlankWakeAndHeartbeat(t *testing.T) {
	at := goldenAt(t)
	clk := clock.NewFake(at)
	var dark, beats, touches atomic.Int32
	dark.Store(1)
	s, err := New(Options{
		Source: fixtureCache(t, at), Clock: clk, NewID: ids(),
		Blank:     func() bool { return dark.Load() == 1 },
		OnTouch:   func() { touches.Add(1) },
		Heartbeat: func() { beats.Add(1) },
	})
	if err != nil {
		t.Fatal(err)
	}
	s.game.Resize(1280, 720)
	t.Cleanup(s.dispose)
	s.load()
	l := &loop{t: t, s: s, clk: clk}
	l.tick(nil)
	if r, g, b, _ := s.frame.At(640, 360).RGBA(); r|g|b != 0 {
		t.Fatalf("a dark display drew (%d,%d,%d), want black", r, g, b)
	}

	// A tap on the dark screen where the Week button is: it wakes, nothing opens.
	x, y := 0.0, 0.0
	for _, tg := range layoutToday(t, s).Targets {
		if tg.Intent.Kind == layout.Open && tg.Intent.Page == board.PageOf(board.PageWeek) {
			x, y = tg.R.X+tg.R.W/2, tg.R.Y+tg.R.H/2
		}
	}
	l.tap(x, y)
	if touches.Load() != 1 {
		t.Errorf("touches reported: %d, want 1", touches.Load())
	}
	if s.game.State().Page != board.PageOf(board.PageToday) {
		t.Errorf("a touch on a dark screen opened %q", s.game.State().Page)
	}
	dark.Store(0)
	l.tick(nil)
	if r, g, b, _ := s.frame.At(640, 360).RGBA(); r|g|b == 0 {
		t.Error("the display woke but still draws black")
	}
	l.tap(x, y)
	if s.game.State().Page != board.PageOf(board.PageWeek) {
		t.Errorf("a touch on a lit screen leads to %q, want week", s.game.State().Page)
	}

	before := beats.Load()
	if err := s.Update(); err != nil {
		t.Fatal(err)
	}
	if beats.Load() != before+1 {
		t.Error("Update does not feed the heartbeat")
	}
}

// TestUnknownDayClaimsNoDay: with an untrusted clock (a Pi booted in 1970)
// the screen shows the board's own day, no time, and says the clock is not set.
func TestUnknownDayClaimsNoDay(t *testing.T) {
	at := goldenAt(t)
	clk := clock.NewFake(time.Date(1970, 1, 1, 0, 0, 12, 0, time.UTC))
	s := shownScreen(t, Options{Source: fixtureCache(t, at), Clock: clk, DayKnown: func() bool { return false }})
	p := s.game.Page()
	if !hasText(p, "--:--") || !hasText(p, "Uret er ikke stillet") {
		t.Error("an untrusted clock must show no time and say the clock is not set")
	}
	for _, it := range p.Items {
		if it.Kind == layout.Text && (it.Text == "NU" || it.Text == "Torsdag 1. januar") {
			t.Errorf("an untrusted clock still claims %q", it.Text)
		}
	}
	found := false
	for _, it := range p.Items {
		if it.Kind == layout.Text && len(it.Text) > 10 && it.Text[:10] == "Tavlen fra" {
			found = true
		}
	}
	if !found {
		t.Error("the header does not say which day the board is from")
	}
}

func layoutToday(t *testing.T, s *Screen) *layout.Page {
	t.Helper()
	in := s.game.Input(s.clk.Now(), layout.State{Page: board.PageOf(board.PageToday)})
	return layout.Build(s.meas, in)
}

// TestRetune: a configuration edit changes the language without a restart.
func TestRetune(t *testing.T) {
	l := newLoop(t, 1920, 1080)
	if !hasText(l.s.game.Page(), "Mandag 23. november") {
		t.Fatal("the fixture does not start in Danish")
	}
	l.s.Retune(Tuning{Locale: "en"})
	if err := l.s.Update(); err != nil {
		t.Fatal(err)
	}
	if !hasText(l.s.game.Page(), "Monday 23 November") {
		var texts []string
		for _, it := range l.s.game.Page().Items {
			if it.Kind == layout.Text {
				texts = append(texts, it.Text)
			}
		}
		t.Errorf("after Retune to English the page reads %q", texts[:4])
	}
}

// countingClock counts the timers asked of it.
type countingClock struct {
	*clock.Fake
	afters atomic.Int32
}

func (c *countingClock) After(d time.Duration) <-chan time.Time {
	c.afters.Add(1)
	return c.Fake.After(d)
}

// TestTickerSleepsUntilThePairingChanges: told of pairing changes, the
// screen's ticker sleeps until the minute (no look every 2 seconds on a
// paired screen) and wakes the loop at once when a code is shown or cleared.
func TestTickerSleepsUntilThePairingChanges(t *testing.T) {
	at := goldenAt(t)
	clk := &countingClock{Fake: clock.NewFake(at.Truncate(time.Minute).Add(10 * time.Second))}
	var shown pairing.Shown
	s, err := New(Options{
		Source: fixtureCache(t, at), Clock: clk, NewID: ids(),
		Pairing: shown.Code, PairingChanged: shown.Changed(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.dispose)
	woke := make(chan struct{}, 8)
	s.schedule = func() { woke <- struct{}{} }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.ticker(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	parked := func() {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); clk.Waiters() != 1; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the ticker does not wait for a timer")
			}
		}
	}
	awake := func(what string) {
		t.Helper()
		select {
		case <-woke:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: the loop was not woken", what)
		}
	}
	parked()
	clk.Advance(49 * time.Second) // 1 s before the minute
	parked()
	if n := clk.afters.Load(); n != 1 {
		t.Errorf("the ticker set %d timers in 49 s of a paired screen, want 1 (until the minute)", n)
	}
	if len(woke) != 0 {
		t.Error("the loop was woken before the minute with nothing changed")
	}
	clk.Advance(time.Second)
	awake("the minute")

	shown.Set("WDJB-MJHT", "")
	awake("a pairing code shown")
	shown.Clear()
	awake("the code cleared")
}
