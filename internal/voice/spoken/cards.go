package spoken

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"skaerm/board"
	"skaerm/words"
)

// Meal is a meal's card read aloud: "Frokost klokken tolv. Boller i karry
// med ris. Sytten spiser med."
func (w *Words) Meal(m board.Meal, loc *time.Location) string {
	return sentences(
		w.s.Meal(m.Kind)+" "+w.Time(m.Start, loc),
		menu(m.Menu),
		w.count(w.l.Eating, m.Signups.Count()),
	)
}

// Activity is an activity's card read aloud: its title, time and place and
// how many are signed up: "Strikkeklub klokken ti i Dagligstuen. Fem er
// tilmeldt."
func (w *Words) Activity(a board.Activity, loc *time.Location) string {
	return sentences(w.what(a.Title, a.Location)+" "+w.Time(a.Start, loc), w.count(w.l.Signed, a.Signups.Count()))
}

// Meeting is a meeting's card read aloud, as an activity's.
func (w *Words) Meeting(m board.Meeting, loc *time.Location) string {
	return sentences(w.what(m.Title, m.Location)+" "+w.Time(m.Start, loc), w.count(w.l.Signed, m.Signups.Count()))
}

// Names lists who is signed up by the names the board shows for them, and
// counts those hidden from screens: "Inger, Poul og to andre". A profile
// the board does not hold is counted, never named.
func (w *Words) Names(b *board.Board, s board.Signups) string {
	var names []string
	hidden := s.Hidden
	for _, id := range s.IDs {
		if p, ok := b.Profile(id); ok {
			names = append(names, w.name(p))
		} else {
			hidden++
		}
	}
	if hidden > 0 {
		others := sprintf(w.l.Others, w.Number(hidden))
		if len(names) == 0 {
			return w.Number(hidden)
		}
		return strings.Join(names, ", ") + " " + others
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + w.l.And2 + " " + names[len(names)-1]
}

// Soon is an announcement before an item starts: "Om ti minutter:
// Strikkeklub i Dagligstuen." It names the item and its place, never a
// person.
func (w *Words) Soon(minutes int, title, location string) string {
	what := w.what(title, location)
	if minutes == 1 {
		return sentences(sprintf(w.l.Soon1, what))
	}
	return sentences(sprintf(w.l.Soon, w.Number(minutes), what))
}

// Notice is an urgent notice from staff read aloud: "Vigtig besked:
// Vandet er lukket. Der er ingen vand i Solsikken i dag fra 10 til 12."
func (w *Words) Notice(title, body string) string {
	title = strings.TrimRight(strings.TrimSpace(title), ".!?:")
	if title == "" {
		return sentences(sprintf(w.l.Notice, strings.TrimSpace(body)))
	}
	return sentences(sprintf(w.l.Notice, title), body)
}

// SoonMeal is Soon for a meal: "Om ti minutter: Frokost."
func (w *Words) SoonMeal(minutes int, kind board.MealKind) string {
	return w.Soon(minutes, w.s.Meal(kind), "")
}

// what is a title and its place: "Strikkeklub i Dagligstuen".
func (w *Words) what(title, location string) string {
	title = strings.TrimRight(strings.TrimSpace(title), ".!?:")
	if location = strings.TrimSpace(location); location == "" {
		return title
	}
	return title + " " + w.l.In + " " + location
}

// count is "Sytten spiser med.", or "" for nobody.
func (w *Words) count(f [2]string, n int) string {
	switch {
	case n <= 0:
		return ""
	case n == 1:
		return f[0]
	}
	return capital(sprintf(f[1], w.Number(n)))
}

// menu makes a menu of one or more lines into sentences.
func menu(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return sentences(out...)
}

// sentences ends each non-empty part with a full stop (unless it ends in
// one already) and joins them with a space.
func sentences(parts ...string) string {
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if r, _ := utf8.DecodeLastRuneInString(p); !strings.ContainsRune(".!?", r) {
			p += "."
		}
		out = append(out, capital(p))
	}
	return strings.Join(out, " ")
}

func capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// Booking is a booking's card read aloud: the resource, the day and the
// time, and who booked it when the card shows a name.
func (w *Words) Booking(b *board.Board, x board.Booking, loc *time.Location) string {
	by := ""
	if p, ok := b.Profile(x.ProfileID); ok {
		by = sprintf(w.s.BookedBy, w.name(p))
	}
	return sentences(strings.TrimSpace(x.Resource)+" "+w.Date(x.Start, loc)+" "+w.Time(x.Start, loc), by)
}

