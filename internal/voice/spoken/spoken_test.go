package spoken

import (
	"strconv"
	"testing"
	"time"

	"skaerm/board"
)

var cph = func() *time.Location {
	l, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic(err)
	}
	return l
}()

// inEach checks what say gives in da, nb, de and en against want, in that
// order.
func inEach(t *testing.T, what string, want [4]string, say func(w *Words) string) {
	t.Helper()
	for i, locale := range []string{"da", "nb", "de", "en"} {
		if got := say(For(locale)); got != want[i] {
			t.Errorf("%s %s = %q, want %q", locale, what, got, want[i])
		}
	}
}

func TestNumbers(t *testing.T) {
	for _, c := range []struct {
		n              int
		da, nb, de, en string
	}{
		{0, "nul", "null", "null", "zero"},
		{1, "en", "en", "eins", "one"},
		{7, "syv", "sju", "sieben", "seven"},
		{17, "sytten", "sytten", "siebzehn", "seventeen"},
		{20, "tyve", "tjue", "zwanzig", "twenty"},
		{21, "enogtyve", "tjueen", "einundzwanzig", "twenty-one"},
		{45, "femogfyrre", "førtifem", "fünfundvierzig", "forty-five"},
		{50, "halvtreds", "femti", "fünfzig", "fifty"},
		{99, "nioghalvfems", "nittini", "neunundneunzig", "ninety-nine"},
		{100, "hundrede", "hundre", "hundert", "one hundred"},
		{125, "hundrede og femogtyve", "hundre og tjuefem", "hundertfünfundzwanzig", "one hundred and twenty-five"},
		{300, "tre hundrede", "tre hundre", "dreihundert", "three hundred"},
		{1000, "tusind", "tusen", "tausend", "one thousand"},
		{2026, "to tusind og seksogtyve", "to tusen og tjueseks", "zweitausendsechsundzwanzig", "two thousand and twenty-six"},
		{12345, "en to tre fire fem", "en to tre fire fem", "eins zwei drei vier fünf", "one two three four five"},
		{-3, "minus tre", "minus tre", "minus drei", "minus three"},
	} {
		inEach(t, strconv.Itoa(c.n), [4]string{c.da, c.nb, c.de, c.en}, func(w *Words) string { return w.Number(c.n) })
	}
}

func TestTimes(t *testing.T) {
	for _, c := range []struct {
		clock          string
		da, nb, de, en string
	}{
		{"12:00", "klokken tolv", "klokka tolv", "um zwölf Uhr", "at twelve o'clock"},
		{"13:00", "klokken et", "klokka ett", "um ein Uhr", "at one o'clock"},
		{"00:00", "klokken tolv", "klokka tolv", "um zwölf Uhr", "at twelve o'clock"},
		{"14:30", "klokken halv tre", "klokka halv tre", "um halb drei", "at half past two"},
		{"12:30", "klokken halv et", "klokka halv ett", "um halb eins", "at half past twelve"},
		{"10:15", "klokken kvart over ti", "klokka kvart over ti", "um Viertel nach zehn", "at quarter past ten"},
		{"10:45", "klokken kvart i elleve", "klokka kvart på elleve", "um Viertel vor elf", "at quarter to eleven"},
		{"11:45", "klokken kvart i tolv", "klokka kvart på tolv", "um Viertel vor zwölf", "at quarter to twelve"},
		{"09:20", "klokken tyve minutter over ni", "klokka tjue over ni", "um zwanzig Minuten nach neun", "at twenty minutes past nine"},
		{"18:55", "klokken fem minutter i syv", "klokka fem på sju", "um fünf Minuten vor sieben", "at five minutes to seven"},
		{"07:01", "klokken et minut over syv", "klokka ett minutt over sju", "um eine Minute nach sieben", "at one minute past seven"},
		{"23:59", "klokken et minut i tolv", "klokka ett minutt på tolv", "um eine Minute vor zwölf", "at one minute to twelve"},
	} {
		// The time is said in the department's zone, whatever zone t is in.
		utc := at(t, "2026-12-01 "+c.clock).UTC()
		inEach(t, c.clock, [4]string{c.da, c.nb, c.de, c.en}, func(w *Words) string { return w.Time(utc, cph) })
	}
}

