package board

import (
	"fmt"
	"sort"
	"time"
)

// SlotMode says how a bookable resource is booked.
type SlotMode string

// The slot modes of the Screen API.
const (
	FixedSlots SlotMode = "fixed" // only the listed slot times
	FreeSlots  SlotMode = "free"  // any start on the grid, for a length between min and max
)

// ClockSpan is a span of wall-clock time in the department's zone, in
// minutes since midnight: 07:00-09:00 is {420, 540}. To is at most 1440
// (24:00) and after From.
type ClockSpan struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// On is the span on the day holding day, in loc. It follows the calendar:
// a span 01:00-03:00 on the night the clocks go forward lasts one hour.
func (c ClockSpan) On(day time.Time, loc *time.Location) (start, end time.Time) {
	day = day.In(loc)
	y, m, d := day.Date()
	return time.Date(y, m, d, 0, c.From, 0, 0, loc), time.Date(y, m, d, 0, c.To, 0, 0, loc)
}

// String is the span as the Screen API writes it: "07:00-09:00".
func (c ClockSpan) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", c.From/60, c.From%60, c.To/60, c.To%60)
}

// Bookable is a shared resource residents book on the screen (the laundry,
// the minibus, the guest room), with the rules the Manager keeps.
type Bookable struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Pictogram string   `json:"pictogram,omitempty"`
	Slots     SlotMode `json:"slots"`
	// SlotTimes are a fixed resource's slots on each day, in order.
	SlotTimes []ClockSpan `json:"slot_times,omitempty"`
	// A free resource starts on the grid and lasts from Min to Max minutes.
	GridMinutes int `json:"grid_minutes,omitempty"`
	MinMinutes  int `json:"min_minutes,omitempty"`
	MaxMinutes  int `json:"max_minutes,omitempty"`
	// Open is when the resource may be used each day; 00:00-24:00 lets a
	// free booking run across midnight.
	Open               ClockSpan `json:"open"`
	MaxAheadDays       int       `json:"max_ahead_days"`
	MaxPerWeek         int       `json:"max_per_week,omitempty"` // per profile, Monday to Sunday; 0: no limit
	CancelUntilMinutes int       `json:"cancel_until_minutes,omitempty"`
	LoginRequired      bool      `json:"login_required,omitempty"`
}

// AllDay reports whether the resource is open around the clock, so that a
// booking may run across midnight.
func (r Bookable) AllDay() bool { return r.Open.From == 0 && r.Open.To == 24*60 }

// SlotState is what a slot on a resource's grid is to a resident now.
type SlotState uint8

// The states of a slot.
const (
	SlotFree    SlotState = iota // free to book
	SlotTaken                    // a booking overlaps it (Slot.Booking says whose)
	SlotStarted                  // it has begun: no longer free
)

// Slot is one bookable time on a resource's grid.
type Slot struct {
	Start, End time.Time
	State      SlotState
	Booking    *Booking // the booking that takes it, when taken
}

// Bookable returns the resource with id.
func (b *Board) Bookable(id string) (Bookable, bool) {
	if b == nil {
		return Bookable{}, false
	}
	for _, r := range b.Bookables {
		if r.ID == id {
			return r, true
		}
	}
	return Bookable{}, false
}

