package sound

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"skaerm/internal/device/sysinfo"
	"skaerm/internal/testkit/soundtest"
	"skaerm/internal/voice/speech"
)

func tone(n int) speech.Audio {
	a := speech.Audio{SampleRate: 22050, Samples: make([]int16, n)}
	for i := range a.Samples {
		a.Samples[i] = int16(12000 * math.Sin(float64(i)*2*math.Pi*440/22050))
	}
	return a
}

// What is played reaches the device sample for sample, at the volume
// asked, and nothing else follows but silence.
func TestPlayReachesTheDevice(t *testing.T) {
	out := soundtest.FileSpeaker(t)
	a := tone(22050) // one second
	p := &Player{}
	if err := p.Play(context.Background(), a, 100); err != nil {
		t.Fatal(err)
	}
	got := soundtest.Heard(t, out)
	if len(got) < len(a.Samples) || len(got) > len(a.Samples)*12/10 {
		t.Fatalf("heard %d samples for %d played", len(got), len(a.Samples))
	}
	for i, s := range a.Samples {
		if got[i] != s {
			t.Fatalf("sample %d: heard %d, played %d", i, got[i], s)
		}
	}
	for i, s := range got[len(a.Samples):] {
		if s != 0 {
			t.Fatalf("sample %d after the end: %d, want silence", len(a.Samples)+i, s)
		}
	}
}

// Half the volume is a quarter of the amplitude; zero is silence.
func TestVolume(t *testing.T) {
	a := tone(2205)
	full := a.RMS()
	if r := Scale(a, 50).RMS() / full; r < 0.24 || r > 0.26 {
		t.Errorf("volume 50 gives %.3f of the amplitude, want 0.25", r)
	}
	if Scale(a, 0).RMS() != 0 || Scale(a, -5).RMS() != 0 {
		t.Error("volume 0 is not silent")
	}
	if Scale(a, 150).RMS() != full {
		t.Error("volume over 100 is not clamped to 100")
	}
}

func TestPlayErrors(t *testing.T) {
	soundtest.FileSpeaker(t)
	if err := (&Player{Path: "/nonexistent/aplay"}).Play(context.Background(), tone(10), 50); !errors.Is(err, ErrNoPlayer) {
		t.Errorf("missing aplay: %v", err)
	}
	err := (&Player{Device: "nosuchdevice"}).Play(context.Background(), tone(10), 50)
	if err == nil || !strings.Contains(err.Error(), "nosuchdevice") {
		t.Errorf("unknown device: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (&Player{}).Play(ctx, tone(22050*60), 50); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestCheck(t *testing.T) {
	soundtest.FileSpeaker(t)
	if f := Check(context.Background(), &Player{}); f.Status != sysinfo.OK {
		t.Errorf("check on a working device: %s", f)
	}
	if f := Check(context.Background(), &Player{Device: "nosuchdevice"}); f.Status != sysinfo.Warn || !strings.Contains(f.Fix, "aplay -L") {
		t.Errorf("check on a missing device: %s", f)
	}
}
