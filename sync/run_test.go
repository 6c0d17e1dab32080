package sync

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/internal/testkit/wait"
)

// runSyncer starts s.Run and stops it at the end of the test.
func runSyncer(t *testing.T, s *Syncer) <-chan error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Run did not return after its context ended")
		}
	})
	return done
}

func seeded(o *Options) { o.Rand = rand.New(rand.NewPCG(1, 2)) }

func boardTimes(f *fakeBackend) []time.Time {
	var at []time.Time
	for _, r := range f.reqs("/board") {
		at = append(at, r.At)
	}
	return at
}

// TestRunPollingAndBackoff walks Run through its waits with the event
// stream unavailable: polls every PollInterval ±20%, backs off with full
// jitter under an exponential ceiling while the backend fails, and goes
// back to polling once it recovers.
func TestRunPollingAndBackoff(t *testing.T) {
	clk := newStepClock(testNow)
	f := newFakeBackend(t, clk)
	f.noEvents = true
	f.setBoard(simpleBoard("Banko"), `"v1"`)
	c := openCache(t, "", clk)
	s := newSyncer(t, f.URL, c, clk, seeded)
	runSyncer(t, s)
	clk.parked(t, 0)

	count := func(n int) func() bool { return func() bool { return len(f.reqs("/board")) >= n } }
	clk.stepUntil(t, 50, "first sync", count(1))
	clk.stepUntil(t, 50, "second poll", count(2))
	clk.stepUntil(t, 50, "third poll", count(3))
	at := boardTimes(f)
	for i := 1; i < 3; i++ {
		if d := at[i].Sub(at[i-1]); d < 4*time.Minute || d > 6*time.Minute {
			t.Errorf("poll %d came %v after the last, want 5 min ±20%%", i, d)
		}
	}

	f.mu.Lock()
	f.status = http.StatusServiceUnavailable
	f.mu.Unlock()
	clk.stepUntil(t, 50, "failing poll", count(4))
	for n := 1; n <= 6; n++ {
		clk.stepUntil(t, 50, "retry", count(4+n))
		at = boardTimes(f)
		// The step clock jumps to whichever waiter is due next, so the
		// loop may notice the failure up to one short wait (a coalesced
		// pull, 500 ms) after the request: allow a second on top.
		ceiling := time.Second<<(n-1) + time.Second
		if d := at[len(at)-1].Sub(at[len(at)-2]); d > ceiling {
			t.Errorf("retry %d came %v after the failure, want at most %v", n, d, ceiling)
		}
	}
	if m, _ := c.Meta(); m.LastError == "" {
		t.Error("failures not recorded in the cache")
	}

	f.mu.Lock()
	f.status = 0
	f.mu.Unlock()
	n := len(f.reqs("/board"))
	clk.stepUntil(t, 50, "recovery", count(n+1))
	clk.stepUntil(t, 50, "poll after recovery", count(n+2))
	at = boardTimes(f)
	if d := at[len(at)-1].Sub(at[len(at)-2]); d < 4*time.Minute {
		t.Errorf("after recovery the next poll came after %v, want the poll interval again", d)
	}
}

// TestRunEvents checks the backend's events: sync pulls (a burst
// coalesced into one pull within a second), screenshot posts the screen's
// picture, reload calls OnReload.
func TestRunEvents(t *testing.T) {
	clk := newStepClock(testNow)
	f := newFakeBackend(t, clk)
	f.setBoard(simpleBoard("Banko"), `"v1"`)
	c := openCache(t, "", clk)
	reloads := make(chan struct{}, 4)
	shot := pngBytes(t, 8, 8)
	s := newSyncer(t, f.URL, c, clk, seeded, func(o *Options) {
		o.OnReload = func() { reloads <- struct{}{} }
		o.Screenshot = func(context.Context) ([]byte, error) { return shot, nil }
	})
	runSyncer(t, s)
	wait.Until(t, "first sync, stream connected", func() bool {
		return len(f.reqs("/board")) == 1 && f.streamCount() == 1 && clk.waitingUntil(streamIdle)
	})

	f.setBoard(simpleBoard("Bingo"), `"v2"`)
	sent := clk.Now()
	f.events <- "event: sync\ndata: {}\n\n: ping\n\nevent: sync\n\nevent: reload\n\n"
	select {
	case <-reloads: // the loop has read the whole burst
	case <-time.After(10 * time.Second):
		t.Fatal("OnReload not called")
	}
	wait.Until(t, "pull planned", func() bool { return clk.waitingUntil(sent.Add(coalesce).Sub(clk.Now())) })
	clk.step(t)
	wait.Until(t, "new board", func() bool {
		b, err := c.Board()
		return err == nil && b.Activities[0].Title == "Bingo"
	})
	boards := f.reqs("/board")
	if len(boards) != 2 {
		t.Errorf("%d board fetches, want 2: a burst of sync events is one pull", len(boards))
	}
	if d := boards[len(boards)-1].At.Sub(sent); d > time.Second {
		t.Errorf("pulled %v after the event, want within a second", d)
	}

	f.events <- "event: screenshot\n\n"
	wait.Until(t, "screenshot posted", func() bool { return len(f.reqs("/screenshot")) == 1 })
	if shots := f.reqs("/screenshot"); !bytes.Equal(shots[0].Body, shot) || shots[0].Header.Get("Content-Type") != "image/png" {
		t.Errorf("screenshot post = %q, want the PNG", shots[0].Header.Get("Content-Type"))
	}
}

