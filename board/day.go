package board

import "time"

// DayBounds is the start of the day plus days after the one holding t, and
// the start of the day after it, in loc: the days of a department's zone,
// 23 or 25 hours long where the clocks change.
func DayBounds(t time.Time, loc *time.Location, plus int) (time.Time, time.Time) {
	t = t.In(loc)
	y, m, d := t.Date()
	return time.Date(y, m, d+plus, 0, 0, 0, 0, loc), time.Date(y, m, d+plus+1, 0, 0, 0, 0, loc)
}

// SameDay reports whether a and c fall on the same day in loc.
func SameDay(a, c time.Time, loc *time.Location) bool {
	a, c = a.In(loc), c.In(loc)
	return a.Year() == c.Year() && a.YearDay() == c.YearDay()
}
