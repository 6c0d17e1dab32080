package words_test

import (
	"testing"
	"time"

	"skaerm/board"
	"skaerm/words"
)

func cph(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

func TestDate(t *testing.T) {
	loc := cph(t)
	tests := []struct {
		locale string
		t      time.Time
		want   string
	}{
		{"da", time.Date(2026, 11, 23, 9, 30, 0, 0, loc), "Mandag 23. november"},
		{"", time.Date(2026, 3, 29, 1, 0, 0, 0, loc), "Søndag 29. marts"},
		{"nb", time.Date(2026, 5, 17, 12, 0, 0, 0, loc), "Søndag 17. mai"},
		{"de", time.Date(2026, 3, 1, 12, 0, 0, 0, loc), "Sonntag, 1. März"},
		{"en", time.Date(2026, 12, 24, 12, 0, 0, 0, loc), "Thursday 24 December"},
		// 23:30 UTC is already the next day in Copenhagen.
		{"da", time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC), "Onsdag 1. juli"},
	}
	for _, tc := range tests {
		if got := words.Locale(tc.locale).Date(tc.t, loc); got != tc.want {
			t.Errorf("Date(%s, %v) = %q, want %q", tc.locale, tc.t, got, tc.want)
		}
	}
}

func TestClockFollowsDST(t *testing.T) {
	loc := cph(t)
	tests := []struct {
		utc  time.Time
		want string
	}{
		{time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC), "01:59"}, // winter time, UTC+1
		{time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), "03:00"},  // summer time starts
		{time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "02:30"},
		{time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), "02:30"}, // the hour repeats
		{time.Date(2026, 11, 23, 8, 30, 0, 0, time.UTC), "09:30"},
	}
	for _, tc := range tests {
		if got := words.Clock(tc.utc, loc); got != tc.want {
			t.Errorf("Clock(%v) = %q, want %q", tc.utc, got, tc.want)
		}
	}
}

func TestWords(t *testing.T) {
	da := words.Locale("da-DK")
	if got := da.Count(8, 12); got != "8 af 12 tilmeldt" {
		t.Errorf("Count = %q", got)
	}
	if got := da.Count(3, 0); got != "3 tilmeldt" {
		t.Errorf("Count without limit = %q", got)
	}
	want := map[board.MealKind]string{board.Breakfast: "Morgenmad", board.Lunch: "Frokost", board.Coffee: "Eftermiddagskaffe", board.Dinner: "Aftensmad", board.EveningMeal: "Aftenkaffe"}
	for k, w := range want {
		if got := da.Meal(k); got != w {
			t.Errorf("Meal(%s) = %q, want %q", k, got, w)
		}
	}
	shifts := map[board.ShiftKind]string{board.DayShift: "Dagvagt", board.EveningShift: "Aftenvagt", board.NightShift: "Nattevagt"}
	for k, w := range shifts {
		if got := da.Shift(k); got != w {
			t.Errorf("Shift(%s) = %q, want %q", k, got, w)
		}
	}
	if got := da.Refusal("full"); got != "Desværre, aktiviteten er fuld" {
		t.Errorf("Refusal(full) = %q", got)
	}
	if got := da.Refusal("closed"); got != "Tilmeldingen er lukket" {
		t.Errorf("Refusal(closed) = %q", got)
	}
	if words.Locale("xx") != da || words.Locale("") != da {
		t.Error("unknown locales should fall back to Danish")
	}
}

// TestInText: a day inside a sentence. Danish and Norwegian write every
// day name small; German and English keep a weekday's capital, and write
// today and tomorrow small.
func TestInText(t *testing.T) {
	for _, tc := range []struct{ locale, day, want string }{
		{"da", "I morgen, tirsdag 24. november", "i morgen, tirsdag 24. november"},
		{"da", "Onsdag 25.", "onsdag 25."},
		{"de", "Morgen, Dienstag, 24. November", "morgen, Dienstag, 24. November"},
		{"de", "Heute", "heute"},
		{"de", "Mittwoch 25.", "Mittwoch 25."},
		{"en", "Tomorrow, Tuesday 24 November", "tomorrow, Tuesday 24 November"},
		{"en", "Tomorrowland", "Tomorrowland"},
		{"en", "Wednesday 25", "Wednesday 25"},
	} {
		if got := words.Locale(tc.locale).InText(tc.day); got != tc.want {
			t.Errorf("%s: InText(%q) = %q, want %q", tc.locale, tc.day, got, tc.want)
		}
	}
}
