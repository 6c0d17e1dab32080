package power

import (
	"skaerm/words"
	"strings"
	"testing"
	"time"
)

func TestDecide(t *testing.T) {
	loc := cph(t)
	p := Policy{Schedule: mustSchedule(t, "daily off 22:00-06:00", "mon-fri on 07:00-08:00"), Location: loc}
	// 2026-11-24 is a Tuesday.
	day := func(h, m int) time.Time { return time.Date(2026, 11, 24, h, m, 0, 0, loc) }
	never := time.Time{}
	boot := day(0, 0).Add(-48 * time.Hour)

	tests := []struct {
		name                string
		now                 time.Time
		motion, touch, boot time.Time
		on                  bool
		reason              string
		next                time.Time
	}{
		{"just started in the daytime", day(12, 0), never, never, day(11, 58), true, "start-up", day(12, 8)},
		{"started at night", day(2, 0), never, never, day(2, 0), true, "woken by start-up", day(2, 3)},
		{"motion wakes", day(12, 0), day(11, 59), never, boot, true, "in use (motion)", day(12, 9)},
		{"touch wakes", day(12, 0), day(11, 0), day(11, 55), boot, true, "in use (touch)", day(12, 5)},
		{"idle blanks at 10 minutes", day(12, 10), day(12, 0), never, boot, false, "idle", day(22, 0)},
		{"idle, nobody ever came", day(12, 0), never, never, boot, false, "idle", day(22, 0)},
		{"in use until the schedule switches off", day(21, 55), day(21, 55), never, boot, true, "in use", day(22, 0)},
		{"schedule switches off", day(22, 0), day(21, 55), never, boot, false, "scheduled off (daily off 22:00-06:00)", day(30, 0)},
		{"a touch at 21:59 lasts the night-wake time", day(22, 1), never, day(21, 59), boot, true, "woken by touch", day(22, 2)},
		{"night touch wakes", day(3, 0), never, day(3, 0), boot, true, "woken by touch during off hours", day(3, 3)},
		{"night motion wakes", day(3, 2), day(3, 0), never, boot, true, "woken by motion", day(3, 3)},
		{"night wake ends", day(3, 3), never, day(3, 0), boot, false, "scheduled off", day(6, 0)},
		{"morning keeps a night wake lit", day(6, 0), never, day(5, 59), boot, true, "in use (touch)", day(6, 9)},
		{"morning, nobody near", day(6, 0), never, never, boot, false, "idle", day(7, 0)},
		{"scheduled on ignores idleness", day(7, 30), never, never, boot, true, "scheduled on (mon-fri on 07:00-08:00)", day(8, 0)},
		{"activity from the future counts as now", day(12, 0), day(13, 0), never, boot, true, "in use (motion)", day(12, 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := p.Decide(Inputs{Now: tt.now, LastMotion: tt.motion, LastTouch: tt.touch, Started: tt.boot, MotionSensor: true})
			if d.On != tt.on || !strings.Contains(d.Reason, tt.reason) {
				t.Fatalf("Decide = on %t %q, want on %t %q", d.On, d.Reason, tt.on, tt.reason)
			}
			if !d.Next.Equal(tt.next) {
				t.Fatalf("Next = %s, want %s", d.Next.In(loc), tt.next.In(loc))
			}
		})
	}
}

