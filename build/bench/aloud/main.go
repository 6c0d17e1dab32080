// Command aloud measures the screen's voice: the latency from a tap on a
// speaker button to the first audible sample at the loudspeaker, for a
// card spoken by espeak-ng and for one played from a staff recording (WAV
// and MP3), p50 and p95 over -taps taps each; and what the voice and the
// announcer add to an idle screen (CPU and heap over -idle).
//
// The loudspeaker is ALSA's default device routed to a file (the tests'
// file speaker), so the figures hold everything but the sound card's own
// buffer: the game loop hands a tap to the voice within the same turn
// (display/internal/game), so the time runs from Voice.Read to the first
// sample louder than the noise floor written to the file.
//
//	go run ./build/bench/aloud -taps 20 -idle 60s
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"time"

	"skaerm/board"
	"skaerm/internal/clock"
	"skaerm/internal/testkit/soundtest"
	"skaerm/internal/voice/aloud"
	"skaerm/internal/voice/announce"
	"skaerm/internal/voice/recording"
	"skaerm/internal/voice/sound"
	"skaerm/internal/voice/speech"
)

func main() {
	taps := flag.Int("taps", 20, "taps per kind of reading")
	idle := flag.Duration("idle", 60*time.Second, "idle period for the CPU figure")
	flag.Parse()
	if err := run(*taps, *idle); err != nil {
		log.Fatal(err)
	}
}

func run(taps int, idle time.Duration) error {
	dir, err := os.MkdirTemp("", "skaerm-aloud-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	heard, err := soundtest.WriteRC(dir)
	if err != nil {
		return err
	}
	os.Setenv("HOME", dir)

	mp3, err := os.ReadFile("internal/voice/recording/testdata/reading.mp3")
	if err != nil {
		return err
	}
	wav := recording.WAVOf(mustDecode(mp3, recording.MP3))
	kept := map[string][]byte{hash(mp3): mp3, hash(wav): wav}
	recs := func(_ context.Context, a board.Audio) (speech.Audio, error) {
		return recording.Decode(kept[a.SHA256], a.ContentType)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	v := aloud.New(aloud.Options{Engine: &speech.Espeak{}, Player: &sound.Player{}, Recording: recs,
		Volume: func() int { return 80 }})
	done := make(chan struct{})
	go func() { defer close(done); _ = v.Run(ctx) }()

	text := "Frokost klokken tolv. Boller i karry med ris. Sytten spiser med."
	for _, c := range []struct {
		name string
		rec  *board.Audio
	}{
		{"espeak-ng (synthesis)", nil},
		{"recording, WAV 3.3 s", &board.Audio{SHA256: hash(wav), ContentType: recording.WAV, Seconds: 3.3}},
		{"recording, MP3 3.3 s", &board.Audio{SHA256: hash(mp3), ContentType: recording.MP3, Seconds: 3.3}},
	} {
		var lat, first []time.Duration
		for i := 0; i < taps; i++ {
			os.Remove(heard)
			t0 := time.Now()
			v.Read(board.Card{Key: fmt.Sprintf("meal/m%d", i), Text: text, Locale: "da", Recording: c.rec})
			f, d, err := firstAudible(heard, t0, 10*time.Second)
			if err != nil {
				return fmt.Errorf("%s, tap %d: %w", c.name, i+1, err)
			}
			lat, first = append(lat, d), append(first, f)
			v.Stop()
			for v.Speaking() != "" {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(100 * time.Millisecond) // the stopped aplay is gone
		}
		if f := v.LastFailure(); f.Err != "" {
			return fmt.Errorf("%s: %s", c.name, f.Err)
		}
		fmt.Printf("%s, n=%d:\n", c.name, len(lat))
		report("  tap -> first sample at the device", first)
		report("  tap -> first audible sample", lat)
	}
	cancel()
	<-done

	return idleCost(dir, idle)
}

// idleCost runs the voice and the announcer (with a board that announces,
// nothing due) and compares the process's CPU time and heap over the idle
// period with the same period without them.
func idleCost(dir string, idle time.Duration) error {
	measure := func(parts bool) (cpu time.Duration, heap uint64) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		if parts {
			v := aloud.New(aloud.Options{Engine: &speech.Espeak{}, Player: &sound.Player{}})
			a := announce.New(announce.Options{Clock: clock.Real{}, Speaker: v, SaidPath: filepath.Join(dir, "said.json")})
			go func() { _ = v.Run(ctx) }()
			go func() { _ = a.Run(ctx) }()
			loc, _ := time.LoadLocation("Europe/Copenhagen")
			start := time.Now().Add(6 * time.Hour)
			b := &board.Board{Department: board.Department{ID: "d1", Timezone: loc.String(), Locale: "da",
				Announcements: &board.Announcements{Enabled: true, BeforeMinutes: 10}}}
			for i := range 20 {
				b.Activities = append(b.Activities, board.Activity{ID: fmt.Sprint(i), Title: "Strikkeklub", Start: start.Add(time.Duration(i) * time.Hour)})
			}
			a.Update(announce.State{Board: b})
			// The screen's feeder looks at the schedule once a minute.
			go func() {
				for {
					select {
					case <-ctx.Done():
						return
					case <-time.After(time.Minute):
						a.Update(announce.State{Board: b})
					}
				}
			}()
		}
		time.Sleep(time.Second)
		c0 := cpuTime()
		time.Sleep(idle)
		cpu = cpuTime() - c0
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		return cpu, after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
	}
	base, _ := measure(false)
	with, heap := measure(true)
	fmt.Printf("idle %v: CPU %v without the voice and announcer, %v with them (%.4f%% of a core added); heap added %.1f KiB; no audio device open\n",
		idle, base.Round(time.Microsecond), with.Round(time.Microsecond), 100*float64(with-base)/float64(idle), float64(heap)/1024)
	return nil
}

func report(what string, d []time.Duration) {
	slices.Sort(d)
	fmt.Printf("%-38s p50 %4d ms  p95 %4d ms  (min %d, max %d)\n", what+":",
		d[len(d)/2].Milliseconds(), d[(len(d)*95+99)/100-1].Milliseconds(), d[0].Milliseconds(), d[len(d)-1].Milliseconds())
}

// firstAudible waits for the file speaker to hold its first sample, and
// then one louder than the noise floor (the sound's own leading silence
// lies between), and returns how long after t0 each came.
func firstAudible(path string, t0 time.Time, limit time.Duration) (first, audible time.Duration, err error) {
	for time.Since(t0) < limit {
		if s, err := soundtest.Read(path); err == nil && len(s) > 0 {
			if first == 0 {
				first = time.Since(t0)
			}
			for _, x := range s {
				if x > 200 || x < -200 {
					return first, time.Since(t0), nil
				}
			}
		}
		time.Sleep(time.Millisecond)
	}
	return 0, 0, fmt.Errorf("nothing audible within %v", limit)
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func hash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func mustDecode(b []byte, ct string) speech.Audio {
	a, err := recording.Decode(b, ct)
	if err != nil {
		log.Fatal(err)
	}
	return a
}
