package motion

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/host/v3"
	"periph.io/x/host/v3/gpioioctl"

	"skaerm/internal/clock"
	"skaerm/internal/device/sysinfo"
)

// Open initialises periph and finds the configured pin, preferring the GPIO
// character device (Pi 4 and Pi 5, no root needed) over any other driver.
// An error wraps ErrPinNotFound when the machine has no such line.
func Open(cfg Config) (Pin, error) {
	if _, _, err := cfg.parse(); err != nil {
		return nil, err
	}
	if _, err := host.Init(); err != nil {
		return nil, fmt.Errorf("motion sensor %s: start GPIO drivers: %w", cfg.Pin, err)
	}
	if p := lookup(cfg.Pin); p != nil {
		return p, nil
	}
	return nil, fmt.Errorf("%w: motion sensor %s not found: is this a Raspberry Pi and is the user in the gpio group?", ErrPinNotFound, cfg.Pin)
}

// Setup is Open and New for a tiny main: it always returns a sensor. When
// the sensor is disabled, or its pin cannot be found, the sensor is a no-op
// and the reason is logged once in plain words.
func Setup(cfg Config, clk clock.Clock, log *slog.Logger) *Sensor {
	if log == nil {
		log = slog.Default()
	}
	var pin Pin
	if cfg.Enabled {
		p, err := Open(cfg)
		if err != nil {
			log.Error("motion sensor unavailable; the display wakes on touch only", "err", err)
		} else {
			pin = p
		}
	}
	s, err := New(Options{Config: cfg, Pin: pin, Clock: clk, Log: log})
	if err != nil {
		log.Error("motion sensor unavailable; the display wakes on touch only", "err", err)
		s, _ = New(Options{Clock: clk, Log: log})
	}
	return s
}

// lookup finds a line by name on the character-device chips first (where a
// name already taken by another driver is prefixed with the chip's name),
// then in periph's registry.
func lookup(name string) Pin {
	if name == "" {
		return nil
	}
	for _, chip := range gpioioctl.Chips {
		if l := chip.ByName(name); l != nil {
			return l
		}
		if l := chip.ByName(chip.Name() + "-" + name); l != nil {
			return l
		}
	}
	if p := gpioreg.ByName(name); p != nil {
		return p
	}
	return nil
}

// Check opens the sensor's pin, arms and releases it, and says in plain
// words whether the sensor can work. Run it while the screen is stopped: a
// running screen holds the line.
func Check(ctx context.Context, cfg Config) sysinfo.Finding {
	f := sysinfo.Finding{Check: "motion sensor"}
	if !cfg.Enabled {
		f.Status, f.Detail = sysinfo.OK, "disabled in the configuration: the display wakes on touch only"
		return f
	}
	pull, edge, err := cfg.parse()
	if err != nil {
		f.Status, f.Detail = sysinfo.Fail, err.Error()
		f.Fix = "fix [motion] in the configuration file"
		return f
	}
	p, err := Open(cfg)
	if err != nil {
		f.Status, f.Detail = sysinfo.Fail, err.Error()
		f.Fix = "check that the GPIO drivers load (is this a Raspberry Pi?)"
		if errors.Is(err, ErrPinNotFound) {
			f.Fix = "check the pin name (e.g. GPIO17), that /dev/gpiochip* exists, and that the screen's user is in the gpio group (`sudo adduser <user> gpio`)"
		}
		return f
	}
	return checkPin(ctx, p, pull, edge, f)
}

// checkPin arms p for edges, reads its level and releases it.
func checkPin(ctx context.Context, p Pin, pull gpio.Pull, edge gpio.Edge, f sysinfo.Finding) sysinfo.Finding {
	if err := ctx.Err(); err != nil {
		f.Status, f.Detail = sysinfo.Warn, "not checked: "+err.Error()
		return f
	}
	if err := p.In(pull, edge); err != nil {
		f.Status, f.Detail = sysinfo.Fail, fmt.Sprintf("%s cannot watch for edges: %v", p.Name(), err)
		f.Fix = "if skaerm is running it holds the pin: stop it first (`systemctl stop skaerm`); otherwise check the gpio group"
		if strings.Contains(err.Error(), "permission") {
			f.Fix = "add the screen's user to the gpio group and log in again"
		}
		return f
	}
	level := p.Read()
	_ = p.In(gpio.PullNoChange, gpio.NoEdge)
	_ = p.Halt()
	f.Status, f.Detail = sysinfo.OK, fmt.Sprintf("%s ready (%s pull, %s), level now %s", p.Name(), pull, edge, level)
	return f
}