func TestDecideSettings(t *testing.T) {
	loc := cph(t)
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, loc)
	long := now.Add(-time.Hour)
	tests := []struct {
		name string
		p    Policy
		in   Inputs
		on   bool
		next time.Time
	}{
		{"blanking disabled", Policy{BlankAfter: -1, Location: loc}, Inputs{Now: now, LastTouch: long}, true, time.Time{}},
		{"short blank time", Policy{BlankAfter: 30 * time.Second, Location: loc}, Inputs{Now: now, LastTouch: now.Add(-20 * time.Second)}, true, now.Add(10 * time.Second)},
		{"longer night wake", Policy{Schedule: mustSchedule(t, "daily off 00:00-24:00"), NightWake: 5 * time.Minute, Location: loc},
			Inputs{Now: now, LastTouch: now.Add(-4 * time.Minute)}, true, now.Add(time.Minute)},
		{"unknown clock ignores the schedule", Policy{Schedule: mustSchedule(t, "daily off 00:00-24:00"), Location: loc},
			Inputs{Now: now, Started: now.Add(-time.Minute), ClockUnknown: true}, true, now.Add(9 * time.Minute)},
		{"unknown clock still blanks when idle", Policy{Schedule: mustSchedule(t, "daily off 00:00-24:00"), Location: loc},
			Inputs{Now: now, Started: long, ClockUnknown: true}, false, time.Time{}},
		{"nil location is UTC", Policy{Schedule: mustSchedule(t, "daily off 11:00-12:30")}, Inputs{Now: now}, false, time.Date(2026, 11, 24, 12, 30, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.MotionSensor = true
			d := tt.p.Decide(tt.in)
			if d.On != tt.on || !d.Next.Equal(tt.next) {
				t.Fatalf("Decide = %+v, want on %t next %s", d, tt.on, tt.next)
			}
		})
	}
}

// TestDecideWithoutSensor: without a motion sensor, idleness never blanks
// the display in the daytime (nobody touches a black wall board to wake
// it); the schedule still does, and a touch at night still wakes it.
func TestDecideWithoutSensor(t *testing.T) {
	loc := cph(t)
	p := Policy{Schedule: mustSchedule(t, "daily off 22:00-06:00"), Location: loc}
	day := func(h, m int) time.Time { return time.Date(2026, 11, 24, h, m, 0, 0, loc) }
	boot := day(0, 0).Add(-48 * time.Hour)
	tests := []struct {
		name   string
		in     Inputs
		on     bool
		reason string
	}{
		{"an hour after the last touch at noon", Inputs{Now: day(12, 0), LastTouch: day(11, 0), Started: boot}, true, "daytime: without a motion sensor only the schedule switches the display off"},
		{"nobody ever touched it", Inputs{Now: day(15, 0), Started: boot}, true, "without a motion sensor"},
		{"the schedule switches off", Inputs{Now: day(22, 0), Started: boot}, false, "scheduled off"},
		{"a night touch wakes", Inputs{Now: day(23, 1), LastTouch: day(23, 0), Started: boot}, true, "woken by touch"},
		{"clock unknown", Inputs{Now: day(23, 0), Started: boot, ClockUnknown: true}, true, "; clock not trusted, so the schedule is ignored"},
	}
	for _, tt := range tests {
		d := p.Decide(tt.in)
		if d.On != tt.on || !strings.Contains(d.Reason, tt.reason) {
			t.Errorf("%s: Decide = on %t %q, want on %t %q", tt.name, d.On, d.Reason, tt.on, tt.reason)
		}
	}
}

// TestDecideWakingNotice: a notice that wakes the display keeps it on in
// the schedule's off hours and when idle, until its until; then the
// schedule and idleness decide again.
func TestDecideWakingNotice(t *testing.T) {
	loc := cph(t)
	p := Policy{Schedule: mustSchedule(t, "daily off 22:00-06:00"), Location: loc}
	day := func(h, m int) time.Time { return time.Date(2026, 11, 24, h, m, 0, 0, loc) }
	boot := day(0, 0).Add(-48 * time.Hour)
	for _, tt := range []struct {
		name   string
		now    time.Time
		until  time.Time
		on     bool
		reason string
		next   time.Time
	}{
		{"at night", day(3, 0), day(4, 0), true, "woken by a notice", day(4, 0)},
		{"idle in the daytime", day(12, 0), day(13, 0), true, "woken by a notice", day(13, 0)},
		{"until the schedule's change at most", day(21, 0), day(23, 0), true, "woken by a notice", day(22, 0)},
		{"after its until", day(4, 0), day(4, 0), false, "scheduled off", day(6, 0)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := p.Decide(Inputs{Now: tt.now, Started: boot, MotionSensor: true, WakeUntil: tt.until})
			if d.On != tt.on || !strings.Contains(d.Reason, tt.reason) || !d.Next.Equal(tt.next) {
				t.Fatalf("Decide = on %t %q next %s, want on %t %q next %s", d.On, d.Reason, d.Next.In(loc), tt.on, tt.reason, tt.next.In(loc))
			}
		})
	}
}

