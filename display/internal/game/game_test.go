package game_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"skaerm/assets"
	"skaerm/board"
	"skaerm/display/internal/fixture"
	"skaerm/display/internal/game"
	"skaerm/display/layout"
	"skaerm/words"
)

// play drives a Game at 1920x1080 on the fixture board, with no display.
type play struct {
	t       *testing.T
	g       *game.Game
	now     time.Time
	reading *game.Reading
	writes  []board.Signup
	// speaking is what the voice says it is reading, on every turn.
	speaking board.CardKey
	// night is whether it is night for the screen, on every turn.
	night bool
}

func newPlay(t *testing.T, edit ...func(*game.Config)) *play {
	t.Helper()
	m, err := layout.NewFontMeasurer(assets.FontRegular, assets.FontBold)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, loc)
	bd, _ := fixture.Board(now)
	n := 0
	cfg := game.Config{
		Measurer: m, IdleAfter: 3 * time.Minute, OfflineAfter: 15 * time.Minute,
		NewID: func() string { n++; return fmt.Sprintf("sg-%d", n) },
	}
	for _, e := range edit {
		e(&cfg)
	}
	g := game.New(cfg, now)
	g.Resize(1920, 1080)
	p := &play{t: t, g: g, now: now, reading: &game.Reading{Board: bd}}
	p.step(game.Tick{})
	return p
}

// step runs one turn at p.now with what tick carries, and keeps what the
// game hands out to be written.
func (p *play) step(tick game.Tick) bool {
	tick.Now, tick.Reading, tick.Speaking, tick.Night = p.now, p.reading, p.speaking, p.night
	repaint, writes := p.g.Step(tick)
	p.writes = append(p.writes, writes...)
	return repaint
}

// tap presses and releases on the first target whose intent matches, in
// one turn (as a short tap arrives), then lets a second pass.
func (p *play) tap(match func(layout.Intent) bool) {
	p.t.Helper()
	for _, tg := range p.g.Page().Targets {
		if match(tg.Intent) {
			x, y := tg.R.X+tg.R.W/2, tg.R.Y+tg.R.H/2
			p.step(game.Tick{Pointers: []game.Pointer{{Down: true, X: x, Y: y}, {Down: false, X: x, Y: y}}})
			p.now = p.now.Add(time.Second)
			return
		}
	}
	p.t.Fatalf("no such target on %s", p.g.Page().ID)
}

func has(p *layout.Page, s string) bool {
	for _, it := range p.Items {
		if it.Kind == layout.Text && it.Text == s {
			return true
		}
	}
	return false
}

func (p *play) signUp() {
	a1 := board.PageID{Kind: board.PageActivity, ID: "a1"}
	p.tap(func(in layout.Intent) bool { return in.Kind == layout.Open && in.Page == a1 })
	p.tap(func(in layout.Intent) bool { return in.Kind == layout.Pick && in.Profile == "p3" })
	p.tap(func(in layout.Intent) bool { return in.Kind == layout.Confirm })
}

// TestSignUpPendingUntilWritten: a confirmed sign-up is handed out to be
// written and shown as waiting on the face at once; the confirmation is
// said when the write is done.
func TestSignUpPendingUntilWritten(t *testing.T) {
	p := newPlay(t)
	p.signUp()
	if len(p.writes) != 1 || p.writes[0].ProfileID != "p3" || p.writes[0].ItemID != "a1" || p.writes[0].State != board.Pending {
		t.Fatalf("handed out %+v, want one pending sign-up of p3 to a1", p.writes)
	}
	if !has(p.g.Page(), "Venter…") {
		t.Error("the face does not show the sign-up as waiting before it is written")
	}
	if has(p.g.Page(), "Ærtebjørg er tilmeldt") {
		t.Error("the confirmation is said before the write is done")
	}
	if !p.step(game.Tick{Written: []game.Written{{Signup: p.writes[0]}}}) || !has(p.g.Page(), "Ærtebjørg er tilmeldt") {
		t.Error("the confirmation is not said when the write is done")
	}
}

