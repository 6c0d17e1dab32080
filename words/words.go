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

	// Placeholders name a person whose name the screen may not show (an
	// anonymized profile without an alias) or who has none, by kind.
	// Neutral words, never derived from the person.
	Placeholders map[board.Kind]string
}

var danish = Strings{
	Lang:       "da",
	Weekdays:   [7]string{"Søndag", "Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag"},
	Months:     [12]string{"januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"},
	DateFormat: "%s %d. %s",
	Meals: map[board.MealKind]string{
		board.Breakfast: "Morgenmad", board.Lunch: "Frokost", board.Coffee: "Eftermiddagskaffe",
		board.Dinner: "Aftensmad", board.EveningMeal: "Aftenkaffe",
	},
	Shifts: map[board.ShiftKind]string{
		board.DayShift: "Dagvagt", board.EveningShift: "Aftenvagt", board.NightShift: "Nattevagt",
	},
	Today: "I dag", Roster: "Vagtplan", Week: "Ugen", Bookings: "Bookinger", News: "Nyheder",
	Gallery: "Billeder", Back: "Tilbage", Home: "I dag",
	Activities: "Aktiviteter i dag", MealsTitle: "Måltider i dag", OnDuty: "På arbejde i dag",
	Meeting: "Møde", SignedUp: "%d af %d tilmeldt", SignedUpNoLimit: "%d tilmeldt",
	Eating: "%d spiser med", Full: "FULDT", Closed: "LUKKET", NowMarker: "NU", Pending: "Venter…",
	You: "dig", NothingToday: "Ingen aktiviteter i dag", NoMeals: "Ingen måltider i dag",
	NoStaff: "Ingen vagter i dag", NothingPlanned: "Intet planlagt", NoNews: "Ingen nyheder",
	NoPhotos: "Ingen billeder", NoBookings: "Ingen bookinger", ForToday: "i dag",
	TapToJoin:   "Tryk på dit eget billede",
	ConfirmJoin: "Ja, tilmeld %s", ConfirmLeave: "Ja, afmeld %s", Cancel: "Fortryd",
	Joined: "%s er tilmeldt", Left: "%s er afmeldt",
	RefusedFull: "Desværre, aktiviteten er fuld", RefusedClosed: "Tilmeldingen er lukket",
	RefusedOther: "Det lykkedes ikke. Spørg personalet",
	Suggestions:  "Forslag", Who: "Tilmeldt", Place: "Sted", Time: "Tid",
	LastUpdated: "Sidst opdateret kl. %s", LastUpdatedOn: "Sidst opdateret %s kl. %s", DayAt: "%s kl. %s", At: "kl. %s", LowerWeekday: true,
	Offline: "Ingen forbindelse", ClockUnset: "Uret er ikke stillet", BoardOf: "Tavlen fra %s",
	PairingTitle: "Skærmen skal forbindes", PairingStep1: "Personalet logger ind i Manageren",
	PairingStep2: "og vælger »Tilføj skærm« under afdelingen", PairingStep3: "Skriv denne kode:",
	Waiting: "Skærmen starter", WaitingHint: "Opslagstavlen hentes. Det tager et øjeblik.",
	Tomorrow: "I morgen", Earlier: "Forrige", Later: "Næste", BookedBy: "Booket af %s",
	More: "+%d flere", IdleHint: "Tryk på skærmen for at se dagens program",
	DayParts:    [5]string{"morgen", "formiddag", "eftermiddag", "aften", "nat"},
	NightBefore: "natten til %s",
	NowLabel:    "Nu:", NextLabel: "Næste:", NothingNow: "ingenting planlagt", In: "i",
	NoMoreActivities: "Ikke flere aktiviteter i dag", NoMoreMeals: "Ikke flere måltider i dag", Over: "FORBI",
	Sky: map[board.Symbol]string{
		board.Clear: "Klart", board.PartlyCloudy: "Let skyet", board.Cloudy: "Skyet", board.Fog: "Tåge",
		board.Drizzle: "Støvregn", board.Rain: "Regn", board.Sleet: "Slud", board.Snow: "Sne",
		board.Thunder: "Torden", board.Wind: "Blæst",
	},
	Span: "%s til %s", Slippery: "Glat føre", Windy: "Blæsende, %d m/s", LaterToday: "%s senere i dag",
	Placeholders: map[board.Kind]string{board.Resident: "Beboer", board.Staff: "Medarbejder", board.External: "Gæst"},
}

