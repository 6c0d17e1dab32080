package clock

import (
	"errors"
	"testing"
	"time"
	_ "time/tzdata" // the tests need Europe/Copenhagen wherever they run
)

// kernel is a stand-in for the kernel's NTP state.
type kernel struct {
	synced bool
	err    error
	calls  int
}

func (k *kernel) query() (bool, error) { k.calls++; return k.synced, k.err }

func copenhagen(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestTrustedBootIn1970(t *testing.T) {
	fake := NewFake(time.Unix(42, 0))
	k := &kernel{}
	tc := NewTrusted(TrustOptions{Base: fake, KernelSynced: k.query, BootID: "boot-a"})
	st := tc.Status()
	if st.Known || st.Source != SourceNone {
		t.Fatalf("1970 at boot: %+v, want unknown", st)
	}
	// Even a kernel claiming sync does not make 1970 believable.
	k.synced = true
	fake.Advance(time.Minute)
	if st := tc.Status(); st.Known {
		t.Fatalf("1970 with a synced kernel: %+v, want unknown", st)
	}
	// A backend Date fixes the day.
	server := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	k.synced = false
	fake.Advance(time.Minute)
	o, err := tc.ObserveDate(server)
	if err != nil {
		t.Fatal(err)
	}
	if o.BootID != "boot-a" || !o.MeasuredAt.Equal(fake.Now()) {
		t.Fatalf("offset %+v", o)
	}
	st = tc.Status()
	if !st.Known || st.Source != SourceBackend || st.Synced {
		t.Fatalf("after a backend date: %+v", st)
	}
	if got := tc.Now(); !got.Equal(server) {
		t.Fatalf("Now %s, want %s", got, server)
	}
	fake.Advance(90 * time.Second)
	if got, want := tc.Now(), server.Add(90*time.Second); !got.Equal(want) {
		t.Fatalf("Now after 90s %s, want %s", got, want)
	}
}

func TestTrustedThreeDaysBehind(t *testing.T) {
	real := time.Date(2026, 11, 23, 8, 30, 0, 0, time.UTC)
	fake := NewFake(real.Add(-72 * time.Hour))
	tc := NewTrusted(TrustOptions{Base: fake, KernelSynced: (&kernel{}).query, BootID: "b"})
	// A plausible but wrong clock with nothing to check it against: the day
	// is not known.
	if st := tc.Status(); st.Known || st.Source != SourceNone {
		t.Fatalf("before any backend date: %+v", st)
	}
	if _, err := tc.ObserveDate(real); err != nil {
		t.Fatal(err)
	}
	st := tc.Status()
	if !st.Known || st.Source != SourceBackend || st.Offset != 72*time.Hour {
		t.Fatalf("after backend date: %+v", st)
	}
	loc := copenhagen(t)
	if got := tc.Now().In(loc).Day(); got != 23 {
		t.Fatalf("corrected day %d, want 23", got)
	}
}

func TestTrustedNTPSynced(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 30, 0, 0, time.UTC)
	fake := NewFake(now)
	k := &kernel{synced: true}
	tc := NewTrusted(TrustOptions{Base: fake, KernelSynced: k.query, BootID: "b",
		Last: &Offset{Offset: time.Hour, MeasuredAt: now.Add(-time.Hour), BootID: "b"}})
	st := tc.Status()
	if !st.Known || !st.Synced || st.Source != SourceNTP || st.Offset != 0 {
		t.Fatalf("synced: %+v", st)
	}
	if !tc.Now().Equal(now) {
		t.Fatalf("Now %s, want the local clock %s", tc.Now(), now)
	}
	// The offset measured before NTP stepped the clock is dropped.
	if _, ok := tc.Offset(); ok {
		t.Fatal("an offset survived NTP sync")
	}
	// The kernel is asked again only after Recheck.
	calls := k.calls
	tc.Status()
	if k.calls != calls {
		t.Fatalf("kernel asked again within the recheck period")
	}
	k.synced = false
	fake.Advance(31 * time.Second)
	if st := tc.Status(); st.Known || st.Source != SourceNone {
		t.Fatalf("after losing sync with no offset: %+v", st)
	}
}

