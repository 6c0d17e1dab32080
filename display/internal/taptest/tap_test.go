// Package taptest taps the running Screen through the X server, in a process
// of its own: Screen.Run runs the real Ebitengine loop, which must start on
// the main goroutine and can start only once per process. The taps are
// XTest button events sent with no time between press and release, as a
// touch screen may deliver them.
package taptest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
	"github.com/jezek/xgb/xtest"

	"skaerm/assets"
	"skaerm/board"
	"skaerm/cache"
	"skaerm/display"
	"skaerm/display/internal/fixture"
	"skaerm/display/layout"
	"skaerm/internal/testkit/soundtest"
	"skaerm/internal/testkit/xneed"
	"skaerm/internal/voice/aloud"
	"skaerm/internal/voice/sound"
	"skaerm/internal/voice/speech"
)

const width, height = 1920, 1080

var (
	screen *display.Screen
	src    *cache.Cache
	bd     *board.Board
	clk    shifted
	taps   = make(chan slog.Record, 100)
	voice  *aloud.Voice
	heard  string // the file ALSA's default device writes to
)

// shifted is the real clock moved to a fixed time of day (09:30 in
// Copenhagen, today), so the fixture's activities are open for sign-up
// whenever the test runs, and taps keep their real distance in time.
type shifted struct{ by time.Duration }

func (c shifted) Now() time.Time                         { return time.Now().Add(c.by) }
func (c shifted) After(d time.Duration) <-chan time.Time { return time.After(d) }

// tapLog passes the screen's "tap" records to the test.
type tapLog struct{}

func (tapLog) Enabled(context.Context, slog.Level) bool { return true }
func (tapLog) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "tap" {
		taps <- r
	}
	return nil
}
func (h tapLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h tapLog) WithGroup(string) slog.Handler      { return h }

func TestMain(m *testing.M) {
	xneed.Display("tap tests")
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// run shows the screen on the fixture board of today at 09:30, with a
// clock that runs in real time (the bounce rule compares the taps' times),
// and runs the tests beside it.
func run(m *testing.M) (int, error) {
	dir, err := os.MkdirTemp("", "taptest")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(dir)
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		return 1, err
	}
	y, mo, d := time.Now().In(loc).Date()
	at := time.Date(y, mo, d, 9, 30, 0, 0, loc)
	clk = shifted{by: time.Until(at)}
	c, b, err := fixture.Cache(filepath.Join(dir, "cache.db"), at, clk)
	if err != nil {
		return 1, err
	}
	defer c.Close()
	src, bd = c, b
	// The loudspeaker is a file: ALSA's default device through this
	// process's own asoundrc.
	if heard, err = soundtest.WriteRC(dir); err != nil {
		return 1, err
	}
	os.Setenv("HOME", dir)
	voice = aloud.New(aloud.Options{Clock: clk, Engine: &speech.Espeak{}, Player: &sound.Player{},
		Volume: func() int { return 100 }, OnChange: func() { screen.Poke() }})
	n := 0
	screen, err = display.New(display.Options{
		Source: c, Clock: clk, Logger: slog.New(tapLog{}), Fullscreen: true, IdleAfter: time.Hour,
		NewID: func() string { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) },
		Voice: voice, Login: login,
	})
	if err != nil {
		return 1, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	code := 1
	done := make(chan struct{})
	voiceDone := make(chan struct{})
	go func() { defer close(voiceDone); _ = voice.Run(ctx) }()
	go func() {
		defer close(done)
		defer cancel()
		code = m.Run()
	}()
	err = screen.Run(ctx)
	cancel()
	<-done
	<-voiceDone
	return code, err
}

