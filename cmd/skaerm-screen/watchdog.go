package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"

	"skaerm/internal/clock"
)

// watchdog tells systemd the screen is up once the drawing loop has turned,
// then keeps the service watchdog fed for as long as the loop keeps turning:
// a frozen renderer stops the feeding and systemd restarts the screen.
//
// The loop turns by itself at least once a minute (the clock), so the
// watchdog looks every half interval and pokes the loop only when it has
// not turned since the last look. A poke costs a frame, and on a screen
// that otherwise draws once a minute a poke every few seconds would be most
// of its work.
type watchdog struct {
	interval time.Duration      // WATCHDOG_USEC; 0 when systemd set none
	notify   func(string) error // sd_notify: "READY=1", "WATCHDOG=1", "STOPPING=1"
	poke     func()             // make the loop turn once
	turned   <-chan struct{}    // a value after each turn of the loop
	clk      clock.Clock
	log      *slog.Logger
}

// newWatchdog watches the drawing loop for the service manager: poke makes
// the loop turn, turned carries its turns (see beats).
func newWatchdog(poke func(), turned <-chan struct{}, log *slog.Logger) *watchdog {
	interval, err := daemon.SdWatchdogEnabled(false)
	if err != nil {
		log.Warn("service watchdog setting unreadable", "err", err)
	}
	return &watchdog{
		interval: interval,
		notify: func(state string) error {
			_, err := daemon.SdNotify(false, state)
			return err
		},
		poke: poke, turned: turned, clk: clock.Real{}, log: log,
	}
}

// beats carries a value after each turn of the drawing loop for the
// watchdog; a turn while one is still unread is dropped.
type beats chan struct{}

func newBeats() beats { return make(beats, 1) }

// beat is the renderer's Heartbeat: it never blocks.
func (b beats) beat() {
	select {
	case b <- struct{}{}:
	default:
	}
}

// grace is how long a poked loop may take to turn.
const watchdogGrace = 5 * time.Second

// every is how often the watchdog looks: so that a look and a poke's grace
// fit twice into the interval; once a minute when systemd set none.
func (w *watchdog) every() time.Duration {
	if w.interval <= 0 {
		return time.Minute
	}
	return max(w.interval/2-watchdogGrace, w.interval/4)
}

func (w *watchdog) run(ctx context.Context) error {
	defer w.notify("STOPPING=1")
	// Ready once the first frame has been through the loop.
	for {
		w.poke()
		ok := w.await(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if ok {
			_ = w.notify("READY=1")
			w.feed()
			break
		}
		w.log.Error("the drawing loop has not turned since start", "for", watchdogGrace)
	}
	for {
		turned := false
		select {
		case <-ctx.Done():
			return nil
		case <-w.clk.After(w.every()):
		}
		select {
		case <-w.turned: // it turned by itself since the last look
			turned = true
		default:
			w.poke()
			turned = w.await(ctx)
		}
		if ctx.Err() != nil {
			return nil
		}
		if !turned {
			w.log.Error("the drawing loop has not turned", "for", w.every()+watchdogGrace)
			continue
		}
		w.feed()
	}
}

// await waits up to the grace for the loop to turn.
func (w *watchdog) await(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-w.turned:
		return true
	case <-w.clk.After(watchdogGrace):
		return false
	}
}

func (w *watchdog) feed() {
	if w.interval > 0 {
		_ = w.notify("WATCHDOG=1")
	}
}
