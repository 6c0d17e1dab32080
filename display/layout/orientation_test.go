package layout_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/display/internal/fixture"
	"skaerm/display/layout"
	"skaerm/words"
)

// strip reads the now and next lines of a built Today page: the text after
// the "Nu:" and "Næste:" labels.
func strip(t *testing.T, p *layout.Page, nowLabel, nextLabel string) (now, next string) {
	t.Helper()
	for i, it := range p.Items {
		if it.Kind != layout.Text || i+1 >= len(p.Items) {
			continue
		}
		switch it.Text {
		case nowLabel:
			now = p.Items[i+1].Text
		case nextLabel:
			next = p.Items[i+1].Text
		}
	}
	return now, next
}

func today(t *testing.T, bd *board.Board, now time.Time, locale string) *layout.Page {
	t.Helper()
	return layout.Build(measurer(t), layout.Input{Board: bd, Now: now, W: 1920, H: 1080, Locale: locale})
}

// TestNowAndNextThroughTheDay walks the fixture's Monday (and the night
// after it) and reads the strip as a resident would.
func TestNowAndNextThroughTheDay(t *testing.T) {
	loc := cph(t)
	bd, _ := fixture.Board(at(t))
	mon := func(h, m int) time.Time { return time.Date(2026, 11, 23, h, m, 0, 0, loc) }
	for _, tc := range []struct {
		name      string
		at        time.Time
		now, next string
	}{
		{"before the first item", mon(6, 0), "ingenting planlagt", "07:30 Morgenmad"},
		{"during two items", mon(8, 45), "Morgenmad · Morgengymnastik i Dagligstuen", "10:00 Banko med kaffe og kage i Fælleshuset"},
		{"the minute both end", mon(9, 0), "ingenting planlagt", "10:00 Banko med kaffe og kage i Fælleshuset"},
		{"the minute before a start", mon(9, 59), "ingenting planlagt", "10:00 Banko med kaffe og kage i Fælleshuset"},
		{"the minute of the start", mon(10, 0), "Banko med kaffe og kage i Fælleshuset", "12:00 Frokost"},
		{"a place that is a phrase", mon(13, 45), "Gåtur i Søndermarken – Mødes ved hoveddøren", "14:30 Eftermiddagskaffe"},
		{"between items", mon(16, 30), "ingenting planlagt", "17:30 Aftensmad"},
		{"after the last", mon(21, 0), "ingenting planlagt", "I morgen 07:30 Morgenmad"},
		{"after midnight", mon(24, 30), "ingenting planlagt", "07:30 Morgenmad"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now, next := strip(t, today(t, bd, tc.at, ""), "Nu:", "Næste:")
			if now != tc.now || next != tc.next {
				t.Errorf("at %s: Nu: %q, Næste: %q; want %q, %q", tc.at.Format("Mon 15:04"), now, next, tc.now, tc.next)
			}
		})
	}
}

// TestNowAndNextAcrossDST: on the nights the clocks change, the next item
// is named by the wall clock and the night by the morning it leads to.
func TestNowAndNextAcrossDST(t *testing.T) {
	for _, tc := range []struct {
		utc  time.Time
		want string
	}{
		{time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC), "01:30"}, // before the spring jump
		{time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC), "03:30"}, // after it
		{time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "02:30"},
		{time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), "02:30"}, // the hour again
	} {
		bd, _ := fixture.Board(tc.utc)
		p := today(t, bd, tc.utc, "")
		if !hasText(p, tc.want) {
			t.Errorf("%v: the clock does not read %s", tc.utc, tc.want)
		}
		if !hasText(p, "Natten til søndag") {
			t.Errorf("%v: the night is not the night to Sunday", tc.utc)
		}
		if _, next := strip(t, p, "Nu:", "Næste:"); next != "07:30 Morgenmad" {
			t.Errorf("%v: Næste: %q, want the breakfast of the same morning at 07:30", tc.utc, next)
		}
	}
}

