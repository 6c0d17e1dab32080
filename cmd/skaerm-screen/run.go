package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"

	"skaerm/cache"
	"skaerm/cmd/internal/app"
	"skaerm/display"
	"skaerm/internal/clock"
	"skaerm/internal/device/motion"
	"skaerm/sync"
	"skaerm/sync/pairing"
	"skaerm/sync/runner"
)

// cmdRun builds the screen's parts, starts them beside the renderer, and
// draws until the window closes or ctx ends.
func cmdRun(ctx context.Context, args []string, _, stderr io.Writer) error {
	f, s, token, err := runSettings(args, stderr)
	if err != nil {
		return err
	}
	cfg := s.Config
	level := new(slog.LevelVar)
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	if s.Rejected != nil {
		log.Error("configuration edit rejected: running on the file's other keys and the defaults; `skaerm config check` shows every problem",
			"file", s.ConfigPath, "problems", strings.Count(s.Rejected.Error(), "\n")+1)
	}

	// The machine's clock, or with --clock-from (a technician's look at
	// another hour) the same moved to start there: the cache's window, the
	// sync's and the screen's clock all go by it, and it follows neither
	// NTP nor the backend's Date.
	var base clock.Clock = clock.Real{}
	if !f.ClockFrom.IsZero() {
		base = clock.NewShifted(f.ClockFrom)
		log.Warn("the screen's clock is set by --clock-from, not by NTP or the backend", "from", f.ClockFrom.Format(time.RFC3339))
	}
	c, err := cache.Open(cfg.Cache.Path, cache.Options{Logger: log.With("component", "cache"), Clock: base})
	if err != nil {
		return err
	}
	defer c.Close()
	trusted := newTrusted(c, log)
	if !f.ClockFrom.IsZero() {
		trusted = clock.NewTrusted(clock.TrustOptions{Base: base, KernelSynced: func() (bool, error) { return true, nil }})
	}
	sensor := motion.Setup(app.MotionConfig(cfg.Motion), base, log.With("component", "motion"))
	var screen *display.Screen // set before any part runs
	// The renderer draws black (or the page again) as soon as the
	// display goes off or on, not at its next frame.
	pw, err := newPower(cfg.Power, departmentZone(c), trusted, sensor, func(bool) { screen.Poke() }, log.With("component", "power"))
	if err != nil {
		return err
	}
	watcher := newWatcher(s, log.With("component", "config"))
	shown := new(pairing.Shown)
	turns := newBeats()
	// One connection to the backend for the sync, the login and pairing:
	// one pool of connections, one device token.
	conn, err := sync.NewBackend(cfg.Backend.URL, cfg.Backend.CAFile, token, version)
	if err != nil {
		return fmt.Errorf("backend: %w", err)
	}
	login := newScreenLogin(conn, c, cfg.Screen.OfflineAfter.D(), log.With("component", "login"))
	var loginPort display.Login
	if login != nil {
		loginPort = login
	}
	speaker := newAudio(cfg.Audio, c, pw, trusted, func() { screen.Poke() }, log.With("component", "audio"))
	screen, err = display.New(display.Options{
		Source: c, Clock: trusted, Logger: log.With("component", "display"),
		Locale: cfg.Screen.Locale, Pairing: shown.Code, PairingChanged: shown.Changed(),
		IdleAfter: cfg.Screen.IdleAfter.D(), OfflineAfter: cfg.Screen.OfflineAfter.D(),
		NewID: uuid.NewString, Fullscreen: cfg.Screen.Fullscreen && !f.Windowed, ShotsDir: f.Shots,
		Heartbeat: turns.beat, Blank: pw.Blank, OnTouch: pw.Touch, DayKnown: known(trusted),
		Night: pw.Night, OnFullBoard: pw.FullBoard,
		AssetsDir: cfg.Screen.AssetsDir, Voice: speaker.voice, Login: loginPort,
	})
	if err != nil {
		return err
	}
	facts := facts{voice: speaker.voice, power: pw, clock: trusted, sensor: sensor, pin: cfg.Motion.Pin, blankAfter: cfg.Power.BlankAfter.D(), watcher: watcher, page: screen.Page, screen: screen}
	so := syncOptions(s, facts, screen, log)
	so.Clock = base
	so.Backend = conn // a token from pairing reaches the login at once
	if login != nil {
		so.Sessions = login.l
	}
	r, err := runner.New(runner.Deps{
		Sync: so, TokenFile: cfg.Backend.TokenFile,
		Cache: c, Shown: shown, Logger: log.With("component", "sync"), Version: version, Extra: facts.report,
	})
	if err != nil {
		return err
	}

	p := newParts(ctx)
	p.start("sync", r.Run)
	p.start("cache retention", c.Retain)
	p.start("display power", pw.Run)
	p.start("motion sensor", sensor.Run)
	p.start("motion to wake", wakeOnMotion(sensor, pw, screen))
	p.start("notices to wake", wakeOnNotice(c, trusted, pw, screen, log.With("component", "notices")))
	p.start("voice", speaker.voice.Run)
	p.start("announcements", speaker.announcer.Run)
	p.start("announcements state", speaker.feed(known(trusted)))
	p.start("service watchdog", newWatchdog(screen.Poke, turns, log).run)
	if login != nil {
		p.start("personal login", login.run)
		login.readers(p, cfg.Login, log.With("component", "tag reader"))
	}
	if watcher != nil {
		p.start("configuration watcher", watcher.Run)
		p.start("configuration apply", followEdits(watcher, cfg, level, pw, screen, speaker, c, log))
	}
	// The renderer owns the main thread until the window closes or ctx ends.
	return p.stop(screen.Run(p.ctx))
}

// runSettings parses run's command line and resolves the settings and the
// device token ("" when the screen has not been paired yet).
func runSettings(args []string, stderr io.Writer) (app.RunFlags, app.Settings, string, error) {
	f, err := app.ParseRun(args, stderr)
	if err != nil {
		return f, app.Settings{}, "", err
	}
	// A bad edit must not keep the screen dark after a restart: it runs on
	// the file's good keys (Settings.Rejected says what was refused) and
	// takes the file again once it is fixed.
	s, err := f.ResolveUsable()
	if err != nil {
		return f, s, "", err
	}
	if s.Config.Backend.URL == "" {
		return f, s, "", app.ErrNoBackend
	}
	token, err := f.DeviceToken(s)
	if err != nil && !errors.Is(err, pairing.ErrNoToken) {
		return f, s, "", err
	}
	return f, s, token, nil
}

// newTrusted is the screen's clock. A Pi has no real-time clock: it goes by
// NTP, else by the backend's Date. A restart of the screen in the same boot,
// with the clock not set since, goes on with the offset the cache kept, so
// the schedule and "today" hold at once; after a reboot it waits for the
// backend's first answer.
func newTrusted(c *cache.Cache, log *slog.Logger) *clock.Trusted {
	var last *clock.Offset
	if m, err := c.Meta(); err == nil && !m.ClockOffsetAt.IsZero() {
		last = &clock.Offset{Offset: m.ClockOffset, MeasuredAt: m.ClockOffsetAt, BootID: m.ClockBootID, Uptime: m.ClockUptime}
	}
	t := clock.NewTrusted(clock.TrustOptions{Last: last})
	switch {
	case t.Dropped() != "":
		log.Info("kept backend clock offset not used", "why", t.Dropped())
	case last != nil:
		log.Info("kept backend clock offset used", "clock", t.Status().String())
	}
	return t
}