// Bookable is a resource's week grid read aloud: its name and the times
// still free today and tomorrow ("Vaskeriet. Ledige tider i dag: klokken
// elleve og klokken et.").
func (w *Words) Bookable(b *board.Board, r board.Bookable, now time.Time) string {
	loc := b.Location()
	parts := []string{r.Name}
	for plus, day := range []string{w.s.Today, w.s.Tomorrow} {
		if plus > board.LastBookableDay(r) {
			break
		}
		day = strings.ToLower(day)
		var free []string
		for _, sl := range board.SlotsOn(b, r, now, plus) {
			if sl.State == board.SlotFree {
				free = append(free, w.Time(sl.Start, loc))
			}
		}
		if len(free) == 0 {
			parts = append(parts, sprintf(w.l.NoneFree, day))
			continue
		}
		parts = append(parts, sprintf(w.l.FreeTimes, day, w.list(free)))
	}
	return sentences(parts...)
}

// list joins words as said: "a, b og c".
func (w *Words) list(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " " + w.l.And2 + " " + xs[len(xs)-1]
}

// News is a notice read aloud: its title and its text.
func (w *Words) News(n board.News) string { return sentences(n.Title, n.Body) }

// Roster is who is on duty today, by the names the screen shows: "På
// arbejde i dag: Louise, Camilla og Sofie." Staff hidden from screens are
// counted.
func (w *Words) Roster(b *board.Board, now time.Time) string {
	var s board.Signups
	seen := map[string]bool{}
	for _, sh := range board.ShiftsOn(b, now, 0) {
		if sh.ProfileID == "" || seen[sh.ProfileID] {
			if sh.ProfileID == "" {
				s.Hidden++
			}
			continue
		}
		seen[sh.ProfileID] = true
		s.IDs = append(s.IDs, sh.ProfileID)
	}
	names := w.Names(b, s)
	if names == "" {
		return sentences(w.s.NoStaff)
	}
	return sentences(w.s.OnDuty + ": " + names)
}

// Night is the night page read aloud: "Det er nat. Klokken er kvart over
// tre. Natten til tirsdag. Morgenmad klokken halv otte."
func (w *Words) Night(b *board.Board, now time.Time) string {
	loc := b.Location()
	parts := []string{w.s.ItIs[words.PartOfDay(now, loc)], w.TimeIs(now, loc), w.s.PartOfDay(now, loc)}
	if m, ok := board.FirstInMorning(b, now); ok {
		what := m.Title
		if what == "" {
			what = w.s.Meal(m.Meal)
		}
		parts = append(parts, what+" "+w.Time(m.Start, loc))
	}
	return sentences(parts...)
}

// Card is what the card named key says on the board at now, and the staff
// recording that reads it instead (nil for none); ok is false when the
// board no longer holds it.
func (w *Words) Card(b *board.Board, key board.CardKey, now time.Time) (text string, rec *board.Audio, ok bool) {
	if b == nil {
		return "", nil, false
	}
	loc := b.Location()
	kind, id := key.Split()
	switch kind {
	case board.PageActivity:
		for _, a := range b.Activities {
			if a.ID == id {
				return w.Activity(a, loc), a.Audio, true
			}
		}
	case board.PageMeal:
		for _, m := range b.Meals {
			if m.ID == id {
				return w.Meal(m, loc), m.Audio, true
			}
		}
	case board.PageMeeting:
		for _, m := range b.Meetings {
			if m.ID == id {
				return w.Meeting(m, loc), m.Audio, true
			}
		}
	case board.BookingCard:
		for _, x := range b.Bookings {
			if x.ID == id {
				return w.Booking(b, x, loc), nil, true
			}
		}
	case board.BookableCard:
		if r, ok := b.Bookable(id); ok {
			return w.Bookable(b, r, now), nil, true
		}
	case board.NewsCard:
		for _, n := range b.News {
			if n.ID == id {
				return w.News(n), n.Audio, true
			}
		}
	case board.RosterCard:
		return w.Roster(b, now), nil, true
	case board.NightCard:
		return w.Night(b, now), nil, true
	}
	return "", nil, false
}

// name is a profile's name as the board shows it, or the word for its kind
// where the screen may not show one.
func (w *Words) name(p board.Profile) string {
	if p.Name == "" {
		return w.s.Placeholder(p.Kind)
	}
	return p.Name
}
