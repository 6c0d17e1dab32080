// Package snapshottest checks display.Snapshot in a process of its own:
// Snapshot runs its own Ebitengine loop, which must start on the main
// goroutine and can start only once per process.
package snapshottest

import (
	"image"
	"os"
	"path/filepath"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/display"
	"skaerm/display/internal/fixture"
	"skaerm/display/layout"
	"skaerm/internal/clock"
	"skaerm/internal/testkit/xneed"
)

var (
	shot    image.Image
	shotErr error
)

func TestMain(m *testing.M) {
	xneed.Display("display snapshot tests")
	dir, err := os.MkdirTemp("", "snapshottest")
	if err != nil {
		panic(err)
	}
	loc, _ := time.LoadLocation("Europe/Copenhagen")
	at := time.Date(2026, 11, 23, 9, 30, 0, 0, loc)
	c, _, err := fixture.Cache(filepath.Join(dir, "cache.db"), at, clock.NewFake(at))
	if err != nil {
		panic(err)
	}
	shot, shotErr = display.Snapshot(c, board.PageOf(board.PageToday), 1280, 720, at, display.Options{Clock: clock.NewFake(at)})
	code := m.Run()
	c.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

func TestSnapshotDrawsToday(t *testing.T) {
	if shotErr != nil {
		t.Fatal(shotErr)
	}
	if got := shot.Bounds().Size(); got != image.Pt(1280, 720) {
		t.Fatalf("size %v", got)
	}
	// The page background is paper; the navigation bar's filled "I dag"
	// button is the accent colour.
	want := func(x, y int, c [3]uint8) {
		t.Helper()
		r, g, b, _ := shot.At(x, y).RGBA()
		if uint8(r>>8) != c[0] || uint8(g>>8) != c[1] || uint8(b>>8) != c[2] {
			t.Errorf("pixel (%d,%d) = %d,%d,%d, want %v", x, y, r>>8, g>>8, b>>8, c)
		}
	}
	want(640, 600, [3]uint8{layout.Paper.R, layout.Paper.G, layout.Paper.B})
	want(40, 700, [3]uint8{layout.Accent.R, layout.Accent.G, layout.Accent.B})
}