func TestPartOfDayInFourLanguages(t *testing.T) {
	loc := cph(t)
	times := []time.Time{
		time.Date(2026, 11, 23, 6, 0, 0, 0, loc),
		time.Date(2026, 11, 23, 10, 0, 0, 0, loc),
		time.Date(2026, 11, 23, 14, 0, 0, 0, loc),
		time.Date(2026, 11, 23, 19, 0, 0, 0, loc),
		time.Date(2026, 11, 23, 23, 30, 0, 0, loc),
		time.Date(2026, 11, 24, 2, 0, 0, 0, loc),
	}
	want := map[string][]string{
		"da": {"Mandag morgen", "Mandag formiddag", "Mandag eftermiddag", "Mandag aften", "Natten til tirsdag", "Natten til tirsdag"},
		"nb": {"Mandag morgen", "Mandag formiddag", "Mandag ettermiddag", "Mandag kveld", "Natt til tirsdag", "Natt til tirsdag"},
		"de": {"Montagmorgen", "Montagvormittag", "Montagnachmittag", "Montagabend", "Nacht zum Dienstag", "Nacht zum Dienstag"},
		"en": {"Monday morning", "Monday morning", "Monday afternoon", "Monday evening", "Monday night", "Monday night"},
	}
	skies := []string{"sky-morning", "sky-day", "sky-day", "sky-evening", "sky-night", "sky-night"}
	for lang, said := range want {
		for i, tm := range times {
			if got := words.Locale(lang).PartOfDay(tm, loc); got != said[i] {
				t.Errorf("%s at %s: %q, want %q", lang, tm.Format("Mon 15:04"), got, said[i])
			}
			if got := layout.SkyPictogram(words.PartOfDay(tm, loc)); got != skies[i] {
				t.Errorf("%s: sky %q, want %q", tm.Format("15:04"), got, skies[i])
			}
		}
	}
	// The header shows it beside the clock, with the drawn sky.
	bd, _ := fixture.Board(at(t))
	p := today(t, bd, at(t), "")
	if !hasText(p, "Mandag formiddag") || !hasIcon(p, "sky-day") {
		t.Error("the header lacks the part of the day and its sky")
	}
	// A clock that cannot be trusted names no part of the day.
	p = layout.Build(measurer(t), layout.Input{Board: bd, Now: at(t), W: 1920, H: 1080, DayUnknown: true})
	if hasText(p, "Mandag formiddag") || hasIcon(p, "sky-day") || hasText(p, "Nu:") {
		t.Error("with the clock not set the page still names the part of the day or what is on now")
	}
}

func hasTextPrefix(p *layout.Page, prefix string) bool {
	for _, it := range p.Items {
		if it.Kind == layout.Text && strings.HasPrefix(it.Text, prefix) {
			return true
		}
	}
	return false
}

func hasIcon(p *layout.Page, name string) bool {
	for _, it := range p.Items {
		if it.Kind == layout.Icon && it.Text == name {
			return true
		}
	}
	return false
}

func withWeather(bd *board.Board, w board.Weather) *board.Board {
	out := *bd
	out.Weather = &w
	return &out
}

func TestWeatherTileAndStaleness(t *testing.T) {
	bd, _ := fixture.Board(at(t))
	w := board.Weather{
		Updated: at(t).Add(-5*time.Hour - 59*time.Minute), Place: "Varde",
		Now:  board.WeatherNow{TempC: 3.4, Symbol: board.Cloudy, WindMS: 4},
		Days: []board.WeatherDay{{Date: "2026-11-23", MinC: 1, MaxC: 5, Symbol: board.Cloudy}},
	}
	for _, sz := range sizes {
		p := layout.Build(measurer(t), layout.Input{Board: withWeather(bd, w), Now: at(t), W: sz.w, H: sz.h})
		if !hasIcon(p, "weather-cloudy") || !hasText(p, "3°") || !hasText(p, "Skyet, 1° til 5°") {
			t.Errorf("%vx%v: weather 5h59m old is not shown", sz.w, sz.h)
		}
		checkPage(t, measurer(t), p)
	}
	stale := w
	stale.Updated = at(t).Add(-6 * time.Hour)
	plain := today(t, bd, at(t), "")
	for name, b := range map[string]*board.Board{"6 hours old": withWeather(bd, stale), "absent": bd} {
		p := today(t, b, at(t), "")
		for _, it := range p.Items {
			if it.Kind == layout.Icon && strings.HasPrefix(it.Text, "weather-") || it.Kind == layout.Text && strings.HasSuffix(it.Text, "°") {
				t.Errorf("%s weather: the page shows %q", name, it.Text)
			}
		}
		// No empty box: the page is the page without weather.
		if fmt.Sprint(p.Items) != fmt.Sprint(plain.Items) {
			t.Errorf("%s weather: the page differs from one without weather", name)
		}
	}
	// A clock that cannot be trusted cannot say the weather is fresh.
	p := layout.Build(measurer(t), layout.Input{Board: withWeather(bd, w), Now: at(t), W: 1920, H: 1080, DayUnknown: true})
	if hasIcon(p, "weather-cloudy") {
		t.Error("weather shown while the clock is not set")
	}
}