var norwegian = Strings{
	Lang:       "nb",
	Weekdays:   [7]string{"Søndag", "Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag"},
	Months:     [12]string{"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"},
	DateFormat: "%s %d. %s",
	Meals: map[board.MealKind]string{
		board.Breakfast: "Frokost", board.Lunch: "Lunsj", board.Coffee: "Ettermiddagskaffe",
		board.Dinner: "Middag", board.EveningMeal: "Kveldsmat",
	},
	Shifts: map[board.ShiftKind]string{
		board.DayShift: "Dagvakt", board.EveningShift: "Kveldsvakt", board.NightShift: "Nattevakt",
	},
	Today: "I dag", Roster: "Vaktplan", Week: "Uken", Bookings: "Bookinger", News: "Nyheter",
	Gallery: "Bilder", Back: "Tilbake", Home: "I dag",
	Activities: "Aktiviteter i dag", MealsTitle: "Måltider i dag", OnDuty: "På jobb i dag",
	Meeting: "Møte", SignedUp: "%d av %d påmeldt", SignedUpNoLimit: "%d påmeldt",
	Eating: "%d spiser med", Full: "FULLT", Closed: "STENGT", NowMarker: "NÅ", Pending: "Venter…",
	You: "deg", NothingToday: "Ingen aktiviteter i dag", NoMeals: "Ingen måltider i dag",
	NoStaff: "Ingen vakter i dag", NothingPlanned: "Ingenting planlagt", NoNews: "Ingen nyheter",
	NoPhotos: "Ingen bilder", NoBookings: "Ingen bookinger", ForToday: "i dag",
	TapToJoin:   "Trykk på ditt eget bilde",
	ConfirmJoin: "Ja, meld på %s", ConfirmLeave: "Ja, meld av %s", Cancel: "Avbryt",
	Joined: "%s er påmeldt", Left: "%s er avmeldt",
	RefusedFull: "Beklager, aktiviteten er full", RefusedClosed: "Påmeldingen er stengt",
	RefusedOther: "Det gikk ikke. Spør personalet",
	Suggestions:  "Forslag", Who: "Påmeldt", Place: "Sted", Time: "Tid",
	LastUpdated: "Sist oppdatert kl. %s", LastUpdatedOn: "Sist oppdatert %s kl. %s", DayAt: "%s kl. %s", At: "kl. %s", LowerWeekday: true,
	Offline: "Ingen tilkobling", ClockUnset: "Klokken er ikke stilt", BoardOf: "Tavlen fra %s",
	PairingTitle: "Skjermen må kobles til", PairingStep1: "Personalet logger inn i Manageren",
	PairingStep2: "og velger »Legg til skjerm« under avdelingen", PairingStep3: "Skriv denne koden:",
	Waiting: "Skjermen starter", WaitingHint: "Oppslagstavlen hentes. Det tar et øyeblikk.",
	Tomorrow: "I morgen", Earlier: "Forrige", Later: "Neste", BookedBy: "Booket av %s",
	More: "+%d flere", IdleHint: "Trykk på skjermen for å se dagens program",
	DayParts:    [5]string{"morgen", "formiddag", "ettermiddag", "kveld", "natt"},
	NightBefore: "natt til %s",
	NowLabel:    "Nå:", NextLabel: "Neste:", NothingNow: "ingenting planlagt", In: "i",
	NoMoreActivities: "Ingen flere aktiviteter i dag", NoMoreMeals: "Ingen flere måltider i dag", Over: "FERDIG",
	Sky: map[board.Symbol]string{
		board.Clear: "Klart", board.PartlyCloudy: "Lettskyet", board.Cloudy: "Skyet", board.Fog: "Tåke",
		board.Drizzle: "Yr", board.Rain: "Regn", board.Sleet: "Sludd", board.Snow: "Snø",
		board.Thunder: "Torden", board.Wind: "Vind",
	},
	Span: "%s til %s", Slippery: "Glatt føre", Windy: "Mye vind, %d m/s", LaterToday: "%s senere i dag",
	Placeholders: map[board.Kind]string{board.Resident: "Beboer", board.Staff: "Ansatt", board.External: "Gjest"},
}

