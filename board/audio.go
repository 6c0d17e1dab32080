package board

import (
	"fmt"
	"time"
)

// Audio is a recorded reading of an item by staff (Screen API v1.1): the
// cook reading the menu. It is fetched like a picture, by its hash.
type Audio struct {
	SHA256      string  `json:"sha256"`
	ContentType string  `json:"content_type"` // one of AudioTypes
	Seconds     float64 `json:"seconds"`      // at most MaxAudioSeconds
}

// AudioTypes are the kinds of recording a screen plays.
var AudioTypes = []string{"audio/mpeg", "audio/wav", "audio/ogg"}

// MaxAudioSeconds is the longest recording a screen keeps.
const MaxAudioSeconds = 120

// Announcements are the department's spoken reminders: BeforeMinutes before
// each activity and meal, never in the Quiet hours.
type Announcements struct {
	Enabled       bool     `json:"enabled"`
	BeforeMinutes int      `json:"before_minutes"`
	Quiet         *DaySpan `json:"quiet,omitempty"` // nil: no quiet hours
}

// DaySpan is a stretch of wall-clock time repeated every day, in the
// department's zone. From after To crosses midnight: 20:30-08:00.
type DaySpan struct {
	From int `json:"from"` // minutes after midnight, 0..1439
	To   int `json:"to"`   // minutes after midnight, 0..1439, not equal to From
}

// ParseDaySpan reads "HH:MM-HH:MM".
func ParseDaySpan(s string) (DaySpan, error) {
	var fh, fm, th, tm int
	var rest string
	n, _ := fmt.Sscanf(s, "%2d:%2d-%2d:%2d%s", &fh, &fm, &th, &tm, &rest)
	if n != 4 || len(s) != len("20:30-08:00") {
		return DaySpan{}, fmt.Errorf("%q is not HH:MM-HH:MM", s)
	}
	for _, v := range [][2]int{{fh, fm}, {th, tm}} {
		if v[0] < 0 || v[0] > 23 || v[1] < 0 || v[1] > 59 {
			return DaySpan{}, fmt.Errorf("%q: a time outside 00:00..23:59", s)
		}
	}
	d := DaySpan{From: fh*60 + fm, To: th*60 + tm}
	if d.From == d.To {
		return DaySpan{}, fmt.Errorf("%q starts where it ends", s)
	}
	return d, nil
}

// String is "HH:MM-HH:MM".
func (d DaySpan) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", d.From/60, d.From%60, d.To/60, d.To%60)
}

// Contains reports whether t falls in the span, read on the wall clock in
// loc. From is inside, To is not.
func (d DaySpan) Contains(t time.Time, loc *time.Location) bool {
	t = t.In(loc)
	m := t.Hour()*60 + t.Minute()
	if d.From < d.To {
		return d.From <= m && m < d.To
	}
	return m >= d.From || m < d.To
}

// End is the first end of the span at or after t: the next time the wall
// clock in loc shows To.
func (d DaySpan) End(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	end := time.Date(l.Year(), l.Month(), l.Day(), d.To/60, d.To%60, 0, 0, loc)
	if end.Before(t) {
		end = time.Date(l.Year(), l.Month(), l.Day()+1, d.To/60, d.To%60, 0, 0, loc)
	}
	return end
}
