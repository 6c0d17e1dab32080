package power

import (
	"fmt"
	"time"
)

// Defaults for Policy.
const (
	DefaultBlankAfter = 10 * time.Minute
	DefaultNightWake  = 3 * time.Minute
)

// Policy is when the display should be on. It is a value: the controller
// swaps it whole when the configuration changes.
type Policy struct {
	Schedule Schedule
	// Location is the department's time zone; nil means UTC.
	Location *time.Location
	// BlankAfter is how long without motion or touch, outside scheduled
	// hours, before the display goes dark, on a screen with a motion
	// sensor (see Inputs.MotionSensor). 0 means 10 minutes; negative means
	// never.
	BlankAfter time.Duration
	// NightWake is how long a touch or motion lights the display during
	// scheduled-off hours. 0 means 3 minutes.
	NightWake time.Duration
}

// Inputs are what the decision looks at. Zero times mean "never".
type Inputs struct {
	Now        time.Time
	LastMotion time.Time
	LastTouch  time.Time
	// Started is when the controller started; it counts as activity, so a
	// screen that boots in the daytime is lit.
	Started time.Time
	// ClockUnknown says the clock cannot be believed (a Pi booted without
	// network): the schedule is ignored rather than followed on a wrong
	// day or hour, and only idleness blanks the display.
	ClockUnknown bool
	// MotionSensor says a motion sensor watches the room. Only then does
	// idleness blank the display outside the schedule's off hours: a wall
	// board must be seen in passing, and nobody touches a black screen to
	// wake it, so without a sensor the display stays on in the daytime and
	// only the schedule switches it off.
	MotionSensor bool
	// WakeUntil: staff's notice that wakes the display is shown until
	// then; the display is on till then, whatever the schedule, the
	// motion sensor or idleness say.
	WakeUntil time.Time
}

// Decision is what the display should be, why, and when to look again.
type Decision struct {
	On     bool
	Reason string
	// Next is when the decision may change with no new input; zero when
	// only an input can change it.
	Next time.Time
}

// Decide is the display's state machine, pure: the same inputs give the
// same decision.
func (p Policy) Decide(in Inputs) Decision {
	blankAfter, nightWake := p.BlankAfter, p.NightWake
	if blankAfter == 0 {
		blankAfter = DefaultBlankAfter
	}
	if nightWake <= 0 {
		nightWake = DefaultNightWake
	}
	loc := p.Location
	if loc == nil {
		loc = time.UTC
	}
	now := in.Now
	act, what := latest(now, in)
	sched := p.Schedule
	if in.ClockUnknown {
		sched = Schedule{}
	}
	boundary := sched.NextChange(now, loc)
	mode, rule := sched.At(now, loc)
	if now.Before(in.WakeUntil) {
		return Decision{On: true, Reason: "woken by a notice from staff", Next: earliest(in.WakeUntil, boundary)}
	}

	switch mode {
	case ScheduledOn:
		return Decision{On: true, Reason: fmt.Sprintf("scheduled on (%s)", rule), Next: boundary}
	case ScheduledOff:
		if !act.IsZero() && now.Sub(act) < nightWake {
			return Decision{On: true, Reason: fmt.Sprintf("woken by %s during off hours (%s)", what, rule),
				Next: earliest(act.Add(nightWake), boundary)}
		}
		return Decision{On: false, Reason: fmt.Sprintf("scheduled off (%s)", rule), Next: boundary}
	}
	note := ""
	if in.ClockUnknown && p.Schedule.Len() > 0 {
		note = "; clock not trusted, so the schedule is ignored"
	}
	if !in.MotionSensor {
		return Decision{On: true, Reason: "daytime: without a motion sensor only the schedule switches the display off" + note, Next: boundary}
	}
	if blankAfter < 0 {
		return Decision{On: true, Reason: "idle blanking disabled" + note, Next: boundary}
	}
	if !act.IsZero() && now.Sub(act) < blankAfter {
		return Decision{On: true, Reason: "in use (" + what + ")" + note, Next: earliest(act.Add(blankAfter), boundary)}
	}
	return Decision{On: false, Reason: fmt.Sprintf("idle: no touch or motion for %s%s", blankAfter, note), Next: boundary}
}

// latest returns the most recent activity and its kind. Activity stamped
// after now (the clock was set back) counts as now.
func latest(now time.Time, in Inputs) (time.Time, string) {
	var at time.Time
	what := ""
	for _, c := range []struct {
		t    time.Time
		what string
	}{{in.Started, "start-up"}, {in.LastMotion, "motion"}, {in.LastTouch, "touch"}} {
		if !c.t.IsZero() && !c.t.Before(at) {
			at, what = c.t, c.what
		}
	}
	if at.After(now) {
		at = now
	}
	return at, what
}

func earliest(a, b time.Time) time.Time {
	if b.IsZero() || (!a.IsZero() && a.Before(b)) {
		return a
	}
	return b
}
