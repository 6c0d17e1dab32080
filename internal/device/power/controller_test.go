package power

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"skaerm/internal/clock"
	"skaerm/internal/testkit/wait"
)

// panel is a hardware backend that records what it was told and can be made
// to fail; sets also go out on a channel so a test can wait for them.
type panel struct {
	mu   sync.Mutex
	on   []bool
	fail error
	sets chan bool
}

func newPanel() *panel { return &panel{sets: make(chan bool, 16)} }

func (*panel) Name() string { return "dpms" }

func (p *panel) Set(_ context.Context, on bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return p.fail
	}
	p.on = append(p.on, on)
	p.sets <- on
	return nil
}

func (p *panel) setFail(err error) {
	p.mu.Lock()
	p.fail = err
	p.mu.Unlock()
}

func (p *panel) calls() []bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]bool(nil), p.on...)
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// tuesday noon in Copenhagen, with a night schedule.
func newTestController(t *testing.T, b Backend) (*Controller, *clock.Fake) {
	t.Helper()
	loc := cph(t)
	fake := clock.NewFake(time.Date(2026, 11, 24, 12, 0, 0, 0, loc))
	c := NewController(Options{
		Backend: b,
		Policy:  Policy{Schedule: mustSchedule(t, "daily off 22:00-06:00"), Location: loc},
		Clock:   fake,
		Log:     quiet,
		// The day's walk includes idle blanking: a sensor watches.
		MotionSensor: func() bool { return true },
	})
	c.started = fake.Now()
	return c, fake
}

// TestControllerDay walks through a day step by step: lit at start, idle
// blanks, motion and touch wake, the schedule switches off, a night touch
// wakes for a while.
func TestControllerDay(t *testing.T) {
	ctx := context.Background()
	p := newPanel()
	c, fake := newTestController(t, p)
	loc := cph(t)
	at := func(h, m int) { fake.Set(time.Date(2026, 11, 24, h, m, 0, 0, loc)) }

	steps := []struct {
		do     func()
		on     bool
		reason string
	}{
		{func() {}, true, "start-up"},
		{func() { at(12, 10) }, false, "idle"},
		{func() { at(12, 30); c.Motion() }, true, "motion"},
		{func() { at(12, 39); c.Touch() }, true, "touch"},
		{func() { at(12, 48) }, true, "touch"},
		{func() { at(12, 49) }, false, "idle"},
		{func() { at(21, 58); c.Touch() }, true, "touch"},
		{func() { at(22, 0) }, true, "woken by touch"},
		{func() { at(22, 1) }, false, "scheduled off"},
		{func() { at(23, 30); c.Touch() }, true, "woken by touch"},
		{func() { at(23, 33) }, false, "scheduled off"},
		{func() { at(23, 34); c.Motion() }, true, "woken by motion"},
		{func() { at(23, 37) }, false, "scheduled off"},
	}
	for i, s := range steps {
		s.do()
		c.step(ctx)
		st := c.State()
		if st.On != s.on || !strings.Contains(st.Reason, s.reason) {
			t.Fatalf("step %d at %s: %+v, want on %t %q", i, fake.Now().In(loc).Format("15:04"), st, s.on, s.reason)
		}
		if c.Blank() == s.on {
			t.Fatalf("step %d: Blank() = %t with the display on=%t", i, c.Blank(), s.on)
		}
		if st.Backend != "dpms" || st.LastError != "" {
			t.Fatalf("step %d: backend %q error %q", i, st.Backend, st.LastError)
		}
	}
	// The hardware hears only changes.
	want := []bool{true, false, true, false, true, false, true, false, true, false}
	if got := p.calls(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("hardware calls %v, want %v", got, want)
	}
}

func TestControllerFallsBackToBlack(t *testing.T) {
	ctx := context.Background()
	p := newPanel()
	c, fake := newTestController(t, p)
	p.setFail(errors.New(`xset: unable to open display ":0"`))

	c.step(ctx)
	st := c.State()
	if !st.On || st.Backend != "black (dpms failed)" || !strings.Contains(st.LastError, "unable to open display") {
		t.Fatalf("after failure: %+v", st)
	}
	fake.Advance(10 * time.Minute)
	c.step(ctx)
	if st := c.State(); st.On || !c.Blank() || st.Backend != "black (dpms failed)" {
		t.Fatalf("idle with a broken backend: %+v blank=%t; want drawn black", st, c.Blank())
	}

	// The hardware is tried again and, once it works, takes over.
	p.setFail(nil)
	fake.Advance(time.Minute)
	c.step(ctx)
	st = c.State()
	if st.Backend != "dpms" || st.LastError != "" || st.On {
		t.Fatalf("after recovery: %+v", st)
	}
	if got := p.calls(); fmt.Sprint(got) != "[false]" {
		t.Fatalf("hardware calls %v, want [false]", got)
	}
}