var german = Strings{
	Lang:       "de",
	Weekdays:   [7]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
	Months:     [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
	DateFormat: "%s, %d. %s",
	Meals: map[board.MealKind]string{
		board.Breakfast: "Frühstück", board.Lunch: "Mittagessen", board.Coffee: "Nachmittagskaffee",
		board.Dinner: "Abendessen", board.EveningMeal: "Abendkaffee",
	},
	Shifts: map[board.ShiftKind]string{
		board.DayShift: "Frühdienst", board.EveningShift: "Spätdienst", board.NightShift: "Nachtdienst",
	},
	Today: "Heute", Roster: "Dienstplan", Week: "Woche", Bookings: "Buchungen", News: "Neuigkeiten",
	Gallery: "Bilder", Back: "Zurück", Home: "Heute",
	Activities: "Aktivitäten heute", MealsTitle: "Essen heute", OnDuty: "Heute im Dienst",
	Meeting: "Treffen", SignedUp: "%d von %d angemeldet", SignedUpNoLimit: "%d angemeldet",
	Eating: "%d essen mit", Full: "VOLL", Closed: "GESCHLOSSEN", NowMarker: "JETZT", Pending: "Wartet…",
	You: "dich", NothingToday: "Heute keine Aktivitäten", NoMeals: "Heute keine Mahlzeiten",
	NoStaff: "Heute niemand im Dienst", NothingPlanned: "Nichts geplant", NoNews: "Keine Neuigkeiten",
	NoPhotos: "Keine Bilder", NoBookings: "Keine Buchungen", ForToday: "heute",
	TapToJoin:   "Tippen Sie auf Ihr eigenes Bild",
	ConfirmJoin: "Ja, %s anmelden", ConfirmLeave: "Ja, %s abmelden", Cancel: "Abbrechen",
	Joined: "%s ist angemeldet", Left: "%s ist abgemeldet",
	RefusedFull: "Leider ist die Aktivität voll", RefusedClosed: "Die Anmeldung ist geschlossen",
	RefusedOther: "Das hat nicht geklappt. Bitte fragen Sie das Personal",
	Suggestions:  "Vorschläge", Who: "Angemeldet", Place: "Ort", Time: "Zeit",
	LastUpdated: "Zuletzt aktualisiert um %s", LastUpdatedOn: "Zuletzt aktualisiert am %s um %s", DayAt: "%s, %s Uhr", At: "%s Uhr",
	Offline: "Keine Verbindung", ClockUnset: "Die Uhr ist nicht gestellt", BoardOf: "Stand vom %s",
	PairingTitle: "Der Bildschirm muss verbunden werden", PairingStep1: "Das Personal meldet sich im Manager an",
	PairingStep2: "und wählt »Bildschirm hinzufügen« in der Abteilung", PairingStep3: "Diesen Code eingeben:",
	Waiting: "Der Bildschirm startet", WaitingHint: "Die Tafel wird geladen. Einen Moment bitte.",
	Tomorrow: "Morgen", Earlier: "Zurück", Later: "Weiter", BookedBy: "Gebucht von %s",
	More: "+%d weitere", IdleHint: "Berühren Sie den Bildschirm für das Tagesprogramm",
	DayParts:    [5]string{"Morgen", "Vormittag", "Nachmittag", "Abend", "Nacht"},
	NightBefore: "Nacht zum %s",
	NowLabel:    "Jetzt:", NextLabel: "Als Nächstes:", NothingNow: "nichts geplant", In: "",
	NoMoreActivities: "Heute keine Aktivitäten mehr", NoMoreMeals: "Heute keine Mahlzeiten mehr", Over: "VORBEI",
	Sky: map[board.Symbol]string{
		board.Clear: "Klar", board.PartlyCloudy: "Leicht bewölkt", board.Cloudy: "Bewölkt", board.Fog: "Nebel",
		board.Drizzle: "Nieselregen", board.Rain: "Regen", board.Sleet: "Schneeregen", board.Snow: "Schnee",
		board.Thunder: "Gewitter", board.Wind: "Wind",
	},
	Span: "%s bis %s", Slippery: "Glätte", Windy: "Windig, %d m/s", LaterToday: "%s später am Tag",
	Placeholders: map[board.Kind]string{board.Resident: "Bewohner", board.Staff: "Mitarbeiter", board.External: "Gast"},
}

var english = Strings{
	Lang:       "en",
	Weekdays:   [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	Months:     [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	DateFormat: "%s %d %s",
	Meals: map[board.MealKind]string{
		board.Breakfast: "Breakfast", board.Lunch: "Lunch", board.Coffee: "Afternoon coffee",
		board.Dinner: "Dinner", board.EveningMeal: "Evening coffee",
	},
	Shifts: map[board.ShiftKind]string{
		board.DayShift: "Day shift", board.EveningShift: "Evening shift", board.NightShift: "Night shift",
	},
	Today: "Today", Roster: "Staff", Week: "Week", Bookings: "Bookings", News: "News",
	Gallery: "Photos", Back: "Back", Home: "Today",
	Activities: "Activities today", MealsTitle: "Meals today", OnDuty: "At work today",
	Meeting: "Meeting", SignedUp: "%d of %d signed up", SignedUpNoLimit: "%d signed up",
	Eating: "%d eating", Full: "FULL", Closed: "CLOSED", NowMarker: "NOW", Pending: "Waiting…",
	You: "you", NothingToday: "No activities today", NoMeals: "No meals today",
	NoStaff: "No shifts today", NothingPlanned: "Nothing planned", NoNews: "No news",
	NoPhotos: "No photos", NoBookings: "No bookings", ForToday: "today",
	TapToJoin:   "Tap your own picture",
	ConfirmJoin: "Yes, sign up %s", ConfirmLeave: "Yes, cancel for %s", Cancel: "Go back",
	Joined: "%s is signed up", Left: "%s is no longer signed up",
	RefusedFull: "Sorry, the activity is full", RefusedClosed: "Sign-up is closed",
	RefusedOther: "That did not work. Please ask the staff",
	Suggestions:  "Suggestions", Who: "Signed up", Place: "Place", Time: "Time",
	LastUpdated: "Last updated at %s", LastUpdatedOn: "Last updated on %s at %s", DayAt: "%s, %s", At: "%s",
	Offline: "No connection", ClockUnset: "The clock is not set", BoardOf: "Board of %s",
	PairingTitle: "This screen needs to be connected", PairingStep1: "Staff sign in to the Manager",
	PairingStep2: "and choose »Add screen« for the department", PairingStep3: "Enter this code:",
	Waiting: "The screen is starting", WaitingHint: "Fetching the board. This takes a moment.",
	Tomorrow: "Tomorrow", Earlier: "Previous", Later: "Next", BookedBy: "Booked by %s",
	More: "+%d more", IdleHint: "Touch the screen for today's programme",
	DayParts:    [5]string{"morning", "morning", "afternoon", "evening", "night"},
	NightBefore: "",
	NowLabel:    "Now:", NextLabel: "Next:", NothingNow: "nothing planned", In: "in",
	NoMoreActivities: "No more activities today", NoMoreMeals: "No more meals today", Over: "ENDED",
	Sky: map[board.Symbol]string{
		board.Clear: "Clear", board.PartlyCloudy: "Partly cloudy", board.Cloudy: "Cloudy", board.Fog: "Fog",
		board.Drizzle: "Drizzle", board.Rain: "Rain", board.Sleet: "Sleet", board.Snow: "Snow",
		board.Thunder: "Thunder", board.Wind: "Windy",
	},
	Span: "%s to %s", Slippery: "Slippery roads", Windy: "Windy, %d m/s", LaterToday: "%s later today",
	Placeholders: map[board.Kind]string{board.Resident: "Resident", board.Staff: "Staff member", board.External: "Guest"},
}

// Locale returns the strings for a language code ("da", "nb", "de", "en",
// also "da-DK" and the like); anything else is Danish.
func Locale(code string) *Strings {
	code = strings.ToLower(code)
	if i := strings.IndexAny(code, "-_"); i >= 0 {
		code = code[:i]
	}
	switch code {
	case "nb", "no", "nn":
		return &norwegian
	case "de":
		return &german
	case "en":
		return &english
	}
	return &danish
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
// Norwegian; as it is in German and English.
func (s *Strings) InText(day string) string {
	if !s.LowerWeekday {
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

// Placeholder is the word for a person of kind k whose name is not shown.
func (s *Strings) Placeholder(k board.Kind) string { return s.Placeholders[k] }
