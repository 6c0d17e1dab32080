package clock

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
)

// Trust sources reported in TrustState.Source.
const (
	SourceNTP     = "ntp"     // the kernel says NTP keeps the clock in sync
	SourceBackend = "backend" // local clock + the offset measured against the backend
	SourceNone    = "none"    // nothing to go by: the day is unknown
)

// minTrusted is the earliest time a clock may show and be believed: anything
// before it is a Pi that booted without a saved time.
var minTrusted = time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)

// ErrImplausibleDate means a backend's Date is before 2024 or missing,
// so it cannot correct the clock.
var ErrImplausibleDate = errors.New("backend date is implausible")

// Offset is the difference between the backend's clock and the local one,
// as the cache keeps it between restarts of the screen. It stays valid while
// the local clock runs on undisturbed: within the boot it was measured in
// (a reboot resets the clock of a Pi, which has no real-time clock) and as
// long as the clock has not been stepped since (by hand, or by an NTP client
// that synchronised and lost its server again). A step shows as the local
// clock having moved by a different amount than the time since boot, which
// nothing can set.
type Offset struct {
	Offset     time.Duration `json:"offset"`      // backend time minus local time
	MeasuredAt time.Time     `json:"measured_at"` // local (uncorrected) clock when measured
	BootID     string        `json:"boot_id"`     // kernel boot id when measured
	// Uptime is the time since boot (CLOCK_BOOTTIME) when measured; 0
	// means unknown, and then the offset is not carried past a restart.
	Uptime time.Duration `json:"uptime,omitempty"`
}

// maxStep is how far the local clock may drift from the time since boot
// before a kept offset counts as measured against another clock: well
// above the slew of an ordinary crystal over a day, well below anything
// that could name the wrong hour.
const maxStep = 10 * time.Second

// Carried reports why a kept offset still holds now, in this boot with the
// local clock at local and uptime since boot, or why not ("" when it
// holds).
func (o Offset) Carried(bootID string, local time.Time, uptime time.Duration) string {
	switch {
	case o.BootID == "" || o.Uptime <= 0:
		return "measured by an older version, without its boot"
	case o.BootID != bootID:
		return "measured before the last reboot"
	case uptime <= 0:
		return "the time since boot is unknown"
	case !plausible(o.MeasuredAt.Add(o.Offset)):
		return "the measured backend time is implausible"
	}
	wall, up := local.Sub(o.MeasuredAt), uptime-o.Uptime
	step := wall - up
	if step < 0 {
		step = -step
	}
	if up < 0 || step > maxStep+up/1000 {
		return fmt.Sprintf("the local clock was set since (it moved %s in %s)", wall.Round(time.Second), up.Round(time.Second))
	}
	return ""
}

// TrustState says what the screen knows about the time.
type TrustState struct {
	// Known is true when the date can be believed: show "today".
	Known bool `json:"known"`
	// Synced is true when the kernel says NTP keeps the clock in sync.
	Synced bool `json:"synced"`
	// Source is SourceNTP, SourceBackend or SourceNone.
	Source string `json:"source"`
	// Offset is what is added to the local clock (SourceBackend only).
	Offset time.Duration `json:"offset"`
}

// String says the state in plain words for logs and the doctor.
func (s TrustState) String() string {
	switch s.Source {
	case SourceNTP:
		return "synchronised by NTP"
	case SourceBackend:
		return "no NTP; going by the backend's time: " + OffsetText(s.Offset)
	}
	return "no NTP and no backend time to go by: today's date is unknown"
}

// OffsetText says how this screen's clock stands against the backend's,
// given the backend's time minus the local time.
func OffsetText(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d == 0:
		return "this screen's clock agrees with the backend's (within a second)"
	case d > 0:
		return fmt.Sprintf("this screen's clock is %s behind the backend's", d)
	}
	return fmt.Sprintf("this screen's clock is %s ahead of the backend's", -d)
}

// TrustOptions configures NewTrusted.
type TrustOptions struct {
	// Base is the local clock; nil means Real.
	Base Clock
	// KernelSynced reports whether the kernel's clock is NTP-synchronised;
	// nil means KernelSynced (adjtimex on Linux).
	KernelSynced func() (bool, error)
	// BootID is this boot's id; "" reads it with BootID(). An offset from
	// another boot is discarded.
	BootID string
	// Last is the offset the cache kept from earlier, if any; it is used
	// when Offset.Carried says it still holds.
	Last *Offset
	// Uptime is the time since boot; nil means Uptime (CLOCK_BOOTTIME).
	Uptime func() time.Duration
	// Recheck is how often the kernel is asked again; 0 means 30 s.
	Recheck time.Duration
}

// Trusted is a Clock that knows whether to believe itself. A Raspberry Pi
// has no real-time clock: it boots with the time saved at the last shutdown,
// or 1970, and learns the real time only from NTP. Trusted believes the
// local clock when the kernel says NTP keeps it; otherwise it adds the
// offset measured against the backend's Date header, when there is one from
// this boot; otherwise Status says the day is unknown, and the display shows
// the cached board without marking "today". A clock before 2024 is
// never believed. It is safe for concurrent use.
type Trusted struct {
	base    Clock
	synced  func() (bool, error)
	bootID  string
	uptime  func() time.Duration
	recheck time.Duration
	dropped string // why Last was not used, "" if it was or there was none

	mu        sync.Mutex
	offset    *Offset   // valid offset for this boot, nil if none
	checkedAt time.Time // base time of the last kernel query
	isSynced  bool
	syncErr   error
}

