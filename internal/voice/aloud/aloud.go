// Package aloud is the one owner of the screen's loudspeaker: it reads a
// card aloud when a resident taps its speaker button, and says the
// department's announcements with a soft chime before them.
//
// # Basics
//
// A Voice runs one goroutine (Run) that plays one sound at a time. Read and
// Stop never wait: the game loop calls them from Update, and Speaking tells
// it, on every frame, which card is being read (for the button's "reading"
// state). A new Read stops the old reading; Stop ends it. A card carrying a
// staff recording is played from it; without one, or when the recording
// cannot be had, its sentence is synthesised. Say is the announcer's way in:
// it waits for a card being read to end, chimes, speaks and returns when the
// announcement has been heard; a tap meanwhile interrupts it.
//
// # Caveats
//
// Playing and synthesis run on a worker goroutine per sound, owned and
// waited for by Run. The last failure (no loudspeaker, no voice, a broken
// recording) is kept for the status report; a reading stopped by a tap or
// a page change is not a failure.
package aloud

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"skaerm/board"
	"skaerm/internal/clock"
	"skaerm/internal/voice/speech"
)

// Player plays sound at a volume (0..100) and returns when it has been
// heard, or when ctx is done. *sound.Player is the screen's.
type Player interface {
	Play(ctx context.Context, a speech.Audio, volume int) error
}

// Options are a Voice's parts.
type Options struct {
	Engine speech.Engine
	Player Player
	// Volume is read for each sound, so the night and configuration edits
	// apply to the next one; nil is 80.
	Volume func() int
	// Recording returns the decoded sound of a staff recording; nil, or
	// an error, falls back to speech synthesis.
	Recording func(ctx context.Context, a board.Audio) (speech.Audio, error)
	// OnChange, when set, is called (from any goroutine) when Speaking
	// changes, so the screen can redraw the button.
	OnChange func()
	Clock    clock.Clock
	Log      *slog.Logger
}

// Failure is the last sound that could not be played, for the status
// report.
type Failure struct {
	At  time.Time
	Err string
}

// Voice owns the loudspeaker.
type Voice struct {
	opts Options
	poke chan struct{}
	says chan sayReq

	mu       sync.Mutex
	gen      uint64 // counts Read and Stop: a job ending clears Speaking only if it is still the newest
	speaking string
	pending  *order // the newest Read or Stop not yet taken by Run
	failure  Failure
}

type order struct {
	gen  uint64
	card *board.Card // nil: stop
}

type sayReq struct {
	ctx          context.Context
	text, locale string
	done         chan error
}

// New returns a voice that is silent until Run.
func New(opts Options) *Voice {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Volume == nil {
		opts.Volume = func() int { return 80 }
	}
	return &Voice{opts: opts, poke: make(chan struct{}, 1), says: make(chan sayReq)}
}

// Read starts reading c, stopping whatever the voice is saying. It never
// waits.
func (v *Voice) Read(c board.Card) {
	v.mu.Lock()
	v.gen++
	v.speaking = c.Key
	v.pending = &order{gen: v.gen, card: &c}
	v.mu.Unlock()
	v.wake()
	v.changed()
}

// Stop ends the reading (and an announcement). It never waits.
func (v *Voice) Stop() {
	v.mu.Lock()
	v.gen++
	was := v.speaking
	v.speaking = ""
	v.pending = &order{gen: v.gen}
	v.mu.Unlock()
	v.wake()
	if was != "" {
		v.changed()
	}
}

// Speaking is the key of the card being read (from the moment Read is
// called until its sound has been heard or stopped), "" otherwise.
func (v *Voice) Speaking() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.speaking
}

// LastFailure is the last sound that could not be played; zero when none
// has failed.
func (v *Voice) LastFailure() Failure {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.failure
}

// ErrInterrupted: an announcement was cut short by a resident's tap.
var ErrInterrupted = errors.New("interrupted by a reading")

