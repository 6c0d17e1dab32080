package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/internal/clock"
	"skaerm/internal/config"
	"skaerm/internal/device/motion"
	"skaerm/internal/device/power"
	"skaerm/internal/testkit/soundtest"
	"skaerm/internal/testkit/wait"
	"skaerm/internal/voice/aloud"
	"skaerm/internal/voice/recording"
	"skaerm/internal/voice/speech"
)

// The screen's announcements from end to end with real parts: the board
// in a cache file says the department announces, the clock reaches ten
// minutes before the knitting club, and the loudspeaker (ALSA routed to a
// file) hears the chime and the sentence at the day volume. At night the
// night volume applies.
func TestAnnouncementFromTheCache(t *testing.T) {
	heard := soundtest.FileSpeaker(t)
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	day := func(h, m int) time.Time { return time.Date(2026, 12, 1, h, m, 0, 0, cph) }
	clk := clock.NewFake(day(13, 45))
	c, err := cache.Open(filepath.Join(t.TempDir(), "cache.db"), cache.Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	b := &board.Board{
		Department: board.Department{ID: "d1", Timezone: "Europe/Copenhagen", Locale: "da",
			Announcements: &board.Announcements{Enabled: true, BeforeMinutes: 10}},
		Activities: []board.Activity{{ID: "a1", Title: "Strikkeklub", Location: "Dagligstuen", Start: day(14, 0)}},
	}
	if err := c.ReplaceBoard(b, `"1"`); err != nil {
		t.Fatal(err)
	}
	sched, err := power.ParseSchedule([]string{"daily off 22:00-06:00"})
	if err != nil {
		t.Fatal(err)
	}
	pw := power.NewController(power.Options{Policy: power.Policy{Schedule: sched, Location: cph}, Clock: clk})
	a := config.Default().Audio
	a.Volume, a.NightVolume = 100, 30
	x := newAudio(a, c, pw, clk, nil, nil)
	p := newParts(context.Background())
	p.start("voice", x.voice.Run)
	p.start("announcer", x.announcer.Run)
	p.start("state", x.feed(func() bool { return true }))
	defer p.stop(nil)

	// The feeder waits for the next minute, the announcer for 13:50.
	wait.Until(t, "both wait on the clock", func() bool { return clk.Waiters() == 2 })
	if _, err := os.Stat(heard); err == nil {
		t.Fatal("something was heard before 13:50")
	}
	clk.Set(day(13, 50))
	want, err := (&speech.Espeak{}).Synthesize(context.Background(), "Om ti minutter: Strikkeklub i Dagligstuen.", "da")
	if err != nil {
		t.Fatal(err)
	}
	full := aloud.WithChime(want)
	wait.Until(t, "the announcement is heard", func() bool {
		fi, err := os.Stat(heard)
		return err == nil && fi.Size() >= int64(2*len(full.Samples))
	})
	got := soundtest.Heard(t, heard)[:len(full.Samples)]
	for i, s := range full.Samples {
		if got[i] != s {
			t.Fatalf("sample %d: heard %d, the chime and sentence at volume 100 are %d", i, got[i], s)
		}
	}
	wait.Until(t, "what was said is kept beside the cache", func() bool {
		_, err := os.Stat(filepath.Join(filepath.Dir(c.Path()), "announced.json"))
		return err == nil
	})

	if v := x.volume(); v != 100 {
		t.Errorf("day volume %d, want 100", v)
	}
	clk.Set(day(23, 0))
	if v := x.volume(); v != 30 {
		t.Errorf("night volume %d, want 30", v)
	}
	a.NightVolume = 10
	x.apply(a)
	if v := x.volume(); v != 10 {
		t.Errorf("edited night volume %d, want 10", v)
	}
}

// A tapped card that carries a recording kept in the cache is played from
// it, not spoken: the loudspeaker hears the recording's samples.
func TestRecordingFromTheCache(t *testing.T) {
	heard := soundtest.FileSpeaker(t)
	c, err := cache.Open(filepath.Join(t.TempDir(), "cache.db"), cache.Options{Clock: clock.Real{}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rec, blob := demoRecording(t)
	b := &board.Board{Department: board.Department{ID: "d1", Timezone: "Europe/Copenhagen", Locale: "da"},
		Meals: []board.Meal{{ID: "m1", Kind: board.Lunch, Start: time.Now(), Menu: "Suppe", Audio: &rec}}}
	if err := c.ReplaceBoard(b, `"1"`); err != nil {
		t.Fatal(err)
	}
	if err := c.PutMedia(rec.SHA256, blob); err != nil {
		t.Fatal(err)
	}
	pw := power.NewController(power.Options{Clock: clock.Real{}})
	a := config.Default().Audio
	a.Volume = 100
	x := newAudio(a, c, pw, clock.Real{}, nil, nil)
	p := newParts(context.Background())
	p.start("voice", x.voice.Run)
	defer p.stop(nil)
	x.voice.Read(board.Card{Key: "meal/m1", Text: "Frokost klokken tolv.", Locale: "da", Recording: &rec})
	wait.Until(t, "the recording is heard", func() bool { return x.voice.Speaking() == "" })
	want, err := recording.Decode(blob, rec.ContentType)
	if err != nil {
		t.Fatal(err)
	}
	got := soundtest.Heard(t, heard)
	if len(got) < len(want.Samples) {
		t.Fatalf("heard %d samples of a recording of %d", len(got), len(want.Samples))
	}
	for i, s := range want.Samples {
		if got[i] != s {
			t.Fatalf("sample %d: heard %d, the recording is %d", i, got[i], s)
		}
	}
}

// demoRecording is a second of a tone as a kept WAV recording.
func demoRecording(t *testing.T) (board.Audio, []byte) {
	t.Helper()
	a := speech.Audio{SampleRate: 16000, Samples: make([]int16, 16000)}
	for i := range a.Samples {
		a.Samples[i] = int16(7000 * math.Sin(float64(i)*2*math.Pi*300/16000))
	}
	data := recording.WAVOf(a)
	sum := sha256.Sum256(data)
	return board.Audio{SHA256: hex.EncodeToString(sum[:]), ContentType: recording.WAV, Seconds: 1}, data
}

// The status report says the last sound that could not be played: here
// no loudspeaker at all (ALSA routed nowhere).
func TestStatusReportsThePlaybackError(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	rc := filepath.Join(os.Getenv("HOME"), ".asoundrc")
	if err := os.WriteFile(rc, []byte("pcm.!default { type hw card 99 }\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	speaker := &deviceSwitch{}
	speaker.set("default")
	v := aloud.New(aloud.Options{Clock: clock.Real{}, Engine: &speech.Espeak{}, Player: speaker})
	p := newParts(context.Background())
	p.start("voice", v.Run)
	defer p.stop(nil)
	f := facts{voice: v, power: power.NewController(power.Options{Clock: clock.Real{}}), clock: clock.NewTrusted(clock.TrustOptions{}), sensor: &motion.Sensor{}}
	if _, ok := f.report()["audio error"]; ok {
		t.Fatal("an audio error before any sound")
	}
	v.Read(board.Card{Key: "meal/m1", Text: "Frokost.", Locale: "da"})
	wait.Until(t, "the reading ends", func() bool { return v.Speaking() == "" })
	got := f.report()["audio error"]
	if !strings.Contains(got, "ALSA device default") {
		t.Fatalf("status says %q", got)
	}
}