// runStreaming runs a syncer against a fake backend serving the board
// "Banko" and waits until its first sync is done and its event stream is
// open and quiet.
func runStreaming(t *testing.T) (*stepClock, *fakeBackend, *cache.Cache) {
	t.Helper()
	clk := newStepClock(testNow)
	f := newFakeBackend(t, clk)
	f.setBoard(simpleBoard("Banko"), `"v1"`)
	c := openCache(t, "", clk)
	s := newSyncer(t, f.URL, c, clk, seeded)
	runSyncer(t, s)
	wait.Until(t, "first sync, stream connected", func() bool {
		return len(f.reqs("/board")) == 1 && f.streamCount() == 1 && clk.waitingUntil(streamIdle)
	})
	return clk, f, c
}

// TestRunNoticeEvent: the event notice pulls the board at once, without
// the pause that gathers a burst of sync events.
func TestRunNoticeEvent(t *testing.T) {
	clk, f, c := runStreaming(t)
	f.setBoard(simpleBoard("Bingo"), `"v2"`)
	sent := clk.Now()
	f.events <- "event: notice\ndata: u1\n\n"
	wait.Until(t, "new board", func() bool {
		b, err := c.Board()
		return err == nil && b.Activities[0].Title == "Bingo"
	})
	boards := f.reqs("/board")
	if d := boards[len(boards)-1].At.Sub(sent); d >= coalesce {
		t.Errorf("pulled %v after the notice event, want at once (before %v)", d, coalesce)
	}
}

// TestRunStreamIdle checks a stream with no keep-alive for 75 s is dropped
// and reconnected, and the reconnect pulls in case events were missed.
func TestRunStreamIdle(t *testing.T) {
	clk, f, _ := runStreaming(t)
	connected := clk.Now()

	clk.step(t) // silence: the stream is given up
	if d := clk.Now().Sub(connected); d != streamIdle {
		t.Errorf("gave up after %v of silence, want %v", d, streamIdle)
	}
	clk.step(t) // the reconnect, after a backoff
	wait.Until(t, "reconnected", func() bool { return f.streamCount() == 2 })
	wait.Until(t, "pull planned", func() bool { return clk.waitingUntil(coalesce) })
	clk.step(t)
	wait.Until(t, "pull after reconnect", func() bool { return len(f.reqs("/board")) == 2 })
}

// TestRunOutboxWatch checks a sign-up made while Run waits goes out at
// once (no clock movement), followed by a pull of the board.
func TestRunOutboxWatch(t *testing.T) {
	clk := newStepClock(testNow)
	f := newFakeBackend(t, clk)
	f.setBoard(simpleBoard("Banko"), `"v1"`)
	c := openCache(t, "", clk)
	s := newSyncer(t, f.URL, c, clk, seeded)
	runSyncer(t, s)
	wait.Until(t, "first sync", func() bool { return len(f.reqs("/board")) == 1 })

	start := clk.Now()
	if err := c.Enqueue(signup("u1", "a1", "p1", board.Join)); err != nil {
		t.Fatal(err)
	}
	wait.Until(t, "sent and pulled", func() bool { return len(f.reqs("/signups")) == 1 && len(f.reqs("/board")) == 2 })
	if got := sentIDs(t, f); len(got) != 1 || got[0] != "u1" {
		t.Fatalf("sent %v, want u1 once", got)
	}
	if d := f.reqs("/signups")[0].At.Sub(start); d != 0 {
		t.Errorf("sent %v after it was made, want at once", d)
	}
	wait.Until(t, "outbox empty", func() bool { out, _ := c.Outbox(); return len(out) == 0 })
}

// TestRunUnauthorized checks Run ends with ErrUnauthorized when the token
// is revoked, keeping the cache.
func TestRunUnauthorized(t *testing.T) {
	clk := newStepClock(testNow)
	f := newFakeBackend(t, clk)
	c := openCache(t, "", clk)
	s := newSyncer(t, f.URL, c, clk, seeded, func(o *Options) { o.Token = "revoked" })
	select {
	case err := <-func() chan error {
		ch := make(chan error, 1)
		go func() { ch <- s.Run(context.Background()) }()
		return ch
	}():
		if !errors.Is(err, ErrUnauthorized) {
			t.Errorf("Run = %v, want ErrUnauthorized", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
	}
}

func TestBackoffBounds(t *testing.T) {
	s := &Syncer{rand: rand.New(rand.NewPCG(3, 4))}
	for n := 1; n < 40; n++ {
		ceiling := min(backoffBase<<min(n-1, 30), backoffCap)
		for i := 0; i < 50; i++ {
			if d := s.backoff(n); d < 0 || d > ceiling {
				t.Fatalf("backoff(%d) = %v, want within [0, %v]", n, d, ceiling)
			}
		}
	}
	for i := 0; i < 100; i++ {
		if d := s.jitter(time.Minute); d < 48*time.Second || d > 72*time.Second {
			t.Fatalf("jitter = %v", d)
		}
	}
}
