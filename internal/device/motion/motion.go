// Package motion watches a PIR motion sensor on a Raspberry Pi GPIO pin and
// publishes "someone is near" events, so the display wakes as a resident
// walks up to it.
//
// # Basics
//
// [Open] finds the pin through periph (the GPIO character device, which
// needs no root, only the gpio group), and [New] builds a [Sensor] around it.
// [Sensor.Run] is the one goroutine that owns the pin: it waits for edges
// with a finite timeout, debounces them on the injected clock, and sends
// [Event]s on [Sensor.Events] without ever blocking: when nobody has read
// the last event yet, the newer one replaces it.
//
// A disabled sensor, or one whose pin could not be opened, runs as a no-op:
// the screen works without a sensor, it just wakes on touch only.
//
// # Caveats
//
// A PIR module (HC-SR501 and the like) holds its output high for a few
// seconds per detection and needs a minute to settle after power-up, so the
// first edges after boot may be noise. Never use the sysfs GPIO interface:
// kernel 6.6 renumbers its pins.
package motion

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"periph.io/x/conn/v3/gpio"

	"skaerm/internal/clock"
)

// DefaultDebounce is how close together edges count as one detection.
const DefaultDebounce = 200 * time.Millisecond

// defaultWait bounds each wait for an edge, so the owner goroutine notices
// cancellation even if Halt did not reach it.
const defaultWait = time.Second

// Errors callers branch on.
var (
	// ErrPinNotFound: no GPIO line by that name on this machine.
	ErrPinNotFound = errors.New("motion sensor pin not found")
	// ErrBadConfig: a pull or edge word the sensor does not know.
	ErrBadConfig = errors.New("bad motion sensor setting")
)

// Config is the sensor's part of the screen's configuration.
type Config struct {
	Enabled bool
	// Pin is the GPIO line name, e.g. "GPIO17".
	Pin string
	// Pull is the pin bias: "none", "up" or "down" ("" means down).
	Pull string
	// Edge is which change means motion: "rising", "falling" or "both"
	// ("" means rising).
	Edge string
	// Debounce merges edges closer together than this; 0 means 200 ms.
	Debounce time.Duration
}

// parse turns the words of c into periph values.
func (c Config) parse() (gpio.Pull, gpio.Edge, error) {
	var pull gpio.Pull
	switch strings.ToLower(c.Pull) {
	case "", "down":
		pull = gpio.PullDown
	case "up":
		pull = gpio.PullUp
	case "none":
		pull = gpio.Float
	default:
		return 0, 0, fmt.Errorf("%w: pull %q (want none, up or down)", ErrBadConfig, c.Pull)
	}
	var edge gpio.Edge
	switch strings.ToLower(c.Edge) {
	case "", "rising":
		edge = gpio.RisingEdge
	case "falling":
		edge = gpio.FallingEdge
	case "both":
		edge = gpio.BothEdges
	default:
		return 0, 0, fmt.Errorf("%w: edge %q (want rising, falling or both)", ErrBadConfig, c.Edge)
	}
	return pull, edge, nil
}

// Pin is what the sensor needs of a GPIO pin; periph's gpio.PinIO and its
// gpiotest.Pin both have it.
type Pin interface {
	In(gpio.Pull, gpio.Edge) error
	WaitForEdge(time.Duration) bool
	Read() gpio.Level
	Halt() error
	Name() string
}

// Event is one detection.
type Event struct {
	At    time.Time  // on the injected clock
	Level gpio.Level // the pin's level right after the edge
}

// Options are a Sensor's dependencies.
type Options struct {
	Config Config
	// Pin is the opened pin; nil makes a no-op sensor.
	Pin   Pin
	Clock clock.Clock
	Log   *slog.Logger
	// Wait bounds one wait for an edge; 0 means 1 s. Never 0 or negative
	// towards the driver: the GPIO character device reads 0 as "forever".
	Wait time.Duration
}

