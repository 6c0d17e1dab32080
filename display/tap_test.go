package display

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"skaerm/board"
	"skaerm/display/internal/game"
	"skaerm/display/layout"
	"skaerm/internal/clock"
)

// loop drives a Screen through the game loop's step with a fake clock and
// synthetic pointer events, as Update does with real ones.
type loop struct {
	t   *testing.T
	s   *Screen
	clk *clock.Fake
}

func newLoop(t *testing.T, w, h int) *loop {
	t.Helper()
	at := goldenAt(t)
	src := fixtureCache(t, at)
	clk := clock.NewFake(at)
	s, err := New(Options{Source: src, Clock: clk, NewID: ids()})
	if err != nil {
		t.Fatal(err)
	}
	s.game.Resize(w, h)
	t.Cleanup(s.dispose)
	s.load()
	l := &loop{t: t, s: s, clk: clk}
	l.tick(nil)
	return l
}

func (l *loop) tick(evs []pointerEvent) {
	l.s.step(l.clk.Now(), evs)
}

// find returns the centre of the first target whose intent matches.
func (l *loop) find(match func(layout.Intent) bool) (float64, float64) {
	l.t.Helper()
	for _, tg := range l.s.game.Page().Targets {
		if match(tg.Intent) {
			return tg.R.X + tg.R.W/2, tg.R.Y + tg.R.H/2
		}
	}
	l.t.Fatalf("no such target on %s", l.s.game.Page().ID)
	return 0, 0
}

// tap presses and releases at (x, y), a finger's tenth of a second apart,
// and then lets a second pass.
func (l *loop) tap(x, y float64) {
	l.tick([]pointerEvent{{Down: true, X: x, Y: y}})
	l.clk.Advance(100 * time.Millisecond)
	l.tick([]pointerEvent{{Down: false, X: x, Y: y}})
	l.clk.Advance(time.Second)
	l.tick(nil)
}

func (l *loop) reload() {
	l.s.load()
	l.tick(nil)
}

func TestTapToSignUp(t *testing.T) {
	for _, size := range [][2]int{{1920, 1080}, {1080, 1920}} {
		l := newLoop(t, size[0], size[1])
		l.tap(l.find(func(in layout.Intent) bool {
			return in.Kind == layout.Open && in.Page == (board.PageID{Kind: board.PageActivity, ID: "a1"})
		}))
		if got := l.s.game.State().Page; got != (board.PageID{Kind: board.PageActivity, ID: "a1"}) {
			t.Fatalf("after tapping the card the page is %q", got)
		}
		l.tap(l.find(func(in layout.Intent) bool { return in.Kind == layout.Pick && in.Profile == "p3" }))
		if got := l.s.game.State().Pick; got != "p3" {
			t.Fatalf("after tapping the face the pick is %q", got)
		}
		ob, _ := l.s.src.Outbox()
		if len(ob) != 0 {
			t.Fatalf("a face tap alone enqueued %v", ob)
		}
		l.tap(l.find(func(in layout.Intent) bool { return in.Kind == layout.Confirm }))
		ob, err := l.s.src.Outbox()
		if err != nil {
			t.Fatal(err)
		}
		if len(ob) != 1 {
			t.Fatalf("outbox holds %d sign-ups, want 1", len(ob))
		}
		got := ob[0]
		if got.ItemType != board.ActivityItem || got.ItemID != "a1" || got.ProfileID != "p3" || got.Action != board.Join || got.ID == "" || got.State != board.Pending {
			t.Errorf("outbox holds %+v", got)
		}
		if !got.At.Equal(goldenAt(t).Add(2*1100*time.Millisecond + 100*time.Millisecond)) {
			t.Errorf("sign-up made at %v", got.At)
		}
		l.reload()
		if !hasText(l.s.game.Page(), "Venter…") {
			t.Error("the pending sign-up is not shown on the face")
		}
		if !hasText(l.s.game.Page(), "Ærtebjørg er tilmeldt") {
			t.Error("no confirmation message")
		}
	}
}

