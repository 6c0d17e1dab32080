package taptest

import (
	"bytes"
	"context"
	"image/png"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/display/layout"
	"skaerm/internal/testkit/soundtest"
	"skaerm/internal/voice/speech"
	"skaerm/internal/voice/spoken"
)

// speakerOn is the speaker button of the first card of kind on today's
// page, its key and the length of its sentence as the voice says it.
func speakerOn(t *testing.T, kind board.PageKind) (point, layout.Rect, board.CardKey, time.Duration) {
	t.Helper()
	var key board.CardKey
	p := target(t, layout.State{}, func(in layout.Intent) bool {
		if k, _ := in.Card.Split(); in.Kind == layout.Read && k == kind {
			key = in.Card
			return true
		}
		return false
	})
	text, _, ok := spoken.For("da").Card(bd, key, clk.Now())
	if !ok {
		t.Fatalf("no sentence for %s", key)
	}
	a, err := (&speech.Espeak{}).Synthesize(context.Background(), text, "da")
	if err != nil {
		t.Fatal(err)
	}
	// The button is the target less its reach: centred on the same point.
	s := layout.SpeakerSize(height)
	btn := layout.Rect{X: float64(p.X) - s/2, Y: float64(p.Y) - s/2, W: s, H: s}
	return p, btn, key, a.Duration()
}

// heardFor is how long the file speaker's sound lasts, and how loud it is.
func heardFor(t *testing.T) (time.Duration, float64) {
	t.Helper()
	s, err := soundtest.Read(heard)
	if err != nil {
		return 0, 0
	}
	a := speech.Audio{SampleRate: 22050, Samples: s}
	return a.Duration(), a.RMS()
}

// until polls cond every 20 ms for up to limit.
func until(limit time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// readingShown reports whether the button at btn is drawn reading
// (filled), from a screenshot of the running screen.
func readingShown(t *testing.T, btn layout.Rect) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b, err := screen.Screenshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	// Inside the ring, left of the icon: the accent colour when filled,
	// the card's white when not.
	r, g, bl, _ := img.At(int(btn.X+btn.W*0.12), int(btn.Y+btn.H/2)).RGBA()
	return rgbNear(r, g, bl, layout.Accent.R, layout.Accent.G, layout.Accent.B)
}

func rgbNear(r, g, b uint32, R, G, B uint8) bool {
	d := func(a uint32, c uint8) bool { x := int(a>>8) - int(c); return x > -24 && x < 24 }
	return d(r, R) && d(g, G) && d(b, B)
}

// The whole path from a tap to samples: an instant tap on an activity's
// speaker button goes through the X server and the game loop, the button
// shows it is reading, espeak-ng speaks the card, and ALSA (routed to a
// file) receives a sound as long as the sentence (within 20 %) that is not
// silence. The button goes back when it has been heard.
func TestTapReadsTheCardAloud(t *testing.T) {
	x, send := fakeInput(t)
	waitDrawn(t)
	tapAt(t, x, send, navButton(t, board.PageToday), layout.Open)
	p, btn, key, want := speakerOn(t, board.PageActivity)
	tapAt(t, x, send, p, layout.Read)
	if !until(10*time.Second, func() bool { return voice.Speaking() == string(key) }) {
		t.Fatalf("the tap on %s's speaker did not start the reading", key)
	}
	if !until(5*time.Second, func() bool { return readingShown(t, btn) }) {
		t.Error("the button does not show that the card is being read")
	}
	if !until(want+20*time.Second, func() bool { return voice.Speaking() == "" }) {
		t.Fatalf("still reading %s after %v", voice.Speaking(), want+20*time.Second)
	}
	got, rms := heardFor(t)
	if got < want*8/10 || got > want*12/10 {
		t.Errorf("heard %v for a sentence of %v", got, want)
	}
	if rms < 500 {
		t.Errorf("heard a sound of RMS %.0f: silence", rms)
	}
	if f := voice.LastFailure(); f.Err != "" {
		t.Errorf("playback failed: %s", f.Err)
	}
	if !until(5*time.Second, func() bool { return !readingShown(t, btn) }) {
		t.Error("the button still shows reading after the card was heard")
	}
	time.Sleep(500 * time.Millisecond) // the next test's first tap comes after the bounce time
}

// Leaving the page stops the reading: the file holds only what was played
// before the tap on the navigation bar.
func TestLeavingThePageStopsTheReading(t *testing.T) {
	x, send := fakeInput(t)
	waitDrawn(t)
	tapAt(t, x, send, navButton(t, board.PageToday), layout.Open)
	p, _, key, want := speakerOn(t, board.PageMeal)
	tapAt(t, x, send, p, layout.Read)
	if !until(10*time.Second, func() bool { d, _ := heardFor(t); return voice.Speaking() == string(key) && d > 500*time.Millisecond }) {
		t.Fatalf("the reading of %s did not start", key)
	}
	tapAt(t, x, send, navButton(t, board.PageWeek), layout.Open)
	if !until(10*time.Second, func() bool { return voice.Speaking() == "" }) {
		t.Fatal("the reading goes on after the page changed")
	}
	time.Sleep(300 * time.Millisecond)
	stopped, _ := heardFor(t)
	time.Sleep(700 * time.Millisecond)
	later, _ := heardFor(t)
	if later != stopped {
		t.Errorf("the sound grew from %v to %v after it was stopped", stopped, later)
	}
	if stopped > want*8/10 {
		t.Errorf("heard %v of a sentence of %v: not stopped", stopped, want)
	}
}