// Say chimes and speaks text (an announcement) and returns when it has
// been heard. A card being read is let finish first.
func (v *Voice) Say(ctx context.Context, text, locale string) error {
	r := sayReq{ctx: ctx, text: text, locale: locale, done: make(chan error, 1)}
	select {
	case v.says <- r:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (v *Voice) wake() {
	select {
	case v.poke <- struct{}{}:
	default:
	}
}

func (v *Voice) changed() {
	if v.opts.OnChange != nil {
		v.opts.OnChange()
	}
}

// job is the sound being played by the worker.
type job struct {
	gen    uint64 // 0 for an announcement
	cancel context.CancelFunc
	done   chan error
	say    *sayReq
}

// Run plays until ctx is done.
func (v *Voice) Run(ctx context.Context) error {
	var cur *job
	var waiting *sayReq // an announcement waiting for a reading to end
	stopCur := func() {
		if cur == nil {
			return
		}
		cur.cancel()
		err := <-cur.done
		if cur.say != nil {
			cur.say.done <- fmt.Errorf("%w: %v", ErrInterrupted, err)
		}
		cur = nil
	}
	defer func() {
		stopCur()
		if waiting != nil {
			waiting.done <- ctx.Err()
		}
	}()
	for {
		if cur == nil && waiting != nil {
			w := waiting
			waiting = nil
			cur = v.start(ctx, 0, func(jctx context.Context) error { return v.announce(jctx, w.text, w.locale) })
			cur.say = w
		}
		var done chan error
		if cur != nil {
			done = cur.done
		}
		says := v.says
		if waiting != nil {
			says = nil // one announcement at a time
		}
		select {
		case <-ctx.Done():
			return nil
		case <-v.poke:
			v.mu.Lock()
			o := v.pending
			v.pending = nil
			v.mu.Unlock()
			if o == nil {
				continue
			}
			stopCur()
			if o.card != nil {
				c := *o.card
				cur = v.start(ctx, o.gen, func(jctx context.Context) error { return v.read(jctx, c) })
			}
		case r := <-says:
			if cur == nil {
				cur = v.start(ctx, 0, func(jctx context.Context) error { return v.announce(jctx, r.text, r.locale) })
				cur.say = &r
			} else {
				waiting = &r
			}
		case err := <-done:
			v.finish(cur, err)
			cur = nil
		}
	}
}

// start plays on a worker goroutine; Run waits for it before the next.
func (v *Voice) start(ctx context.Context, gen uint64, play func(context.Context) error) *job {
	jctx, cancel := context.WithCancel(ctx)
	j := &job{gen: gen, cancel: cancel, done: make(chan error, 1)}
	go func() { j.done <- play(jctx) }()
	return j
}

// finish records how a sound ended.
func (v *Voice) finish(j *job, err error) {
	j.cancel()
	if j.say != nil {
		j.say.done <- err
	}
	v.mu.Lock()
	ended := j.gen != 0 && v.gen == j.gen
	if ended {
		v.speaking = ""
	}
	if err != nil {
		v.failure = Failure{At: v.opts.Clock.Now(), Err: err.Error()}
	}
	v.mu.Unlock()
	if err != nil {
		v.opts.Log.Warn("sound not played", "err", err)
	}
	if ended {
		v.changed()
	}
}

// read plays a card: its recording when it has one that can be had, else
// its sentence.
func (v *Voice) read(ctx context.Context, c board.Card) error {
	if c.Recording != nil && v.opts.Recording != nil {
		a, err := v.opts.Recording(ctx, *c.Recording)
		if err == nil {
			return v.play(ctx, a)
		}
		if ctx.Err() != nil {
			return nil
		}
		v.opts.Log.Warn("recorded reading not played, speaking the card instead", "media", c.Recording.SHA256, "err", err)
	}
	a, err := v.opts.Engine.Synthesize(ctx, c.Text, c.Locale)
	if ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read aloud: %w", err)
	}
	return v.play(ctx, a)
}

// announce plays the chime and the sentence as one sound.
func (v *Voice) announce(ctx context.Context, text, locale string) error {
	a, err := v.opts.Engine.Synthesize(ctx, text, locale)
	if err != nil {
		return fmt.Errorf("announce: %w", err)
	}
	return v.play(ctx, WithChime(a))
}

// play plays a at the volume of the moment; stopping is not a failure.
func (v *Voice) play(ctx context.Context, a speech.Audio) error {
	err := v.opts.Player.Play(ctx, a, v.opts.Volume())
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// Chime is two soft bell tones, high then low, at rate samples per second:
// a quarter of full scale, each fading out, 0.9 s in all.
func Chime(rate int) speech.Audio {
	if rate <= 0 {
		rate = 22050
	}
	tone := func(out []int16, hz float64) {
		n := len(out)
		for i := range out {
			t := float64(i) / float64(rate)
			attack := math.Min(1, t/0.01) // no click at the start
			decay := math.Exp(-4 * float64(i) / float64(n))
			s := 0.25 * attack * decay * (math.Sin(2*math.Pi*hz*t) + 0.3*math.Sin(2*math.Pi*2*hz*t)) / 1.3
			out[i] = int16(s * 32767)
		}
	}
	each := rate * 4 / 10
	a := speech.Audio{SampleRate: rate, Samples: make([]int16, 2*each+rate/10)}
	tone(a.Samples[:each], 880)
	tone(a.Samples[each:2*each], 659.25)
	return a
}

// WithChime is a preceded by the chime and a short pause.
func WithChime(a speech.Audio) speech.Audio {
	c := Chime(a.SampleRate)
	pause := make([]int16, a.SampleRate/4)
	out := speech.Audio{SampleRate: c.SampleRate}
	out.Samples = append(append(append(make([]int16, 0, len(c.Samples)+len(pause)+len(a.Samples)), c.Samples...), pause...), a.Samples...)
	return out
}
