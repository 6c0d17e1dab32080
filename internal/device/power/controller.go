// Package power switches the screen's display on and off like an appliance:
// dark at night by a schedule, dark when nobody has been near for a while,
// and lit again as soon as someone walks up (motion) or touches it.
//
// # Basics
//
// [Policy.Decide] is the whole decision, pure and table-tested: given the
// time, the last motion and touch and the [Schedule], it says on or off and
// why. A [Controller] is the one goroutine that applies decisions through a
// [Backend]: X11 DPMS ("dpms"), the official touch display's backlight
// ("backlight"), HDMI-CEC ("cec"), or none ("black", the renderer draws
// black). The display asks [Controller.Blank] every frame.
//
// The controller always keeps the black state too, so when the hardware
// backend fails the screen still goes dark: its [State] then names the
// fallback and the error, and it tries the hardware again at the next check.
//
// # Caveats
//
// Schedules are wall-clock times in the department's time zone; a span that
// starts at a time skipped by the spring DST change starts an hour later.
// DPMS works under a real X server; under XWayland it does not reach the
// monitor (use backlight or cec there). When Run ends the display is
// switched on, so a stopped or restarting screen is never left dark.
package power

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"skaerm/internal/clock"
)

// maxWait is the longest the controller waits between checks, so a clock
// that jumps (NTP at boot) or a failed backend is looked at again soon.
const maxWait = time.Minute

// State is what the controller last did, for status and the doctor.
type State struct {
	On        bool      `json:"on"`
	Reason    string    `json:"reason"`
	Backend   string    `json:"backend"`              // e.g. "dpms", or "black (dpms failed)"
	LastError string    `json:"last_error,omitempty"` // the hardware backend's last failure
	Since     time.Time `json:"since"`                // when On last changed
}

// Options are a Controller's dependencies.
type Options struct {
	// Backend is the hardware backend; nil or a *Black means black only.
	Backend Backend
	Policy  Policy
	Clock   clock.Clock
	Log     *slog.Logger
	// ClockKnown reports whether the clock can be believed, e.g.
	// Trusted.Status().Known; nil means always. While it says no, the
	// schedule is ignored.
	ClockKnown func() bool
	// MotionSensor reports whether a motion sensor watches the room, e.g.
	// the sensor's Active; nil means none. Without one, idleness never
	// blanks the display in the daytime (see Inputs.MotionSensor).
	MotionSensor func() bool
	// OnChange, when set, is called from the controller's goroutine after
	// the display went on or off, e.g. to make the renderer draw the
	// change at once (black, or the page again) rather than at its next
	// frame.
	OnChange func(on bool)
}

// Controller applies the policy to the display. Build it with
// NewController; Motion, Touch, State, Blank and SetPolicy are safe from any
// goroutine.
type Controller struct {
	hw     Backend // nil when black is all there is
	black  *Black
	clk    clock.Clock
	known  func() bool
	sensor func() bool
	change func(on bool)
	log    *slog.Logger
	poke   chan struct{}

	mu         sync.Mutex
	policy     Policy
	started    time.Time
	lastMotion time.Time
	lastTouch  time.Time
	wakeUntil  time.Time // a waking notice is shown until then
	fullBoard  bool      // woken at night, the resident asked for the board; until dark again
	state      State

	// Owned by the Run goroutine.
	hwOn    *bool // what the hardware was last set to; nil when unknown or failed
	hwError string
}

