package speech

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"skaerm/internal/device/sysinfo"
)

// espeak returns the real engine, or fails the test when espeak-ng is not
// installed (build/deps.sh installs it).
func espeak(t *testing.T) *Espeak {
	t.Helper()
	e := &Espeak{}
	if _, err := e.Program(); err != nil {
		t.Fatalf("%v: run build/deps.sh --display", err)
	}
	return e
}

// A card read aloud in each language: sound, not silence, and about as long
// as a calm speaker takes for its words.
func TestEspeakSpeaksEveryLocale(t *testing.T) {
	e := espeak(t)
	texts := map[string]string{
		"da": "Frokost klokken tolv. Boller i karry med ris. Sytten spiser med.",
		"nb": "Lunsj klokka tolv. Fisk med poteter og gulrøtter. Sytten spiser med.",
		"de": "Mittagessen um zwölf Uhr. Gulasch mit Reis. Siebzehn essen mit.",
		"en": "Lunch at twelve o'clock. Fish and chips. Seventeen are eating.",
	}
	for locale, text := range texts {
		t.Run(locale, func(t *testing.T) {
			a, err := e.Synthesize(context.Background(), text, locale)
			if err != nil {
				t.Fatal(err)
			}
			if a.SampleRate < 8000 || a.SampleRate > 48000 {
				t.Fatalf("sample rate %d Hz", a.SampleRate)
			}
			if rms := a.RMS(); rms < 500 {
				t.Errorf("RMS %.0f: the speech is (nearly) silent", rms)
			}
			words := len(strings.Fields(text))
			want := time.Duration(words) * time.Minute / DefaultWordsPerMinute
			if d := a.Duration(); d < want*6/10 || d > want*16/10 {
				t.Errorf("%d words took %s, want about %s", words, d, want)
			}
			t.Logf("%s: %d words, %s, RMS %.0f", locale, words, a.Duration(), a.RMS())
		})
	}
}

// Longer text speaks for longer: the sound is the text's, not a fixed clip.
func TestEspeakLengthFollowsText(t *testing.T) {
	e := espeak(t)
	short, err := e.Synthesize(context.Background(), "Godmorgen.", "da")
	if err != nil {
		t.Fatal(err)
	}
	long, err := e.Synthesize(context.Background(), strings.Repeat("Godmorgen. ", 6), "da")
	if err != nil {
		t.Fatal(err)
	}
	if r := float64(long.Duration()) / float64(short.Duration()); r < 3 || r > 9 {
		t.Errorf("six greetings last %.1f times one (%s, %s), want about six", r, long.Duration(), short.Duration())
	}
}

// The text, which may name a resident, is never in the child's command line
// or environment, where every user of the machine could read it.
func TestEspeakTextNotInProcessList(t *testing.T) {
	e := espeak(t)
	const name = "Inger-Marie"
	var cmdline, environ []byte
	e.started = func(p *os.Process) {
		// The parent may run again while the kernel is still inside execve,
		// before the new program's arguments are in place (the command
		// line reads empty then). The child waits for its text, so wait for
		// its command line to appear.
		deadline := time.Now().Add(5 * time.Second)
		for {
			var err error
			if cmdline, err = os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p.Pid)); err != nil {
				t.Errorf("reading the child's command line: %v", err)
				break
			}
			if len(cmdline) > 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(time.Millisecond)
		}
		environ, _ = os.ReadFile(fmt.Sprintf("/proc/%d/environ", p.Pid))
	}
	a, err := e.Synthesize(context.Background(), "Strikkeklub med "+name+" klokken ti.", "da")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Samples) == 0 {
		t.Fatal("no sound")
	}
	if !bytes.Contains(cmdline, []byte("--stdin")) {
		t.Fatalf("command line %q: not the espeak-ng child", cmdline)
	}
	for what, b := range map[string][]byte{"command line": cmdline, "environment": environ} {
		if bytes.Contains(b, []byte(name)) || bytes.Contains(b, []byte("Strikkeklub")) {
			t.Errorf("the text is in the child's %s: %q", what, b)
		}
	}
}

