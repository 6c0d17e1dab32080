package recording

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/internal/voice/speech"
)

func describe(data []byte, contentType string, seconds float64) board.Audio {
	sum := sha256.Sum256(data)
	return board.Audio{SHA256: hex.EncodeToString(sum[:]), ContentType: contentType, Seconds: seconds}
}

func tone(rate int, d time.Duration) speech.Audio {
	a := speech.Audio{SampleRate: rate, Samples: make([]int16, int(d.Seconds()*float64(rate)))}
	for i := range a.Samples {
		a.Samples[i] = int16(8000 * math.Sin(float64(i)*2*math.Pi*440/float64(rate)))
	}
	return a
}

func reading(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/reading.mp3")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A WAV and an MP3 that are what the board says are kept and decode to the
// sound they hold.
func TestGoodRecordings(t *testing.T) {
	w := WAVOf(tone(16000, 3*time.Second))
	if err := Check(w, describe(w, WAV, 3)); err != nil {
		t.Fatal(err)
	}
	a, err := Decode(w, WAV)
	if err != nil || a.SampleRate != 16000 || len(a.Samples) != 48000 || a.Samples[100] != tone(16000, time.Second).Samples[100] {
		t.Fatalf("WAV decoded to %d Hz, %d samples, err %v", a.SampleRate, len(a.Samples), err)
	}
	m := reading(t)
	if err := Check(m, describe(m, MP3, 3)); err != nil {
		t.Fatal(err)
	}
	a, err = Decode(m, MP3)
	if err != nil || a.SampleRate != 22050 || a.Duration() < 3*time.Second || a.Duration() > 4*time.Second || a.RMS() < 500 {
		t.Fatalf("MP3 decoded to %d Hz, %v, RMS %.0f, err %v", a.SampleRate, a.Duration(), a.RMS(), err)
	}
}

// The refusals the issue names, none of them a crash: a wrong hash, a
// ten-minute file, garbage that claims to be an MP3; and more.
func TestRefused(t *testing.T) {
	w := WAVOf(tone(8000, 3*time.Second))
	// Bytes that are no sound at all, the same every run.
	garbage := make([]byte, 64<<10)
	r := rand.New(rand.NewPCG(17, 4))
	for i := range garbage {
		garbage[i] = byte(r.UintN(256))
	}
	long := WAVOf(tone(8000, 10*time.Minute))
	longMP3 := bytes.Repeat(reading(t)[200:], 180) // ~10 minutes of frames
	longMP3 = append(append([]byte(nil), reading(t)[:200]...), longMP3...)
	cut := w[:30]
	for _, c := range []struct {
		what string
		data []byte
		a    board.Audio
		// unreadable: Decode refuses it too (the others are sound that
		// is not what the board says).
		unreadable bool
	}{
		{"a wrong hash", w, board.Audio{SHA256: describe(garbage, WAV, 3).SHA256, ContentType: WAV, Seconds: 3}, false},
		{"a ten-minute WAV", long, describe(long, WAV, 600), false},
		{"a ten-minute WAV said to be short", long, describe(long, WAV, 10), false},
		{"a ten-minute MP3", longMP3, describe(longMP3, MP3, 100), false},
		{"a length the board does not say", w, describe(w, WAV, 30), false},
		{"garbage claiming to be MP3", garbage, describe(garbage, MP3, 3), true},
		{"a WAV claiming to be MP3", w, describe(w, MP3, 3), true},
		{"an MP3 claiming to be WAV", reading(t), describe(reading(t), WAV, 3), true},
		{"a cut header", cut, describe(cut, WAV, 3), true},
		{"an unknown type", w, describe(w, "audio/flac", 3), true},
	} {
		if err := Check(c.data, c.a); !errors.Is(err, ErrRefused) {
			t.Errorf("%s: %v, want refused", c.what, err)
		}
		if _, err := Decode(c.data, c.a.ContentType); c.unreadable && !errors.Is(err, ErrRefused) {
			t.Errorf("%s: decodes (%v)", c.what, err)
		}
	}
	if err := Check(w, describe(w, Ogg, 3)); !errors.Is(err, ErrNoDecoder) {
		t.Errorf("Ogg: %v, want no decoder", err)
	}
}

// Random bytes after an MP3's first frame, and every cut of a WAV, never
// crash the decoder.
func FuzzDecode(f *testing.F) {
	f.Add(WAVOf(tone(8000, 100*time.Millisecond)), true)
	b, err := os.ReadFile("testdata/reading.mp3")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[:2000], false)
	f.Fuzz(func(t *testing.T, data []byte, wav bool) {
		ct := MP3
		if wav {
			ct = WAV
		}
		_, _ = Decode(data, ct)
	})
}
