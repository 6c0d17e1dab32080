package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"testing"
	"time"

	"skaerm/backend"
	"skaerm/display/layout"
	"skaerm/internal/testkit/soundtest"
	"skaerm/internal/testkit/wait"
)

var noticeRounds = flag.Int("notices", 3, "TestNoticeOnTheScreen: notices posted and ended, one after the other")

// TestNoticeOnTheScreen posts urgent notices through the reference
// backend's admin API to the real skaerm-screen on Xvfb and reads the X
// screen back: each appears under the header (its band's colour) and
// leaves when staff end it, pushed by the backend, not polled. The screen
// reads each aloud once, and the loudspeaker (ALSA's default device routed
// to a file) hears it. It logs the time from the post to the frame, and
// from the end to the frame (-args -notices 50 for figures).
func TestNoticeOnTheScreen(t *testing.T) {
	bin := screenBinaries(t, "the notice test")
	url, _ := startBackend(t, bin, "T", "U")
	bt := &bookingTaps{t: t, url: url, admin: backend.Admin{BaseURL: url}, w: 1920, h: 1080, speaker: true}
	bt.start(bin)
	// A point in the first band, under the header (11 % of the height).
	x, y := 3, bt.h*11/100+20
	if got := bt.pixel(x, y); got == layout.Alarm {
		t.Fatalf("the band's colour at %d,%d before any notice", x, y)
	}
	ctx := context.Background()
	var on, off []time.Duration
	for i := range *noticeRounds {
		id := fmt.Sprintf("n%d", i)
		now := time.Now()
		n := backend.Notice{ID: id, Level: backend.NoticeUrgent, Title: "Vandet er lukket", Body: "Der er ingen vand i Solsikken i dag.",
			From: now.Add(-time.Second), Until: now.Add(time.Hour), Wake: true, DepartmentID: "d1"}
		mark := bt.log.mark()
		t0 := time.Now()
		if err := bt.admin.Put(ctx, "notices", id, n); err != nil {
			t.Fatal(err)
		}
		if !wait.For(func() bool { return bt.pixel(x, y) == layout.Alarm }, 10*time.Second) {
			t.Fatalf("notice %s: not on the X screen 10 s after it was posted (%s)", id, bt.shot())
		}
		on = append(on, time.Since(t0))
		bt.log.await(t, mark, "the notice read aloud", 20*time.Second, func(r record) bool {
			return r["msg"] == "announced" && r["kind"] == "notice" && r["id"] == id
		})
		if heard, err := soundtest.Read(bt.heard); err != nil || len(heard) < 22050 {
			t.Fatalf("notice %s: said, but the loudspeaker heard %d samples (%v)", id, len(heard), err)
		}
		t1 := time.Now()
		if err := bt.admin.Delete(ctx, "notices", id); err != nil {
			t.Fatal(err)
		}
		if !wait.For(func() bool { return bt.pixel(x, y) != layout.Alarm }, 10*time.Second) {
			t.Fatalf("notice %s: still on the X screen 10 s after it was ended (%s)", id, bt.shot())
		}
		off = append(off, time.Since(t1))
	}
	said := 0
	for _, r := range bt.log.since(0) {
		if r["kind"] == "notice" && (r["msg"] == "announced" || r["msg"] == "announcement not said") {
			said++
		}
	}
	if said != *noticeRounds {
		t.Errorf("%d notices were read aloud (or tried) %d times, want once each", *noticeRounds, said)
	}
	t.Logf("%d notices, post -> on the X screen: %s; end -> gone: %s", len(on), spread(on), spread(off))
}

// spread is "p50 / p95 / max" of ds in ms.
func spread(ds []time.Duration) string {
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(p float64) time.Duration { return s[min(len(s)-1, max(0, int(p*float64(len(s))+0.5)-1))] }
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return fmt.Sprintf("p50 %.0f ms, p95 %.0f ms, max %.0f ms", ms(at(0.5)), ms(at(0.95)), ms(s[len(s)-1]))
}