// TestDecideNightPage: at night a wake lights the night page for
// NightPage, the day's board asked for lasts NightWake, and the night
// hours count without a schedule on a screen that blanks by a sensor.
func TestDecideNightPage(t *testing.T) {
	loc := cph(t)
	day := func(h, m, s int) time.Time { return time.Date(2026, 11, 24, h, m, s, 0, loc) }
	sched := Policy{Schedule: mustSchedule(t, "daily off 22:00-06:00"), Location: loc, NightPage: 30 * time.Second}
	none := Policy{Location: loc, NightPage: 30 * time.Second}
	boot := day(0, 0, 0).Add(-48 * time.Hour)
	tests := []struct {
		name   string
		p      Policy
		now    time.Time
		touch  time.Time
		full   bool
		sensor bool
		on     bool
		reason string
		next   time.Time
	}{
		{"night page after a touch at 03:00", sched, day(3, 0, 10), day(3, 0, 0), false, false, true, "showing the night page", day(3, 0, 30)},
		{"dark 30 s after", sched, day(3, 0, 30), day(3, 0, 0), false, false, false, "scheduled off", day(6, 0, 0)},
		{"the board asked for lasts the night wake", sched, day(3, 2, 0), day(3, 0, 0), true, false, true, "woken by touch during off hours (daily off 22:00-06:00)", day(3, 3, 0)},
		{"night hours without a schedule, with a sensor", none, day(3, 0, 10), day(3, 0, 0), false, true, true, "in the night hours, showing the night page", day(3, 0, 30)},
		{"dark again in the night hours", none, day(3, 0, 40), day(3, 0, 0), false, true, false, "night hours", day(5, 0, 0)},
		{"the board asked for in the night hours", none, day(3, 5, 0), day(3, 0, 0), true, true, true, "in use (touch)", day(3, 10, 0)},
		{"after 05:00 the day's rules", none, day(5, 5, 0), day(5, 0, 0), false, true, true, "in use (touch)", day(5, 10, 0)},
		{"without a sensor the night hours keep the display on", none, day(3, 5, 0), day(3, 0, 0), false, false, true, "daytime", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.p.Decide(Inputs{Now: tt.now, LastTouch: tt.touch, Started: boot, FullBoard: tt.full, MotionSensor: tt.sensor})
			if d.On != tt.on || !strings.Contains(d.Reason, tt.reason) {
				t.Fatalf("Decide = on %t %q, want on %t %q", d.On, d.Reason, tt.on, tt.reason)
			}
			if !d.Next.Equal(tt.next) {
				t.Fatalf("Next = %s, want %s", d.Next.In(loc), tt.next.In(loc))
			}
		})
	}
	for _, tt := range []struct {
		p     Policy
		at    time.Time
		known bool
		night bool
	}{
		{sched, day(22, 30, 0), true, true}, // off hours, before the night hours
		{sched, day(5, 30, 0), true, true},
		{sched, day(6, 0, 0), true, false},
		{none, day(22, 30, 0), true, false},
		{none, day(23, 0, 0), true, true},
		{none, day(4, 59, 0), true, true},
		{none, day(3, 0, 0), false, false},                                           // a clock that cannot be believed
		{Policy{Schedule: sched.Schedule, Location: loc}, day(3, 0, 0), true, false}, // no night page
	} {
		if got := tt.p.Night(tt.at, tt.known); got != tt.night {
			t.Errorf("Night(%s, known %t) = %t, want %t", tt.at.Format("15:04"), tt.known, got, tt.night)
		}
	}
}

// TestNightHoursArePartOfDayNight: the night hours are the hours the
// screen's words call the night.
func TestNightHoursArePartOfDayNight(t *testing.T) {
	loc := cph(t)
	for h := range 24 {
		at := time.Date(2026, 11, 24, h, 30, 0, 0, loc)
		if got, want := NightHour(at, loc), words.PartOfDay(at, loc) == words.Night; got != want {
			t.Errorf("%02d:30: NightHour %t, words say night %t", h, got, want)
		}
	}
}
