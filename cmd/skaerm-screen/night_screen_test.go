package main

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb/xproto"

	"skaerm/backend"
	"skaerm/board"
	"skaerm/display/layout"
	"skaerm/internal/clock"
	"skaerm/internal/testkit/soundtest"
	"skaerm/internal/testkit/wait"
)

// TestNightPageAtThree runs the real backend and screen at 03:00 by their
// clock (--clock-from), with the display schedule off from 22:00 to 06:00,
// and taps the X screen as a resident does: a tap on the dark screen shows
// the night page with the display lit, 30 s later it is dark again; the
// night page's mean luminance, read back from the X screen, is at most a
// third of the day's board, which "Vis dagens program" shows.
func TestNightPageAtThree(t *testing.T) {
	bin := screenBinaries(t, "the night page test")
	// A Tuesday night in January, 03:00 in Copenhagen.
	from := time.Date(2027, 1, 12, 3, 0, 0, 0, time.FixedZone("CET", 3600)).Format(time.RFC3339)
	at, _ := time.Parse(time.RFC3339, from)
	clk := clock.NewShifted(at)
	url, _ := startBackendWith(t, bin, []string{"--clock-from", from}, "T", "U")
	bt := &bookingTaps{t: t, url: url, admin: backend.Admin{BaseURL: url}, w: 1920, h: 1080, clk: clk, args: []string{"--clock-from", from},
		conf:    "[power]\nschedule = [\"daily off 22:00-06:00\"]\nnight_page = \"30s\"\nnight_wake = \"45s\"\n[audio]\nvolume = 100\nnight_volume = 30\n",
		speaker: true}
	bt.start(bin)
	if _, err := bt.sync.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	bd, err := bt.own.Board()
	if err != nil {
		t.Fatal(err)
	}
	bt.bd = bd

	// Started in the off hours, the screen is lit for the night page's
	// time, then dark.
	bt.log.await(t, 0, "the display dark after start-up", 60*time.Second, func(r record) bool {
		return r["msg"] == "display power" && r["on"] == "false"
	})
	if !waitLuma(bt, func(l float64) bool { return l == 0 }, 5*time.Second) {
		t.Fatalf("the display is said dark but the X screen is not black (%s)", bt.shot())
	}

	// A tap on the dark screen wakes it to the night page.
	mark := bt.send(point{bt.w / 2, bt.h / 2})
	woke, _ := bt.log.awaitAt(t, mark, "the display lit by the tap", 5*time.Second, func(r record) bool {
		return r["msg"] == "display power" && r["on"] == "true"
	})
	if !strings.Contains(woke["reason"], "night page") {
		t.Errorf("lit because %q, want the night page", woke["reason"])
	}
	litAt := time.Now()
	if !waitLuma(bt, func(l float64) bool { return l > 0 }, 5*time.Second) {
		t.Fatalf("the X screen stays black after the tap (%s)", bt.shot())
	}
	night := layout.Build(bt.meas, layout.Input{Board: bt.bd, Now: clk.Now(), W: float64(bt.w), H: float64(bt.h), State: layout.State{Page: board.PageOf(board.PageNight)}})
	if got := bt.pixel(4, 4); got != layout.NightBg {
		t.Fatalf("the corner of the X screen is %v, want the night page's %v (%s)", got, layout.NightBg, bt.shot())
	}
	nightLuma := luma(bt)
	bt.log.await(t, mark, "the display dark again", 40*time.Second, func(r record) bool {
		return r["msg"] == "display power" && r["on"] == "false"
	})
	dark := time.Since(litAt)
	if dark < 28*time.Second || dark > 33*time.Second {
		t.Errorf("the night page was lit %s, want 30 s", dark.Round(100*time.Millisecond))
	}
	if !waitLuma(bt, func(l float64) bool { return l == 0 }, 5*time.Second) {
		t.Fatalf("the X screen is not black after the night page (%s)", bt.shot())
	}

	// Woken again, "Vis dagens program" shows the day's board, and keeps
	// it for night_wake.
	mark = bt.send(point{bt.w / 2, bt.h / 2})
	bt.log.await(t, mark, "lit again", 5*time.Second, func(r record) bool { return r["msg"] == "display power" && r["on"] == "true" })
	if !waitLuma(bt, func(l float64) bool { return l > 0 }, 5*time.Second) {
		t.Fatalf("the X screen stays black after the second tap (%s)", bt.shot())
	}
	var show, speak point
	for _, tg := range night.Targets {
		c := point{int(tg.R.X + tg.R.W/2), int(tg.R.Y + tg.R.H/2)}
		switch {
		case tg.Intent.Kind == layout.Open && tg.Intent.Page.Is(board.PageToday):
			show = c
		case tg.Intent.Kind == layout.Read && tg.Intent.Card == board.KeyOf(board.NightCard, ""):
			speak = c
		}
	}
	// The speaker button reads the page, at the night volume: 30 of 100,
	// a gain of 0.09, so no sample is above 9 % of full scale.
	time.Sleep(700 * time.Millisecond) // past the bounce after the waking tap
	bt.tap(speak, layout.Read)
	var said []int16
	if !wait.For(func() bool {
		s, err := soundtest.Read(bt.heard)
		said = s
		return err == nil && len(s) > 22050 // half a second at espeak-ng's rate
	}, 20*time.Second) {
		t.Fatalf("nothing heard 20 s after the speaker button (%d samples)", len(said))
	}
	peak := 0
	for _, v := range said {
		peak = max(peak, int(math.Abs(float64(v))))
	}
	t.Logf("the night page read aloud: %d samples so far, peak %d of 32767", len(said), peak)
	if peak == 0 || peak > 32767*9/100+1 {
		t.Errorf("peak %d: want a sound at most 9 %% of full scale (night_volume 30)", peak)
	}
	time.Sleep(700 * time.Millisecond)
	bt.tap(show, layout.Open)
	shown := time.Now()
	bt.log.await(t, mark, "the board kept lit", 5*time.Second, func(r record) bool {
		return r["msg"] == "display kept lit for the day's board, asked for on the night page"
	})
	if !waitLuma(bt, func(l float64) bool { return l > 3*nightLuma }, 5*time.Second) {
		t.Errorf("the day's board is not three times as bright as the night page (%.4f)", nightLuma)
	}
	dayLuma := luma(bt)
	t.Logf("mean luminance: night page %.4f, day's board %.4f (%.1f %%)", nightLuma, dayLuma, 100*nightLuma/dayLuma)
	if nightLuma > dayLuma/3 {
		t.Errorf("night page %.4f, day's board %.4f: want at most a third", nightLuma, dayLuma)
	}
	// Past the night page's 30 s the board is still lit (night_wake 45 s).
	time.Sleep(33*time.Second - time.Since(shown))
	if r, _ := bt.log.last("display power"); r["on"] != "true" {
		t.Errorf("the board asked for went dark within 33 s: %v", r)
	}
	if l := luma(bt); l < dayLuma/2 {
		t.Errorf("33 s after \"Vis dagens program\" the X screen's luminance is %.4f", l)
	}
}

// luma is the X screen's mean relative luminance (0 black, 1 white).
func luma(bt *bookingTaps) float64 {
	img, err := xproto.GetImage(bt.x, xproto.ImageFormatZPixmap, xproto.Drawable(bt.root), 0, 0, uint16(bt.w), uint16(bt.h), 0xffffffff).Reply()
	if err != nil {
		bt.t.Fatal(err)
	}
	lin := func(v byte) float64 {
		c := float64(v) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	var table [256]float64
	for i := range table {
		table[i] = lin(byte(i))
	}
	sum, n := 0.0, 0
	for i := 0; i+3 < len(img.Data); i += 4 { // BGRX
		sum += 0.2126*table[img.Data[i+2]] + 0.7152*table[img.Data[i+1]] + 0.0722*table[img.Data[i]]
		n++
	}
	return sum / float64(n)
}

// waitLuma waits until the X screen's mean luminance satisfies ok.
func waitLuma(bt *bookingTaps, ok func(float64) bool, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for {
		if ok(luma(bt)) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}
