package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"skaerm/internal/testkit/soundtest"
	"skaerm/internal/voice/speech"
)

// skaerm say speaks through the configured device at the configured volume:
// here ALSA's default device routed to a file, whose samples are the
// sentence as the voice speaks it.
func TestSayPlaysThroughTheConfiguredDevice(t *testing.T) {
	const text = "Frokost klokken tolv. Boller i karry med ris. Sytten spiser med."
	want, err := (&speech.Espeak{}).Synthesize(context.Background(), text, "da")
	if err != nil {
		t.Fatal(err)
	}
	heard := map[int][]int16{}
	for _, volume := range []int{100, 50} {
		file := soundtest.FileSpeaker(t)
		cfg := writeConfig(t, "[audio]\ndevice = \"default\"\nvolume = "+strconv.Itoa(volume)+"\n")
		out, errOut, code := run(t, "say", "--config", cfg, text)
		if code != 0 {
			t.Fatalf("say at volume %d: exit %d: %s", volume, code, errOut)
		}
		if !strings.Contains(out, "on default at volume "+strconv.Itoa(volume)) {
			t.Errorf("say prints %q", out)
		}
		got := soundtest.Heard(t, file)
		if len(got) < len(want.Samples) || len(got) > len(want.Samples)*12/10 {
			t.Fatalf("heard %d samples, the sentence has %d", len(got), len(want.Samples))
		}
		heard[volume] = got[:len(want.Samples)]
	}
	for i, s := range want.Samples {
		if heard[100][i] != s {
			t.Fatalf("sample %d: heard %d, the voice said %d", i, heard[100][i], s)
		}
	}
	full := speech.Audio{SampleRate: want.SampleRate, Samples: heard[100]}
	half := speech.Audio{SampleRate: want.SampleRate, Samples: heard[50]}
	if full.RMS() < 500 {
		t.Errorf("RMS %.0f: nearly silent", full.RMS())
	}
	words := len(strings.Fields(text))
	if d, expect := full.Duration(), words*60000/speech.DefaultWordsPerMinute; d.Milliseconds() < int64(expect)*6/10 || d.Milliseconds() > int64(expect)*16/10 {
		t.Errorf("%d words took %s, want about %d ms", words, d, expect)
	}
	if r := half.RMS() / full.RMS(); r < 0.24 || r > 0.26 {
		t.Errorf("volume 50 is %.3f of volume 100's amplitude, want 0.25", r)
	}
}

func TestSayRefuses(t *testing.T) {
	soundtest.FileSpeaker(t)
	for _, args := range [][]string{{"say"}, {"say", "--volume", "101", "Hej"}, {"say", "--locale", "fr", "Bonjour"}} {
		if _, _, code := run(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if _, errOut, code := run(t, "say", "--device", "nosuchdevice", "Hej"); code != 1 || !strings.Contains(errOut, "nosuchdevice") {
		t.Errorf("an unknown device: exit %d, %s", code, errOut)
	}
}
