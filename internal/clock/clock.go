// Package clock is the time source every component takes instead of calling
// time.Now or time.After itself, so tests can run days in milliseconds and
// the screen can correct a Raspberry Pi's untrusted clock.
package clock

import (
	"sort"
	"sync"
	"time"
)

// Clock tells the time and waits.
type Clock interface {
	Now() time.Time
	// After sends the time on the returned channel once d has passed.
	After(d time.Duration) <-chan time.Time
}

// Real is the machine's clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// After is time.After.
func (Real) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Shifted is the machine's clock moved to another instant: it starts at
// the instant given to NewShifted and runs on at the real rate. A
// technician sees a screen at 03:00 in the afternoon with it (--clock-from).
type Shifted struct{ by time.Duration }

// NewShifted is a clock that shows from now and runs on from there.
func NewShifted(from time.Time) Shifted { return Shifted{by: time.Until(from)} }

// Now is the real time moved.
func (s Shifted) Now() time.Time { return time.Now().Add(s.by) }

// After is time.After: durations are real.
func (Shifted) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Fake is a clock that moves only when told to. It is safe for concurrent use.
type Fake struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

// NewFake returns a fake clock standing at t.
func NewFake(t time.Time) *Fake { return &Fake{now: t} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// After returns a channel that fires when the fake time reaches now+d.
func (f *Fake) After(d time.Duration) <-chan time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- f.now
		return ch
	}
	f.waiters = append(f.waiters, waiter{at: f.now.Add(d), ch: ch})
	return ch
}

// Waiters reports how many After channels have not fired yet; tests use it
// to know a goroutine is parked before they advance the clock.
func (f *Fake) Waiters() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.waiters)
}

// Advance moves the fake time forward by d and fires every waiter due.
func (f *Fake) Advance(d time.Duration) { f.Set(f.Now().Add(d)) }

// Set moves the fake time to t (backwards too, as a Pi's clock does when NTP
// corrects it) and fires every waiter due at t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = t
	sort.Slice(f.waiters, func(i, j int) bool { return f.waiters[i].at.Before(f.waiters[j].at) })
	rest := f.waiters[:0]
	for _, w := range f.waiters {
		if !w.at.After(t) {
			w.ch <- t
		} else {
			rest = append(rest, w)
		}
	}
	f.waiters = rest
}