func TestTrustedKernelError(t *testing.T) {
	fake := NewFake(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))
	boom := errors.New("adjtimex: operation not permitted")
	tc := NewTrusted(TrustOptions{Base: fake, KernelSynced: (&kernel{synced: true, err: boom}).query, BootID: "b"})
	if st := tc.Status(); st.Known || st.Synced {
		t.Fatalf("kernel error: %+v, want unknown", st)
	}
	if !errors.Is(tc.SyncError(), boom) {
		t.Fatalf("SyncError %v", tc.SyncError())
	}
}

// TestTrustedPersistedOffset is the rule for a restart of the screen: the
// offset the cache kept holds in the same boot while the wall clock has
// moved as much as the time since boot; a reboot, a step of the clock or an
// offset without its boot and uptime (an older version's) is dropped.
func TestTrustedPersistedOffset(t *testing.T) {
	local := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	up := 5 * time.Hour // time since boot now
	// Measured an hour ago, in this boot, an hour after it started.
	last := Offset{Offset: 72 * time.Hour, MeasuredAt: local.Add(-time.Hour), BootID: "boot-a", Uptime: up - time.Hour}
	with := func(edit func(*Offset)) Offset { o := last; edit(&o); return o }
	tests := []struct {
		name   string
		boot   string
		uptime time.Duration
		last   Offset
		known  bool
	}{
		{"restart in the same boot", "boot-a", up, last, true},
		{"restart a day later, the clock a few seconds off", "boot-a", up + 24*time.Hour,
			with(func(o *Offset) { o.MeasuredAt = local.Add(-25*time.Hour - 5*time.Second) }), true},
		{"after a reboot", "boot-b", up, last, false},
		{"the clock set forward since", "boot-a", up, with(func(o *Offset) { o.MeasuredAt = local.Add(-3 * time.Hour) }), false},
		{"the clock set back since", "boot-a", up, with(func(o *Offset) { o.MeasuredAt = local.Add(time.Minute) }), false},
		{"uptime from the future (another boot's)", "boot-a", time.Minute, last, false},
		{"no boot id kept", "boot-a", up, with(func(o *Offset) { o.BootID = "" }), false},
		{"no uptime kept (older version)", "boot-a", up, with(func(o *Offset) { o.Uptime = 0 }), false},
		{"uptime unknown now", "boot-a", 0, last, false},
		{"offset into 1970", "boot-a", up, with(func(o *Offset) { o.Offset = -60 * 365 * 24 * time.Hour }), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc := NewTrusted(TrustOptions{Base: NewFake(local), KernelSynced: (&kernel{}).query, BootID: tt.boot,
				Uptime: func() time.Duration { return tt.uptime }, Last: &tt.last})
			st := tc.Status()
			if st.Known != tt.known {
				t.Fatalf("%+v, want known=%t (dropped: %q)", st, tt.known, tc.Dropped())
			}
			if tt.known && !tc.Now().Equal(local.Add(tt.last.Offset)) {
				t.Fatalf("Now %s", tc.Now())
			}
			if (tc.Dropped() == "") != tt.known {
				t.Fatalf("Dropped() = %q with known=%t", tc.Dropped(), tt.known)
			}
		})
	}
}

