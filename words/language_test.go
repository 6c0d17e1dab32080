package words_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"skaerm/board"
	"skaerm/words"
)

// Every language has every word, a full keyboard and its voice: a
// language added with a word missing fails here, not on a wall.
func TestEveryLanguageIsComplete(t *testing.T) {
	codes := words.Codes()
	if len(codes) == 0 || codes[0] != "da" {
		t.Fatalf("Codes() = %v, want Danish first", codes)
	}
	for _, code := range codes {
		l := words.Lookup(code)
		if l.Code != code || l.Strings.Lang != code {
			t.Errorf("Lookup(%s) is %s with strings of %s", code, l.Code, l.Strings.Lang)
		}
		if l.Name == "" || l.Voice == "" || l.Greeting == "" {
			t.Errorf("%s: name %q, voice %q, greeting %q", code, l.Name, l.Voice, l.Greeting)
		}
		for _, part := range []struct {
			name string
			v    any
		}{{"Strings", l.Strings}, {"Login", l.Login}, {"Spoken", l.Spoken}} {
			for _, miss := range missing(reflect.ValueOf(part.v), part.name) {
				t.Errorf("%s: %s is empty", code, miss)
			}
		}
		for _, k := range []board.MealKind{board.Breakfast, board.Lunch, board.Coffee, board.Dinner, board.EveningMeal} {
			if l.Strings.Meals[k] == "" {
				t.Errorf("%s: no name for meal %s", code, k)
			}
		}
		for _, k := range []board.ShiftKind{board.DayShift, board.EveningShift, board.NightShift} {
			if l.Strings.Shifts[k] == "" {
				t.Errorf("%s: no name for shift %s", code, k)
			}
		}
		for _, k := range []board.Kind{board.Resident, board.Staff, board.External} {
			if l.Strings.Placeholder(k) == "" {
				t.Errorf("%s: no word for a %s without a name", code, k)
			}
		}
		for _, s := range []board.Symbol{board.Clear, board.PartlyCloudy, board.Cloudy, board.Fog, board.Drizzle,
			board.Rain, board.Sleet, board.Snow, board.Thunder, board.Wind} {
			if l.Strings.Sky[s] == "" {
				t.Errorf("%s: no word for the weather %s", code, s)
			}
		}
		if len(l.Keyboard) != words.KeyboardRows {
			t.Errorf("%s: the keyboard has %d rows, want %d", code, len(l.Keyboard), words.KeyboardRows)
		}
		keys := map[string]bool{}
		for i, row := range l.Keyboard {
			if len(row) == 0 || len(row) > words.KeyboardColumns {
				t.Errorf("%s: keyboard row %d has %d keys", code, i, len(row))
			}
			for _, k := range row {
				if keys[k] {
					t.Errorf("%s: the key %q is on the keyboard twice", code, k)
				}
				keys[k] = true
			}
		}
		for _, k := range append([]string{"⇧", "a", "z", "0", "9"}, l.AfterZ...) {
			if !keys[k] {
				t.Errorf("%s: the keyboard has no %q", code, k)
			}
		}
	}
}

// missing lists the empty strings and string arrays with an empty place
// (beyond those left empty on purpose) in a struct of words.
func missing(v reflect.Value, path string) []string {
	var out []string
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if optional[path+"."+f.Name] {
				continue
			}
			out = append(out, missing(v.Field(i), path+"."+f.Name)...)
		}
	case reflect.String:
		if v.String() == "" {
			out = append(out, path)
		}
	case reflect.Array:
		first := 0
		if arrayFrom[path[strings.LastIndex(path, ".")+1:]] > 0 {
			first = arrayFrom[path[strings.LastIndex(path, ".")+1:]]
		}
		for i := first; i < v.Len(); i++ {
			if v.Index(i).Kind() == reflect.String && v.Index(i).String() == "" {
				out = append(out, path)
				break
			}
		}
	}
	return out
}

// optional are the words a language may leave empty: each says what empty
// means where it is declared.
var optional = map[string]bool{
	"Strings.NightBefore": true, "Strings.In": true, "Spoken.FullOne": true, "Spoken.And": true, "Spoken.Join": true,
}

// arrayFrom are the arrays indexed from a number other than 0.
var arrayFrom = map[string]int{"Tens": 2, "Ordinals": 1, "ClockHours": 1}

func TestLookup(t *testing.T) {
	for code, want := range map[string]string{
		"da": "da", "da-DK": "da", "DA_dk": "da", "nb": "nb", "no": "nb", "nn": "nb", "nb-NO": "nb",
		"sv": "sv", "sv-SE": "sv", "sv-FI": "sv", "de": "de", "de-AT": "de", "en": "en", "en-GB": "en", "": "da", "xx": "da", "dan": "da",
	} {
		if got := words.Lookup(code).Code; got != want {
			t.Errorf("Lookup(%q) = %s, want %s", code, got, want)
		}
	}
	for _, code := range []string{"", "xx", "dan", "-"} {
		if words.Known(code) {
			t.Errorf("Known(%q) = true", code)
		}
	}
	if !words.Known("no") || !words.Known("da-DK") {
		t.Error("no and da-DK are known")
	}
}

// Residents' names sort as the language sorts them.
func TestNamesSortAsTheLanguageSortsThem(t *testing.T) {
	names := []string{"Åse", "Ærø", "Ødegaard", "Zenia", "Anna", "Ulla", "Oskar", "Ärzte"}
	for code, want := range map[string][]string{
		"da": {"Anna", "Oskar", "Ulla", "Zenia", "Ärzte", "Ærø", "Ødegaard", "Åse"},
		"nb": {"Anna", "Oskar", "Ulla", "Zenia", "Ärzte", "Ærø", "Ødegaard", "Åse"},
		"de": {"Ærø", "Anna", "Ärzte", "Åse", "Ødegaard", "Oskar", "Ulla", "Zenia"},
		"sv": {"Anna", "Oskar", "Ulla", "Zenia", "Åse", "Ärzte", "Ærø", "Ødegaard"},
	} {
		l := words.Lookup(code)
		got := slices.Clone(names)
		slices.SortStableFunc(got, func(a, b string) int { return strings.Compare(l.NameKey(a), l.NameKey(b)) })
		if !slices.Equal(got, want) {
			t.Errorf("%s sorts %v, want %v", code, got, want)
		}
	}
}
