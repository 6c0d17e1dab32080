package sync

import (
	"context"
	"testing"
	"time"

	"skaerm/internal/clock"
)

// TestOnDateReportsBackendClock: a Pi that booted in 1970 learns the real
// date from the backend's answer, through OnDate, so the screen can name the
// day again.
func TestOnDateReportsBackendClock(t *testing.T) {
	real := backendClock()
	b := startBackend(t, real, "", "")
	local := clock.NewFake(time.Date(1970, 1, 1, 0, 1, 0, 0, time.UTC))
	c := openCache(t, t.TempDir(), local)
	var got time.Time
	s := newSyncer(t, b.URL, c, local, noMedia, func(o *Options) { o.OnDate = func(d time.Time) { got = d } })
	if _, err := s.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The Date header has one-second resolution and the test's real time
	// moves on; the day is what matters.
	if diff := got.Sub(real.Now()); diff < -5*time.Second || diff > 5*time.Second {
		t.Fatalf("OnDate got %s, want about %s", got, real.Now())
	}
}