func TestDates(t *testing.T) {
	for _, c := range []struct {
		date           string
		da, nb, de, en string
	}{
		{"2026-12-01", "tirsdag den første december", "tirsdag den første desember", "Dienstag, der erste Dezember", "Tuesday the first of December"},
		{"2026-11-23", "mandag den treogtyvende november", "mandag den tjuetredje november", "Montag, der dreiundzwanzigste November", "Monday the twenty-third of November"},
		{"2026-05-31", "søndag den enogtredivte maj", "søndag den trettiførste mai", "Sonntag, der einunddreißigste Mai", "Sunday the thirty-first of May"},
		{"2026-03-02", "mandag den anden marts", "mandag den andre mars", "Montag, der zweite März", "Monday the second of March"},
	} {
		// Late in the evening in Copenhagen is already the next day in
		// zones east of it: the department's zone decides the day.
		utc := at(t, c.date+" 23:30").UTC()
		inEach(t, c.date, [4]string{c.da, c.nb, c.de, c.en}, func(w *Words) string { return w.Date(utc, cph) })
	}
}

// at is a wall-clock time in Copenhagen: "2026-12-01 14:30".
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, cph)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func demoBoard(t *testing.T) (*board.Board, board.Meal, board.Activity) {
	t.Helper()
	b := &board.Board{
		Department: board.Department{ID: "d1", Timezone: "Europe/Copenhagen", Locale: "da"},
		Profiles: []board.Profile{
			{ID: "p1", Kind: board.Resident, Name: "Inger"},
			{ID: "p2", Kind: board.Resident, Name: "Poul"},
			{ID: "p3", Kind: board.Resident, Name: "Karen"},
		},
	}
	ids := make([]string, 0, 17)
	for range 14 {
		ids = append(ids, "x") // not on the board: counted, never named
	}
	meal := board.Meal{ID: "m1", Kind: board.Lunch, Start: at(t, "2026-12-01 12:00"), Menu: "Boller i karry med ris",
		Signups: board.Signups{IDs: append([]string{"p1", "p2", "p3"}, ids[:12]...), Hidden: 2}}
	act := board.Activity{ID: "a1", Title: "Strikkeklub", Location: "Dagligstuen", Start: at(t, "2026-12-01 14:30"),
		Signups: board.Signups{IDs: []string{"p1", "p2"}, Hidden: 3}}
	return b, meal, act
}

func TestCards(t *testing.T) {
	b, meal, act := demoBoard(t)
	loc := b.Location()
	for _, c := range []struct {
		locale, meal, activity, soon string
	}{
		{"da", "Frokost klokken tolv. Boller i karry med ris. Sytten spiser med.",
			"Strikkeklub i Dagligstuen klokken halv tre. Fem er tilmeldt.",
			"Om ti minutter: Strikkeklub i Dagligstuen."},
		{"nb", "Lunsj klokka tolv. Boller i karry med ris. Sytten spiser med.",
			"Strikkeklub i Dagligstuen klokka halv tre. Fem er påmeldt.",
			"Om ti minutter: Strikkeklub i Dagligstuen."},
		{"de", "Mittagessen um zwölf Uhr. Boller i karry med ris. Siebzehn essen mit.",
			"Strikkeklub im Dagligstuen um halb drei. Fünf sind angemeldet.",
			"In zehn Minuten: Strikkeklub im Dagligstuen."},
		{"en", "Lunch at twelve o'clock. Boller i karry med ris. Seventeen people are eating.",
			"Strikkeklub in Dagligstuen at half past two. Five people are signed up.",
			"In ten minutes: Strikkeklub in Dagligstuen."},
	} {
		w := For(c.locale)
		if got := w.Meal(meal, loc); got != c.meal {
			t.Errorf("%s meal = %q, want %q", c.locale, got, c.meal)
		}
		if got := w.Activity(act, loc); got != c.activity {
			t.Errorf("%s activity = %q, want %q", c.locale, got, c.activity)
		}
		if got := w.Soon(10, act.Title, act.Location); got != c.soon {
			t.Errorf("%s announcement = %q, want %q", c.locale, got, c.soon)
		}
	}
}

