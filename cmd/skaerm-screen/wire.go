package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/cmd/internal/app"
	"skaerm/display"
	"skaerm/internal/clock"
	"skaerm/internal/config"
	"skaerm/internal/device/motion"
	"skaerm/internal/device/power"
	"skaerm/internal/device/sysinfo"
	"skaerm/internal/voice/aloud"
	"skaerm/sync"
)

// newPower is the display power controller for the [power] section. A
// hardware backend that cannot be used is logged and the screen draws black
// instead.
func newPower(c config.Power, loc *time.Location, trusted *clock.Trusted, sensor *motion.Sensor, onChange func(bool), log *slog.Logger) (*power.Controller, error) {
	hw, err := power.NewBackend(app.PowerBackend(c))
	if err != nil {
		log.Error("display power backend unusable: drawing black instead", "err", err)
		hw = nil
	}
	policy, err := app.PowerPolicy(c, loc)
	if err != nil {
		return nil, err // validated with the configuration; not reached
	}
	return power.NewController(power.Options{Backend: hw, Policy: policy, Clock: trusted,
		Log: log, ClockKnown: known(trusted), MotionSensor: sensor.Active, OnChange: onChange}), nil
}

// known reports whether the trusted clock knows the day.
func known(trusted *clock.Trusted) func() bool {
	return func() bool { return trusted.Status().Known }
}

// newWatcher watches the configuration file the settings came from; nil
// when they came from flags only.
func newWatcher(s app.Settings, log *slog.Logger) *config.Watcher {
	if s.ConfigPath == "" {
		return nil
	}
	return config.NewWatcher(s.ConfigPath, s.Config, config.WatchOptions{Logger: log})
}

// facts are what the screen's other parts know about it, for the status
// report and the status the sync posts.
type facts struct {
	voice  *aloud.Voice
	power  *power.Controller
	clock  *clock.Trusted
	sensor *motion.Sensor
	pin    string
	// blankAfter is [power] blank_after, which applies with a sensor.
	blankAfter time.Duration
	watcher    *config.Watcher // nil without a configuration file
	temps      sysinfo.Reader
	page       func() board.PageID // the page on screen
	screen     *display.Screen
}

// report is the status report's extra lines.
func (f facts) report() map[string]string {
	st := f.power.State()
	m := map[string]string{
		"display power": fmt.Sprintf("%s: %s (%s backend)", onOff(st.On), st.Reason, st.Backend),
		"clock":         f.clock.Status().String(),
		"motion sensor": map[bool]string{true: "watching " + f.pin + ": the display goes off after " + f.blankAfter.String() + " without motion or touch",
			false: "none: the display stays on in the daytime, only the schedule switches it off"}[f.sensor.Active()],
	}
	if f.page != nil {
		m["screen shows"] = "the " + f.page().String() + " page"
	}
	if st.LastError != "" {
		m["display power error"] = st.LastError
	}
	if fl := f.voice.LastFailure(); fl.Err != "" {
		m["audio error"] = fl.At.Format(time.RFC3339) + ": " + fl.Err
	}
	if t, err := f.temps.Temperature(); err == nil {
		m["soc temperature"] = fmt.Sprintf("%.1f °C", t)
	}
	if f.screen != nil {
		m["memory"] = f.screen.Footprint().String()
	}
	if f.watcher != nil {
		if err := f.watcher.LastError(); err != nil {
			m["configuration"] = "last edit rejected, previous configuration kept: " + err.Error()
		}
	}
	return m
}

// status is what the sync posts beside each sync.
func (f facts) status() sync.StatusExtras {
	t, _ := f.temps.Temperature()
	return sync.StatusExtras{DisplayOn: f.power.State().On, SoCTempC: t, ClockSynced: f.clock.Status().Synced}
}

// syncOptions are the settings' sync options with the hooks into the
// screen's other parts.
func syncOptions(s app.Settings, f facts, screen *display.Screen, log *slog.Logger) sync.Options {
	opts := s.SyncOptions()
	opts.OnDate = func(d time.Time) {
		known := f.clock.Status().Known
		if _, err := f.clock.ObserveDate(d); err != nil {
			log.Warn("backend clock not believed", "err", err)
		}
		if !known && f.clock.Status().Known {
			f.power.Recheck() // the schedule applies from now on
		}
	}
	// Pictures are decoded, scaled and encoded in bursts (the first sync:
	// ~25 MB of heap for a moment, 6 MB live after); give the freed memory
	// back to the system at once instead of over minutes.
	opts.OnMedia = func(int) { debug.FreeOSMemory() }
	opts.Status = f.status
	opts.Screenshot = screen.Screenshot
	return opts
}