func TestTapNeedsConfirmation(t *testing.T) {
	l := newLoop(t, 1920, 1080)
	l.tap(l.find(func(in layout.Intent) bool { return in.Page == (board.PageID{Kind: board.PageActivity, ID: "a1"}) }))
	l.tap(l.find(func(in layout.Intent) bool { return in.Kind == layout.Pick && in.Profile == "p1" }))
	if !hasText(l.s.game.Page(), "Ja, afmeld Karen") {
		t.Fatal("a signed-up resident is not asked to confirm leaving")
	}
	l.tap(l.find(func(in layout.Intent) bool { return in.Kind == layout.Cancel }))
	if l.s.game.State().Pick != "" {
		t.Error("Fortryd left the question open")
	}
	// A press that slides off its target and lifts elsewhere does nothing.
	x, y := l.find(func(in layout.Intent) bool { return in.Kind == layout.Pick && in.Profile == "p1" })
	l.tick([]pointerEvent{{Down: true, X: x, Y: y}})
	l.clk.Advance(200 * time.Millisecond)
	l.tick([]pointerEvent{{Down: false, X: 5, Y: 5}})
	if l.s.game.State().Pick != "" {
		t.Error("a press released outside its target acted")
	}
	if ob, _ := l.s.src.Outbox(); len(ob) != 0 {
		t.Errorf("outbox holds %v without a confirmation", ob)
	}
}

func TestBounceIsIgnored(t *testing.T) {
	l := newLoop(t, 1920, 1080)
	l.tap(l.find(func(in layout.Intent) bool { return in.Page == (board.PageID{Kind: board.PageActivity, ID: "a1"}) }))
	l.tap(l.find(func(in layout.Intent) bool { return in.Kind == layout.Pick && in.Profile == "p3" }))
	x, y := l.find(func(in layout.Intent) bool { return in.Kind == layout.Confirm })
	// Tap "Ja" and bounce: the bounce lands on what is under the finger
	// after the dialog has gone (the same face) and must not open it again.
	l.tick([]pointerEvent{{Down: true, X: x, Y: y}})
	l.clk.Advance(80 * time.Millisecond)
	l.tick([]pointerEvent{{Down: false, X: x, Y: y}})
	l.clk.Advance(60 * time.Millisecond)
	fx, fy := l.find(func(in layout.Intent) bool { return in.Kind == layout.Pick && in.Profile == "p3" })
	l.tick([]pointerEvent{{Down: true, X: fx, Y: fy}})
	l.clk.Advance(60 * time.Millisecond)
	l.tick([]pointerEvent{{Down: false, X: fx, Y: fy}})
	if l.s.game.State().Pick != "" {
		t.Error("a bounce within 300 ms acted")
	}
	if ob, _ := l.s.src.Outbox(); len(ob) != 1 {
		t.Errorf("outbox holds %d, want 1", len(ob))
	}
}

func TestRefusalIsSaidInWords(t *testing.T) {
	l := newLoop(t, 1920, 1080)
	l.tap(l.find(func(in layout.Intent) bool { return in.Page == (board.PageID{Kind: board.PageActivity, ID: "a1"}) }))
	l.tap(l.find(func(in layout.Intent) bool { return in.Kind == layout.Pick && in.Profile == "p3" }))
	l.tap(l.find(func(in layout.Intent) bool { return in.Kind == layout.Confirm }))
	ob, _ := l.s.src.Outbox()
	c := l.s.src.(interface{ UpdateSignup(board.Signup) error })
	refused := ob[0]
	refused.State, refused.Reason = board.Refused, "full"
	if err := c.UpdateSignup(refused); err != nil {
		t.Fatal(err)
	}
	l.clk.Advance(10 * time.Second)
	l.reload()
	if !hasText(l.s.game.Page(), "Ærtebjørg: Desværre, aktiviteten er fuld") {
		t.Error("the refusal is not said")
	}
}

func TestIdleAndBack(t *testing.T) {
	l := newLoop(t, 1920, 1080)
	l.clk.Advance(3*time.Minute + time.Second)
	l.tick(nil)
	if l.s.game.State().Page != board.PageOf(board.PageIdle) {
		t.Fatalf("after 3 minutes the page is %q", l.s.game.State().Page)
	}
	if got := l.s.Page(); got != board.PageOf(board.PageIdle) {
		t.Errorf("Page() = %q for the status report, the screen shows %q", got, l.s.game.State().Page)
	}
	slide := l.s.game.State().Slide
	l.clk.Advance(game.SlideFor)
	l.tick(nil)
	if l.s.game.State().Slide == slide {
		t.Error("the slideshow does not move")
	}
	l.tap(300, 300)
	if l.s.game.State().Page != board.PageOf(board.PageToday) {
		t.Errorf("a touch on the slideshow leads to %q", l.s.game.State().Page)
	}
	if got := l.s.Page(); got != board.PageOf(board.PageToday) {
		t.Errorf("Page() = %q after the touch", got)
	}
	l.clk.Advance(4 * time.Minute)
	l.tick(nil)
	l.s.Wake()
	l.tick(nil)
	if l.s.game.State().Page != board.PageOf(board.PageToday) {
		t.Errorf("Wake leaves the page at %q", l.s.game.State().Page)
	}
}