// TestTrustedOffsetAcrossRestart measures an offset, keeps it as the cache
// would, and starts a new Trusted later in the same boot: it knows the day
// at once; started after a reboot it does not until the backend answers.
func TestTrustedOffsetAcrossRestart(t *testing.T) {
	fake := NewFake(time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)) // three days behind
	up := 40 * time.Second
	uptime := func() time.Duration { return up }
	first := NewTrusted(TrustOptions{Base: fake, KernelSynced: (&kernel{}).query, BootID: "boot-a", Uptime: uptime})
	server := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	kept, err := first.ObserveDate(server)
	if err != nil {
		t.Fatal(err)
	}
	if kept.Uptime != up {
		t.Fatalf("offset %+v: uptime not stamped", kept)
	}
	fake.Advance(20 * time.Minute)
	up += 20 * time.Minute
	again := NewTrusted(TrustOptions{Base: fake, KernelSynced: (&kernel{}).query, BootID: "boot-a", Uptime: uptime, Last: &kept})
	if st := again.Status(); !st.Known || st.Source != SourceBackend {
		t.Fatalf("after a restart: %+v (dropped: %q)", st, again.Dropped())
	}
	if want := server.Add(20 * time.Minute); !again.Now().Equal(want) {
		t.Fatalf("Now %s, want %s", again.Now(), want)
	}
	// A reboot: the clock and the time since boot start again.
	fake.Set(time.Date(2026, 11, 27, 6, 30, 0, 0, time.UTC))
	up = 30 * time.Second
	rebooted := NewTrusted(TrustOptions{Base: fake, KernelSynced: (&kernel{}).query, BootID: "boot-b", Uptime: uptime, Last: &kept})
	if st := rebooted.Status(); st.Known {
		t.Fatalf("after a reboot: %+v, want unknown until the backend answers", st)
	}
}

func TestObserveImplausibleDate(t *testing.T) {
	tc := NewTrusted(TrustOptions{Base: NewFake(time.Unix(0, 0)), KernelSynced: (&kernel{}).query, BootID: "b"})
	for _, d := range []time.Time{{}, time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if _, err := tc.ObserveDate(d); !errors.Is(err, ErrImplausibleDate) {
			t.Errorf("ObserveDate(%s) error %v, want ErrImplausibleDate", d, err)
		}
	}
	if st := tc.Status(); st.Known {
		t.Fatalf("a bad date made the clock trusted: %+v", st)
	}
}

func TestTrustedCorrectsAcrossDST(t *testing.T) {
	loc := copenhagen(t)
	// The Pi thinks it is Saturday evening before the spring change; the
	// backend knows it is Sunday morning after it.
	fake := NewFake(time.Date(2026, 3, 28, 20, 0, 0, 0, loc))
	tc := NewTrusted(TrustOptions{Base: fake, KernelSynced: (&kernel{}).query, BootID: "b"})
	server := time.Date(2026, 3, 29, 9, 0, 0, 0, loc) // 09:00 CEST
	if _, err := tc.ObserveDate(server.UTC()); err != nil {
		t.Fatal(err)
	}
	got := tc.Now().In(loc)
	if got.Day() != 29 || got.Hour() != 9 {
		t.Fatalf("corrected local time %s, want 2026-03-29 09:00 CEST", got)
	}
	if _, off := got.Zone(); off != 2*3600 {
		t.Fatalf("zone offset %d, want CEST", off)
	}
}

func TestNextMidnight(t *testing.T) {
	loc := copenhagen(t)
	tests := []struct {
		name    string
		now     time.Time
		want    time.Time
		dayLong time.Duration // length of now's day
	}{
		{"ordinary evening", time.Date(2026, 11, 23, 23, 59, 59, 0, loc), time.Date(2026, 11, 24, 0, 0, 0, 0, loc), 24 * time.Hour},
		{"just after midnight", time.Date(2026, 11, 24, 0, 0, 0, 0, loc), time.Date(2026, 11, 25, 0, 0, 0, 0, loc), 24 * time.Hour},
		{"spring forward, 23 hours", time.Date(2026, 3, 29, 1, 30, 0, 0, loc), time.Date(2026, 3, 30, 0, 0, 0, 0, loc), 23 * time.Hour},
		{"fall back, 25 hours", time.Date(2026, 10, 25, 2, 30, 0, 0, loc), time.Date(2026, 10, 26, 0, 0, 0, 0, loc), 25 * time.Hour},
		{"given in UTC", time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC), time.Date(2026, 11, 25, 0, 0, 0, 0, loc), 24 * time.Hour},
		{"new year", time.Date(2026, 12, 31, 12, 0, 0, 0, loc), time.Date(2027, 1, 1, 0, 0, 0, 0, loc), 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NextMidnight(tt.now, loc)
			if !got.Equal(tt.want) {
				t.Fatalf("NextMidnight(%s) = %s, want %s", tt.now, got, tt.want)
			}
			if d := got.Sub(StartOfDay(tt.now, loc)); d != tt.dayLong {
				t.Fatalf("day of %s lasts %s, want %s", tt.now, d, tt.dayLong)
			}
		})
	}
}

