package sysinfo

import (
	"errors"
	"fmt"

	"skaerm/internal/clock"
)

// Status grades a finding.
type Status string

// The grades `skaerm doctor` prints.
const (
	OK   Status = "OK"
	Warn Status = "WARN"
	Fail Status = "FAIL"
)

// Finding is one line of `skaerm doctor`: what was checked, how it went, and
// what to do about it. The motion and power packages return findings too.
type Finding struct {
	Check  string `json:"check"`         // e.g. "temperature"
	Status Status `json:"status"`        // OK, WARN or FAIL
	Detail string `json:"detail"`        // what was found, in plain words
	Fix    string `json:"fix,omitempty"` // what to do, when not OK
}

// String is the finding as one or two lines of text.
func (f Finding) String() string {
	s := fmt.Sprintf("%-4s %s: %s", f.Status, f.Check, f.Detail)
	if f.Fix != "" {
		s += "\n     -> " + f.Fix
	}
	return s
}

// Temperatures at which the doctor warns and fails. The Pi's firmware starts
// to throttle at 80 °C (soft limit) and hard at 85 °C.
const (
	WarnTempC = 70.0
	FailTempC = 80.0
)

// CheckTemperature reports the SoC temperature.
func CheckTemperature(r Reader) Finding {
	f := Finding{Check: "temperature"}
	c, err := r.Temperature()
	switch {
	case errors.Is(err, ErrNotAvailable):
		f.Status, f.Detail = OK, "not available on this machine"
	case err != nil:
		f.Status, f.Detail = Warn, err.Error()
		f.Fix = "check that the kernel's thermal driver is loaded"
	case c >= FailTempC:
		f.Status, f.Detail = Fail, fmt.Sprintf("SoC at %.1f °C: the Pi is slowing itself down to cool", c)
		f.Fix = "give the Pi air: a heat sink or fan, and a case with vents not pressed against the wall"
	case c >= WarnTempC:
		f.Status, f.Detail = Warn, fmt.Sprintf("SoC at %.1f °C: warm", c)
		f.Fix = "check the Pi has a heat sink and room for air to flow behind the screen"
	default:
		f.Status, f.Detail = OK, fmt.Sprintf("SoC at %.1f °C", c)
	}
	return f
}

// CheckThrottling reports under-voltage and throttling.
func CheckThrottling(r Reader) Finding {
	f := Finding{Check: "power supply and throttling"}
	t, err := r.Throttling()
	switch {
	case errors.Is(err, ErrNotAvailable):
		f.Status, f.Detail = OK, "not available on this machine"
	case err != nil:
		f.Status, f.Detail = Warn, err.Error()
	case t.UnderVoltage || t.UnderVoltageOccurred:
		f.Status, f.Detail = Warn, t.String()
		if t.UnderVoltage {
			f.Status = Fail
		}
		f.Fix = "use the official Raspberry Pi power supply (5 V 3 A for a Pi 4, 5 V 5 A for a Pi 5) and a short cable"
	case t.Now():
		f.Status, f.Detail = Fail, t.String()
		f.Fix = "the Pi is too hot: add a heat sink or fan and let air reach it"
	case t.SinceBoot():
		f.Status, f.Detail = Warn, t.String()
		f.Fix = "the Pi has been too hot since boot: check its cooling"
	default:
		f.Status, f.Detail = OK, t.String()
	}
	return f
}

// CheckClock reports whether the screen knows today's date.
func CheckClock(st clock.TrustState) Finding {
	f := Finding{Check: "clock", Detail: st.String()}
	switch st.Source {
	case clock.SourceNTP:
		f.Status = OK
	case clock.SourceBackend:
		f.Status = Warn
		f.Fix = "let the Pi reach an NTP server: `timedatectl status` should say \"System clock synchronized: yes\""
	default:
		f.Status = Fail
		f.Fix = "the screen shows the cached board without marking today; connect the network and check `timedatectl status`"
	}
	return f
}
