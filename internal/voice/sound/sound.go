// Package sound plays speech through the screen's loudspeaker (HDMI or the
// headphone jack), with ALSA's aplay as a child process per sentence.
//
// # Basics
//
// Play hands aplay the samples on its standard input, as raw 16-bit PCM, at
// a volume from 0 to 100; nothing is written to disk. The device is an ALSA
// PCM name ("default", "hdmi:CARD=vc4hdmi0,DEV=0"). No device is held open
// between sentences: a silent screen costs nothing. The samples are handed
// over at the pace they play (0.6 s ahead, more than aplay's buffer, so it
// starts as soon as it would with all of them), so a sound
// stopped halfway was heard halfway on any device, also one that takes
// samples faster than it plays them (a file, under test).
//
// Why aplay and not Ebitengine's audio package (oto v3, ALSA through cgo):
// oto opens "default" (then "plug:default", then any device) and cannot be
// told [audio] device, so a screen could not choose HDMI or the headphone
// jack; once made, its context holds the device open for the life of the
// process and writes silence to it without end, so `skaerm say` and the
// doctor's check find the device busy, and on a device that takes samples
// faster than it plays them (the tests' file PCM) it spins: 92% of a core
// and 3.5 GB of silence in 10 s, measured on the test machine. aplay opens
// the device per sound and closes it after: nothing is held while silent.
//
// # Caveats
//
// One Play at a time per device is the caller's job. Under test there is no
// sound card: an asoundrc that routes the device to a file PCM captures what
// would have been heard.
package sound

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"skaerm/internal/device/sysinfo"
	"skaerm/internal/voice/speech"
)

// ErrNoPlayer: aplay (the alsa-utils package) is not installed.
var ErrNoPlayer = errors.New("aplay not installed")

// Player plays through one ALSA device.
type Player struct {
	// Device is the ALSA PCM, "default" when empty.
	Device string
	// Path is the aplay program, looked up on PATH when empty.
	Path string
}

func (p *Player) device() string {
	if p.Device == "" {
		return "default"
	}
	return p.Device
}

// Play plays a at volume (0..100) and returns when it has been played, or
// when ctx is done (the child is then killed and ctx's error returned).
func (p *Player) Play(ctx context.Context, a speech.Audio, volume int) error {
	prog := p.Path
	if prog == "" {
		prog = "aplay"
	}
	path, err := exec.LookPath(prog)
	if err != nil {
		return fmt.Errorf("%w: %s not found (install the alsa-utils package)", ErrNoPlayer, prog)
	}
	if a.SampleRate <= 0 {
		return fmt.Errorf("play: no sample rate")
	}
	a = Scale(a, volume)
	pcm := make([]byte, 2*len(a.Samples))
	for i, s := range a.Samples {
		binary.LittleEndian.PutUint16(pcm[2*i:], uint16(s))
	}
	cmd := exec.CommandContext(ctx, path, "-q", "-D", p.device(), "-t", "raw", "-f", "S16_LE", "-c", "1",
		"-r", strconv.Itoa(a.SampleRate), "-B", strconv.Itoa(int(bufferTime/time.Microsecond)), "-")
	cmd.Stdin = &paced{ctx: ctx, pcm: pcm, rate: 2 * a.SampleRate}
	cmd.WaitDelay = time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	if ctx.Err() != nil {
		return fmt.Errorf("play: stopped: %w", ctx.Err())
	}
	if err != nil {
		return fmt.Errorf("play on ALSA device %s: %w: %s", p.device(), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// Pacing: aplay's buffer (it starts playing once the buffer is full), and
// how far the samples handed to it run ahead of playing: more than the
// buffer, so pacing never delays the start.
const (
	bufferTime = 500 * time.Millisecond
	ahead      = bufferTime + 100*time.Millisecond
)

// paced reads pcm at the pace it plays (rate bytes a second), ahead
// of it by ahead.
type paced struct {
	ctx   context.Context
	pcm   []byte
	rate  int
	off   int
	start time.Time
}

func (p *paced) Read(b []byte) (int, error) {
	if p.off >= len(p.pcm) {
		return 0, io.EOF
	}
	if p.start.IsZero() {
		// real clock: the pace of the sound card is real time (monotonic).
		p.start = time.Now()
	}
	// Bytes that may have been handed over by now.
	// real clock: the sound card plays in real time.
	allowed := int((time.Since(p.start) + ahead).Seconds() * float64(p.rate))
	if allowed <= p.off {
		wait := time.Duration(float64(p.off-allowed+p.rate/20) / float64(p.rate) * float64(time.Second))
		t := time.NewTimer(wait)
		select {
		case <-p.ctx.Done():
			t.Stop()
			return 0, p.ctx.Err()
		case <-t.C:
		}
		// real clock: the sound card plays in real time.
		allowed = int((time.Since(p.start) + ahead).Seconds() * float64(p.rate))
	}
	n := copy(b[:min(len(b), allowed-p.off)&^1], p.pcm[p.off:])
	p.off += n
	return n, nil
}

// Scale returns a at volume (0..100, clamped). The volume follows the ear
// rather than the amplitude: the gain is (volume/100) squared, so 50 sounds
// about half as loud as 100.
func Scale(a speech.Audio, volume int) speech.Audio {
	volume = min(max(volume, 0), 100)
	gain := float64(volume*volume) / 10000
	out := speech.Audio{SampleRate: a.SampleRate, Samples: make([]int16, len(a.Samples))}
	for i, s := range a.Samples {
		out.Samples[i] = int16(float64(s) * gain)
	}
	return out
}

// Check plays a tenth of a second of silence on the device and says whether
// the screen can make a sound.
func Check(ctx context.Context, p *Player) sysinfo.Finding {
	f := sysinfo.Finding{Check: "audio"}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	silence := speech.Audio{SampleRate: 22050, Samples: make([]int16, 2205)}
	err := p.Play(ctx, silence, 0)
	switch {
	case errors.Is(err, ErrNoPlayer):
		f.Status, f.Detail, f.Fix = sysinfo.Fail, "aplay is not installed: the screen cannot play sound", "sudo apt install alsa-utils"
	case err != nil:
		f.Status, f.Detail = sysinfo.Warn, "no sound, so reading aloud and announcements are silent: "+err.Error()
		f.Fix = "check the loudspeaker's cable (HDMI or headphone jack); `aplay -l` lists the sound cards; set [audio] device in the configuration to one of `aplay -L`"
	default:
		f.Status, f.Detail = sysinfo.OK, "ALSA device "+p.device()+" opens"
	}
	return f
}

// Voice says sentences aloud: the speech engine's sound, played at the
// volume of the moment.
type Voice struct {
	Engine speech.Engine
	Player *Player
	// Volume is read for each sentence, so a configuration edit (or the
	// night) applies to the next one.
	Volume func() int
}

// Say speaks text in locale and returns when it has been heard.
func (v *Voice) Say(ctx context.Context, text, locale string) error {
	a, err := v.Engine.Synthesize(ctx, text, locale)
	if err != nil {
		return err
	}
	return v.Player.Play(ctx, a, v.Volume())
}