func TestCardEdges(t *testing.T) {
	b, meal, act := demoBoard(t)
	loc := b.Location()
	w := For("da")
	meal.Signups = board.Signups{}
	meal.Menu = "Frikadeller\nRødkål og kartofler.\n"
	if got, want := w.Meal(meal, loc), "Frokost klokken tolv. Frikadeller. Rødkål og kartofler."; got != want {
		t.Errorf("no sign-ups, two lines: %q, want %q", got, want)
	}
	act.Signups = board.Signups{IDs: []string{"p1"}}
	act.Location = ""
	if got, want := w.Activity(act, loc), "Strikkeklub klokken halv tre. En er tilmeldt."; got != want {
		t.Errorf("one sign-up, no place: %q, want %q", got, want)
	}
	if got, want := w.SoonMeal(1, board.Breakfast), "Om et minut: Morgenmad."; got != want {
		t.Errorf("meal in a minute: %q, want %q", got, want)
	}
	if got, want := For("xx").Lang(), "da"; got != want {
		t.Errorf("unknown locale speaks %q, want %q", got, want)
	}
}

// Names are read as the board holds them (first name or alias), and people
// hidden from screens or missing from the board are only counted.
func TestNames(t *testing.T) {
	b, _, _ := demoBoard(t)
	for _, c := range []struct {
		locale string
		s      board.Signups
		want   string
	}{
		{"da", board.Signups{IDs: []string{"p1", "p2", "p3"}}, "Inger, Poul og Karen"},
		{"da", board.Signups{IDs: []string{"p1", "gone"}, Hidden: 1}, "Inger og to andre"},
		{"nb", board.Signups{IDs: []string{"p2"}}, "Poul"},
		{"de", board.Signups{IDs: []string{"p1", "p3"}}, "Inger und Karen"},
		{"en", board.Signups{IDs: []string{"p1"}, Hidden: 4}, "Inger and four others"},
		{"en", board.Signups{}, ""},
	} {
		if got := For(c.locale).Names(b, c.s); got != c.want {
			t.Errorf("%s %+v = %q, want %q", c.locale, c.s, got, c.want)
		}
	}
}

// Every card with a speaker button has its sentence, names first names
// only as the board shows them, and carries the staff recording.
func TestCardKeys(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 12, 1, h, m, 0, 0, cph) }
	rec := &board.Audio{SHA256: "ab", ContentType: "audio/wav", Seconds: 3}
	b := &board.Board{
		Department: board.Department{Timezone: "Europe/Copenhagen", Locale: "da"},
		Profiles: []board.Profile{{ID: "s1", Kind: board.Staff, Name: "Louise"}, {ID: "s2", Kind: board.Staff, Name: "Mads"},
			{ID: "p1", Kind: board.Resident, Name: "Inger"}},
		Activities: []board.Activity{{ID: "a1", Title: "Strikkeklub", Location: "Dagligstuen", Start: at(10, 0), Audio: rec}},
		Meals:      []board.Meal{{ID: "m1", Kind: board.Lunch, Start: at(12, 0), Menu: "Boller i karry med ris"}},
		Bookings:   []board.Booking{{ID: "b1", Resource: "Gæsteværelset", Start: at(14, 0), ProfileID: "p1"}},
		News:       []board.News{{ID: "n1", Title: "Ny frisør", Body: "Hun kommer hver tirsdag."}},
		Roster: []board.Shift{{ID: "x1", ProfileID: "s1", Shift: board.DayShift, Start: at(7, 0), End: at(15, 0)},
			{ID: "x2", ProfileID: "s2", Shift: board.EveningShift, Start: at(15, 0), End: at(23, 0)},
			{ID: "x3", Shift: board.NightShift, Role: "SSH", Start: at(23, 0), End: at(23, 30)}},
	}
	w := For("da")
	now := at(9, 0)
	for key, want := range map[board.CardKey]string{
		"activity/a1": "Strikkeklub i Dagligstuen klokken ti.",
		"meal/m1":     "Frokost klokken tolv. Boller i karry med ris.",
		"booking/b1":  "Gæsteværelset tirsdag den første december klokken to. Booket af Inger.",
		"news/n1":     "Ny frisør. Hun kommer hver tirsdag.",
		"roster":      "På arbejde i dag: Louise, Mads og en andre.",
	} {
		got, r, ok := w.Card(b, key, now)
		if !ok || got != want {
			t.Errorf("%s: %q (%v), want %q", key, got, ok, want)
		}
		if (key == "activity/a1") != (r != nil) {
			t.Errorf("%s: recording %v", key, r)
		}
	}
	if _, _, ok := w.Card(b, "activity/gone", now); ok {
		t.Error("a card the board no longer holds is read")
	}
}