var _ Clock = (*Trusted)(nil)

// NewTrusted returns a trust-aware clock. A Last offset is used while it
// holds (Offset.Carried): a restart of the screen keeps the backend's time,
// a reboot or a clock step drops it until the backend answers again.
func NewTrusted(o TrustOptions) *Trusted {
	t := &Trusted{base: o.Base, synced: o.KernelSynced, bootID: o.BootID, uptime: o.Uptime, recheck: o.Recheck}
	if t.base == nil {
		t.base = Real{}
	}
	if t.synced == nil {
		t.synced = KernelSynced
	}
	if t.bootID == "" {
		t.bootID = BootID()
	}
	if t.uptime == nil {
		t.uptime = Uptime
	}
	if t.recheck <= 0 {
		t.recheck = 30 * time.Second
	}
	if l := o.Last; l != nil {
		if t.dropped = l.Carried(t.bootID, t.base.Now(), t.uptime()); t.dropped == "" {
			last := *l
			t.offset = &last
		}
	}
	return t
}

// Dropped says why the kept offset (TrustOptions.Last) was not used, ""
// when it was or there was none.
func (t *Trusted) Dropped() string { return t.dropped }

// Now returns the best time there is: the local clock when NTP keeps it,
// else the local clock plus the backend offset, else the local clock as it
// is (Status then says the day is unknown).
func (t *Trusted) Now() time.Time {
	now, _ := t.state()
	return now
}

// After waits on the local clock; durations do not depend on the offset.
func (t *Trusted) After(d time.Duration) <-chan time.Time { return t.base.After(d) }

// Status reports whether the date can be believed and why.
func (t *Trusted) Status() TrustState {
	_, st := t.state()
	return st
}

// SyncError is the last error asking the kernel, if any (for the doctor).
func (t *Trusted) SyncError() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.syncErr
}

// Offset returns the offset in use for the cache to keep, if there is one.
func (t *Trusted) Offset() (Offset, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.offset == nil {
		return Offset{}, false
	}
	return *t.offset, true
}

// ObserveDate takes the backend's Date (from an HTTP response that has just
// arrived) and corrects the clock by it. It returns the offset for the cache
// to keep. The Date header has one-second resolution, which is plenty to
// know the day.
//
// The clock must not jump at every answer: a Date is the server's time
// cut down to the second and read after the answer travelled, so each one
// measures the offset up to a second short, differently each time, and a
// clock stepped back by half a second between two taps makes the second
// look like a bounce of the first. An offset within a second or so of the
// one in use is therefore taken only when it is larger (closer to the
// truth, a step forward of less than a second); a clock moved by more
// (the backend's, or this one's) is followed at once.
func (t *Trusted) ObserveDate(date time.Time) (Offset, error) {
	if !plausible(date) {
		return Offset{}, fmt.Errorf("observe backend date %s: %w", date.UTC().Format(time.RFC3339), ErrImplausibleDate)
	}
	local := t.base.Now()
	o := Offset{Offset: date.Sub(local), MeasuredAt: local, BootID: t.bootID, Uptime: t.uptime()}
	t.mu.Lock()
	defer t.mu.Unlock()
	if cur := t.offset; cur != nil && cur.BootID == o.BootID {
		if d := o.Offset - cur.Offset; d <= 0 && d > -dateJitter {
			return *cur, nil
		}
	}
	t.offset = &o
	return o, nil
}

// dateJitter is how far apart two honest measurements of the offset by
// the backend's Date can be: a second of resolution and the answer's trip.
const dateJitter = 2 * time.Second

// state evaluates the trust rules once.
func (t *Trusted) state() (time.Time, TrustState) {
	local := t.base.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if age := local.Sub(t.checkedAt); t.checkedAt.IsZero() || age < 0 || age >= t.recheck {
		t.isSynced, t.syncErr = t.synced()
		if t.syncErr != nil {
			t.isSynced = false
		}
		t.checkedAt = local
	}
	if t.isSynced && plausible(local) {
		// NTP has set the clock: any older offset measured the clock
		// before it was stepped and would now be wrong.
		t.offset = nil
		return local, TrustState{Known: true, Synced: true, Source: SourceNTP}
	}
	if t.offset != nil {
		if corrected := local.Add(t.offset.Offset); plausible(corrected) {
			return corrected, TrustState{Known: true, Synced: t.isSynced, Source: SourceBackend, Offset: t.offset.Offset}
		}
	}
	return local, TrustState{Synced: t.isSynced, Source: SourceNone}
}

func plausible(t time.Time) bool { return !t.IsZero() && !t.Before(minTrusted) }

// BootID returns the kernel's id for this boot, or "" where there is none.
func BootID() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// NextMidnight returns the next 00:00 in loc after now: the moment "today"
// changes. Days in loc are 23 or 25 hours long when the clocks change.
func NextMidnight(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

// StartOfDay returns 00:00 of now's day in loc.
func StartOfDay(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