func TestNothingDrawnWhenNothingChanged(t *testing.T) {
	l := newLoop(t, 1920, 1080)
	l.s.direct = true // as while running: the page waits for Draw
	l.s.paintDue = false
	l.clk.Advance(10 * time.Second) // same minute (09:30:10)
	l.tick(nil)
	if l.s.paintDue {
		t.Error("a tick with no change asked for a new frame")
	}
	l.clk.Advance(50 * time.Second) // 09:31
	l.tick(nil)
	if !l.s.paintDue || !hasText(l.s.game.Page(), "09:31") {
		t.Error("the minute turned and the clock was not redrawn")
	}
}

func hasText(p *layout.Page, s string) bool {
	for _, it := range p.Items {
		if it.Kind == layout.Text && it.Text == s {
			return true
		}
	}
	return false
}

func TestShotsOfNewPages(t *testing.T) {
	at := goldenAt(t)
	dir := t.TempDir()
	clk := clock.NewFake(at)
	s, err := New(Options{Source: fixtureCache(t, at), Clock: clk, NewID: ids(), ShotsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	s.game.Resize(640, 360)
	defer s.dispose()
	s.load()
	s.step(clk.Now(), nil)
	clk.Advance(time.Second) // a second page within 5 s is not saved
	s.game.Open(board.PageOf(board.PageWeek))
	s.step(clk.Now(), nil)
	clk.Advance(5 * time.Second)
	s.game.Open(board.PageOf(board.PageRoster))
	s.step(clk.Now(), nil)
	s.writers.Wait()
	files, err := filepath.Glob(filepath.Join(dir, "*.png"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || !strings.HasSuffix(files[0], "-today.png") || !strings.HasSuffix(files[1], "-roster.png") {
		t.Errorf("shots: %v", files)
	}
}

// TestDrawPaintsStraightOntoTheScreen: while running, a new page is painted
// onto the screen image in Draw, the same pixels the offscreen frame gets,
// a Screenshot is answered from it, and a Draw with nothing new leaves the
// screen alone.
func TestDrawPaintsStraightOntoTheScreen(t *testing.T) {
	l := newLoop(t, 1920, 1080)
	want := readFrame(l.s.frame)

	// As at start-up: the first Draw learns the screen's size, the next
	// loop turn builds the page, and the Draw after it paints.
	l.s.direct = true
	l.s.game.Resize(0, 0)
	screen := ebiten.NewImage(1920, 1080)
	defer screen.Deallocate()
	l.s.Draw(screen)
	l.tick(nil)
	if !l.s.paintDue {
		t.Fatal("a dirty page is not waiting for Draw")
	}
	reply := make(chan shotReply, 1)
	l.s.shots <- shotRequest{reply: reply}
	l.s.Draw(screen)
	got := readFrame(screen)
	if l.s.paintDue {
		t.Error("Draw painted and still has a page due")
	}
	diff := 0
	for i := range want.Pix {
		if want.Pix[i] != got.Pix[i] {
			diff++
		}
	}
	if diff > 0 {
		t.Errorf("the screen differs from the offscreen page in %d of %d bytes", diff, len(want.Pix))
	}
	rep := <-reply
	if rep.err != nil || rep.img == nil || !bytes.Equal(rep.img.Pix, got.Pix) {
		t.Errorf("the screenshot is not the screen (err %v)", rep.err)
	}

	// Nothing new: Draw does not touch the screen.
	untouched := ebiten.NewImage(1920, 1080)
	defer untouched.Deallocate()
	l.s.Draw(untouched)
	if px := readFrame(untouched); px.Pix[4*(540*1920+960)+3] != 0 {
		t.Error("a Draw with nothing new painted the screen")
	}
}