// A person the board keeps without a name (anonymized, no alias) is said by
// the word for their kind in the screen's language.
func TestNamesWithoutAName(t *testing.T) {
	b := &board.Board{Profiles: []board.Profile{
		{ID: "p1", Kind: board.Resident, Name: "Inger"},
		{ID: "p9", Kind: board.Resident, Anonymized: true},
		{ID: "s9", Kind: board.Staff},
	}}
	for locale, want := range map[string]string{
		"da": "Inger, Beboer og Medarbejder",
		"de": "Inger, Bewohner und Mitarbeiter",
	} {
		if got := For(locale).Names(b, board.Signups{IDs: []string{"p1", "p9", "s9"}}); got != want {
			t.Errorf("%s: %q, want %q", locale, got, want)
		}
	}
}

// TestSwedish: numbers, clock times, dates, cards and announcements as a
// Swede says them.
func TestSwedish(t *testing.T) {
	w := For("sv")
	for n, want := range map[int]string{
		0: "noll", 1: "ett", 7: "sju", 17: "sjutton", 20: "tjugo", 21: "tjugoett", 38: "trettioåtta",
		100: "hundra", 105: "hundrafem", 125: "hundratjugofem", 300: "trehundra", 1000: "tusen", 2026: "tvåtusentjugosex",
	} {
		if got := w.Number(n); got != want {
			t.Errorf("Number(%d) = %q, want %q", n, got, want)
		}
	}
	for clock, want := range map[string]string{
		"12:00": "klockan tolv", "13:00": "klockan ett", "10:15": "klockan kvart över tio", "10:45": "klockan kvart i elva",
		"14:30": "klockan halv tre", "09:20": "klockan tjugo minuter över nio", "09:59": "klockan en minut i tio",
	} {
		if got := w.Time(at(t, "2026-12-01 "+clock), cph); got != want {
			t.Errorf("Time(%s) = %q, want %q", clock, got, want)
		}
	}
	if got, want := w.Date(at(t, "2026-12-01 10:00"), cph), "tisdag den första december"; got != want {
		t.Errorf("Date = %q, want %q", got, want)
	}
	b, meal, act := demoBoard(t)
	loc := b.Location()
	if got, want := w.Meal(meal, loc), "Lunch klockan tolv. Boller i karry med ris. Sjutton äter med."; got != want {
		t.Errorf("meal = %q, want %q", got, want)
	}
	if got, want := w.Activity(act, loc), "Strikkeklub i Dagligstuen klockan halv tre. Fem är anmälda."; got != want {
		t.Errorf("activity = %q, want %q", got, want)
	}
	if got, want := w.Soon(10, act.Title, act.Location), "Om tio minuter: Strikkeklub i Dagligstuen."; got != want {
		t.Errorf("announcement = %q, want %q", got, want)
	}
	if got, want := w.Soon(1, act.Title, act.Location), "Om en minut: Strikkeklub i Dagligstuen."; got != want {
		t.Errorf("announcement in a minute = %q, want %q", got, want)
	}
}

