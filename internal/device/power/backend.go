package power

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Backend switches the display on and off.
type Backend interface {
	Name() string
	Set(ctx context.Context, on bool) error
}

// Prober is a Backend that can tell, without switching anything, whether it
// will work. The doctor uses it.
type Prober interface {
	Probe(ctx context.Context) error
}

// Runner runs a command and returns its combined output; tests replace it.
type Runner func(ctx context.Context, name string, args ...string) ([]byte, error)

// ExecRunner runs the real command.
func ExecRunner(ctx context.Context, name string, args ...string) ([]byte, error) {
	return exec.CommandContext(ctx, name, args...).CombinedOutput()
}

// commandTimeout bounds one xset or cec-ctl call: a wedged X server or CEC
// bus must not stall the controller.
const commandTimeout = 10 * time.Second

// Errors callers branch on.
var (
	// ErrUnknownBackend: the configured backend name is not one of Names.
	ErrUnknownBackend = errors.New("unknown display power backend")
	// ErrNoDisplay: the dpms backend has no X display to talk to.
	ErrNoDisplay = errors.New("no X display: DISPLAY is not set")
	// ErrNoDPMS: the X server has no DPMS extension (XWayland, Xvfb).
	ErrNoDPMS = errors.New("the X server has no DPMS extension")
	// ErrNoBacklight: no bl_power file where the backlight backend looked.
	ErrNoBacklight = errors.New("no backlight found")
)

// Backend names, as written in the configuration.
const (
	NameBlack     = "black"
	NameDPMS      = "dpms"
	NameBacklight = "backlight"
	NameCEC       = "cec"
)

// BackendConfig chooses and sets up a backend.
type BackendConfig struct {
	// Name is black, dpms, backlight or cec; "" means black.
	Name string
	// Display is the X display for dpms; "" means $DISPLAY.
	Display string
	// BacklightPath is the bl_power file; "" means the first one under
	// BacklightRoot.
	BacklightPath string
	// BacklightRoot is where backlights are listed; "" means
	// /sys/class/backlight.
	BacklightRoot string
	// CECDevice is the CEC adapter; "" means /dev/cec0.
	CECDevice string
	// Run runs xset and cec-ctl; nil means ExecRunner.
	Run Runner
}

// NewBackend returns the configured backend.
func NewBackend(cfg BackendConfig) (Backend, error) {
	run := cfg.Run
	if run == nil {
		run = ExecRunner
	}
	switch cfg.Name {
	case "", NameBlack:
		return &Black{}, nil
	case NameDPMS:
		d := cfg.Display
		if d == "" {
			d = os.Getenv("DISPLAY")
		}
		return &DPMS{Display: d, Run: run}, nil
	case NameBacklight:
		root := cfg.BacklightRoot
		if root == "" {
			root = "/sys/class/backlight"
		}
		return &Backlight{Path: cfg.BacklightPath, Root: root}, nil
	case NameCEC:
		dev := cfg.CECDevice
		if dev == "" {
			dev = "/dev/cec0"
		}
		return &CEC{Device: dev, Run: run}, nil
	}
	return nil, fmt.Errorf("%w %q: want black, dpms, backlight or cec", ErrUnknownBackend, cfg.Name)
}

// Black has no hardware: it records the state so the renderer draws black
// while the display is "off". The controller always keeps one, so a screen
// whose hardware backend fails still goes dark.
type Black struct {
	blank atomic.Bool
}

// Name implements Backend.
func (*Black) Name() string { return NameBlack }

// Set implements Backend; it never fails.
func (b *Black) Set(_ context.Context, on bool) error {
	b.blank.Store(!on)
	return nil
}

// Blank reports whether the renderer should draw black. Safe from any
// goroutine, cheap enough for every frame.
func (b *Black) Blank() bool { return b.blank.Load() }

// DPMS switches an X11 display with `xset dpms force on|off`. Switching on
// also turns off the X server's own screen saver and DPMS timers, so the
// display does not go dark behind the controller's back.
type DPMS struct {
	Display string
	Run     Runner
}

// Name implements Backend.
func (*DPMS) Name() string { return NameDPMS }

// Set implements Backend.
func (d *DPMS) Set(ctx context.Context, on bool) error {
	if d.Display == "" {
		return fmt.Errorf("dpms: %w", ErrNoDisplay)
	}
	if !on {
		return d.xset(ctx, "dpms", "force", "off")
	}
	if err := d.xset(ctx, "dpms", "force", "on"); err != nil {
		return err
	}
	return d.xset(ctx, "s", "off", "dpms", "0", "0", "0")
}

