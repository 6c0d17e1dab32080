package display

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"skaerm/backend"
	"skaerm/board"
	"skaerm/cache"
	"skaerm/display/internal/fixture"
	"skaerm/internal/clock"
	skaermsync "skaerm/sync"
)

// goldenAt is the instant of the goldens: Monday 23 November 2026, 09:30 in
// Copenhagen.
func goldenAt(tb testing.TB) time.Time {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		tb.Fatal(err)
	}
	return time.Date(2026, 11, 23, 9, 30, 0, 0, loc)
}

// fixtureCache opens a real cache file holding the fixture board and its
// media, with its clock at at.
func fixtureCache(tb testing.TB, at time.Time) *cache.Cache {
	tb.Helper()
	b, media := fixture.Board(at)
	return boardCache(tb, clock.NewFake(at), b, media)
}

func ids() func() string {
	var n atomic.Int64
	return func() string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n.Add(1)) }
}

// demoCache opens a real cache file holding the reference backend's demo
// board for the day of at (department d1), decoded by sync as a screen
// would, with the demo's pictures.
func demoCache(tb testing.TB, at time.Time) *cache.Cache {
	tb.Helper()
	raw, err := backend.DemoBoard(at, "d1")
	if err != nil {
		tb.Fatal(err)
	}
	b, err := skaermsync.Decode(bytes.NewReader(raw))
	if err != nil {
		tb.Fatal(err)
	}
	c, err := cache.Open(filepath.Join(tb.TempDir(), "cache.db"), cache.Options{Clock: clock.NewFake(at)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	for _, h := range b.MediaHashes() {
		data, _, ok := backend.DemoMedia(h)
		if !ok {
			continue
		}
		if err := c.PutMedia(h, data); err != nil {
			tb.Fatal(err)
		}
	}
	if err := c.ReplaceBoard(b, `"demo"`); err != nil {
		tb.Fatal(err)
	}
	return c
}

// shownScreen makes a 1920x1080 Screen from opts (ids() when NewID is
// nil), reads its source and paints the first page offscreen.
func shownScreen(tb testing.TB, opts Options) *Screen {
	tb.Helper()
	if opts.NewID == nil {
		opts.NewID = ids()
	}
	s, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	s.game.Resize(1920, 1080)
	tb.Cleanup(s.dispose)
	s.load()
	s.step(opts.Clock.Now(), nil)
	return s
}

// boardCache opens a real cache file holding b and the given media.
func boardCache(tb testing.TB, clk clock.Clock, b *board.Board, media map[string][]byte) *cache.Cache {
	tb.Helper()
	c, err := cache.Open(filepath.Join(tb.TempDir(), "cache.db"), cache.Options{Clock: clk})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	for h, data := range media {
		if err := c.PutMedia(h, data); err != nil {
			tb.Fatal(err)
		}
	}
	if err := c.ReplaceBoard(b, `"fixture"`); err != nil {
		tb.Fatal(err)
	}
	return c
}
