package words

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"skaerm/board"
)

// Strings are the words of one language. Danish is the default.
type Strings struct {
	Lang       string
	Weekdays   [7]string  // Sunday first, capitalised as at the start of a line
	Months     [12]string // lower case, as inside a date
	DateFormat string     // weekday, day, month: "%s %d. %s"
	Meals      map[board.MealKind]string
	Shifts     map[board.ShiftKind]string

	Today, Roster, Week, Bookings, News, Gallery, Back, Home string
	Activities, MealsTitle, OnDuty, Meeting                  string
	SignedUp                                                 string // "%d af %d tilmeldt"
	SignedUpNoLimit                                          string // "%d tilmeldt"
	Eating                                                   string // "%d spiser med"
	Full, Closed, NowMarker, Pending, You                    string
	Important                                                string // the word before an urgent notice: "VIGTIGT"
	NothingToday, NoMeals, NoStaff, NothingPlanned, NoNews   string
	NoPhotos, NoBookings, ForToday                           string
	TapToJoin                                                string
	ConfirmJoin, ConfirmLeave, Cancel                        string // "Ja, tilmeld %s"
	Joined, Left                                             string // "%s er tilmeldt"
	RefusedFull, RefusedClosed, RefusedOther                 string
	Suggestions, Who, Place, Time                            string
	LastUpdated                                              string // "Sidst opdateret kl. %s"
	LastUpdatedOn                                            string // "Sidst opdateret %s kl. %s": DateInText, time
	DayAt                                                    string // "%s kl. %s": a day and a time span
	At                                                       string // "kl. %s": a time span under its day
	Offline                                                  string
	ClockUnset                                               string // the clock cannot be trusted
	BoardOf                                                  string // "Tavlen fra %s"
	PairingTitle, PairingStep1, PairingStep2, PairingStep3   string
	Waiting, WaitingHint                                     string
	Tomorrow, Earlier, Later                                 string
	BookedBy                                                 string
	More                                                     string // "+%d flere"
	IdleHint                                                 string

	// LowerWeekday: inside a sentence the weekday is written in lower case
	// ("sidst opdateret mandag 30. november").
	LowerWeekday bool

	// Orientation: the part of the day, now and next, the weather.
	DayParts                            [5]string // by DayPart: "formiddag"
	NightBefore                         string    // "natten til %s"; "" names the night after the evening
	NowLabel, NextLabel, NothingNow, In string    // "Nu:", "Næste:", "ingenting planlagt", "i"
	NoMoreActivities, NoMoreMeals, Over string
	Sky                                 map[board.Symbol]string
	Span                                string // "%s til %s"
	Slippery, Windy, LaterToday         string // "Glat føre", "Blæsende, %d m/s", "%s senere i dag"

	// The night page.
	ItIs         [5]string // by DayPart, in very large type: "Det er nat"
	MorningFirst string    // what comes first in the morning: "%s kl. %s" (what, time)
	ShowBoard    string    // the button to the day's board: "Vis dagens program"

	// Booking on the screen.
	BookablesTitle, Free, Taken, HowLong                                                   string
	Until                                                                                  string // "til %s": the end of a length to choose
	ConfirmBook, ConfirmUnbook                                                             string // "Ja, book til %s": a name
	Booked                                                                                 string // "%s er booket til %s": resource, name
	Unbooked                                                                               string // "Bookingen af %s er afbestilt": resource
	WeekLimit                                                                              string // "%[1]s har allerede %[2]d bookinger af %[3]s denne uge": name, count, resource
	LoginToBook                                                                            string // "Log ind for at booke %s": resource
	NotYours                                                                               string
	BookingWhen                                                                            string // "%s, %s": resource, when ("Vaskeriet, i morgen tirsdag kl. 13:00–15:00")
	RefusedTaken, RefusedTooMany, RefusedTooFar, RefusedTooLate, RefusedLogin, RefusedTime string

	// Placeholders name a person whose name the screen may not show (an
	// anonymized profile without an alias) or who has none, by kind.
	// Neutral words, never derived from the person.
	Placeholders map[board.Kind]string
}

// Date is the weekday and date of t in loc: "Mandag 23. november".
func (s *Strings) Date(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return fmt.Sprintf(s.DateFormat, s.Weekdays[t.Weekday()], t.Day(), s.Months[t.Month()-1])
}

// DateInText is Date as written inside a sentence: "mandag 23. november"
// in Danish and Norwegian, "Monday 23 November" in English.
func (s *Strings) DateInText(t time.Time, loc *time.Location) string {
	return s.InText(s.Date(t, loc))
}

