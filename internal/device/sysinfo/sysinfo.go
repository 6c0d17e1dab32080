// Package sysinfo reads the Raspberry Pi's health: the SoC temperature and
// the firmware's throttling flags (under-voltage, capped frequency, heat),
// and turns them, and the other parts' states, into plain-word findings
// (OK, WARN, FAIL and what to do) for `skaerm doctor` and the status report.
//
// # Basics
//
// A [Reader] reads files below its Root ("/" on the screen, a temporary
// directory in tests). [Reader.Temperature] and [Reader.Throttling] return
// [ErrNotAvailable] when the machine has no such file (a laptop, a VM):
// that is not a fault, and the Check functions report it as OK with a note.
//
// # Caveats
//
// The temperature is read from /sys/class/thermal/thermal_zone0/temp
// directly rather than through periph's sysfs thermal sensor, whose path
// cannot be pointed at a test directory; the file is the same. The
// throttling flags exist only on Raspberry Pi OS kernels (the firmware
// driver's get_throttled file).
package sysinfo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrNotAvailable means the machine does not offer the reading at all.
var ErrNotAvailable = errors.New("not available")

// ThermalZone is the SoC's thermal zone file, relative to the root.
const ThermalZone = "sys/class/thermal/thermal_zone0/temp"

// throttledPaths are where the Raspberry Pi firmware driver publishes its
// throttling flags, relative to the root: the Pi 4 path first, then a
// pattern for other SoC layouts (Pi 5).
var throttledPaths = []string{
	"sys/devices/platform/soc/soc:firmware/get_throttled",
	"sys/devices/platform/*/*firmware/get_throttled",
	"sys/devices/platform/*/*/*firmware/get_throttled",
}

// Reader reads health files below Root.
type Reader struct {
	// Root is the file system root; "" means "/".
	Root string
}

func (r Reader) path(rel string) string {
	root := r.Root
	if root == "" {
		root = "/"
	}
	return filepath.Join(root, rel)
}

// Temperature returns the SoC temperature in degrees Celsius.
func (r Reader) Temperature() (float64, error) {
	p := r.path(ThermalZone)
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("SoC temperature: %s: %w", p, ErrNotAvailable)
	}
	if err != nil {
		return 0, fmt.Errorf("read SoC temperature: %w", err)
	}
	milli, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("read SoC temperature %s: %q is not millidegrees", p, strings.TrimSpace(string(b)))
	}
	return float64(milli) / 1000, nil
}

// Throttle is the firmware's throttling bitfield, decoded.
type Throttle struct {
	Raw uint32

	UnderVoltage  bool // the supply is below 4.63 V now
	FreqCapped    bool // the ARM frequency is capped now
	Throttled     bool // the SoC is throttled now
	SoftTempLimit bool // the soft temperature limit is active now

	UnderVoltageOccurred  bool // since boot
	FreqCappedOccurred    bool // since boot
	ThrottledOccurred     bool // since boot
	SoftTempLimitOccurred bool // since boot
}

// ParseThrottled decodes the firmware's get_throttled text: a hexadecimal
// number with or without 0x (the firmware writes "50005" or "0x50005").
func ParseThrottled(s string) (Throttle, error) {
	s = strings.TrimSpace(s)
	if k, v, ok := strings.Cut(s, "="); ok && k == "throttled" { // vcgencmd get_throttled
		s = v
	}
	v, err := strconv.ParseUint(strings.TrimPrefix(strings.ToLower(s), "0x"), 16, 32)
	if err != nil {
		return Throttle{}, fmt.Errorf("%q is not a throttling bitfield", s)
	}
	bit := func(n uint) bool { return v&(1<<n) != 0 }
	return Throttle{
		Raw:                   uint32(v),
		UnderVoltage:          bit(0),
		FreqCapped:            bit(1),
		Throttled:             bit(2),
		SoftTempLimit:         bit(3),
		UnderVoltageOccurred:  bit(16),
		FreqCappedOccurred:    bit(17),
		ThrottledOccurred:     bit(18),
		SoftTempLimitOccurred: bit(19),
	}, nil
}

// Now reports whether anything is wrong at this moment.
func (t Throttle) Now() bool { return t.UnderVoltage || t.FreqCapped || t.Throttled || t.SoftTempLimit }

// SinceBoot reports whether anything went wrong since boot.
func (t Throttle) SinceBoot() bool {
	return t.UnderVoltageOccurred || t.FreqCappedOccurred || t.ThrottledOccurred || t.SoftTempLimitOccurred
}

// Words lists the set flags in plain words, worst first; empty when all is
// well.
func (t Throttle) Words() []string {
	var w []string
	add := func(set bool, s string) {
		if set {
			w = append(w, s)
		}
	}
	add(t.UnderVoltage, "under-voltage now")
	add(t.Throttled, "throttled now")
	add(t.FreqCapped, "frequency capped now")
	add(t.SoftTempLimit, "soft temperature limit active now")
	add(t.UnderVoltageOccurred && !t.UnderVoltage, "under-voltage since boot")
	add(t.ThrottledOccurred && !t.Throttled, "throttled since boot")
	add(t.FreqCappedOccurred && !t.FreqCapped, "frequency capped since boot")
	add(t.SoftTempLimitOccurred && !t.SoftTempLimit, "soft temperature limit since boot")
	return w
}

// String is Words joined, or "no throttling".
func (t Throttle) String() string {
	if w := t.Words(); len(w) > 0 {
		return strings.Join(w, ", ")
	}
	return "no throttling"
}

// Throttling reads the firmware's throttling flags.
func (r Reader) Throttling() (Throttle, error) {
	for _, pattern := range throttledPaths {
		matches, _ := filepath.Glob(r.path(pattern)) // only ErrBadPattern, and the patterns are fixed
		if len(matches) == 0 {
			continue
		}
		b, err := os.ReadFile(matches[0])
		if err != nil {
			return Throttle{}, fmt.Errorf("read throttling flags: %w", err)
		}
		t, err := ParseThrottled(string(b))
		if err != nil {
			return Throttle{}, fmt.Errorf("read throttling flags %s: %w", matches[0], err)
		}
		return t, nil
	}
	return Throttle{}, fmt.Errorf("throttling flags: %w", ErrNotAvailable)
}