func TestEveryWeatherSymbol(t *testing.T) {
	bd, _ := fixture.Board(at(t))
	for _, lang := range words.Codes() {
		for _, s := range board.Symbols {
			if words.Locale(lang).Sky[s] == "" {
				t.Errorf("%s has no word for %s", lang, s)
			}
		}
	}
	for _, s := range board.Symbols {
		w := board.Weather{Updated: at(t), Now: board.WeatherNow{TempC: 2, Symbol: s, WindMS: 3}}
		p := today(t, withWeather(bd, w), at(t), "")
		if !hasIcon(p, layout.WeatherPictogram(s)) || !hasText(p, words.Locale("da").Sky[s]) {
			t.Errorf("%s: no pictogram %q or word %q", s, layout.WeatherPictogram(s), words.Locale("da").Sky[s])
		}
	}
}

func TestWeatherHints(t *testing.T) {
	bd, _ := fixture.Board(at(t))
	day := func(sym board.Symbol, lo, hi, mm float64) []board.WeatherDay {
		return []board.WeatherDay{{Date: "2026-11-23", MinC: lo, MaxC: hi, Symbol: sym, PrecipMM: mm}}
	}
	for _, tc := range []struct {
		name string
		w    board.Weather
		want string
	}{
		{"snow below zero", board.Weather{Now: board.WeatherNow{TempC: -1, Symbol: board.Snow}, Days: day(board.Snow, -3, 0, 2)}, "Glat føre"},
		{"rain later, frost tonight", board.Weather{Now: board.WeatherNow{TempC: 2, Symbol: board.Cloudy}, Days: day(board.Rain, -1, 4, 3)}, "Glat føre"},
		{"strong wind", board.Weather{Now: board.WeatherNow{TempC: 8, Symbol: board.Wind, WindMS: 12.4}, Days: day(board.Wind, 5, 9, 0)}, "Blæsende, 12 m/s"},
		{"rain later today", board.Weather{Now: board.WeatherNow{TempC: 6, Symbol: board.Cloudy}, Days: day(board.Rain, 4, 8, 3)}, "Regn senere i dag"},
		{"nothing to say", board.Weather{Place: "Varde", Now: board.WeatherNow{TempC: 6, Symbol: board.Clear}, Days: day(board.Clear, 4, 8, 0)}, "Varde"},
	} {
		tc.w.Updated = at(t)
		if p := today(t, withWeather(bd, tc.w), at(t), ""); !hasText(p, tc.want) {
			t.Errorf("%s: no %q", tc.name, tc.want)
		}
	}
}

// TestEndedItemsAreShownDimmed: after the day's last activity the page
// says that no more are left and which comes next, and still shows the
// ones that took place, marked as over; it never says the day had none.
func TestEndedItemsAreShownDimmed(t *testing.T) {
	loc := cph(t)
	bd, _ := fixture.Board(at(t))
	evening := time.Date(2026, 11, 23, 16, 30, 0, 0, loc)
	p := today(t, bd, evening, "")
	if hasText(p, "Ingen aktiviteter i dag") {
		t.Error("a day with four activities is called empty")
	}
	if !hasText(p, "Ikke flere aktiviteter i dag") || !hasTextPrefix(p, "I morgen 10:00 Bagning") {
		t.Error("the page does not say that none are left and which is next")
	}
	over, opens := 0, false
	for _, it := range p.Items {
		if it.Kind == layout.Text && it.Text == "FORBI" {
			over++
		}
	}
	for _, tg := range p.Targets {
		if tg.Intent.Page == (board.PageID{Kind: board.PageActivity, ID: "a3"}) {
			opens = true
		}
	}
	if over < 2 || !opens {
		t.Errorf("%d items marked FORBI, the last activity opens: %v; want the day's ended items shown", over, opens)
	}
	for _, it := range p.Items {
		if it.Kind == layout.Text && strings.HasPrefix(it.Text, "15:00–16:00") && it.Color != layout.Muted {
			t.Errorf("the ended %q is not dimmed", it.Text)
		}
	}
	// In portrait late in the evening the boxes take the height their words
	// take, and the day's ended meals fill what is left.
	night := time.Date(2026, 11, 23, 23, 30, 0, 0, loc)
	p = layout.Build(measurer(t), layout.Input{Board: bd, Now: night, W: 1080, H: 1920})
	if !hasText(p, "Ikke flere måltider i dag") || !hasText(p, "17:30 Aftensmad") || !hasText(p, "19:30 Aftenkaffe") {
		t.Error("at 23:30 in portrait the evening's meals are not shown as ended")
	}
	// A day that truly had none still says so.
	empty := *bd
	empty.Activities = nil
	if p := today(t, &empty, evening, ""); !hasText(p, "Ingen aktiviteter i dag") {
		t.Error("a day without activities does not say so")
	}
}
