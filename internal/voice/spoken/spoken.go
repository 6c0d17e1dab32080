// Package spoken writes what a card on the screen says as words a person
// speaks, for the speech engine to read aloud: "Frokost klokken tolv. Boller
// i karry med ris. Sytten spiser med." in each of the screen's languages,
// with the grammar words holds for it.
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

// For returns the words for a locale code (see words.Lookup: "da", "nb", "no",
// also "da-DK" and the like); anything else is Danish, as on the screen.
func For(locale string) *Words {
	lang := words.Lookup(locale)
	return &Words{l: &lang.Spoken, s: &lang.Strings}
}

// Words speaks one locale.
type Words struct {
	l *words.Spoken
	s *words.Strings
}

// Lang is the code of the language the words are in (words.Codes).
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
		return l.Ones[n]
	case n < 100:
		t, o := l.Tens[n/10], n%10
		switch {
		case o == 0:
			return t
		case l.TensFirst:
			return t + l.Join + w.unit(o)
		default:
			return w.unit(o) + l.Join + t
		}
	case n < 1000:
		return w.scaled(n, 100, l.Hundred1, l.Hundred)
	}
	return w.scaled(n, 1000, l.Thousand1, l.Thousand)
}

// scaled says n of unit (100 or 1000) or more: one is the word for one
// unit alone ("hundrede", "one hundred"), many the word after a digit
// ("to hundrede").
func (w *Words) scaled(n, unit int, one, many string) string {
	s := one
	if n/unit > 1 {
		s = w.unit(n/unit) + space(w.l) + many
	}
	if n%unit == 0 {
		return s
	}
	return s + andRest(w.l) + w.Number(n%unit)
}

// space is what stands between the words of a number: a space, or nothing
// in German ("zweihundert").
func space(l *words.Spoken) string {
	if l.Compound {
		return ""
	}
	return " "
}

// andRest joins hundreds or thousands to the rest: " og ", or nothing in
// German ("hundertfünf").
func andRest(l *words.Spoken) string {
	if l.Compound {
		return ""
	}
	return " " + l.And + " "
}

// unit is a digit 1..9 inside a longer number ("ein" in "einundzwanzig").
func (w *Words) unit(d int) string {
	if d == 1 {
		return w.l.One
	}
	return w.l.Ones[d]
}

func digits(l *words.Spoken, n int) string {
	s := []string{}
	if n < 0 {
		s = append(s, "minus")
		n = -n
	}
	for _, r := range itoa(n) {
		s = append(s, l.Ones[r-'0'])
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
	phrase, full := w.clock(t, loc)
	if full {
		return sprintf(w.l.OClock, phrase)
	}
	return sprintf(w.l.At, phrase)
}

// TimeIs says the time of t in loc as a sentence: "Klokken er kvart over
// tre.", "It is three o'clock."
func (w *Words) TimeIs(t time.Time, loc *time.Location) string {
	phrase, full := w.clock(t, loc)
	if full {
		return sprintf(w.l.TimeIs[1], phrase)
	}
	return sprintf(w.l.TimeIs[0], phrase)
}

// clock is the time read on a clock without its frame ("kvart over tre"),
// and whether it is a full hour (then only the hour: "tre").
func (w *Words) clock(t time.Time, loc *time.Location) (string, bool) {
	l := w.l
	t = t.In(loc)
	h, m := t.Hour(), t.Minute()
	hour := func(h int) string { return l.ClockHours[(h+11)%12+1] }
	switch {
	case m == 0:
		if (h+11)%12+1 == 1 && l.FullOne != "" {
			return l.FullOne, true
		}
		return hour(h), true
	case m == 15:
		return sprintf(l.Quarter[0], hour(h)), false
	case m == 45:
		return sprintf(l.Quarter[1], hour(h+1)), false
	case m == 30 && l.HalfNext:
		return sprintf(l.Half, hour(h+1)), false
	case m == 30:
		return sprintf(l.Half, hour(h)), false
	case m < 30:
		return w.minutesPhrase(0, m, hour(h)), false
	}
	return w.minutesPhrase(1, 60-m, hour(h+1)), false
}

func (w *Words) minutesPhrase(i, n int, hour string) string {
	if n == 1 {
		return sprintf(w.l.Minute[i], hour)
	}
	return sprintf(w.l.Minutes[i], w.Number(n), hour)
}

// Date says the day of t in loc: "tirsdag den første december".
func (w *Words) Date(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	day := w.s.Weekdays[t.Weekday()]
	if w.s.LowerWeekday {
		day = strings.ToLower(day)
	}
	return sprintf(w.l.Date, day, w.l.Ordinals[t.Day()], w.s.Months[t.Month()-1])
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