// InText writes a day name that starts a line as it reads inside one:
// "Mandag 23." -> "mandag 23.", "I morgen" -> "i morgen" in Danish and
// Norwegian. In German and English a weekday keeps its capital, and today
// and tomorrow lose theirs ("Morgen" -> "morgen", "Tomorrow" -> "tomorrow").
func (s *Strings) InText(day string) string {
	relative := false
	for _, w := range []string{s.Today, s.Tomorrow} {
		if rest, ok := strings.CutPrefix(day, w); ok && (rest == "" || rest[0] == ',' || rest[0] == ' ') {
			relative = true
		}
	}
	if !s.LowerWeekday && !relative {
		return day
	}
	r, n := utf8.DecodeRuneInString(day)
	return string(unicode.ToLower(r)) + day[n:]
}

// Updated says when the board was last fetched: the time alone on the day
// of now ("Sidst opdateret kl. 19:57"), else with the full date ("Sidst
// opdateret mandag 30. november kl. 19:57").
func (s *Strings) Updated(last, now time.Time, loc *time.Location) string {
	if board.SameDay(last, now, loc) {
		return fmt.Sprintf(s.LastUpdated, Clock(last, loc))
	}
	return fmt.Sprintf(s.LastUpdatedOn, s.DateInText(last, loc), Clock(last, loc))
}

// Day names the day of t for a line of its own: "I dag, mandag 23.
// november", "I morgen, tirsdag 24. november", else "Onsdag 25. november".
func (s *Strings) Day(t, now time.Time, loc *time.Location) string {
	today, _ := board.DayBounds(now, loc, 0)
	tomorrow, _ := board.DayBounds(now, loc, 1)
	switch {
	case board.SameDay(t, today, loc):
		return s.Today + ", " + s.DateInText(t, loc)
	case board.SameDay(t, tomorrow, loc):
		return s.Tomorrow + ", " + s.DateInText(t, loc)
	}
	return s.Date(t, loc)
}

// ShortDate is the weekday and day of month: "Mandag 23.".
func (s *Strings) ShortDate(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	if s.Lang == "en" {
		return fmt.Sprintf("%s %d", s.Weekdays[t.Weekday()], t.Day())
	}
	return fmt.Sprintf("%s %d.", s.Weekdays[t.Weekday()], t.Day())
}

// Clock is t as HH:MM in loc.
func Clock(t time.Time, loc *time.Location) string { return t.In(loc).Format("15:04") }

// Span is "HH:MM–HH:MM" in loc, or only the start when end is unset or equal.
func Span(start, end time.Time, loc *time.Location) string {
	if end.IsZero() || !end.After(start) {
		return Clock(start, loc)
	}
	return Clock(start, loc) + "–" + Clock(end, loc)
}

// Count is "8 af 12 tilmeldt", or "8 tilmeldt" without a limit.
func (s *Strings) Count(n, capacity int) string {
	if capacity > 0 {
		return fmt.Sprintf(s.SignedUp, n, capacity)
	}
	return fmt.Sprintf(s.SignedUpNoLimit, n)
}

// Meal names a meal kind; an unknown kind is shown as it came.
func (s *Strings) Meal(k board.MealKind) string {
	if n, ok := s.Meals[k]; ok {
		return n
	}
	return string(k)
}

// Shift names a shift kind.
func (s *Strings) Shift(k board.ShiftKind) string {
	if n, ok := s.Shifts[k]; ok {
		return n
	}
	return string(k)
}

// Refusal is the reason a sign-up was refused, in words.
func (s *Strings) Refusal(reason string) string {
	switch reason {
	case "full":
		return s.RefusedFull
	case "closed":
		return s.RefusedClosed
	}
	return s.RefusedOther
}

// BookingRefusal says why the backend refused a booking or its cancelling.
func (s *Strings) BookingRefusal(reason string) string {
	switch reason {
	case "taken":
		return s.RefusedTaken
	case "too_many":
		return s.RefusedTooMany
	case "too_far_ahead":
		return s.RefusedTooFar
	case "too_late_to_cancel":
		return s.RefusedTooLate
	case "login_required":
		return s.RefusedLogin
	case "outside_hours", "closed":
		return s.RefusedTime
	case "not_yours":
		return s.NotYours
	}
	return s.RefusedOther
}

// Placeholder is the word for a person of kind k whose name is not shown.
func (s *Strings) Placeholder(k board.Kind) string { return s.Placeholders[k] }