// TestMidnightRollOver drives a display-style loop: wait until NextMidnight
// on the clock, then today changes, with no restart.
func TestMidnightRollOver(t *testing.T) {
	loc := copenhagen(t)
	fake := NewFake(time.Date(2026, 10, 24, 22, 0, 0, 0, loc))
	days := []int{}
	for range 3 {
		now := fake.Now()
		days = append(days, now.In(loc).Day())
		wait := fake.After(NextMidnight(now, loc).Sub(now))
		fake.Set(NextMidnight(now, loc))
		<-wait
	}
	if want := []int{24, 25, 26}; days[0] != want[0] || days[1] != want[1] || days[2] != want[2] {
		t.Fatalf("days %v, want %v", days, want)
	}
	if h := fake.Now().In(loc).Hour(); h != 0 {
		t.Fatalf("rolled over at %02d:00, want 00:00", h)
	}
}

// TestTrustedDateJitter: Dates cut to the second give offsets up to a
// second apart; the clock never steps back for them (two taps half a
// second apart stay half a second apart), takes a nearer one forward, and
// follows a real step of the backend's clock at once.
func TestTrustedDateJitter(t *testing.T) {
	fake := NewFake(time.Unix(42, 0))
	tc := NewTrusted(TrustOptions{Base: fake, KernelSynced: (&kernel{}).query, BootID: "boot-a"})
	server := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	// The server is 0.7 s into its second when the first answer leaves.
	at := func(d time.Duration) time.Time { return server.Add(700*time.Millisecond + d).Truncate(time.Second) }
	if _, err := tc.ObserveDate(at(0)); err != nil {
		t.Fatal(err)
	}
	first := tc.Now()
	fake.Advance(500 * time.Millisecond)
	// 1.2 s into the server's time: its Date says 10:00:01, 0.2 s behind.
	if _, err := tc.ObserveDate(at(500 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	second := tc.Now()
	fake.Advance(500 * time.Millisecond)
	// 1.7 s: the Date says 10:00:01 again, now 0.7 s behind.
	if _, err := tc.ObserveDate(at(time.Second)); err != nil {
		t.Fatal(err)
	}
	third := tc.Now()
	if d := second.Sub(first); d < 500*time.Millisecond {
		t.Errorf("0.5 s between two readings came out as %s", d)
	}
	if d := third.Sub(second); d != 500*time.Millisecond {
		t.Errorf("a Date further behind moved the clock: 0.5 s came out as %s", d)
	}
	if got, want := third, server.Add(time.Second); got.Before(server) || got.Sub(want) > time.Second || want.Sub(got) > time.Second {
		t.Errorf("Now %s, want within a second of %s", got, want)
	}
	// The backend's clock is set back by a minute: the screen follows.
	fake.Advance(time.Second)
	back := server.Add(2*time.Second - time.Minute)
	if _, err := tc.ObserveDate(back); err != nil {
		t.Fatal(err)
	}
	if got := tc.Now(); !got.Equal(back) {
		t.Errorf("after the backend's clock went back a minute: Now %s, want %s", got, back)
	}
}

// TestShifted: a shifted clock starts at its instant and runs at the real
// rate.
func TestShifted(t *testing.T) {
	from := time.Date(2027, 1, 12, 3, 0, 0, 0, time.UTC)
	c := NewShifted(from)
	a := c.Now()
	if d := a.Sub(from); d < 0 || d > time.Second {
		t.Fatalf("Now = %s, want %s", a, from)
	}
	<-c.After(20 * time.Millisecond)
	if d := c.Now().Sub(a); d < 20*time.Millisecond || d > 5*time.Second {
		t.Fatalf("after 20 ms the clock moved %s", d)
	}
}
