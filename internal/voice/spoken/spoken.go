// Package spoken writes what a card on the screen says as words a person
// speaks, for the speech engine to read aloud: "Frokost klokken tolv. Boller
// i karry med ris. Sytten spiser med." in Danish, Norwegian (nb), German and
// English.
//
// # Basics
//
// Numbers, times and dates become words, because a voice reading "12:00"
// or "1. dec." reads them the way a machine would. Times are read as people
// in a care home say them, on a twelve-hour clock: "klokken tolv", "klokken
// kvart over ti", "klokken halv tre" (14:30), "klokken tyve minutter over
// ti"; the card says which part of the day it is by what it is. Meal names,
// weekdays and months are the screen's own words (display/layout), so what
// is read is what is shown.
//
// # Caveats
//
// Sentences name people only by the name the board holds for them (a first
// name or alias), and only where the screen shows it; a count says the rest.
package spoken

import (
	"skaerm/words"
	"strings"
	"time"
)

// language is the spoken words of one locale.
type language struct {
	ones      [20]string // 0..19 as counted
	tens      [10]string // 20, 30, ... by tens digit
	hundred   string     // "hundrede" after a digit: "to hundrede"
	hundred1  string     // 100 alone: "hundrede", "one hundred"
	thousand  string     // "tusind" after a digit
	thousand1 string     // 1000 alone
	and       string     // between hundreds and the rest: "og"; "" joins them (de)
	compound  bool       // numbers are one word: "zweihundertfünf" (de)
	tensFirst bool       // "tjueen": tens before ones (nb, en); else "enogtyve" (da, de)
	join      string     // between ones and tens: "og" (da), "und" (de), "" (nb), "-" (en)
	one       string     // 1 in "21", "101": "en", "ein", "en", "one"
	ordinals  [32]string // 1..31 as in a date

	clockHours [13]string // the hour as read on a clock, 1..12
	fullOne    string     // one o'clock when it differs: "ein" in "um ein Uhr"
	oClock     string     // "klokken %s" for a full hour
	at         string     // "klokken %s" for any other time
	quarter    [2]string  // "kvart over %s", "kvart i %s"
	half       string     // "halv %s" (of the next hour), or "half past %s"
	halfNext   bool       // half names the next hour (da, nb, de)
	minutes    [2]string  // "%s minutter over %s", "%s minutter i %s"
	minute     [2]string  // the same for one minute

	date   string    // "%[1]s den %[2]s %[3]s": weekday, ordinal, month
	eating [2]string // one person, more: "En spiser med.", "%s spiser med."
	signed [2]string // "En er tilmeldt.", "%s er tilmeldt."
	others string    // hidden people after the names: "og %s andre"
	and2   string    // before the last name: "og"
	in     string    // "i": "Strikkeklub i Dagligstuen"
	soon   string    // an announcement: "Om %s minutter: %s"
	soon1  string    // the same in one minute
}

// For returns the words for a locale code ("da", "nb", "no", "de", "en",
// also "da-DK" and the like); anything else is Danish, as on the screen.
func For(locale string) *Words {
	s := words.Locale(locale)
	l := languages[s.Lang]
	if l == nil {
		l = languages["da"]
	}
	return &Words{l: l, s: s}
}

// Words speaks one locale.
type Words struct {
	l *language
	s *words.Strings
}

// Lang is the locale the words are in: da, nb, de or en.
func (w *Words) Lang() string { return w.s.Lang }

// Number says n: 17 -> "sytten", 21 -> "enogtyve", 125 -> "hundrede og
// femogtyve". Numbers from 10 000 on, and negative ones, are read digit by
// digit, which is what a voice does best with them.
func (w *Words) Number(n int) string {
	l := w.l
	switch {
	case n < 0 || n >= 10000:
		return digits(l, n)
	case n < 20:
		return l.ones[n]
	case n < 100:
		t, o := l.tens[n/10], n%10
		switch {
		case o == 0:
			return t
		case l.tensFirst:
			return t + l.join + w.unit(o)
		default:
			return w.unit(o) + l.join + t
		}
	case n < 1000:
		return w.scaled(n, 100, l.hundred1, l.hundred)
	}
	return w.scaled(n, 1000, l.thousand1, l.thousand)
}

// scaled says n of unit (100 or 1000) or more: one is the word for one
// unit alone ("hundrede", "one hundred"), many the word after a digit
// ("to hundrede").
func (w *Words) scaled(n, unit int, one, many string) string {
	s := one
	if n/unit > 1 {
		s = w.unit(n/unit) + w.l.space() + many
	}
	if n%unit == 0 {
		return s
	}
	return s + andRest(w.l) + w.Number(n%unit)
}

// space is what stands between the words of a number: a space, or nothing
// in German ("zweihundert").
func (l *language) space() string {
	if l.compound {
		return ""
	}
	return " "
}

// andRest joins hundreds or thousands to the rest: " og ", or nothing in
// German ("hundertfünf").
func andRest(l *language) string {
	if l.compound {
		return ""
	}
	return " " + l.and + " "
}

// unit is a digit 1..9 inside a longer number ("ein" in "einundzwanzig").
func (w *Words) unit(d int) string {
	if d == 1 {
		return w.l.one
	}
	return w.l.ones[d]
}

func digits(l *language, n int) string {
	s := []string{}
	if n < 0 {
		s = append(s, "minus")
		n = -n
	}
	for _, r := range itoa(n) {
		s = append(s, l.ones[r-'0'])
	}
	return strings.Join(s, " ")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// Time says the time of t in loc as read on a clock: "klokken tolv",
// "klokken halv tre", "klokken kvart i elleve", "klokken fem minutter over
// ni".
func (w *Words) Time(t time.Time, loc *time.Location) string {
	l := w.l
	t = t.In(loc)
	h, m := t.Hour(), t.Minute()
	hour := func(h int) string { return l.clockHours[(h+11)%12+1] }
	var s string
	switch {
	case m == 0:
		if (h+11)%12+1 == 1 && l.fullOne != "" {
			return sprintf(l.oClock, l.fullOne)
		}
		return sprintf(l.oClock, hour(h))
	case m == 15:
		s = sprintf(l.quarter[0], hour(h))
	case m == 45:
		s = sprintf(l.quarter[1], hour(h+1))
	case m == 30 && l.halfNext:
		s = sprintf(l.half, hour(h+1))
	case m == 30:
		s = sprintf(l.half, hour(h))
	case m < 30:
		s = w.minutesPhrase(0, m, hour(h))
	default:
		s = w.minutesPhrase(1, 60-m, hour(h+1))
	}
	return sprintf(l.at, s)
}

func (w *Words) minutesPhrase(i, n int, hour string) string {
	if n == 1 {
		return sprintf(w.l.minute[i], hour)
	}
	return sprintf(w.l.minutes[i], w.Number(n), hour)
}

// Date says the day of t in loc: "tirsdag den første december".
func (w *Words) Date(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	day := w.s.Weekdays[t.Weekday()]
	if w.s.LowerWeekday {
		day = strings.ToLower(day)
	}
	return sprintf(w.l.date, day, w.l.ordinals[t.Day()], w.s.Months[t.Month()-1])
}

// sprintf fills each %s in f with the next argument: the formats here
// hold words only, and a name with a percent sign must not upset them.
func sprintf(f string, args ...string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] == '%' && i+1 < len(f) && f[i+1] == 's' && len(args) > 0 {
			b.WriteString(args[0])
			args = args[1:]
			i++
			continue
		}
		b.WriteByte(f[i])
	}
	return b.String()
}
