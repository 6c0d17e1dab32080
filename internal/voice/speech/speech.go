// Package speech turns a sentence into sound held in memory, for a screen
// that reads its cards aloud to residents who cannot read them.
//
// # Basics
//
// An Engine takes text and a locale (da, nb, de, en) and returns PCM
// samples with their sample rate. Espeak is the engine a screen has today:
// it runs Debian's espeak-ng as a child process per sentence. A better
// engine (a neural Danish voice) replaces it behind the same interface.
//
// # Caveats
//
// The text may hold residents' first names, so it never appears where other
// users of the machine can read it: it goes to espeak-ng on standard input,
// never in its arguments (which /proc/<pid>/cmdline shows to everyone), and
// the sound comes back on standard output; nothing is written to disk.
// Engines do not play anything: playing is the caller's job.
package speech

import (
	"context"
	"errors"
	"math"
	"time"
)

// Engine speaks text in a locale into samples.
type Engine interface {
	// Synthesize returns the spoken text. It stops, and returns ctx's
	// error, when ctx is done.
	Synthesize(ctx context.Context, text, locale string) (Audio, error)
}

// Audio is mono 16-bit PCM in memory.
type Audio struct {
	SampleRate int     // samples per second
	Samples    []int16 // one channel
}

// Duration is how long the audio plays.
func (a Audio) Duration() time.Duration {
	if a.SampleRate <= 0 {
		return 0
	}
	return time.Duration(len(a.Samples)) * time.Second / time.Duration(a.SampleRate)
}

// RMS is the audio's loudness as the root mean square of its samples, 0 for
// silence and 32767 for the loudest square wave.
func (a Audio) RMS() float64 {
	if len(a.Samples) == 0 {
		return 0
	}
	var sum float64
	for _, s := range a.Samples {
		sum += float64(s) * float64(s)
	}
	return math.Sqrt(sum / float64(len(a.Samples)))
}

// Errors a caller can tell apart with errors.Is.
var (
	// ErrNoEngine: the speech engine's program is not installed.
	ErrNoEngine = errors.New("speech engine not installed")
	// ErrLocale: the engine has no voice for the locale.
	ErrLocale = errors.New("no voice for this language")
	// ErrBadAudio: the engine's output is not the sound it should be.
	ErrBadAudio = errors.New("speech engine gave unreadable audio")
	// ErrTooLong: the text would speak for longer than MaxDuration.
	ErrTooLong = errors.New("text too long to speak")
)

// MaxDuration bounds one synthesis, so a runaway engine cannot fill memory.
const MaxDuration = 5 * time.Minute