// Cancelling kills the child: Synthesize returns the context's error and the
// process is gone.
func TestEspeakCancelKillsChild(t *testing.T) {
	e := espeak(t)
	ctx, cancel := context.WithCancel(context.Background())
	pid := 0
	e.started = func(p *os.Process) {
		pid = p.Pid
		cancel()
	}
	_, err := e.Synthesize(ctx, strings.Repeat("En lang tekst der tager tid at læse op. ", 200), "da")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if pid == 0 {
		t.Fatal("no child started")
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err == nil {
		stat, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if bytes.Contains(stat, []byte("espeak")) {
			t.Errorf("espeak-ng (pid %d) still runs after cancel", pid)
		}
	}
}

func TestEspeakErrors(t *testing.T) {
	if _, err := (&Espeak{}).Synthesize(context.Background(), "Hej", "fr"); !errors.Is(err, ErrLocale) {
		t.Errorf("locale fr: err = %v, want ErrLocale", err)
	}
	e := &Espeak{Path: "/nonexistent/espeak-ng"}
	if _, err := e.Synthesize(context.Background(), "Hej", "da"); !errors.Is(err, ErrNoEngine) {
		t.Errorf("missing program: err = %v, want ErrNoEngine", err)
	}
}

func wav(channels, bits int, dataSize uint32, samples ...int16) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	b.WriteString("RIFF")
	binary.Write(&b, le, uint32(0x7fffffff))
	b.WriteString("WAVEfmt ")
	binary.Write(&b, le, uint32(16))
	binary.Write(&b, le, uint16(1))
	binary.Write(&b, le, uint16(channels))
	binary.Write(&b, le, uint32(22050))
	binary.Write(&b, le, uint32(22050*channels*bits/8))
	binary.Write(&b, le, uint16(channels*bits/8))
	binary.Write(&b, le, uint16(bits))
	b.WriteString("data")
	binary.Write(&b, le, dataSize)
	binary.Write(&b, le, samples)
	return b.Bytes()
}

func TestParseWAV(t *testing.T) {
	// A pipe's WAV: the data size is a placeholder far past the end.
	a, err := ParseWAV(wav(1, 16, 0x7ffff000, 1, -2, 300))
	if err != nil {
		t.Fatal(err)
	}
	if a.SampleRate != 22050 || len(a.Samples) != 3 || a.Samples[1] != -2 || a.Samples[2] != 300 {
		t.Errorf("got %+v", a)
	}
	// Stereo is mixed down to one channel.
	a, err = ParseWAV(wav(2, 16, 8, 100, 300, -100, -300))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Samples) != 2 || a.Samples[0] != 200 || a.Samples[1] != -200 {
		t.Errorf("stereo: got %v", a.Samples)
	}
	for name, b := range map[string][]byte{
		"empty":   nil,
		"garbage": []byte("ID3\x03 this is an mp3 pretending"),
		"8-bit":   wav(1, 8, 2, 0),
		"no data": wav(1, 16, 0)[:36],
	} {
		if _, err := ParseWAV(b); !errors.Is(err, ErrBadAudio) {
			t.Errorf("%s: err = %v, want ErrBadAudio", name, err)
		}
	}
}

// The doctor's check: the real voice speaks; a missing program is a
// failure that says what to install.
func TestCheck(t *testing.T) {
	if f := Check(context.Background(), espeak(t), "nb"); f.Status != sysinfo.OK || !strings.Contains(f.Detail, "speaks nb") {
		t.Errorf("check with espeak-ng: %s", f)
	}
	if f := Check(context.Background(), &Espeak{Path: "/nonexistent/espeak-ng"}, "da"); f.Status != sysinfo.Fail || !strings.Contains(f.Fix, "apt install espeak-ng") {
		t.Errorf("check without espeak-ng: %s", f)
	}
}
