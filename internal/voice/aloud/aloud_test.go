package aloud

import (
	"context"
	"errors"
	"os"
	"skaerm/internal/clock"
	"strings"
	"sync"
	"testing"

	"skaerm/board"
	"skaerm/internal/testkit/soundtest"
	"skaerm/internal/testkit/wait"
	"skaerm/internal/voice/sound"
	"skaerm/internal/voice/speech"
)

// gate is a player that holds each sound until the test lets it go (or it
// is stopped), and remembers what it was given.
type gate struct {
	mu      sync.Mutex
	playing []speech.Audio // begun
	release chan struct{}
	stopped int
}

func newGate() *gate { return &gate{release: make(chan struct{})} }

func (g *gate) Play(ctx context.Context, a speech.Audio, _ int) error {
	g.mu.Lock()
	g.playing = append(g.playing, a)
	g.mu.Unlock()
	select {
	case <-g.release:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		g.stopped++
		g.mu.Unlock()
		return ctx.Err()
	}
}

func (g *gate) begun() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.playing)
}

// words is an engine that turns each word into a second-long tone, so a
// test can tell sentences apart by length.
type words struct{ fail error }

func (w words) Synthesize(_ context.Context, text, _ string) (speech.Audio, error) {
	if w.fail != nil {
		return speech.Audio{}, w.fail
	}
	n := len(strings.Fields(text))
	a := speech.Audio{SampleRate: 1000, Samples: make([]int16, 1000*n)}
	for i := range a.Samples {
		a.Samples[i] = 1000
	}
	return a, nil
}

func start(t *testing.T, o Options) *Voice {
	t.Helper()
	v := New(o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- v.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return v
}

// A new card stops the old one; Stop ends it; Speaking follows, and a
// stopped reading is not a failure.
func TestOneSoundAtATime(t *testing.T) {
	g := newGate()
	v := start(t, Options{Clock: clock.Real{}, Engine: words{}, Player: g})
	v.Read(board.Card{Key: "meal/m1", Text: "Frokost klokken tolv"})
	if v.Speaking() != "meal/m1" {
		t.Fatalf("Speaking %q right after Read", v.Speaking())
	}
	wait.Until(t, "the first card plays", func() bool { return g.begun() == 1 })
	v.Read(board.Card{Key: "activity/a1", Text: "Strikkeklub"})
	wait.Until(t, "the second card plays", func() bool { return g.begun() == 2 })
	g.mu.Lock()
	stopped := g.stopped
	g.mu.Unlock()
	if stopped != 1 || v.Speaking() != "activity/a1" {
		t.Fatalf("stopped %d, speaking %q: the first reading goes on", stopped, v.Speaking())
	}
	v.Stop()
	if v.Speaking() != "" {
		t.Fatalf("Speaking %q after Stop", v.Speaking())
	}
	wait.Until(t, "the reading stops", func() bool { g.mu.Lock(); defer g.mu.Unlock(); return g.stopped == 2 })
	if f := v.LastFailure(); f.Err != "" {
		t.Fatalf("a stopped reading counted as a failure: %v", f.Err)
	}
}

// An announcement waits for a card being read, comes with the chime, and
// Speaking stays the card's until its reading has been heard.
func TestAnnouncementWaitsForTheReading(t *testing.T) {
	g := newGate()
	changes := make(chan struct{}, 10)
	v := start(t, Options{Clock: clock.Real{}, Engine: words{}, Player: g, OnChange: func() { changes <- struct{}{} }})
	v.Read(board.Card{Key: "news/n1", Text: "Ny frisør"})
	wait.Until(t, "the card plays", func() bool { return g.begun() == 1 })
	// What Say does, in two steps, so the announcement is surely waiting
	// (taken by Run) before the card ends.
	r := sayReq{ctx: context.Background(), text: "Om ti minutter Strikkeklub", locale: "da", done: make(chan error, 1)}
	v.says <- r
	said := r.done
	g.release <- struct{}{} // the card is heard
	wait.Until(t, "the announcement plays", func() bool { return g.begun() == 2 })
	if v.Speaking() != "" {
		t.Fatalf("Speaking %q after the card was heard", v.Speaking())
	}
	g.release <- struct{}{}
	if err := <-said; err != nil {
		t.Fatal(err)
	}
	g.mu.Lock()
	a := g.playing[1]
	g.mu.Unlock()
	if chime := Chime(1000); len(a.Samples) != len(chime.Samples)+250+4000 || a.Samples[0] != chime.Samples[0] {
		t.Fatalf("announcement of %d samples, want the chime, a pause and four words", len(a.Samples))
	}
}

// A recording is played instead of the sentence; a recording that cannot
// be had falls back to the sentence.
func TestRecordingWins(t *testing.T) {
	g := newGate()
	rec := speech.Audio{SampleRate: 8000, Samples: make([]int16, 8000)}
	broken := errors.New("hash does not match")
	v := start(t, Options{Clock: clock.Real{}, Engine: words{}, Player: g, Recording: func(_ context.Context, a board.Audio) (speech.Audio, error) {
		if a.SHA256 == "bad" {
			return speech.Audio{}, broken
		}
		return rec, nil
	}})
	v.Read(board.Card{Key: "meal/m1", Text: "Frokost", Recording: &board.Audio{SHA256: "good"}})
	wait.Until(t, "the recording plays", func() bool { return g.begun() == 1 })
	g.release <- struct{}{}
	v.Read(board.Card{Key: "meal/m1", Text: "Frokost", Recording: &board.Audio{SHA256: "bad"}})
	wait.Until(t, "the sentence plays", func() bool { return g.begun() == 2 })
	g.release <- struct{}{}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.playing[0].SampleRate != 8000 || g.playing[1].SampleRate != 1000 {
		t.Fatalf("played %d Hz then %d Hz: want the recording, then the sentence", g.playing[0].SampleRate, g.playing[1].SampleRate)
	}
}

// A voice that cannot speak keeps the failure for the status report and
// stops saying it is reading.
func TestFailureIsKept(t *testing.T) {
	v := start(t, Options{Clock: clock.Real{}, Engine: words{fail: speech.ErrNoEngine}, Player: newGate()})
	v.Read(board.Card{Key: "meal/m1", Text: "Frokost"})
	wait.Until(t, "the reading ends", func() bool { return v.Speaking() == "" })
	if f := v.LastFailure(); !strings.Contains(f.Err, "not installed") || f.At.IsZero() {
		t.Fatalf("failure %+v", f)
	}
}

// The real parts: espeak-ng's voice through ALSA (routed to a file) after
// the chime.
func TestAnnouncementReachesTheLoudspeaker(t *testing.T) {
	heard := soundtest.FileSpeaker(t)
	v := start(t, Options{Clock: clock.Real{}, Engine: &speech.Espeak{}, Player: &sound.Player{}, Volume: func() int { return 100 }})
	if err := v.Say(context.Background(), "Om ti minutter: Strikkeklub i Dagligstuen.", "da"); err != nil {
		t.Fatal(err)
	}
	got := soundtest.Heard(t, heard)
	rate := 22050
	chime := len(Chime(rate).Samples)
	if len(got) < chime+rate { // the chime and at least a second of speech
		t.Fatalf("heard %d samples", len(got))
	}
	loud := speech.Audio{SampleRate: rate, Samples: got[:chime]}
	if r := loud.RMS(); r < 1000 || r > 8000 {
		t.Fatalf("chime RMS %.0f: want soft but heard", r)
	}
	if _, err := os.Stat(heard); err != nil {
		t.Fatal(err)
	}
}
