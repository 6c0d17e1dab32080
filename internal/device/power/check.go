package power

import (
	"context"
	"errors"
	"fmt"

	"skaerm/internal/device/sysinfo"
)

// Check says in plain words whether the configured backend can switch the
// display, without switching it.
func Check(ctx context.Context, cfg BackendConfig) sysinfo.Finding {
	f := sysinfo.Finding{Check: "display power"}
	b, err := NewBackend(cfg)
	if err != nil {
		f.Status, f.Detail, f.Fix = sysinfo.Fail, err.Error(), "set power.backend to black, dpms, backlight or cec"
		return f
	}
	p, ok := b.(Prober)
	if !ok {
		f.Status, f.Detail = sysinfo.OK, "backend black: the screen draws black when the display is off (the panel stays lit)"
		return f
	}
	if err := p.Probe(ctx); err != nil {
		f.Status = sysinfo.Fail
		f.Detail = fmt.Sprintf("backend %s will not work, the screen will draw black instead: %v", b.Name(), err)
		f.Fix = fixFor(b.Name(), err)
		return f
	}
	f.Status, f.Detail = sysinfo.OK, fmt.Sprintf("backend %s ready", b.Name())
	return f
}

func fixFor(name string, err error) string {
	switch {
	case errors.Is(err, ErrNoDisplay):
		return "run the screen inside its X session (DISPLAY=:0), or choose another power.backend"
	case errors.Is(err, ErrNoDPMS):
		return "this X server cannot switch the monitor (XWayland or a virtual server): choose backlight or cec"
	case errors.Is(err, ErrNoBacklight):
		return "connect the official touch display, set power.backlight_path, or choose another power.backend"
	}
	switch name {
	case NameDPMS:
		return "install x11-xserver-utils (xset) and run under an X server with DPMS; under Wayland choose backlight or cec"
	case NameBacklight:
		return `allow the screen's user to write bl_power, e.g. udev: SUBSYSTEM=="backlight", RUN+="/bin/chmod 0666 /sys/class/backlight/%k/bl_power"`
	case NameCEC:
		return "install v4l-utils, enable CEC (dtoverlay vc4-kms-v3d), check the HDMI cable and that the user is in the video group"
	}
	return "choose another power.backend"
}
