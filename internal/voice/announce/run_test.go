package announce

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"skaerm/internal/clock"
	"skaerm/internal/testkit/soundtest"
	"skaerm/internal/testkit/wait"
	"skaerm/internal/voice/sound"
	"skaerm/internal/voice/speech"
)

// run starts an announcer until the test ends and returns it.
func run(t *testing.T, opts Options) *Announcer {
	t.Helper()
	a := New(opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return a
}

// The whole path on the fake clock: the announcement falls due, the real
// voice speaks it, and the loudspeaker (ALSA routed to a file) hears it.
func TestAnnouncerSpeaksThroughTheLoudspeaker(t *testing.T) {
	heard := soundtest.FileSpeaker(t)
	c := clock.NewFake(at(t, "2026-12-01 13:00"))
	b := home(t, "2026-12-01 14:00")
	b.Meals = nil
	voice := &sound.Voice{Engine: &speech.Espeak{}, Player: &sound.Player{}, Volume: func() int { return 100 }}
	a := run(t, Options{Clock: c, Speaker: voice, SaidPath: filepath.Join(t.TempDir(), "said.json")})
	a.Update(State{Board: b})
	wait.Until(t, "the announcer waits for 13:50", func() bool { return c.Waiters() == 1 })
	if _, err := os.Stat(heard); err == nil {
		t.Fatal("something was played before 13:50")
	}
	c.Set(at(t, "2026-12-01 13:50"))
	wait.Until(t, "the announcement is heard", func() bool {
		fi, err := os.Stat(heard)
		return err == nil && fi.Size() > 0 && c.Waiters() == 0
	})
	want, err := (&speech.Espeak{}).Synthesize(context.Background(), "Om ti minutter: Strikkeklub i Dagligstuen.", "da")
	if err != nil {
		t.Fatal(err)
	}
	wait.Until(t, "the whole sentence is heard", func() bool {
		return len(soundtest.Heard(t, heard)) >= len(want.Samples)
	})
	got := soundtest.Heard(t, heard)[:len(want.Samples)]
	for i := range want.Samples {
		if got[i] != want.Samples[i] {
			t.Fatalf("sample %d: heard %d, the announcement is %d", i, got[i], want.Samples[i])
		}
	}
}

// recorder is a Speaker that keeps what it was asked to say.
type recorder struct {
	mu    sync.Mutex
	texts []string
}

func (r *recorder) Say(_ context.Context, text, _ string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.texts = append(r.texts, text)
	return nil
}

func (r *recorder) said() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.texts...)
}

// A restart after the announcement does not say it again; the record on
// disk holds no words of it.
func TestAnnouncerRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "said.json")
	b := home(t, "2026-12-01 14:00")
	b.Meals = nil
	first := &recorder{}
	c := clock.NewFake(at(t, "2026-12-01 13:50"))
	ctx, cancel := context.WithCancel(context.Background())
	a := New(Options{Clock: c, Speaker: first, SaidPath: path})
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	a.Update(State{Board: b})
	wait.Until(t, "the first announcer speaks", func() bool { return len(first.said()) == 1 })
	cancel()
	<-done
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "Strikkeklub") || !strings.Contains(string(data), `"a1"`) {
		t.Errorf("the record is %s", data)
	}

	again := &recorder{}
	c2 := clock.NewFake(at(t, "2026-12-01 13:52"))
	a2 := run(t, Options{Clock: c2, Speaker: again, SaidPath: path})
	// A second activity shows the restarted announcer is working.
	b2 := home(t, "2026-12-01 14:00")
	b2.Meals[0].Start = at(t, "2026-12-01 14:01")
	a2.Update(State{Board: b2})
	wait.Until(t, "the restarted announcer speaks", func() bool { return len(again.said()) == 1 })
	if got := again.said(); got[0] != "Om ni minutter: Frokost." {
		t.Errorf("after the restart it said %q, want only the lunch", got)
	}
}
