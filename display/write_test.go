package display

import (
	"errors"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/display/internal/game"
	"skaerm/display/layout"
	"skaerm/internal/clock"
	"skaerm/words"
)

// slowDisk is the real cache whose outbox write waits until released, as an
// fsync on a tired SD card may, and then fails with fail (when set).
type slowDisk struct {
	*cache.Cache
	release chan struct{}
	fail    error
}

func (d *slowDisk) Enqueue(sg board.Signup) error {
	<-d.release
	if d.fail != nil {
		return d.fail
	}
	return d.Cache.Enqueue(sg)
}

// TestSignUpWriteDoesNotBlock: while the outbox write of a confirmed
// sign-up is under way the loop keeps turning and the face shows the
// sign-up as waiting; the confirmation follows the write, and a write that
// fails is said plainly.
func TestSignUpWriteDoesNotBlock(t *testing.T) {
	for _, fail := range []error{nil, errors.New("disk full")} {
		at := goldenAt(t)
		clk := clock.NewFake(at)
		c := fixtureCache(t, at)
		disk := &slowDisk{Cache: c, release: make(chan struct{}), fail: fail}
		done := make(chan game.Written, 1)
		s, l := writingScreen(t, disk, clk, func(w game.Written, taken bool) {
			if taken {
				t.Error("a write that outlasted the turn's wait was taken by that turn")
			}
			done <- w
		})

		turned := make(chan struct{})
		go func() {
			defer close(turned)
			l.tap(l.find(func(in layout.Intent) bool { return in.Page == (board.PageID{Kind: board.PageActivity, ID: "a1"}) }))
			l.tap(l.find(func(in layout.Intent) bool { return in.Kind == layout.Pick && in.Profile == "p3" }))
			l.tap(l.find(func(in layout.Intent) bool { return in.Kind == layout.Confirm }))
		}()
		select {
		case <-turned:
		case <-time.After(20 * time.Second):
			close(disk.release)
			t.Fatal("the loop waited for the outbox write")
		}
		if !hasText(s.game.Page(), "Venter…") {
			t.Error("the sign-up is not shown as waiting while it is written")
		}
		if hasText(s.game.Page(), "Ærtebjørg er tilmeldt") {
			t.Error("the sign-up is said to be done before it is written")
		}
		close(disk.release)
		w := <-done
		l.reload()
		ob, err := c.Outbox()
		if err != nil {
			t.Fatal(err)
		}
		if fail == nil {
			if w.Err != nil || len(ob) != 1 || !hasText(s.game.Page(), "Ærtebjørg er tilmeldt") {
				t.Errorf("after the write: err %v, outbox %d, confirmation shown %v", w.Err, len(ob), hasText(s.game.Page(), "Ærtebjørg er tilmeldt"))
			}
			continue
		}
		if len(ob) != 0 || !hasText(s.game.Page(), words.Locale("da").RefusedOther) || hasText(s.game.Page(), "Venter…") {
			t.Errorf("a failed write: outbox %d, failure said %v, still waiting %v", len(ob), hasText(s.game.Page(), words.Locale("da").RefusedOther), hasText(s.game.Page(), "Venter…"))
		}
	}
}

// TestSignUpSaidInTheSameTurn: when the outbox write is quick, the turn of
// the loop that takes the confirmation closes the sheet and says the
// sign-up is made at once, in one new page, and the writer asks for no turn
// of its own (under llvmpipe every frame is a full-screen copy).
func TestSignUpSaidInTheSameTurn(t *testing.T) {
	at := goldenAt(t)
	clk := clock.NewFake(at)
	c := fixtureCache(t, at)
	type outcome struct {
		w     game.Written
		taken bool
	}
	done := make(chan outcome, 1)
	s, l := writingScreen(t, c, clk, func(w game.Written, taken bool) { done <- outcome{w, taken} })
	// What is proved is the turn that takes a quick write, not how quick a
	// busy machine's disk is: the bound the turn waits is 50 ms on a
	// screen, long enough here for a loaded test machine's fsync.
	s.writeWait = 5 * time.Second
	l.tap(l.find(func(in layout.Intent) bool { return in.Page == (board.PageID{Kind: board.PageActivity, ID: "a1"}) }))
	l.tap(l.find(func(in layout.Intent) bool { return in.Kind == layout.Pick && in.Profile == "p3" }))

	x, y := l.find(func(in layout.Intent) bool { return in.Kind == layout.Confirm })
	l.tick([]pointerEvent{{Down: true, X: x, Y: y}})
	l.clk.Advance(100 * time.Millisecond)
	before := s.game.Page()
	l.tick([]pointerEvent{{Down: false, X: x, Y: y}})
	page := s.game.Page()
	if page == before {
		t.Fatal("the confirmation's turn built no new page")
	}
	if s.game.State().Pick != "" {
		t.Error("the confirmation sheet is still open")
	}
	if !hasText(page, "Ærtebjørg er tilmeldt") {
		t.Error("the sign-up is not said in the turn that took the confirmation")
	}
	select {
	case o := <-done:
		if o.w.Err != nil || !o.taken {
			t.Errorf("the write: err %v, taken by the waiting turn %v", o.w.Err, o.taken)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the writer did not report the write")
	}
	ob, err := c.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	if len(ob) != 1 || ob[0].ProfileID != "p3" {
		t.Errorf("outbox %+v, want the one sign-up of p3", ob)
	}
}

// writingScreen is a screen on src whose outbox writer runs, calling notify
// after each write, and a loop that has turned once.
func writingScreen(t *testing.T, src Source, clk *clock.Fake, notify func(game.Written, bool)) (*Screen, *loop) {
	t.Helper()
	s, err := New(Options{Source: src, Clock: clk, NewID: ids()})
	if err != nil {
		t.Fatal(err)
	}
	s.game.Resize(1920, 1080)
	t.Cleanup(s.dispose)
	s.load()
	stop := make(chan struct{})
	go func() { defer close(stop); s.outbox.run(t.Context(), notify) }()
	t.Cleanup(func() { <-stop })
	for !s.outbox.running.Load() {
		time.Sleep(time.Millisecond)
	}
	l := &loop{t: t, s: s, clk: clk}
	l.tick(nil)
	return s, l
}
