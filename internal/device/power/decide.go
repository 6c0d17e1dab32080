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

// The night hours, by the department's clock: from 23:00 until 05:00,
// the hours words.PartOfDay calls the night. In them a dark display woken
// by a touch or motion shows the night page, schedule or not.
const (
	NightFrom = 23
	NightTo   = 5
)

// NightHour reports whether t falls in the night hours in loc.
func NightHour(t time.Time, loc *time.Location) bool {
	h := t.In(loc).Hour()
	return h >= NightFrom || h < NightTo
}

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
	// NightPage is how long a touch or motion lights the display at night
	// (the off hours, or the night hours by the department's clock) when
	// it shows the night page rather than the day's board; 0 means the
	// screen has no night page, and a wake at night shows the board for
	// NightWake as in the day.
	NightPage time.Duration
}

// Night reports whether a dark display woken at t shows the night page: the
// screen has one, and t falls in the schedule's off hours or the night
// hours. With a clock that cannot be believed it is never night.
func (p Policy) Night(t time.Time, clockKnown bool) bool {
	if p.NightPage <= 0 || !clockKnown {
		return false
	}
	loc := p.Location
	if loc == nil {
		loc = time.UTC
	}
	if mode, _ := p.Schedule.At(t, loc); mode == ScheduledOff {
		return true
	}
	return NightHour(t, loc)
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
	// FullBoard says the resident woken at night asked for the day's board
	// ("Vis dagens program"): it stays for NightWake after the last touch,
	// not the night page's shorter NightPage.
	FullBoard bool
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
		hold, page := nightWake, ""
		if p.NightPage > 0 && !in.FullBoard {
			hold, page = p.NightPage, ", showing the night page"
		}
		if !act.IsZero() && now.Sub(act) < hold {
			return Decision{On: true, Reason: fmt.Sprintf("woken by %s during off hours (%s)%s", what, rule, page),
				Next: earliest(act.Add(hold), boundary)}
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
	if p.NightPage > 0 && !in.FullBoard && !in.ClockUnknown && NightHour(now, loc) && p.NightPage < blankAfter {
		// At night the display a touch lit shows the night page, and goes
		// dark again as soon.
		if !act.IsZero() && now.Sub(act) < p.NightPage {
			return Decision{On: true, Reason: "woken by " + what + " in the night hours, showing the night page", Next: earliest(act.Add(p.NightPage), boundary)}
		}
		return Decision{On: false, Reason: fmt.Sprintf("night hours: no touch or motion for %s", p.NightPage), Next: earliest(nextNightEnd(now, loc), boundary)}
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

// nextNightEnd is when the night hours holding now end (NightTo o'clock).
func nextNightEnd(now time.Time, loc *time.Location) time.Time {
	t := now.In(loc)
	end := time.Date(t.Year(), t.Month(), t.Day(), NightTo, 0, 0, 0, loc)
	if !end.After(t) {
		end = time.Date(t.Year(), t.Month(), t.Day()+1, NightTo, 0, 0, 0, loc)
	}
	return end
}