// NewController returns a controller that has not switched anything yet.
func NewController(o Options) *Controller {
	c := &Controller{hw: o.Backend, black: &Black{}, clk: o.Clock, known: o.ClockKnown, sensor: o.MotionSensor, change: o.OnChange, log: o.Log, policy: o.Policy, poke: make(chan struct{}, 1)}
	if b, ok := c.hw.(*Black); ok {
		c.black, c.hw = b, nil
	}
	if c.clk == nil {
		c.clk = clock.Real{}
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.known == nil {
		c.known = func() bool { return true }
	}
	c.state = State{On: true, Reason: "starting", Backend: c.backendName()}
	return c
}

// Motion records that the sensor saw someone.
func (c *Controller) Motion() {
	c.mu.Lock()
	c.lastMotion = c.clk.Now()
	c.mu.Unlock()
	c.wake()
}

// WakeUntil keeps the display on until t (a notice that wakes it is shown
// till then); a zero t ends that.
func (c *Controller) WakeUntil(t time.Time) {
	c.mu.Lock()
	changed := !c.wakeUntil.Equal(t)
	c.wakeUntil = t
	c.mu.Unlock()
	if changed {
		c.wake()
	}
}

// FullBoard records that the resident woken at night asked for the day's
// board: the display stays lit for the policy's NightWake after the last
// touch instead of NightPage, until it goes dark.
func (c *Controller) FullBoard() {
	c.mu.Lock()
	changed := !c.fullBoard
	c.fullBoard = true
	wake := c.policy.NightWake
	c.mu.Unlock()
	if changed {
		if wake <= 0 {
			wake = DefaultNightWake
		}
		c.log.Info("display kept lit for the day's board, asked for on the night page", "for", wake)
		c.wake()
	}
}

// Night reports whether a display woken at t shows the night page (see
// Policy.Night). Cheap enough for every frame.
func (c *Controller) Night(t time.Time) bool {
	c.mu.Lock()
	p := c.policy
	c.mu.Unlock()
	return p.Night(t, c.known())
}

// Touch records a touch on the screen.
func (c *Controller) Touch() {
	c.mu.Lock()
	c.lastTouch = c.clk.Now()
	c.mu.Unlock()
	c.wake()
}

// SetPolicy replaces the policy (a configuration change) and re-decides.
func (c *Controller) SetPolicy(p Policy) {
	c.mu.Lock()
	c.policy = p
	c.mu.Unlock()
	c.wake()
}

// Recheck decides again now, e.g. when the clock has just become trusted,
// so the state and its reason never lag behind.
func (c *Controller) Recheck() { c.wake() }

// State returns what the controller last did.
func (c *Controller) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// OffHours reports whether t falls in the schedule's off hours (the
// night), whether or not a touch has lit the display meanwhile, and when
// that may next change (zero: never by itself). While the clock cannot be
// believed the schedule is not followed, and OffHours says no.
func (c *Controller) OffHours(t time.Time) (off bool, next time.Time) {
	c.mu.Lock()
	p := c.policy
	c.mu.Unlock()
	if !c.known() {
		return false, time.Time{}
	}
	loc := p.Location
	if loc == nil {
		loc = time.UTC
	}
	mode, _ := p.Schedule.At(t, loc)
	return mode == ScheduledOff, p.Schedule.NextChange(t, loc)
}

// Blank reports whether the renderer should draw black. Cheap enough for
// every frame.
func (c *Controller) Blank() bool { return c.black.Blank() }

func (c *Controller) wake() {
	select {
	case c.poke <- struct{}{}:
	default:
	}
}

// Run decides and applies until ctx ends, then switches the display on.
func (c *Controller) Run(ctx context.Context) error {
	c.mu.Lock()
	c.started = c.clk.Now()
	c.mu.Unlock()
	defer c.restore(ctx)
	for {
		d := c.step(ctx)
		wait := maxWait
		if !d.Next.IsZero() {
			wait = min(max(d.Next.Sub(c.clk.Now()), time.Millisecond), maxWait)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-c.poke:
		case <-c.clk.After(wait):
		}
	}
}

// step decides once and applies the decision.
func (c *Controller) step(ctx context.Context) Decision {
	now := c.clk.Now()
	c.mu.Lock()
	p := c.policy
	in := Inputs{Now: now, LastMotion: c.lastMotion, LastTouch: c.lastTouch, Started: c.started, WakeUntil: c.wakeUntil, FullBoard: c.fullBoard}
	c.mu.Unlock()
	in.ClockUnknown = !c.known()
	in.MotionSensor = c.sensor != nil && c.sensor()
	d := p.Decide(in)
	c.apply(ctx, d, now)
	return d
}

// apply sets the black state and, when it differs or last failed, the
// hardware, then records the state.
func (c *Controller) apply(ctx context.Context, d Decision, now time.Time) {
	_ = c.black.Set(ctx, d.On)
	if c.hw != nil && (c.hwOn == nil || *c.hwOn != d.On) {
		if err := c.hw.Set(ctx, d.On); err != nil {
			if msg := err.Error(); msg != c.hwError {
				c.log.Warn("display power backend failed; drawing black instead", "backend", c.hw.Name(), "on", d.On, "err", err)
				c.hwError = msg
			}
			c.hwOn = nil
		} else {
			if c.hwError != "" {
				c.log.Info("display power backend works again", "backend", c.hw.Name())
			}
			on := d.On
			c.hwOn, c.hwError = &on, ""
		}
	}
	c.mu.Lock()
	prev := c.state
	st := State{On: d.On, Reason: d.Reason, Backend: c.backendName(), LastError: c.hwError, Since: prev.Since}
	if prev.On != d.On || prev.Since.IsZero() {
		st.Since = now
	}
	c.state = st
	if !d.On {
		c.fullBoard = false // the next wake at night shows the night page again
	}
	c.mu.Unlock()
	if prev.On != d.On || prev.Reason == "starting" {
		c.log.Info("display power", "on", d.On, "reason", d.Reason, "backend", st.Backend)
	}
	if prev.On != d.On && c.change != nil {
		c.change(d.On)
	}
}

// backendName says which backend is in effect. hwError is owned by the Run
// goroutine, so only it (and the constructor) call this.
func (c *Controller) backendName() string {
	switch {
	case c.hw == nil:
		return NameBlack
	case c.hwError != "":
		return NameBlack + " (" + c.hw.Name() + " failed)"
	}
	return c.hw.Name()
}

// restore switches the display on as the controller stops.
func (c *Controller) restore(ctx context.Context) {
	_ = c.black.Set(ctx, true)
	if c.hw == nil || (c.hwOn != nil && *c.hwOn) {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commandTimeout)
	defer cancel()
	if err := c.hw.Set(ctx, true); err != nil {
		c.log.Warn("display power: could not switch the display on while stopping", "backend", c.hw.Name(), "err", err)
	}
}
