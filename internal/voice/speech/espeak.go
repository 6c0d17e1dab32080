package speech

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"skaerm/words"
	"strconv"
	"strings"
	"time"
)

// DefaultWordsPerMinute is a calm pace for older listeners; espeak-ng's own
// default is 175.
const DefaultWordsPerMinute = 150

// Espeak speaks through the espeak-ng program.
type Espeak struct {
	// Path is the program, "espeak-ng" (looked up on PATH) when empty.
	Path string
	// WordsPerMinute is the pace, DefaultWordsPerMinute when 0.
	WordsPerMinute int

	// started, when set, is called with the child process after it has
	// started and before it has been given the text (tests read its
	// command line there).
	started func(p *os.Process)
}

var _ Engine = (*Espeak)(nil)

// Program returns the full path of the espeak-ng program, or an error
// wrapping ErrNoEngine.
func (e *Espeak) Program() (string, error) {
	name := e.Path
	if name == "" {
		name = "espeak-ng"
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%w: %s not found (install the espeak-ng package)", ErrNoEngine, name)
	}
	return p, nil
}

// Synthesize runs espeak-ng once with text on its standard input and reads
// the WAV it writes to its standard output. When ctx is done the child is
// killed.
func (e *Espeak) Synthesize(ctx context.Context, text, locale string) (Audio, error) {
	if !words.Known(locale) {
		return Audio{}, fmt.Errorf("%w: %q", ErrLocale, locale)
	}
	voice := words.Lookup(locale).Voice
	prog, err := e.Program()
	if err != nil {
		return Audio{}, err
	}
	wpm := e.WordsPerMinute
	if wpm <= 0 {
		wpm = DefaultWordsPerMinute
	}
	// -b 1: the input is UTF-8. --stdin, --stdout: text in, WAV out, no files.
	cmd := exec.CommandContext(ctx, prog, "-v", voice, "-s", strconv.Itoa(wpm), "-b", "1", "--stdin", "--stdout")
	cmd.Env = []string{} // nothing of ours for the child to read
	cmd.WaitDelay = time.Second
	// The largest WAV MaxDuration allows at espeak-ng's 22050 Hz, plus slack.
	out := &capped{max: 44 + int(MaxDuration.Seconds())*48000*2}
	var stderr bytes.Buffer
	cmd.Stdout = out
	cmd.Stderr = &capped{w: &stderr, max: 4096}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return Audio{}, fmt.Errorf("speech: espeak-ng: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return Audio{}, fmt.Errorf("speech: starting espeak-ng: %w", err)
	}
	if e.started != nil {
		e.started(cmd.Process)
	}
	// espeak-ng may write sound before it has read all the text: give it the
	// text from its own goroutine while exec reads the sound.
	fed := make(chan error, 1)
	go func() {
		_, err := io.WriteString(stdin, strings.TrimSpace(text)+"\n")
		if cerr := stdin.Close(); err == nil {
			err = cerr
		}
		fed <- err
	}()
	werr := cmd.Wait()
	ferr := <-fed
	if ctx.Err() != nil {
		return Audio{}, fmt.Errorf("speech: espeak-ng stopped: %w", ctx.Err())
	}
	if errors.Is(werr, errTooMuch) || out.over {
		return Audio{}, fmt.Errorf("speech: %w (over %s)", ErrTooLong, MaxDuration)
	}
	if werr != nil {
		return Audio{}, fmt.Errorf("speech: espeak-ng voice %s: %w: %s", voice, werr, strings.TrimSpace(stderr.String()))
	}
	if ferr != nil {
		return Audio{}, fmt.Errorf("speech: giving espeak-ng the text: %w", ferr)
	}
	a, err := ParseWAV(out.buf.Bytes())
	if err != nil {
		return Audio{}, fmt.Errorf("speech: espeak-ng voice %s: %w", voice, err)
	}
	return a, nil
}

var errTooMuch = errors.New("output over its limit")

// capped keeps at most max bytes and then refuses more.
type capped struct {
	buf  bytes.Buffer
	w    io.Writer // when set, written to instead of buf
	max  int
	n    int
	over bool
}

func (c *capped) Write(p []byte) (int, error) {
	if c.n+len(p) > c.max {
		c.over = true
		return 0, errTooMuch
	}
	c.n += len(p)
	if c.w != nil {
		return c.w.Write(p)
	}
	return c.buf.Write(p)
}

// ParseWAV reads a mono or stereo 16-bit PCM WAV file (stereo is mixed down).
// A data chunk whose size runs past the end, as when a program writes WAV
// to a pipe it cannot seek back on, is read to the end.
func ParseWAV(b []byte) (Audio, error) {
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return Audio{}, fmt.Errorf("%w: not a WAV file", ErrBadAudio)
	}
	var rate, channels, bits int
	fmtSeen := false
	for p := 12; p+8 <= len(b); {
		id := string(b[p : p+4])
		size := int(binary.LittleEndian.Uint32(b[p+4 : p+8]))
		body := b[p+8:]
		switch id {
		case "fmt ":
			if size < 16 || len(body) < 16 {
				return Audio{}, fmt.Errorf("%w: short fmt chunk", ErrBadAudio)
			}
			if format := binary.LittleEndian.Uint16(body[0:2]); format != 1 {
				return Audio{}, fmt.Errorf("%w: format %d, want PCM", ErrBadAudio, format)
			}
			channels = int(binary.LittleEndian.Uint16(body[2:4]))
			rate = int(binary.LittleEndian.Uint32(body[4:8]))
			bits = int(binary.LittleEndian.Uint16(body[14:16]))
			fmtSeen = true
		case "data":
			if !fmtSeen {
				return Audio{}, fmt.Errorf("%w: data before fmt", ErrBadAudio)
			}
			if bits != 16 || channels < 1 || channels > 2 || rate <= 0 {
				return Audio{}, fmt.Errorf("%w: %d-bit, %d channels at %d Hz, want 16-bit mono or stereo", ErrBadAudio, bits, channels, rate)
			}
			if size < 0 || size > len(body) {
				size = len(body)
			}
			frames := size / (2 * channels)
			a := Audio{SampleRate: rate, Samples: make([]int16, frames)}
			for i := range frames {
				var sum int
				for c := range channels {
					sum += int(int16(binary.LittleEndian.Uint16(body[(i*channels+c)*2:])))
				}
				a.Samples[i] = int16(sum / channels)
			}
			return a, nil
		}
		if size < 0 || size > len(body) {
			break
		}
		p += 8 + size + size%2
	}
	return Audio{}, fmt.Errorf("%w: no data chunk", ErrBadAudio)
}
