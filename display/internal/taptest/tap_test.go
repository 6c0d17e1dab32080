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
	"skaerm/display"
	"skaerm/display/internal/fixture"
	"skaerm/display/layout"
	"skaerm/internal/clock"
	"skaerm/internal/xneed"
)

const width, height = 1920, 1080

var (
	screen *display.Screen
	bd     *board.Board
	taps   = make(chan slog.Record, 100)
)

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

// run shows the screen on the fixture board of today, with the real
// clock (the bounce rule compares the taps' times), and runs the tests
// beside it.
func run(m *testing.M) (int, error) {
	dir, err := os.MkdirTemp("", "taptest")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(dir)
	now := time.Now()
	c, b, err := fixture.Cache(filepath.Join(dir, "cache.db"), now, clock.Real{})
	if err != nil {
		return 1, err
	}
	defer c.Close()
	bd = b
	n := 0
	screen, err = display.New(display.Options{
		Source: c, Logger: slog.New(tapLog{}), Fullscreen: true, IdleAfter: time.Hour,
		NewID: func() string { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) },
	})
	if err != nil {
		return 1, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	code := 1
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer cancel()
		code = m.Run()
	}()
	err = screen.Run(ctx)
	cancel()
	<-done
	return code, err
}

// TestInstantTaps taps two buttons of the navigation bar in turn, each tap a
// press and a release sent together, and expects every tap to act once.
func TestInstantTaps(t *testing.T) {
	x, err := xgb.NewConn()
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if err := xtest.Init(x); err != nil {
		t.Fatalf("no XTest on the X server: %v", err)
	}
	root := xproto.Setup(x).DefaultScreen(x).Root
	waitDrawn(t)

	week, roster := navButton(t, layout.PageWeek), navButton(t, layout.PageRoster)
	send := func(ev byte, at point) {
		detail := byte(1)
		if ev == xproto.MotionNotify {
			detail = 0
		}
		xtest.FakeInput(x, ev, detail, 0, root, int16(at.X), int16(at.Y), 0)
	}
	// The last tap is held for 150 ms, as a slow finger would.
	const n = 13
	for i := range n {
		want, at := layout.Of(layout.PageWeek), week
		if i%2 == 1 {
			want, at = layout.Of(layout.PageRoster), roster
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
func navButton(t *testing.T, kind layout.PageKind) point {
	t.Helper()
	m, err := layout.NewFontMeasurer(assets.FontRegular, assets.FontBold)
	if err != nil {
		t.Fatal(err)
	}
	p := layout.Build(m, layout.Input{Board: bd, Now: time.Now(), W: width, H: height})
	for _, tg := range p.Targets {
		if tg.Intent.Kind == layout.Open && tg.Intent.Page == layout.Of(kind) {
			return point{int(tg.R.X + tg.R.W/2), int(tg.R.Y + tg.R.H/2)}
		}
	}
	t.Fatalf("no button opens %s", kind)
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