// BookingsOf are the bookings of a resource, by start.
func BookingsOf(b *Board, resourceID string) []Booking {
	var out []Booking
	for _, x := range b.Bookings {
		if x.ResourceID == resourceID {
			out = append(out, x)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// LastBookableDay is the last day, counted from today (0), on which the
// resource may be booked: its max_ahead_days, within the days the screen
// keeps.
func LastBookableDay(r Bookable) int { return min(r.MaxAheadDays, DaysAhead) }

// SlotsOn are the slots of resource r on the day plus days after now's, in
// the board's zone: a fixed resource's slot times, or a free resource's grid
// inside its open hours (each one grid step long; the sheet offers the
// lengths). A day past max_ahead_days has none.
func SlotsOn(b *Board, r Bookable, now time.Time, plus int) []Slot {
	if plus < 0 || plus > LastBookableDay(r) {
		return nil
	}
	loc := b.Location()
	day, _ := DayBounds(now, loc, plus)
	var spans [][2]time.Time
	switch r.Slots {
	case FixedSlots:
		for _, c := range r.SlotTimes {
			s, e := c.On(day, loc)
			spans = append(spans, [2]time.Time{s, e})
		}
	case FreeSlots:
		if r.GridMinutes <= 0 {
			return nil
		}
		for m := r.Open.From; m+r.GridMinutes <= r.Open.To; m += r.GridMinutes {
			s, e := ClockSpan{m, m + r.GridMinutes}.On(day, loc)
			spans = append(spans, [2]time.Time{s, e})
		}
	}
	taken := BookingsOf(b, r.ID)
	out := make([]Slot, 0, len(spans))
	for _, sp := range spans {
		sl := Slot{Start: sp[0], End: sp[1]}
		for i := range taken {
			if taken[i].Start.Before(sl.End) && sl.Start.Before(taken[i].End) {
				sl.State, sl.Booking = SlotTaken, &taken[i]
				break
			}
		}
		if sl.State == SlotFree && !now.Before(sl.Start) {
			sl.State = SlotStarted
		}
		out = append(out, sl)
	}
	return out
}

// Lengths are the ends a free resource offers for a booking from start, in
// grid steps from min_minutes to max_minutes, as long as no booking is in
// the way and the booking stays inside the open hours (or runs across
// midnight on a resource open around the clock). A fixed resource has one:
// the slot's own end, when start is one of its slots.
func Lengths(b *Board, r Bookable, start time.Time) []time.Time {
	loc := b.Location()
	if r.Slots == FixedSlots {
		for _, c := range r.SlotTimes {
			s, e := c.On(start, loc)
			if s.Equal(start) {
				return []time.Time{e}
			}
		}
		return nil
	}
	if r.GridMinutes <= 0 || r.MinMinutes <= 0 || r.MaxMinutes < r.MinMinutes {
		return nil
	}
	day, _ := DayBounds(start, loc, 0)
	_, closeAt := r.Open.On(day, loc)
	taken := BookingsOf(b, r.ID)
	var out []time.Time
	for m := r.MinMinutes; m <= r.MaxMinutes; m += r.GridMinutes {
		end := wallAdd(start, m, loc)
		if !r.AllDay() && end.After(closeAt) {
			break
		}
		clash := false
		for _, x := range taken {
			if x.Start.Before(end) && start.Before(x.End) {
				clash = true
				break
			}
		}
		if clash {
			break
		}
		out = append(out, end)
	}
	return out
}

// wallAdd is t plus m minutes of wall-clock time in loc: a booking of
// "three hours" from 01:00 on the night the clocks go back ends at 04:00.
func wallAdd(t time.Time, m int, loc *time.Location) time.Time {
	t = t.In(loc)
	y, mo, d := t.Date()
	return time.Date(y, mo, d, t.Hour(), t.Minute()+m, 0, 0, loc)
}

// WeekOf is the Monday-to-Sunday week holding t, in loc: [from, to).
func WeekOf(t time.Time, loc *time.Location) (from, to time.Time) {
	t = t.In(loc)
	back := (int(t.Weekday()) + 6) % 7 // days since Monday
	from, _ = DayBounds(t, loc, -back)
	_, to = DayBounds(t, loc, 6-back)
	return from, to
}

// BookedInWeek counts profile's bookings of a resource in the week of t,
// as the screen holds them: the board's, less those whose cancelling waits
// in outbox, and the bookings waiting in outbox to be sent.
func BookedInWeek(b *Board, outbox []Signup, resourceID, profileID string, t time.Time) int {
	from, to := WeekOf(t, b.Location())
	in := func(s time.Time) bool { return !s.Before(from) && s.Before(to) }
	cancelling := map[string]bool{}
	n := 0
	for _, o := range outbox {
		if o.ItemType != BookingItem || o.State != Pending || o.ProfileID != profileID {
			continue
		}
		switch o.Action {
		case Cancel:
			cancelling[o.ItemID] = true
		case Book:
			if o.ItemID == resourceID && in(o.Start) {
				n++
			}
		}
	}
	for _, x := range b.Bookings {
		if x.ResourceID == resourceID && x.ProfileID == profileID && in(x.Start) && !cancelling[x.ID] {
			n++
		}
	}
	return n
}

// AtWeekLimit reports whether profile may book no more of r in the week of
// t, counted as BookedInWeek counts.
func AtWeekLimit(b *Board, outbox []Signup, r Bookable, profileID string, t time.Time) bool {
	return r.MaxPerWeek > 0 && BookedInWeek(b, outbox, r.ID, profileID, t) >= r.MaxPerWeek
}

// CanCancel reports whether a booking of r may still be cancelled at now.
func CanCancel(r Bookable, x Booking, now time.Time) bool {
	return now.Before(x.Start.Add(-time.Duration(r.CancelUntilMinutes) * time.Minute))
}
