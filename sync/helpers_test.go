package sync

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/jpeg"
	"image/png"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"skaerm/cache"
	"skaerm/internal/clock"
)

// openCache opens a real cache file in dir (t.TempDir() when dir is "").
func openCache(t testing.TB, dir string, clk clock.Clock) *cache.Cache {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	c, err := cache.Open(filepath.Join(dir, "cache.db"), cache.Options{Timeout: time.Second, Clock: clk})
	if err != nil {
		t.Fatalf("open cache: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// newSyncer makes a Syncer for baseURL with a deterministic jitter source.
func newSyncer(t testing.TB, baseURL string, c *cache.Cache, clk clock.Clock, edit ...func(*Options)) *Syncer {
	t.Helper()
	opts := Options{
		BaseURL: baseURL,
		Token:   "T",
		Cache:   c,
		Clock:   clk,
		Logger:  testLogger(t),
		Version: "test",
	}
	for _, e := range edit {
		e(&opts)
	}
	s, err := New(opts)
	if err != nil {
		t.Fatalf("new syncer: %v", err)
	}
	return s
}

func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// testImage is a w x h gradient, so scaling has something to do.
func testImage(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := img.PixOffset(x, y)
			copy(img.Pix[i:i+4], []uint8{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255})
		}
	}
	return img
}

func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, testImage(w, h)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, testImage(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// setDate makes a test server's Date header follow the test clock.
func setDate(w http.ResponseWriter, clk clock.Clock) {
	w.Header().Set("Date", clk.Now().UTC().Format(http.TimeFormat))
}

// stepClock is a fake clock that knows where Run is waiting: Run's loop is
// the only caller of After, and its latest After is the wait it is parked
// in. step moves time exactly to that point and waits until the loop has
// done its work and parked again, so tests walk through the loop's
// decisions one by one without racing it.
type stepClock struct {
	*clock.Fake
	mu    sync.Mutex
	calls int
	at    time.Time
	woke  chan struct{}
}

func newStepClock(t time.Time) *stepClock {
	return &stepClock{Fake: clock.NewFake(t), woke: make(chan struct{}, 1)}
}

func (c *stepClock) After(d time.Duration) <-chan time.Time {
	// Registering and recording under one lock: step cannot move the
	// clock in between, so the recorded time is the waiter's.
	c.mu.Lock()
	ch := c.Fake.After(d)
	c.calls++
	c.at = c.Fake.Now().Add(d)
	c.mu.Unlock()
	select {
	case c.woke <- struct{}{}:
	default:
	}
	return ch
}

func (c *stepClock) state() (int, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls, c.at
}

// parked waits until the loop has called After more than seen times.
func (c *stepClock) parked(t testing.TB, seen int) int {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if n, _ := c.state(); n > seen {
			return n
		}
		select {
		case <-c.woke:
		case <-deadline:
			t.Fatalf("the loop did not park again")
		}
	}
}

// step moves the clock to the loop's wake-up time and waits for the loop
// to park again.
func (c *stepClock) step(t testing.TB) {
	t.Helper()
	c.mu.Lock()
	n, at := c.calls, c.at
	if at.After(c.Fake.Now()) {
		c.Fake.Set(at)
	}
	c.mu.Unlock()
	c.parked(t, n)
}

// stepUntil steps until cond holds, at most max steps.
func (c *stepClock) stepUntil(t testing.TB, max int, what string, cond func() bool) {
	t.Helper()
	for i := 0; !cond(); i++ {
		if i == max {
			t.Fatalf("%s: not after %d steps (clock at %v)", what, max, c.Now())
		}
		c.step(t)
	}
}

// waitingUntil reports whether the loop's current wait ends at now+d.
func (c *stepClock) waitingUntil(d time.Duration) bool {
	_, at := c.state()
	return at.Equal(c.Now().Add(d))
}