// TestInstantTaps taps two buttons of the navigation bar in turn, each tap a
// press and a release sent together, and expects every tap to act once.
func TestInstantTaps(t *testing.T) {
	x, send := fakeInput(t)
	waitDrawn(t)

	week, roster := navButton(t, board.PageWeek), navButton(t, board.PageRoster)
	// The last tap is held for 150 ms, as a slow finger would.
	const n = 13
	for i := range n {
		want, at := board.PageOf(board.PageWeek), week
		if i%2 == 1 {
			want, at = board.PageOf(board.PageRoster), roster
		}
		send(xproto.MotionNotify, at)
		send(xproto.ButtonPress, at)
		if i == n-1 {
			x.Sync()
			time.Sleep(150 * time.Millisecond)
		}
		send(xproto.ButtonRelease, at)
		x.Sync()
		select {
		case r := <-taps:
			if got := attr(r, "page"); got != want.String() {
				t.Fatalf("tap %d opened %q, want %q", i+1, got, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("tap %d of %d at %v was lost", i+1, n, at)
		}
		// The next tap comes later than the bounce time (300 ms).
		time.Sleep(500 * time.Millisecond)
	}
	select {
	case r := <-taps:
		t.Fatalf("%d taps acted more than %d times: also %q", n, n, attr(r, "page"))
	case <-time.After(time.Second):
	}
}

type point struct{ X, Y int }

// fakeInput connects to the X server and returns a function that sends one
// pointer event through XTest (a motion to at, or a press or release of the
// first button there).
func fakeInput(t *testing.T) (*xgb.Conn, func(ev byte, at point)) {
	t.Helper()
	x, err := xgb.NewConn()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(x.Close)
	if err := xtest.Init(x); err != nil {
		t.Fatalf("no XTest on the X server: %v", err)
	}
	root := xproto.Setup(x).DefaultScreen(x).Root
	return x, func(ev byte, at point) {
		detail := byte(1)
		if ev == xproto.MotionNotify {
			detail = 0
		}
		xtest.FakeInput(x, ev, detail, 0, root, int16(at.X), int16(at.Y), 0)
	}
}

// tapAt sends an instant tap at p and waits for the screen to say it acted
// on intent.
func tapAt(t *testing.T, x *xgb.Conn, send func(byte, point), p point, intent layout.IntentKind) slog.Record {
	t.Helper()
	send(xproto.MotionNotify, p)
	send(xproto.ButtonPress, p)
	send(xproto.ButtonRelease, p)
	x.Sync()
	select {
	case r := <-taps:
		if got := attr(r, "intent"); got != intent.String() {
			t.Fatalf("the tap at %v acted as %q, want %q", p, got, intent)
		}
		time.Sleep(500 * time.Millisecond) // the next tap comes after the bounce time
		return r
	case <-time.After(10 * time.Second):
		t.Fatalf("the tap at %v was lost", p)
	}
	return slog.Record{}
}

// TestSignUpInTheLoop signs a resident up with three instant taps through
// the running screen and finds the sign-up in the cache's outbox: the write
// happens off the game loop and still happens.
func TestSignUpInTheLoop(t *testing.T) {
	x, send := fakeInput(t)
	waitDrawn(t)
	before, err := src.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	tapAt(t, x, send, navButton(t, board.PageToday), layout.Open)
	var page board.PageID
	r := tapAt(t, x, send, target(t, layout.State{}, func(in layout.Intent) bool {
		if in.Kind == layout.Open && in.Page.Kind == board.PageActivity {
			page = in.Page
			return true
		}
		return false
	}), layout.Open)
	if attr(r, "page") != page.String() {
		t.Fatalf("opened %q, want %q", attr(r, "page"), page)
	}
	var who string
	tapAt(t, x, send, target(t, layout.State{Page: page}, func(in layout.Intent) bool {
		if in.Kind == layout.Pick {
			who = in.Profile
			return true
		}
		return false
	}), layout.Pick)
	tapAt(t, x, send, target(t, layout.State{Page: page, Pick: who}, func(in layout.Intent) bool { return in.Kind == layout.Confirm }), layout.Confirm)
	deadline := time.Now().Add(10 * time.Second)
	for {
		ob, err := src.Outbox()
		if err != nil {
			t.Fatal(err)
		}
		if len(ob) == len(before)+1 {
			sg := ob[len(ob)-1]
			if sg.ItemID != page.ID || sg.ProfileID != who || sg.State != board.Pending {
				t.Errorf("outbox holds %+v, want %s signed up to %s", sg, who, page)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the outbox holds %d sign-ups 10 s after the confirmation, want %d", len(ob), len(before)+1)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitDrawn waits for the screen's first page.
func waitDrawn(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := screen.Screenshot(ctx)
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen drew nothing: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// navButton is the centre of the navigation bar's button that opens kind,
// from the layout of today's page at the screen's size.
func navButton(t *testing.T, kind board.PageKind) point {
	t.Helper()
	return target(t, layout.State{}, func(in layout.Intent) bool { return in.Kind == layout.Open && in.Page == board.PageOf(kind) })
}

// target is the centre of the first target whose intent matches on the
// page the layout builds for st at the screen's size and time.
func target(t *testing.T, st layout.State, match func(layout.Intent) bool) point {
	t.Helper()
	m, err := layout.NewFontMeasurer(assets.FontRegular, assets.FontBold)
	if err != nil {
		t.Fatal(err)
	}
	p := layout.Build(m, layout.Input{Board: bd, Now: clk.Now(), W: width, H: height, State: st})
	for _, tg := range p.Targets {
		if match(tg.Intent) {
			return point{int(tg.R.X + tg.R.W/2), int(tg.R.Y + tg.R.H/2)}
		}
	}
	t.Fatalf("no such target on %s", p.ID)
	return point{}
}

func attr(r slog.Record, key string) string {
	var v string
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v = a.Value.String()
			return false
		}
		return true
	})
	return v
}
