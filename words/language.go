package words

import (
	"slices"
	"strings"
)

// Language is one language of the screen: what it shows, what the login
// says, how the voice reads it aloud, the on-screen keyboard, and how the
// residents' names sort. Adding a language is one file here with one of
// these, and its place in languages.
type Language struct {
	Code     string   // the locale as configured: "da"
	Aliases  []string // other codes that mean it: "no" for "nb"
	Name     string   // the language's name in itself: "Dansk"
	Voice    string   // espeak-ng's voice for it
	Greeting string   // what the technician's speech check has the voice say

	// Keyboard is the on-screen keyboard above the row with the space bar
	// and the delete key: KeyboardRows rows of at most KeyboardColumns
	// keys, "⇧" shifting.
	Keyboard [][]string
	// AfterZ are the letters that sort after z, in their order: "æ", "ø",
	// "å" in Danish. Fold are letters that sort as others: "ä" as "a" in
	// German, as "æ" in Danish.
	AfterZ []string
	Fold   map[string]string

	Strings Strings
	Login   LoginWords
	Spoken  Spoken
}

// The on-screen keyboard's size above its space bar.
const (
	KeyboardRows    = 4
	KeyboardColumns = 11
)

// languages are the screen's languages, the default first.
var languages = []*Language{&danish, &norwegian, &swedish, &german, &english}

// Codes are the locale codes a screen can be set to, the default first.
func Codes() []string {
	out := make([]string, len(languages))
	for i, l := range languages {
		out[i] = l.Code
	}
	return out
}

// Known reports whether code names one of the screen's languages
// ("da", "da-DK", "no" and the like).
func Known(code string) bool { return find(code) != nil }

// Lookup returns the language of a locale code ("da", "nb", "de", also
// "da-DK", "no" and the like); anything else is Danish.
func Lookup(code string) *Language {
	if l := find(code); l != nil {
		return l
	}
	return languages[0]
}

func find(code string) *Language {
	code = strings.ToLower(code)
	if i := strings.IndexAny(code, "-_"); i >= 0 {
		code = code[:i]
	}
	for _, l := range languages {
		if l.Code == code {
			return l
		}
		for _, a := range l.Aliases {
			if a == code {
				return l
			}
		}
	}
	return nil
}

// Locale returns the screen's words for a locale code (see Lookup).
func Locale(code string) *Strings { return &Lookup(code).Strings }

// LoginWordsFor are the login's words for a locale code (see Lookup).
func LoginWordsFor(code string) LoginWords { return Lookup(code).Login }

// NameKey is what a name sorts by in the language: lower case, the
// letters after z after it ("Åse" after "Zenia" in Danish and Swedish),
// folded letters as the ones they fold to ("Ärzte" beside "Arzt" in
// German, beside "Ærø" in Danish).
func (l *Language) NameKey(name string) string {
	var folded strings.Builder
	for _, r := range strings.ToLower(name) {
		c := string(r)
		if f, ok := l.Fold[c]; ok {
			c = f
		}
		folded.WriteString(c)
	}
	var b strings.Builder
	for _, r := range folded.String() {
		c := string(r)
		if i := slices.Index(l.AfterZ, c); i >= 0 {
			// "{" is the byte after "z": the letter sorts after every
			// word with z in that place, in AfterZ's order.
			b.WriteString("{")
			b.WriteByte(byte('0' + i))
			continue
		}
		b.WriteString(c)
	}
	return b.String()
}

// Spoken is how the voice reads numbers, times and dates in one language,
// and the sentences it says about cards.
type Spoken struct {
	Ones      [20]string // 0..19 as counted
	Tens      [10]string // 20, 30, ... by tens digit
	Hundred   string     // "hundrede" after a digit: "to hundrede"
	Hundred1  string     // 100 alone: "hundrede", "one hundred"
	Thousand  string     // "tusind" after a digit
	Thousand1 string     // 1000 alone
	And       string     // between hundreds and the rest: "og"; "" joins them (de)
	Compound  bool       // numbers are one word: "zweihundertfünf" (de)
	TensFirst bool       // "tjueen": tens before ones (nb, en); else "enogtyve" (da, de)
	Join      string     // between ones and tens: "og" (da), "und" (de), "" (nb), "-" (en)
	One       string     // 1 in "21", "101": "en", "ein", "en", "one"
	Ordinals  [32]string // 1..31 as in a date

	ClockHours [13]string // the hour as read on a clock, 1..12
	FullOne    string     // one o'clock when it differs: "ein" in "um ein Uhr"
	OClock     string     // "klokken %s" for a full hour
	At         string     // "klokken %s" for any other time
	Quarter    [2]string  // "kvart over %s", "kvart i %s"
	Half       string     // "halv %s" (of the next hour), or "half past %s"
	HalfNext   bool       // half names the next hour (da, nb, de)
	Minutes    [2]string  // "%s minutter over %s", "%s minutter i %s"
	Minute     [2]string  // the same for one minute

	Date   string    // "%[1]s den %[2]s %[3]s": weekday, ordinal, month
	Eating [2]string // one person, more: "En spiser med.", "%s spiser med."
	Signed [2]string // "En er tilmeldt.", "%s er tilmeldt."
	Others string    // hidden people after the names: "og %s andre"
	And2   string    // before the last name: "og"
	In     string    // "i": "Strikkeklub i Dagligstuen"
	Soon   string    // an announcement: "Om %s minutter: %s"
	Soon1  string    // the same in one minute
	Notice string    // an urgent notice from staff: "Vigtig besked: %s" (its title)
	// TimeIs says the time on the night page: "Klokken er %s" with "kvart
	// over tre", and at a full hour with the hour alone ("tre").
	TimeIs [2]string

	FreeTimes string // a resource's free times on a day: "Ledige tider %s: %s." (day, times)
	NoneFree  string // "Ingen ledige tider %s." (day)
}