// Sensor watches one pin. Build it with New; its Run owns the pin.
type Sensor struct {
	cfg    Config
	pull   gpio.Pull
	edge   gpio.Edge
	pin    Pin
	clk    clock.Clock
	log    *slog.Logger
	wait   time.Duration
	events chan Event
	failed atomic.Bool
}

// New checks the options and returns a sensor. A disabled config or a nil
// pin gives a sensor whose Run only waits for the context.
func New(o Options) (*Sensor, error) {
	s := &Sensor{cfg: o.Config, pin: o.Pin, clk: o.Clock, log: o.Log, wait: o.Wait, events: make(chan Event, 1)}
	if s.clk == nil {
		s.clk = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.wait <= 0 {
		s.wait = defaultWait
	}
	if s.cfg.Debounce <= 0 {
		s.cfg.Debounce = DefaultDebounce
	}
	var err error
	if s.pull, s.edge, err = s.cfg.parse(); err != nil {
		return nil, err
	}
	if !s.cfg.Enabled {
		s.pin = nil
	}
	return s, nil
}

// Events delivers detections. The channel holds one event: a reader that
// falls behind sees the newest detection, never a queue of old ones.
func (s *Sensor) Events() <-chan Event { return s.events }

// Active reports whether the sensor watches a pin (false when disabled,
// when no pin was opened, or when the pin could not be armed).
func (s *Sensor) Active() bool { return s.pin != nil && !s.failed.Load() }

// Run watches the pin until ctx ends, then releases it. A sensor without a
// pin just waits. A pin that cannot be armed (held by another program, no
// permission) is logged and the sensor carries on as a no-op: the screen
// must not stop for want of a sensor. Run always returns nil.
func (s *Sensor) Run(ctx context.Context) error {
	if s.pin == nil {
		<-ctx.Done()
		return nil
	}
	name := s.pin.Name()
	if err := s.pin.In(s.pull, s.edge); err != nil {
		s.failed.Store(true)
		s.log.Error("motion sensor unavailable; the display wakes on touch only", "pin", name, "err",
			fmt.Errorf("set up motion sensor %s (%s pull, %s): %w", name, s.pull, s.edge, err))
		<-ctx.Done()
		return nil
	}
	defer s.release(name)
	// Halt interrupts a WaitForEdge in progress on cancellation; the finite
	// wait covers a Halt that arrives just before the wait starts.
	stop := context.AfterFunc(ctx, func() { _ = s.pin.Halt() })
	defer stop()
	s.log.Info("motion sensor watching", "pin", name, "pull", s.pull.String(), "edge", s.edge.String(), "debounce", s.cfg.Debounce)

	var last time.Time
	for ctx.Err() == nil {
		if !s.pin.WaitForEdge(s.wait) || ctx.Err() != nil {
			continue
		}
		level := s.pin.Read()
		if !s.counts(level) {
			continue // a glitch: the level went back before we looked
		}
		now := s.clk.Now()
		if d := now.Sub(last); !last.IsZero() && d >= 0 && d < s.cfg.Debounce {
			continue
		}
		last = now
		s.publish(Event{At: now, Level: level})
	}
	return nil
}

// counts reports whether the level after an edge means motion.
func (s *Sensor) counts(l gpio.Level) bool {
	switch s.edge {
	case gpio.RisingEdge:
		return l == gpio.High
	case gpio.FallingEdge:
		return l == gpio.Low
	}
	return true
}

// publish sends ev without blocking, replacing an unread older event.
func (s *Sensor) publish(ev Event) {
	for {
		select {
		case s.events <- ev:
			return
		default:
		}
		select {
		case <-s.events:
		default:
		}
	}
}

// release stops edge detection and lets go of the line.
func (s *Sensor) release(name string) {
	if err := s.pin.In(gpio.PullNoChange, gpio.NoEdge); err != nil {
		s.log.Warn("motion sensor release", "pin", name, "err", err)
	}
	if err := s.pin.Halt(); err != nil {
		s.log.Warn("motion sensor halt", "pin", name, "err", err)
	}
}