// wakeOnMotion wakes the display and the screen on each motion event.
func wakeOnMotion(sensor *motion.Sensor, pw *power.Controller, screen *display.Screen) func(context.Context) error {
	return func(ctx context.Context) error {
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-sensor.Events():
				pw.Motion()
				screen.Wake()
			}
		}
	}
}

// wakeOnNotice keeps the display on while a notice that wakes it is shown
// (from its from, by the screen's clock, to its until) and leaves the
// slideshow for it. It reads the board again when the cache stores a new
// one (not at every picture stored), and looks again when a notice begins
// or ends.
func wakeOnNotice(c *cache.Cache, clk clock.Clock, pw *power.Controller, screen *display.Screen, log *slog.Logger) func(context.Context) error {
	return func(ctx context.Context) error {
		changed, unsubscribe := c.Subscribe()
		defer unsubscribe()
		var shown time.Time
		var b *board.Board
		gen, read := uint64(0), false
		for {
			if m, err := c.Meta(); err == nil && (!read || m.Generation != gen) {
				switch nb, err := c.Board(); {
				case err == nil:
					b, gen, read = nb, m.Generation, true
				case !errors.Is(err, cache.ErrNoBoard):
					log.Warn("notices: board not read", "err", err)
				}
			}
			now := clk.Now()
			until, next := noticeWake(b, now)
			if !until.Equal(shown) {
				pw.WakeUntil(until)
				if !until.IsZero() {
					screen.Wake()
				}
				shown = until
			}
			var at <-chan time.Time
			if !next.IsZero() {
				at = clk.After(next.Sub(now))
			}
			select {
			case <-ctx.Done():
				return nil
			case <-changed:
			case <-at:
			}
		}
	}
}

// noticeWake is how long the display must stay on for the notices of b
// that wake it shown at now (zero: none), and when that next changes.
func noticeWake(b *board.Board, now time.Time) (until, next time.Time) {
	if b == nil {
		return time.Time{}, time.Time{}
	}
	for _, n := range b.NoticesAt(now) {
		if n.Wake && n.Until.After(until) {
			until = n.Until
		}
	}
	return until, b.NextNoticeChange(now)
}

// followEdits applies each accepted edit of the configuration file, and
// reloads the screen's assets when their folder changes.
func followEdits(w *config.Watcher, cfg config.Config, level *slog.LevelVar, pw *power.Controller, screen *display.Screen, speaker *audio, c *cache.Cache, log *slog.Logger) func(context.Context) error {
	return func(ctx context.Context) error {
		for {
			select {
			case <-ctx.Done():
				return nil
			case nc := <-w.Updates():
				applyConfig(nc, cfg, level, pw, screen, departmentZone(c), log)
				speaker.apply(nc.Audio)
			case <-w.AssetsChanged():
				screen.ReloadAssets()
			}
		}
	}
}

// applyConfig applies an edited configuration file to the running screen:
// language and timings, display power and log level at once ([audio] is
// applied by the caller); the backend,
// cache and token need a restart, which it says.
func applyConfig(nc, old config.Config, level *slog.LevelVar, pw *power.Controller, screen *display.Screen, loc *time.Location, log *slog.Logger) {
	_ = level.UnmarshalText([]byte(nc.Log.Level))
	screen.Retune(display.Tuning{Locale: nc.Screen.Locale, IdleAfter: nc.Screen.IdleAfter.D(), OfflineAfter: nc.Screen.OfflineAfter.D()})
	if p, err := app.PowerPolicy(nc.Power, loc); err == nil {
		pw.SetPolicy(p)
	}
	if nc.Backend != old.Backend || nc.Cache != old.Cache || nc.Power.Backend != old.Power.Backend || nc.Motion != old.Motion {
		log.Warn("configuration changed: backend, cache, display power backend and motion sensor changes apply at the next start")
	}
	log.Info("configuration applied")
}

// departmentZone is the cached department's time zone, Copenhagen before
// the first sync.
func departmentZone(c *cache.Cache) *time.Location {
	if b, err := c.Board(); err == nil {
		return b.Location()
	}
	loc, err := time.LoadLocation(sync.DefaultTimezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}
