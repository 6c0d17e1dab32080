package words

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// DayPart is a part of the day as people name it.
type DayPart uint8

// The parts of the day: morning 05-09, late morning 09-12, afternoon
// 12-18, evening 18-23, night 23-05.
const (
	Morning DayPart = iota
	LateMorning
	Afternoon
	Evening
	Night
)

// PartOfDay is the part of the day holding t in loc.
func PartOfDay(t time.Time, loc *time.Location) DayPart {
	switch h := t.In(loc).Hour(); {
	case h >= 5 && h < 9:
		return Morning
	case h >= 9 && h < 12:
		return LateMorning
	case h >= 12 && h < 18:
		return Afternoon
	case h >= 18 && h < 23:
		return Evening
	}
	return Night
}

// PartOfDay says the part of the day holding t in words, with the weekday:
// "Mandag formiddag", "Natten til tirsdag". The night is named after the
// morning it leads to, before and after midnight alike.
func (s *Strings) PartOfDay(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	p := PartOfDay(t, loc)
	day := t
	if p == Night && t.Hour() >= 12 {
		day = t.AddDate(0, 0, 1)
	}
	if p == Night && s.NightBefore == "" {
		day = day.AddDate(0, 0, -1) // English: "Monday night" runs into Tuesday
	}
	wd := s.Weekdays[day.Weekday()]
	var out string
	switch {
	case p == Night && s.NightBefore != "":
		out = fmt.Sprintf(s.NightBefore, s.weekdayInText(wd))
	case s.Lang == "de":
		out = wd + strings.ToLower(s.DayParts[p]) // Montagvormittag
	default:
		out = wd + " " + s.DayParts[p]
	}
	return capitalise(out)
}

// weekdayInText is a weekday inside a sentence: lower case where the
// language writes it so.
func (s *Strings) weekdayInText(wd string) string {
	if !s.LowerWeekday {
		return wd
	}
	return strings.ToLower(wd)
}

func capitalise(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// Temp is a temperature in whole degrees: "3°", "−2°" (a real minus sign).
func Temp(c float64) string {
	n := int(math.Round(c))
	if n < 0 {
		return fmt.Sprintf("−%d°", -n)
	}
	return fmt.Sprintf("%d°", n)
}
