package board

import "time"

// Morning is what comes first in the morning after a night: the first meal
// of that morning, or when it has none its first activity.
type Morning struct {
	Start time.Time
	Meal  MealKind // set for a meal
	Title string   // an activity's title; "" for a meal
}

// MorningNoon is the hour until which the morning lasts, for FirstInMorning.
const MorningNoon = 12

// FirstInMorning is what comes first in the morning the night holding now
// leads to: that morning is today's before noon in the department's zone,
// else tomorrow's. Only what starts at now or later and before noon
// counts; ok is false when that morning holds nothing.
func FirstInMorning(bd *Board, now time.Time) (m Morning, ok bool) {
	if bd == nil {
		return Morning{}, false
	}
	loc := bd.Location()
	t := now.In(loc)
	day := t
	if t.Hour() >= MorningNoon {
		day = t.AddDate(0, 0, 1)
	}
	from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	if now.After(from) {
		from = now
	}
	noon := time.Date(day.Year(), day.Month(), day.Day(), MorningNoon, 0, 0, 0, loc)
	in := func(s time.Time) bool { return !s.Before(from) && s.Before(noon) }
	for _, x := range bd.Meals {
		if in(x.Start) && (!ok || x.Start.Before(m.Start)) {
			m, ok = Morning{Start: x.Start, Meal: x.Kind}, true
		}
	}
	if ok {
		return m, true
	}
	for _, a := range bd.Activities {
		if in(a.Start) && (!ok || a.Start.Before(m.Start)) {
			m, ok = Morning{Start: a.Start, Title: a.Title}, true
		}
	}
	return m, ok
}
