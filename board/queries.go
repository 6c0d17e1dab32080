package board

import (
	"sort"
	"time"
)

// The queries on a board that the screen, its voice and its tools share:
// what is on a day, what has ended, who is on shift, the next meeting.

// shiftOrder sorts day, evening, night.
var shiftOrder = map[ShiftKind]int{DayShift: 0, EveningShift: 1, NightShift: 2}

// TodayActivities are the activities of the day holding now that have not
// ended, by start time.
func TodayActivities(bd *Board, now time.Time) []Activity {
	return ActivitiesOn(bd, now, 0, true)
}

// ActivitiesOn are the activities of the day plus days after the one
// holding now (0 today), by start time; without those that have ended at
// now when hideEnded.
func ActivitiesOn(bd *Board, now time.Time, plus int, hideEnded bool) []Activity {
	from, to := DayBounds(now, bd.Location(), plus)
	var out []Activity
	for _, a := range bd.Activities {
		if a.Start.Before(from) || !a.Start.Before(to) {
			continue
		}
		if hideEnded && Ended(a.Start, a.End, now) {
			continue
		}
		out = append(out, a)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// MealsOn are the meals of the day plus days after the one holding now (0
// today), by start time; without those that have ended at now when
// hideEnded.
func MealsOn(bd *Board, now time.Time, plus int, hideEnded bool) []Meal {
	from, to := DayBounds(now, bd.Location(), plus)
	var out []Meal
	for _, m := range bd.Meals {
		if m.Start.Before(from) || !m.Start.Before(to) {
			continue
		}
		if hideEnded && Ended(m.Start, m.End, now) {
			continue
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// ShiftsOn are the shifts overlapping day plus (0 today) that have not ended
// at now, in day, evening, night order, then by start.
func ShiftsOn(bd *Board, now time.Time, plus int) []Shift {
	from, to := DayBounds(now, bd.Location(), plus)
	var out []Shift
	for _, s := range bd.Roster {
		if !s.Start.Before(to) || !s.End.After(from) {
			continue
		}
		if plus == 0 && !now.Before(s.End) {
			continue
		}
		if plus > 0 && s.Start.Before(from) { // a night shift from the evening before belongs to that day
			continue
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, c := out[i], out[j]
		if shiftOrder[a.Shift] != shiftOrder[c.Shift] {
			return shiftOrder[a.Shift] < shiftOrder[c.Shift]
		}
		return a.Start.Before(c.Start)
	})
	return out
}

// TakesSignups reports whether residents sign up for a meal: it has a
// sign-up deadline or someone already signed up. "0 spiser med" under a
// meal nobody signs up for (the afternoon coffee) would only puzzle.
func TakesSignups(m Meal) bool {
	return !m.SignupDeadline.IsZero() || m.Signups.Count() > 0
}

// NextMeeting is the first meeting that has not started: suggestions are
// written for it.
func NextMeeting(bd *Board, now time.Time) (Meeting, bool) {
	var best Meeting
	found := false
	if bd == nil {
		return best, false
	}
	for _, m := range bd.Meetings {
		if m.Start.After(now) && (!found || m.Start.Before(best.Start)) {
			best, found = m, true
		}
	}
	return best, found
}

// OnNow reports whether a shift covers now.
func OnNow(s Shift, now time.Time) bool {
	return !now.Before(s.Start) && now.Before(s.End)
}

// Ended reports whether an item with start s and end e is over at now.
func Ended(s, e, now time.Time) bool {
	if e.IsZero() || e.Before(s) {
		e = s.Add(time.Hour)
	}
	return !now.Before(e)
}

// Slides counts the idle slideshow's slides: photos, then news with a
// picture, or one clock slide when there are none.
func Slides(bd *Board) int {
	if bd == nil {
		return 1
	}
	n := len(bd.Gallery)
	for _, x := range bd.News {
		if x.Image != "" {
			n++
		}
	}
	return max(1, n)
}

// SortedNews are the board's news, newest first.
func SortedNews(bd *Board) []News {
	ns := append([]News(nil), bd.News...)
	sort.SliceStable(ns, func(i, j int) bool { return ns[i].Published.After(ns[j].Published) })
	return ns
}

// SortedPhotos are the board's gallery photos, newest first.
func SortedPhotos(bd *Board) []Photo {
	ps := append([]Photo(nil), bd.Gallery...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Taken.After(ps[j].Taken) })
	return ps
}