func TestControllerBlackOnly(t *testing.T) {
	c, fake := newTestController(t, nil)
	c.step(context.Background())
	if st := c.State(); !st.On || st.Backend != "black" || c.Blank() {
		t.Fatalf("%+v blank=%t", st, c.Blank())
	}
	fake.Advance(11 * time.Minute)
	c.step(context.Background())
	if !c.Blank() {
		t.Fatal("idle display not blank")
	}
}

func TestControllerSetPolicy(t *testing.T) {
	c, _ := newTestController(t, nil)
	c.step(context.Background())
	c.SetPolicy(Policy{Schedule: mustSchedule(t, "daily off 11:00-13:00"), Location: cph(t)})
	c.step(context.Background())
	// Started at 12:00 counts as activity: woken during off hours.
	if st := c.State(); !strings.Contains(st.Reason, "11:00-13:00") {
		t.Fatalf("new policy not applied: %+v", st)
	}
}

// TestControllerRun drives the real goroutine: it applies at start, blanks
// on its own timer, wakes on motion, and switches the display on as it
// stops.
func TestControllerRun(t *testing.T) {
	p := newPanel()
	c, fake := newTestController(t, p)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()

	if on := <-p.sets; !on {
		t.Fatal("first set is off, want on")
	}
	wait.Until(t, "the controller waiting on its timer", func() bool { return fake.Waiters() >= 1 })
	fake.Advance(10 * time.Minute)
	if on := <-p.sets; on {
		t.Fatal("not blanked after 10 idle minutes")
	}
	c.Motion()
	if on := <-p.sets; !on {
		t.Fatal("motion did not wake the display")
	}
	wait.Until(t, "the old timer and the new pending", func() bool { return fake.Waiters() >= 2 })
	fake.Advance(10 * time.Minute)
	if on := <-p.sets; on {
		t.Fatal("not blanked again")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if on := <-p.sets; !on {
		t.Fatal("display left off after stopping")
	}
}

// TestControllerUnknownClock: a Pi that booted in 1970 (01:00 in
// Copenhagen, inside the night schedule) must not stay dark.
func TestControllerUnknownClock(t *testing.T) {
	fake := clock.NewFake(time.Unix(0, 0))
	known := false
	c := NewController(Options{
		Policy:       Policy{Schedule: mustSchedule(t, "daily off 22:00-06:00"), Location: cph(t)},
		Clock:        fake,
		Log:          quiet,
		ClockKnown:   func() bool { return known },
		MotionSensor: func() bool { return true },
	})
	c.started = fake.Now()
	fake.Advance(5 * time.Minute)
	c.step(context.Background())
	if st := c.State(); !st.On || !strings.Contains(st.Reason, "the schedule is ignored") {
		t.Fatalf("unknown clock at boot: %+v, want on", st)
	}
	known = true
	c.step(context.Background())
	if st := c.State(); st.On || !strings.Contains(st.Reason, "scheduled off") {
		t.Fatalf("once the clock is known: %+v, want the schedule", st)
	}
}

// TestControllerDPMSFailureFallsBack ties the real dpms backend, whose xset
// cannot reach the X server, to the controller: the screen still goes dark
// by drawing black, and the status says why.
func TestControllerDPMSFailureFallsBack(t *testing.T) {
	cmds := &commands{fail: map[string]error{"xset": errors.New("exit status 1")}}
	b, err := NewBackend(BackendConfig{Name: NameDPMS, Display: ":0", Run: cmds.run})
	if err != nil {
		t.Fatal(err)
	}
	c, fake := newTestController(t, b)
	fake.Advance(10 * time.Minute)
	c.step(context.Background())
	st := c.State()
	if st.On || !c.Blank() || st.Backend != "black (dpms failed)" || !strings.Contains(st.LastError, "unable to open display") {
		t.Fatalf("%+v blank=%t", st, c.Blank())
	}
	if len(cmds.got()) != 1 || !strings.Contains(cmds.got()[0], "dpms force off") {
		t.Fatalf("commands %q", cmds.got())
	}
}

// TestControllerWithoutSensor: with no motion sensor (the default), the
// display stays on all afternoon without a touch and goes off only by the
// schedule; the state says which rule holds.
func TestControllerWithoutSensor(t *testing.T) {
	loc := cph(t)
	fake := clock.NewFake(time.Date(2026, 11, 24, 12, 0, 0, 0, loc))
	c := NewController(Options{Policy: Policy{Schedule: mustSchedule(t, "daily off 22:00-06:00"), Location: loc}, Clock: fake, Log: quiet})
	c.started = fake.Now()
	ctx := context.Background()
	for h := 0; h < 10; h++ {
		c.step(ctx)
		if st := c.State(); !st.On || !strings.Contains(st.Reason, "without a motion sensor only the schedule switches the display off") {
			t.Fatalf("%s: %+v", fake.Now().In(loc).Format("15:04"), st)
		}
		fake.Advance(time.Hour)
	}
	c.step(ctx) // 22:00
	if st := c.State(); st.On || !strings.Contains(st.Reason, "scheduled off") {
		t.Fatalf("22:00: %+v", st)
	}
}

// OffHours is the schedule's night whatever a touch did, and nothing while
// the clock cannot be believed.
func TestControllerOffHours(t *testing.T) {
	c, fake := newTestController(t, nil)
	loc := cph(t)
	if off, next := c.OffHours(fake.Now()); off || !next.Equal(time.Date(2026, 11, 24, 22, 0, 0, 0, loc)) {
		t.Fatalf("noon: off %v, next %v", off, next)
	}
	night := time.Date(2026, 11, 24, 23, 0, 0, 0, loc)
	c.Touch() // lights the display, the night stays the night
	if off, next := c.OffHours(night); !off || !next.Equal(time.Date(2026, 11, 25, 6, 0, 0, 0, loc)) {
		t.Fatalf("23:00: off %v, next %v", off, next)
	}
	c.known = func() bool { return false }
	if off, _ := c.OffHours(night); off {
		t.Fatal("off hours followed with a clock that cannot be believed")
	}
}

// TestControllerNightPage: a touch at night lights the night page for its
// time and OnChange tells of each change; the board asked for keeps the
// display lit for the night wake, and the next wake is the night page's
// again.
func TestControllerNightPage(t *testing.T) {
	loc := cph(t)
	fake := clock.NewFake(time.Date(2026, 11, 24, 3, 0, 0, 0, loc))
	changes := make(chan bool, 16)
	c := NewController(Options{
		Policy: Policy{Schedule: mustSchedule(t, "daily off 22:00-06:00"), Location: loc, NightPage: 30 * time.Second},
		Clock:  fake, Log: quiet, OnChange: func(on bool) { changes <- on },
	})
	c.started = fake.Now().Add(-time.Hour)
	ctx := context.Background()
	step := func() Decision { return c.step(ctx) }
	if d := step(); d.On {
		t.Fatalf("at 03:00 untouched: %+v", d)
	}
	if on := <-changes; on {
		t.Fatal("OnChange said on")
	}
	if !c.Night(fake.Now()) || c.Night(time.Date(2026, 11, 24, 12, 0, 0, 0, loc)) {
		t.Fatal("Night wrong at 03:00 or noon")
	}
	c.Touch()
	if d := step(); !d.On || !strings.Contains(d.Reason, "night page") {
		t.Fatalf("after a touch: %+v", d)
	}
	if on := <-changes; !on {
		t.Fatal("OnChange said off after the touch")
	}
	fake.Advance(30 * time.Second)
	if d := step(); d.On || !c.Blank() {
		t.Fatalf("30 s after the touch: %+v", d)
	}
	<-changes
	c.Touch()
	step()
	c.FullBoard()
	fake.Advance(2 * time.Minute)
	if d := step(); !d.On || strings.Contains(d.Reason, "night page") {
		t.Fatalf("2 min into the board asked for: %+v", d)
	}
	fake.Advance(time.Minute)
	if d := step(); d.On {
		t.Fatalf("3 min into the board asked for: %+v", d)
	}
	c.Touch()
	fake.Advance(31 * time.Second)
	if d := step(); d.On {
		t.Fatalf("the next wake kept the board's time: %+v", d)
	}
}