// TestSentBeforeSeenIsNotLeftWaiting: a sign-up can be written, sent and
// gone from the outbox before the screen reads the outbox again. A reading
// begun before the write still shows it waiting; one begun after it shows
// what the cache says (here: nothing, as when staff removed it at once),
// not a minute of "Venter…".
func TestSentBeforeSeenIsNotLeftWaiting(t *testing.T) {
	p := newPlay(t)
	p.signUp()
	p.step(game.Tick{Written: []game.Written{{Signup: p.writes[0], Seq: 1}}})
	p.reading = &game.Reading{Board: p.reading.Board, Writes: 0}
	p.step(game.Tick{})
	if !has(p.g.Page(), "Venter…") {
		t.Error("a reading begun before the write forgot the sign-up")
	}
	p.reading = &game.Reading{Board: p.reading.Board, Writes: 1}
	p.now = p.now.Add(time.Second)
	p.step(game.Tick{})
	if has(p.g.Page(), "Venter…") {
		t.Error("a sign-up stored and sent before the reading is still shown as waiting")
	}
}

// TestFailedWriteSaidPlainly: a sign-up that could not be written is said
// to have failed and is no longer shown as waiting.
func TestFailedWriteSaidPlainly(t *testing.T) {
	p := newPlay(t)
	p.signUp()
	p.step(game.Tick{Written: []game.Written{{Signup: p.writes[0], Err: errors.New("disk full")}}})
	if !has(p.g.Page(), words.Locale("da").RefusedOther) {
		t.Error("a failed write is not said")
	}
	if has(p.g.Page(), "Venter…") {
		t.Error("a sign-up that was not written is still shown as waiting")
	}
}

// TestNextAndIdle: the loop is asked back when the slideshow is due, and
// the slideshow starts then.
func TestNextAndIdle(t *testing.T) {
	p := newPlay(t)
	idle := p.now.Add(3 * time.Minute)
	next := p.g.Next(p.now)
	if want := p.now.Truncate(time.Minute).Add(time.Minute); !next.Equal(want) {
		t.Errorf("Next = %v, want the minute %v", next, want)
	}
	for p.now.Before(idle) {
		p.now = p.g.Next(p.now)
		p.step(game.Tick{})
	}
	if !p.g.State().Page.Is(board.PageIdle) {
		t.Fatalf("after 3 minutes untouched the page is %s", p.g.State().Page)
	}
	if want := idle.Add(game.SlideFor); !p.g.Next(p.now).Equal(want) {
		t.Errorf("Next = %v, want the next slide at %v", p.g.Next(p.now), want)
	}
}

// TestBounceByEventTime: two taps read in the same turn count by their own
// times: 400 ms apart both act, 100 ms apart only the first.
func TestBounceByEventTime(t *testing.T) {
	for _, c := range []struct {
		gap  time.Duration
		want board.PageKind
	}{{400 * time.Millisecond, board.PageRoster}, {100 * time.Millisecond, board.PageWeek}} {
		p := newPlay(t)
		var evs []game.Pointer
		at := p.now.Add(-time.Second)
		for i, k := range []board.PageKind{board.PageWeek, board.PageRoster} {
			for _, tg := range p.g.Page().Targets {
				if tg.Intent.Page == board.PageOf(k) {
					x, y := tg.R.X+tg.R.W/2, tg.R.Y+tg.R.H/2
					t0 := at.Add(time.Duration(i) * c.gap)
					evs = append(evs, game.Pointer{Down: true, X: x, Y: y, At: t0}, game.Pointer{X: x, Y: y, At: t0.Add(10 * time.Millisecond)})
					break
				}
			}
		}
		p.step(game.Tick{Pointers: evs})
		if got := p.g.State().Page; !got.Is(c.want) {
			t.Errorf("taps %v apart in one turn: page %s, want %s", c.gap, got, c.want)
		}
	}
}

