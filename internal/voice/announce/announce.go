// Package announce decides when a screen says an activity or a meal is
// about to start ("Om ti minutter: Strikkeklub i Dagligstuen"), for
// residents who do not look at the screen or cannot read it.
//
// # Basics
//
// Decide is pure: given the time, the board (its department's announcements
// setting, its activities and meals), the local override, whether the
// display is off by its schedule and what was already said, it returns what
// to say now and when to look again. The caller owns the clock (take it from
// internal/clock) and the speaking.
//
// An item is announced before_minutes before its start, once. If the screen
// was off, asleep or restarting at that moment, it is announced late, as
// long as it has not started, with the minutes that are actually left. An
// item whose start moves is announced again for its new start.
//
// # Caveats
//
// Announcements never name a person: they say the item and its place. The
// record of what was said (Said) holds kinds, ids and times only, so it may
// be kept on disk. Quiet hours are wall-clock times in the department's
// zone; the lead time is real minutes, across a change of daylight saving
// time too.
package announce

import (
	"slices"
	"time"

	"skaerm/board"
	"skaerm/internal/voice/spoken"
)

// Kinds of item announced.
const (
	ActivityKind = "activity"
	MealKind     = "meal"
	NoticeKind   = "notice" // an urgent notice from staff, read once
)

// Inputs are what the decision looks at.
type Inputs struct {
	Now   time.Time
	Board *board.Board
	// Off is the screen's own override (config announcements = "off"):
	// nothing is announced whatever the department says.
	Off bool
	// ScheduledOff says the display is off by its schedule (the night):
	// nothing is announced then.
	ScheduledOff bool
	// Said is what was announced already.
	Said *Said
}

// Announcement is one thing to say.
type Announcement struct {
	Kind  string    // ActivityKind or MealKind
	ID    string    // the item's id
	Start time.Time // the item's start it announces
	At    time.Time // when it is due
	Text  string    // what to say, in the department's language
}

// Decision is what to say now and when to look again.
type Decision struct {
	Say []Announcement
	// Next is when the next announcement falls due with the board as it
	// is; zero when nothing is coming.
	Next time.Time
}

// minLeft: an item starting in less than this is not announced any more.
const minLeft = time.Minute

// Decide says what to announce at in.Now. An announcement due in the
// department's quiet hours waits for their end and is said then if the item
// starts at least a minute later; one due while the display is off by its
// schedule is said when the display comes on, on the same terms.
//
// An urgent notice is read once while it is shown, with or without the
// department's announcements: at its from, or at the end of quiet hours or
// of the display's off hours if it is still shown then, unless it wakes
// the display (wake), which it does at once, quiet hours notwithstanding.
func Decide(in Inputs) Decision {
	b := in.Board
	var d Decision
	if b == nil {
		return d
	}
	d = notices(in)
	if in.Off || b.Department.Announcements == nil || !b.Department.Announcements.Enabled {
		return d
	}
	set := b.Department.Announcements
	loc := b.Location()
	lead := time.Duration(set.BeforeMinutes) * time.Minute
	words := spoken.For(b.Department.Locale)
	now := in.Now
	quiet := func(t time.Time) bool { return set.Quiet != nil && set.Quiet.Contains(t, loc) }
	consider := func(kind, id string, start time.Time, text func(minutes int) string) {
		if in.Said.Has(kind, id, start) {
			return
		}
		at := start.Add(-lead)
		if quiet(at) {
			at = set.Quiet.End(at, loc)
		}
		if !at.After(now) && quiet(now) {
			at = set.Quiet.End(now, loc)
		}
		if start.Sub(later(at, now)) < minLeft {
			return
		}
		if at.After(now) {
			if d.Next.IsZero() || at.Before(d.Next) {
				d.Next = at
			}
			return
		}
		if in.ScheduledOff {
			return
		}
		left := int((start.Sub(now) + time.Minute - 1) / time.Minute) // whole minutes, rounded up
		d.Say = append(d.Say, Announcement{Kind: kind, ID: id, Start: start, At: at, Text: text(min(left, set.BeforeMinutes))})
	}
	for _, a := range b.Activities {
		consider(ActivityKind, a.ID, a.Start, func(m int) string { return words.Soon(m, a.Title, a.Location) })
	}
	for _, m := range b.Meals {
		consider(MealKind, m.ID, m.Start, func(n int) string { return words.SoonMeal(n, m.Kind) })
	}
	slices.SortStableFunc(d.Say, func(x, y Announcement) int {
		// Staff's urgent word first, then the items by their start.
		if (x.Kind == NoticeKind) != (y.Kind == NoticeKind) {
			if x.Kind == NoticeKind {
				return -1
			}
			return 1
		}
		return x.Start.Compare(y.Start)
	})
	return d
}

// notices is what Decide says of urgent notices. A said notice is kept by
// its until (Announcement.Start), so one that lasts days is said once, and
// one whose until staff move is said again.
func notices(in Inputs) Decision {
	b := in.Board
	var d Decision
	loc := b.Location()
	var quietSpan *board.DaySpan
	if a := b.Department.Announcements; a != nil {
		quietSpan = a.Quiet
	}
	quiet := func(t time.Time) bool { return quietSpan != nil && quietSpan.Contains(t, loc) }
	words := spoken.For(b.Department.Locale)
	for _, n := range b.Notices {
		if n.Level != board.NoticeUrgent || !in.Now.Before(n.Until) || in.Said.Has(NoticeKind, n.ID, n.Until) {
			continue
		}
		at := later(n.From, in.Now)
		if !n.Wake && quiet(at) {
			at = quietSpan.End(at, loc)
		}
		if !at.Before(n.Until) {
			continue // it ends before it may be said
		}
		if at.After(in.Now) {
			if d.Next.IsZero() || at.Before(d.Next) {
				d.Next = at
			}
			continue
		}
		if in.ScheduledOff && !n.Wake {
			continue // said when the display comes on, if still shown
		}
		d.Say = append(d.Say, Announcement{Kind: NoticeKind, ID: n.ID, Start: n.Until, At: at, Text: words.Notice(n.Title, n.Body)})
	}
	return d
}

// Said is what was announced: kinds, ids and starts, nothing a person could
// be recognised by. It is a JSON value to keep across restarts. A nil *Said
// holds nothing.
type Said struct {
	Items []SaidItem `json:"items"`
}

// SaidItem is one announcement made.
type SaidItem struct {
	Kind  string    `json:"kind"`
	ID    string    `json:"id"`
	Start time.Time `json:"start"`
}

// Has reports whether the item was announced for this start.
func (s *Said) Has(kind, id string, start time.Time) bool {
	if s == nil {
		return false
	}
	for _, it := range s.Items {
		if it.Kind == kind && it.ID == id && it.Start.Equal(start) {
			return true
		}
	}
	return false
}

// Add records an announcement as made.
func (s *Said) Add(a Announcement) {
	if !s.Has(a.Kind, a.ID, a.Start) {
		s.Items = append(s.Items, SaidItem{Kind: a.Kind, ID: a.ID, Start: a.Start})
	}
}

// keepSaid is how long past its start an item stays in the record.
const keepSaid = 24 * time.Hour

// Prune forgets items that started more than a day before now.
func (s *Said) Prune(now time.Time) {
	s.Items = slices.DeleteFunc(s.Items, func(it SaidItem) bool { return now.Sub(it.Start) > keepSaid })
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