// Probe asks the X server whether it has DPMS.
func (d *DPMS) Probe(ctx context.Context) error {
	if d.Display == "" {
		return fmt.Errorf("dpms: %w", ErrNoDisplay)
	}
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	out, err := d.Run(ctx, "xset", "-display", d.Display, "q")
	if err != nil {
		return fmt.Errorf("dpms: xset -display %s q: %w: %s", d.Display, err, firstLine(out))
	}
	if !strings.Contains(string(out), "DPMS is") {
		return fmt.Errorf("dpms: display %s: %w", d.Display, ErrNoDPMS)
	}
	return nil
}

func (d *DPMS) xset(ctx context.Context, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	full := append([]string{"-display", d.Display}, args...)
	out, err := d.Run(ctx, "xset", full...)
	if err != nil {
		return fmt.Errorf("dpms: xset %s: %w: %s", strings.Join(full, " "), err, firstLine(out))
	}
	// xset exits 0 when the server lacks DPMS; it only says so.
	if bytes.Contains(out, []byte("does not have extension")) || bytes.Contains(out, []byte("unknown option")) {
		return fmt.Errorf("dpms: xset %s: %w: %s", strings.Join(full, " "), ErrNoDPMS, firstLine(out))
	}
	return nil
}

// Backlight switches the official touch display's backlight through sysfs
// bl_power (0 on, 4 off). The screen's user needs write access to the file,
// e.g. a udev rule:
//
//	SUBSYSTEM=="backlight", RUN+="/bin/chmod 0666 /sys/class/backlight/%k/bl_power"
type Backlight struct {
	Path string // the bl_power file; "" finds the first under Root
	Root string

	mu sync.Mutex
}

// Name implements Backend.
func (*Backlight) Name() string { return NameBacklight }

// Set implements Backend.
func (b *Backlight) Set(_ context.Context, on bool) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	p, err := b.file()
	if err != nil {
		return err
	}
	v := "4\n"
	if on {
		v = "0\n"
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return b.explain(p, err)
	}
	if _, err := f.WriteString(v); err != nil {
		f.Close()
		return fmt.Errorf("backlight: write %s: %w", p, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backlight: write %s: %w", p, err)
	}
	return nil
}

// Probe checks that the bl_power file exists and can be opened for writing.
func (b *Backlight) Probe(context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	p, err := b.file()
	if err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		return b.explain(p, err)
	}
	return f.Close()
}

// file returns the configured bl_power file or finds one.
func (b *Backlight) file() (string, error) {
	if b.Path != "" {
		return b.Path, nil
	}
	matches, _ := filepath.Glob(filepath.Join(b.Root, "*", "bl_power"))
	if len(matches) == 0 {
		return "", fmt.Errorf("backlight: %w under %s: is the official touch display connected? (or set power.backlight_path)", ErrNoBacklight, b.Root)
	}
	sort.Strings(matches)
	return matches[0], nil
}

func (b *Backlight) explain(p string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("backlight: %w: %s does not exist: is the official touch display connected?", ErrNoBacklight, p)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("backlight: cannot write %s: %w: a udev rule must let the screen's user write it", p, err)
	}
	return fmt.Errorf("backlight: open %s: %w", p, err)
}

// CEC switches a TV over HDMI-CEC with cec-ctl (Debian package v4l-utils):
// it registers as a playback device once, then sends Standby or Image View
// On to the TV (logical address 0).
type CEC struct {
	Device string
	Run    Runner

	mu         sync.Mutex
	registered bool
}

// Name implements Backend.
func (*CEC) Name() string { return NameCEC }

// Set implements Backend.
func (c *CEC) Set(ctx context.Context, on bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.registered {
		if err := c.cecCtl(ctx, "--playback"); err != nil {
			return err
		}
		c.registered = true
	}
	msg := "--standby"
	if on {
		msg = "--image-view-on"
	}
	return c.cecCtl(ctx, "--to", "0", msg)
}

// Probe asks cec-ctl about the adapter, switching nothing.
func (c *CEC) Probe(ctx context.Context) error { return c.cecCtl(ctx) }

func (c *CEC) cecCtl(ctx context.Context, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	full := append([]string{"-d", c.Device}, args...)
	if out, err := c.Run(ctx, "cec-ctl", full...); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return fmt.Errorf("cec: cec-ctl is not installed (apt install v4l-utils): %w", err)
		}
		return fmt.Errorf("cec: cec-ctl %s: %w: %s", strings.Join(full, " "), err, firstLine(out))
	}
	return nil
}

// firstLine keeps an error message to one short line of a command's output.
func firstLine(out []byte) string {
	s := strings.TrimSpace(string(out))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	if s == "" {
		return "no output"
	}
	return s
}
