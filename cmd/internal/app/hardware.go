package app

import (
	"fmt"
	"time"

	"skaerm/internal/config"
	"skaerm/internal/device/motion"
	"skaerm/internal/device/power"
)

// PowerPolicy turns the [power] section into the display power policy, in
// the department's time zone.
func PowerPolicy(c config.Power, loc *time.Location) (power.Policy, error) {
	sched, err := power.ParseSchedule(c.Schedule)
	if err != nil {
		return power.Policy{}, fmt.Errorf("power.schedule: %w", err)
	}
	return power.Policy{Schedule: sched, Location: loc, BlankAfter: c.BlankAfter.D(), NightWake: c.NightWake.D(), NightPage: c.NightPage.D()}, nil
}

// PowerBackend is the [power] section's hardware backend.
func PowerBackend(c config.Power) power.BackendConfig {
	return power.BackendConfig{Name: c.Backend, BacklightPath: c.BacklightPath, CECDevice: c.CECDevice}
}

// MotionConfig is the [motion] section for the motion package.
func MotionConfig(c config.Motion) motion.Config {
	return motion.Config{Enabled: c.Enabled, Pin: c.Pin, Pull: c.Pull, Edge: c.Edge, Debounce: c.Debounce.D()}
}
