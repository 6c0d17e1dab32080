package display

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"skaerm/cache"
	"skaerm/display/internal/fixture"
	"skaerm/internal/backend"
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
	c, err := cache.Open(filepath.Join(tb.TempDir(), "cache.db"), cache.Options{Clock: clock.NewFake(at)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	b, media := fixture.Board(at)
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
	b, err := skaermsync.Decode(bytes.NewReader(raw), at)
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
