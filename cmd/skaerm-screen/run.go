package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	gosync "sync"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
	"github.com/google/uuid"

	"skaerm/cache"
	"skaerm/display"
	"skaerm/internal/app"
	"skaerm/internal/clock"
	"skaerm/internal/config"
	"skaerm/internal/motion"
	"skaerm/internal/pairing"
	"skaerm/internal/power"
	"skaerm/internal/sysinfo"
	"skaerm/sync"
)

func cmdRun(ctx context.Context, args []string, _, stderr io.Writer) error {
	fs := app.NewFlags("run", "[--config FILE] [--backend URL --token T] [--cache FILE]", stderr)
	var f app.Flags
	f.Register(fs, true)
	windowed := fs.Bool("windowed", false, "draw in a window instead of fullscreen")
	shots := fs.String("shots", "", "write a PNG of each newly drawn page into this folder")
	if err := app.Parse(fs, args); err != nil {
		return err
	}
	s, err := f.Resolve()
	if err != nil {
		return err
	}
	cfg := s.Config
	level := new(slog.LevelVar)
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	if cfg.Backend.URL == "" {
		return app.ErrNoBackend
	}
	token, err := f.DeviceToken(s)
	if err != nil && !errors.Is(err, pairing.ErrNoToken) {
		return err
	}
	tokenFile := cfg.Backend.TokenFile

	c, err := cache.Open(cfg.Cache.Path, cache.Options{Logger: log.With("component", "cache")})
	if err != nil {
		return err
	}
	defer c.Close()

	// A Pi has no real-time clock: believe NTP, else the backend's Date.
	trusted := clock.NewTrusted(clock.TrustOptions{})
	dayKnown := func() bool { return trusted.Status().Known }
	loc := departmentZone(c)

	hw, err := power.NewBackend(app.PowerBackend(cfg.Power))
	if err != nil {
		log.Error("display power backend unusable: drawing black instead", "err", err)
		hw = nil
	}
	policy, err := app.PowerPolicy(cfg.Power, loc)
	if err != nil {
		return err // validated with the configuration; not reached
	}
	pw := power.NewController(power.Options{Backend: hw, Policy: policy, Clock: trusted,
		Log: log.With("component", "power"), ClockKnown: dayKnown})
	sensor := motion.Setup(app.MotionConfig(cfg.Motion), clock.Real{}, log.With("component", "motion"))
	temps := sysinfo.Reader{}

	runner := &app.Runner{
		BackendURL: cfg.Backend.URL, Token: token, TokenFile: tokenFile, CAFile: cfg.Backend.CAFile,
		Cache: c, Logger: log.With("component", "sync"), Version: version,
		Sync: sync.Options{
			PollInterval:  cfg.Sync.PollInterval.D(),
			MaxBoardBytes: cfg.Sync.MaxBoardBytes, MaxMediaBytes: cfg.Sync.MaxMediaBytes,
			OnDate: func(d time.Time) {
				if _, err := trusted.ObserveDate(d); err != nil {
					log.Warn("backend clock not believed", "err", err)
				}
			},
			// Pictures are decoded, scaled and encoded in bursts (the first
			// sync: ~25 MB of heap for a moment, 6 MB live after); give the
			// freed memory back to the system at once instead of over minutes.
			OnMedia: func(int) { debug.FreeOSMemory() },
			Status: func() sync.StatusExtras {
				t, _ := temps.Temperature()
				return sync.StatusExtras{DisplayOn: pw.State().On, SoCTempC: t, ClockSynced: trusted.Status().Synced}
			},
		},
	}

	turned := make(chan struct{}, 1) // a value after each turn of the loop
	screen, err := display.New(display.Options{
		Source: c, Clock: trusted, Logger: log.With("component", "display"),
		Locale: cfg.Screen.Locale, Pairing: runner.Pairing,
		IdleAfter: cfg.Screen.IdleAfter.D(), OfflineAfter: cfg.Screen.OfflineAfter.D(),
		NewID: uuid.NewString, Fullscreen: cfg.Screen.Fullscreen && !*windowed, ShotsDir: *shots,
		Heartbeat: func() {
			select {
			case turned <- struct{}{}:
			default:
			}
		},
		Blank: pw.Blank, OnTouch: pw.Touch, DayKnown: dayKnown, AssetsDir: cfg.Screen.AssetsDir,
	})
	if err != nil {
		return err
	}
	runner.Sync.Screenshot = screen.Screenshot

	var watcher *config.Watcher
	if s.ConfigPath != "" {
		watcher = config.NewWatcher(s.ConfigPath, cfg, config.WatchOptions{Logger: log.With("component", "config")})
	}
	runner.Extra = func() map[string]string {
		st := pw.State()
		m := map[string]string{
			"display power": fmt.Sprintf("%s by %s (%s)", onOff(st.On), st.Backend, st.Reason),
			"clock":         trusted.Status().String(),
			"motion sensor": map[bool]string{true: "watching " + cfg.Motion.Pin, false: "not in use"}[sensor.Active()],
		}
		if st.LastError != "" {
			m["display power error"] = st.LastError
		}
		if t, err := temps.Temperature(); err == nil {
			m["soc temperature"] = fmt.Sprintf("%.1f °C", t)
		}
		if watcher != nil {
			if err := watcher.LastError(); err != nil {
				m["configuration"] = "last edit rejected, previous configuration kept: " + err.Error()
			}
		}
		return m
	}

	var wg gosync.WaitGroup
	errs := make(chan error, 8)
	spawn := func(name string, fn func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errs <- fmt.Errorf("%s: %w", name, err)
				cancel()
			}
		}()
	}
	spawn("sync", runner.Run)
	spawn("display power", pw.Run)
	spawn("motion sensor", sensor.Run)
	spawn("motion to wake", func(ctx context.Context) error {
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-sensor.Events():
				pw.Motion()
				screen.Wake()
			}
		}
	})
	interval, err := daemon.SdWatchdogEnabled(false)
	if err != nil {
		log.Warn("service watchdog setting unreadable", "err", err)
	}
	wd := &watchdog{
		interval: interval,
		notify: func(state string) error {
			_, err := daemon.SdNotify(false, state)
			return err
		},
		poke: screen.Poke, turned: turned, clk: clock.Real{}, log: log,
	}
	spawn("service watchdog", wd.run)
	if watcher != nil {
		spawn("configuration watcher", watcher.Run)
		spawn("configuration apply", func(ctx context.Context) error {
			for {
				select {
				case <-ctx.Done():
					return nil
				case nc := <-watcher.Updates():
					applyConfig(nc, cfg, level, pw, screen, departmentZone(c), log)
				case <-watcher.AssetsChanged():
					screen.ReloadAssets()
				}
			}
		})
	}

	// The renderer owns the main thread until the window closes or ctx ends.
	drawErr := screen.Run(ctx)
	cancel()
	wg.Wait()
	close(errs)
	if drawErr != nil && !errors.Is(drawErr, context.Canceled) {
		return drawErr
	}
	for err := range errs {
		return err
	}
	return nil
}

// applyConfig applies an edited configuration file to the running screen:
// language and timings, display power and log level at once; the backend,
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
