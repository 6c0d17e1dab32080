package board

import "time"

// Window is the span of days a screen keeps: from the start of yesterday to
// the end of the last day ahead, in the department's time zone.
type Window struct {
	From, To time.Time // [From, To)
}

// DefaultTimezone is the zone a screen assumes before it has a board, and
// for a board whose department names none.
const DefaultTimezone = "Europe/Copenhagen"

// DaysAhead is how many days after today a screen asks for and keeps.
const DaysAhead = 14

// WindowAt returns the window around now in loc: yesterday 00:00 to the end
// of today+DaysAhead. It follows the calendar, so DST days are 23 or 25 hours.
func WindowAt(now time.Time, loc *time.Location) Window {
	t := now.In(loc)
	y, m, d := t.Date()
	return Window{
		From: time.Date(y, m, d-1, 0, 0, 0, 0, loc),
		To:   time.Date(y, m, d+DaysAhead+1, 0, 0, 0, 0, loc),
	}
}

// overlaps reports whether [start, end) touches the window. An item with no
// end counts as an instant.
func (w Window) overlaps(start, end time.Time) bool {
	if end.Before(start) {
		end = start
	}
	return !end.Before(w.From) && start.Before(w.To)
}

// Trim returns a copy of b holding only the items that overlap w, and only
// those external profiles that are still signed up to something, booked
// something or wrote a suggestion. News and gallery are kept as they are.
func (b *Board) Trim(w Window) *Board {
	out := *b
	out.Activities = keep(b.Activities, func(a Activity) bool { return w.overlaps(a.Start, a.End) })
	out.Meals = keep(b.Meals, func(m Meal) bool { return w.overlaps(m.Start, m.End) })
	out.Meetings = keep(b.Meetings, func(m Meeting) bool { return w.overlaps(m.Start, m.End) })
	out.Bookings = keep(b.Bookings, func(x Booking) bool { return w.overlaps(x.Start, x.End) })
	out.Roster = keep(b.Roster, func(s Shift) bool { return w.overlaps(s.Start, s.End) })
	out.Notices = keep(b.Notices, func(n Notice) bool { return w.overlaps(n.From, n.Until) })

	used := out.referenced()
	out.Profiles = keep(b.Profiles, func(p Profile) bool { return p.Kind != External || used[p.ID] })
	return &out
}

// referenced lists the profiles named by a sign-up, booking, suggestion or shift.
func (b *Board) referenced() map[string]bool {
	used := map[string]bool{}
	mark := func(ids ...string) {
		for _, id := range ids {
			if id != "" {
				used[id] = true
			}
		}
	}
	for _, a := range b.Activities {
		mark(a.Signups.IDs...)
	}
	for _, m := range b.Meals {
		mark(m.Signups.IDs...)
	}
	for _, m := range b.Meetings {
		mark(m.Signups.IDs...)
		for _, s := range m.Suggestions {
			mark(s.ProfileID)
		}
	}
	for _, x := range b.Bookings {
		mark(x.ProfileID)
	}
	for _, s := range b.Roster {
		mark(s.ProfileID)
	}
	return used
}

func keep[T any](in []T, ok func(T) bool) []T {
	var out []T
	for _, x := range in {
		if ok(x) {
			out = append(out, x)
		}
	}
	return out
}
