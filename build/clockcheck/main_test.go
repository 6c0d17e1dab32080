package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// module writes a small module with a cache whose Options has a Clock, and
// the given files, and returns its root.
func module(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	all := map[string]string{
		"go.mod": "module home\n\ngo 1.26\n",
		"clock/clock.go": `package clock

import "time"

type Clock interface{ Now() time.Time }
type Real struct{}

func (Real) Now() time.Time { return time.Now() }
`,
		"cache/cache.go": `package cache

import "home/clock"

type Options struct {
	Timeout int
	Clock   clock.Clock
}

type Other struct{ Path string }

func Open(path string, o Options) error { return nil }
`,
	}
	for k, v := range files {
		all[k] = v
	}
	for name, text := range all {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func check(t *testing.T, root string) (int, string) {
	t.Helper()
	var out strings.Builder
	n, err := run(root, &out)
	if err != nil {
		t.Fatal(err)
	}
	return n, out.String()
}

// The test that was a date bomb: it built its board on 2026-12-01 and
// opened the cache with cache.Options{}, so the cache trimmed to the days
// around the real date.
func TestFindsACacheWithoutTheTestsClock(t *testing.T) {
	root := module(t, map[string]string{"screen/audio_test.go": `package screen

import (
	"testing"
	"time"

	"home/cache"
)

func TestAnnouncement(t *testing.T) {
	_ = cache.Open("cache.db", cache.Options{})
	_ = cache.Open("other.db", cache.Options{Clock: nil})
	_ = time.Date(2026, 12, 1, 13, 45, 0, 0, time.UTC)
}
`})
	n, out := check(t, root)
	if n != 2 || !strings.Contains(out, "screen/audio_test.go:11: cache.Options has no Clock") ||
		!strings.Contains(out, "screen/audio_test.go:12: cache.Options has no Clock") {
		t.Fatalf("%d findings:\n%s", n, out)
	}
}

func TestAcceptsEveryClockGiven(t *testing.T) {
	root := module(t, map[string]string{
		"screen/audio_test.go": `package screen

import (
	"testing"

	c "home/cache"
	"home/clock"
)

func TestAnnouncement(t *testing.T) {
	_ = c.Open("a.db", c.Options{Clock: clock.Real{}})
	_ = c.Open("b.db", c.Options{1, clock.Real{}})
	_ = c.Other{}
	_ = []c.Options{{Timeout: 1}}
}
`,
		"cache/cache_test.go": `package cache

import "testing"

func TestOpen(t *testing.T) {
	_ = Open("c.db", Options{Timeout: 1})
}
`})
	n, out := check(t, root)
	// Only the same package's own literal without a Clock is found; an
	// element whose type is left out is not looked at.
	if n != 1 || !strings.Contains(out, "cache/cache_test.go:6: cache.Options has no Clock") {
		t.Fatalf("%d findings:\n%s", n, out)
	}
}

func TestProductCodeReadsTheInjectedClock(t *testing.T) {
	root := module(t, map[string]string{"power/power.go": `package power

import (
	"net"
	tm "time"
)

func Bad() tm.Time { return tm.Now() }

func Deadline(c net.Conn) {
	// real clock: a socket deadline.
	_ = c.SetDeadline(tm.Now().Add(tm.Second))
	_ = tm.Since(tm.Time{}) // real clock: only a duration
}

func Late(t tm.Time) bool { return tm.Until(t) < 0 }
`})
	n, out := check(t, root)
	if n != 2 || !strings.Contains(out, "power/power.go:8: time.Now reads the real clock") ||
		!strings.Contains(out, "power/power.go:16: time.Until reads the real clock") {
		t.Fatalf("%d findings:\n%s", n, out)
	}
}