// The speaker button through the game loop: a tap asks the voice to read
// the card, the button shows it reading, a second tap stops, another card's
// button reads that one instead, and leaving the page stops the reading.
func TestSpeakerButton(t *testing.T) {
	p := newPlay(t)
	speech := func() game.Speech {
		t.Helper()
		sp, ok := p.g.TakeSpeech()
		if !ok {
			t.Fatal("nothing asked of the voice")
		}
		return sp
	}
	isRead := func(key board.CardKey) func(layout.Intent) bool {
		return func(in layout.Intent) bool { return in.Kind == layout.Read && in.Card == key }
	}
	p.tap(isRead("activity/a1"))
	sp := speech()
	if sp.Stop || sp.Card != "activity/a1" || sp.Locale != "da" || sp.Text == "" || sp.Text[:len("Banko")] != "Banko" {
		t.Fatalf("tap asks %+v", sp)
	}
	// The voice says it is reading: the button shows it.
	p.speaking = "activity/a1"
	p.step(game.Tick{})
	reading := 0
	for _, it := range p.g.Page().Items {
		if it.Kind == layout.Icon && it.Text == "speaker-stop" {
			reading++
		}
	}
	if reading != 1 {
		t.Fatalf("%d buttons show reading, want 1", reading)
	}
	p.tap(isRead("activity/a1"))
	if sp := speech(); !sp.Stop {
		t.Fatalf("second tap asks %+v, want stop", sp)
	}
	p.tap(isRead("meal/m0b"))
	if sp := speech(); sp.Stop || sp.Card != "meal/m0b" {
		t.Fatalf("a tap on another card asks %+v", sp)
	}
	p.speaking = "meal/m0b"
	p.step(game.Tick{})
	if _, ok := p.g.TakeSpeech(); ok {
		t.Fatal("the voice asked again without a tap")
	}
	// Open the week page: the reading stops.
	p.tap(func(in layout.Intent) bool { return in.Kind == layout.Open && in.Page.Is(board.PageWeek) })
	if sp := speech(); !sp.Stop {
		t.Fatalf("leaving the page asks %+v, want stop", sp)
	}
}

// TestDarkDisplayPaintsOnce: a display switched off (drawn black) is
// painted once when it goes dark and again when it lights up, not at every
// slide or minute in between, and the loop is not asked back for slides.
func TestDarkDisplayPaintsOnce(t *testing.T) {
	p := newPlay(t)
	idle := p.now.Add(3 * time.Minute)
	for p.now.Before(idle) {
		p.now = p.g.Next(p.now)
		p.step(game.Tick{})
	}
	if !p.g.State().Page.Is(board.PageIdle) {
		t.Fatalf("after 3 minutes untouched the page is %s", p.g.State().Page)
	}
	if !p.step(game.Tick{Blank: true}) || !p.g.Blank() {
		t.Fatal("going dark is not painted")
	}
	for range 10 {
		next := p.g.Next(p.now)
		if want := p.now.Truncate(time.Minute).Add(time.Minute); !next.Equal(want) {
			t.Fatalf("dark: Next = %v, want the minute %v (no slides)", next, want)
		}
		p.now = next
		if p.step(game.Tick{Blank: true}) {
			t.Fatalf("dark at %s: the step asks for a paint", p.now.Format("15:04:05"))
		}
	}
	if !p.step(game.Tick{}) || p.g.Blank() {
		t.Fatal("lighting up is not painted")
	}
	if !p.g.State().Page.Is(board.PageIdle) {
		t.Errorf("lit again, the page is %s, want the slideshow", p.g.State().Page)
	}
	if got, want := p.g.State().Slide, int(p.now.Sub(idle)/game.SlideFor); got != want {
		t.Errorf("lit again on slide %d, want the slide the time says (%d)", got, want)
	}
	if next := p.g.Next(p.now); !next.Before(p.now.Add(game.SlideFor + time.Second)) {
		t.Errorf("lit again: Next = %v, want the next slide within %s", next, game.SlideFor)
	}
}

// TestNoticeBeginsAndEndsByTheClock: a notice appears at its from and
// leaves at its until by the screen's own clock, with no new reading (as
// offline), and the loop is asked back for both moments.
func TestNoticeBeginsAndEndsByTheClock(t *testing.T) {
	p := newPlay(t)
	bd := *p.reading.Board
	from, until := p.now.Add(30*time.Second), p.now.Add(90*time.Second)
	bd.Notices = []board.Notice{{ID: "u1", Level: board.NoticeInfo, Title: "Brandøvelse kl. 14", From: from, Until: until}}
	p.reading = &game.Reading{Board: &bd}
	p.step(game.Tick{})
	if has(p.g.Page(), "Brandøvelse kl. 14") {
		t.Fatal("the notice is shown before its from")
	}
	if next := p.g.Next(p.now); next.After(from) {
		t.Errorf("the loop is next asked back at %s, after the notice's from %s", next, from)
	}
	p.now = from
	p.step(game.Tick{})
	if !has(p.g.Page(), "Brandøvelse kl. 14") {
		t.Fatal("the notice is not shown at its from")
	}
	if next := p.g.Next(p.now); next.After(until) {
		t.Errorf("the loop is next asked back at %s, after the notice's until %s", next, until)
	}
	p.now = until
	p.step(game.Tick{})
	if has(p.g.Page(), "Brandøvelse kl. 14") {
		t.Error("the notice is still shown at its until")
	}
}