// A resource's grid read aloud: the times still free today and tomorrow.
func TestBookableReadAloud(t *testing.T) {
	now := at(t, "2026-12-07 10:00")
	r := board.Bookable{ID: "r1", Name: "Vaskeriet", Slots: board.FixedSlots, Open: board.ClockSpan{From: 420, To: 1140}, MaxAheadDays: 14,
		SlotTimes: []board.ClockSpan{{From: 420, To: 540}, {From: 660, To: 780}, {From: 780, To: 900}, {From: 900, To: 1020}}}
	b := &board.Board{Department: board.Department{Timezone: "Europe/Copenhagen"}, Bookables: []board.Bookable{r},
		Bookings: []board.Booking{{ID: "b1", ResourceID: "r1", Start: at(t, "2026-12-07 13:00"), End: at(t, "2026-12-07 15:00")}}}
	text, rec, ok := For("da").Card(b, board.KeyOf(board.BookableCard, "r1"), now)
	want := "Vaskeriet. Ledige tider i dag: klokken elleve og klokken tre. Ledige tider i morgen: klokken syv, klokken elleve, klokken et og klokken tre."
	if !ok || rec != nil || text != want {
		t.Errorf("read aloud %q (ok %v), want %q", text, ok, want)
	}
	r.MaxAheadDays = 0
	b.Bookables[0] = r
	b.Bookings = append(b.Bookings, board.Booking{ID: "b2", ResourceID: "r1", Start: at(t, "2026-12-07 11:00"), End: at(t, "2026-12-07 13:00")},
		board.Booking{ID: "b3", ResourceID: "r1", Start: at(t, "2026-12-07 15:00"), End: at(t, "2026-12-07 17:00")})
	if text, _, _ := For("sv").Card(b, board.KeyOf(board.BookableCard, "r1"), now); text != "Vaskeriet. Inga lediga tider i dag." {
		t.Errorf("nothing free, today only: %q", text)
	}
}

// TestNight: the night page read aloud says the part of the day, the time
// as a sentence, the night by the morning it leads to, and what comes
// first in the morning.
func TestNight(t *testing.T) {
	at := func(d, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, cph) }
	b := &board.Board{
		Department: board.Department{Timezone: "Europe/Copenhagen", Locale: "da"},
		Meals:      []board.Meal{{ID: "m1", Kind: board.Breakfast, Start: at(1, 7, 30)}},
	}
	inEach(t, "night page at 03:15", [4]string{
		"Det er nat. Klokken er kvart over tre. Natten til tirsdag. Morgenmad klokken halv otte.",
		"Det er natt. Klokka er kvart over tre. Natt til tirsdag. Frokost klokka halv åtte.",
		"Es ist Nacht. Es ist Viertel nach drei. Nacht zum Dienstag. Frühstück um halb acht.",
		"It's night-time. It is quarter past three. Monday night. Breakfast at half past seven.",
	}, func(w *Words) string { return w.Night(b, at(1, 3, 15)) })
	inEach(t, "night page at 23:00 without a morning", [4]string{
		"Det er nat. Klokken er elleve. Natten til onsdag.",
		"Det er natt. Klokka er elleve. Natt til onsdag.",
		"Es ist Nacht. Es ist elf Uhr. Nacht zum Mittwoch.",
		"It's night-time. It is eleven o'clock. Tuesday night.",
	}, func(w *Words) string { return w.Night(b, at(1, 23, 0)) })
	if got, _, ok := For("da").Card(b, board.KeyOf(board.NightCard, ""), at(1, 3, 15)); !ok || got == "" {
		t.Fatalf("the night card: %q %t", got, ok)
	}
}
