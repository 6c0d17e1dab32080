package main

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"skaerm/cache"
	"skaerm/display"
	"skaerm/internal/clock"
	"skaerm/internal/config"
	"skaerm/internal/device/power"
	"skaerm/internal/voice/aloud"
	"skaerm/internal/voice/announce"
	"skaerm/internal/voice/sound"
	"skaerm/internal/voice/speech"
)

// The screen's voice is the renderer's: the display declares what it needs.
var _ display.Voice = (*aloud.Voice)(nil)

// audio is the screen's loudspeaker and what drives it: the voice that
// reads cards and says announcements, the announcer, and the [audio]
// settings of the moment.
type audio struct {
	settings  atomic.Pointer[config.Audio]
	device    *deviceSwitch
	voice     *aloud.Voice
	announcer *announce.Announcer
	power     *power.Controller
	clock     clock.Clock
	cache     *cache.Cache
	edited    chan struct{}
}

// newAudio builds the voice and the announcer for the [audio] section;
// nothing sounds until run. onChange is called when the card being read
// changes (the screen redraws its button).
func newAudio(a config.Audio, c *cache.Cache, pw *power.Controller, clk clock.Clock, onChange func(), log *slog.Logger) *audio {
	x := &audio{power: pw, clock: clk, cache: c, edited: make(chan struct{}, 1), device: &deviceSwitch{}}
	x.settings.Store(&a)
	x.device.set(a.Device)
	x.voice = aloud.New(aloud.Options{
		Engine: &speech.Espeak{}, Player: x.device, Volume: x.volume,
		Recording: recordings(c), OnChange: onChange, Clock: clk, Log: log,
	})
	x.announcer = announce.New(announce.Options{
		Clock: clk, Speaker: x.voice, Log: log,
		// Beside the cache, where the screen may write: kinds, ids and
		// times, never a name.
		SaidPath: announce.SaidFile(c.Path()),
	})
	return x
}

// apply takes an edited [audio] section: volume, night volume, device and
// the announcements override apply to the next sound.
func (x *audio) apply(a config.Audio) {
	x.settings.Store(&a)
	x.device.set(a.Device)
	select {
	case x.edited <- struct{}{}:
	default:
	}
}

// volume is [audio] volume, or night_volume in the schedule's off hours
// and while it is night for the screen (the night page's hours).
func (x *audio) volume() int {
	a := x.settings.Load()
	now := x.clock.Now()
	if off, _ := x.power.OffHours(now); off || x.power.Night(now) {
		return a.NightVolume
	}
	return a.Volume
}

// feed keeps the announcer's state up to date: the board from the cache,
// the override, and whether the schedule has the display off. A clock
// that cannot be believed announces nothing: it would announce at the
// wrong time.
func (x *audio) feed(known func() bool) func(context.Context) error {
	return func(ctx context.Context) error {
		changed, cancel := x.cache.Subscribe()
		defer cancel()
		b, _ := x.cache.Board()
		for {
			now := x.clock.Now()
			off, next := x.power.OffHours(now)
			x.announcer.Update(announce.State{
				Board:        b,
				Off:          x.settings.Load().Announcements == config.AnnouncementsOff,
				ScheduledOff: off || x.power.Night(now) || !known(),
			})
			// The clock may become trusted, or jump, without telling: look
			// again at least every minute.
			wait := time.Minute
			if !next.IsZero() {
				wait = min(max(next.Sub(now), time.Second), wait)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-changed:
				b, _ = x.cache.Board() // nil before the first sync
			case <-x.edited:
			case <-x.clock.After(wait):
			}
		}
	}
}

// deviceSwitch plays on the ALSA device of the moment.
type deviceSwitch struct {
	dev atomic.Pointer[string]
}

func (d *deviceSwitch) set(dev string) { d.dev.Store(&dev) }

// Play plays on the device configured when it starts.
func (d *deviceSwitch) Play(ctx context.Context, a speech.Audio, volume int) error {
	p := sound.Player{Device: *d.dev.Load()}
	return p.Play(ctx, a, volume)
}
