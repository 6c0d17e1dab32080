package layout_test

import (
	"strings"
	"testing"
	"time"

	"skaerm/display/internal/fixture"
	"skaerm/display/layout"
)

// texts are the lines of text on p, in order.
func texts(p *layout.Page) []string {
	var out []string
	for _, it := range p.Items {
		if it.Kind == layout.Text {
			out = append(out, it.Text)
		}
	}
	return out
}

// TestLastUpdatedNamesTheDay: an offline screen whose board is from an
// earlier day says which day in words a resident reads as a sentence, whole,
// at every size and in every language.
func TestLastUpdatedNamesTheDay(t *testing.T) {
	m := measurer(t)
	bd, _ := fixture.Board(at(t))
	last := time.Date(2026, 11, 22, 19, 57, 0, 0, cph(t)) // Sunday evening
	want := map[string]string{
		"da": "Sidst opdateret søndag 22. november kl. 19:57",
		"nb": "Sist oppdatert søndag 22. november kl. 19:57",
		"de": "Zuletzt aktualisiert am Sonntag, 22. November um 19:57",
		"en": "Last updated on Sunday 22 November at 19:57",
	}
	for _, sz := range sizes {
		for loc, w := range want {
			p := layout.Build(m, layout.Input{Board: bd, Now: at(t), Locale: loc, W: sz.w, H: sz.h, Offline: true, LastSync: last})
			if !hasText(p, w) {
				t.Errorf("%s %vx%v: header lacks %q; it has %q", loc, sz.w, sz.h, w, texts(p)[:4])
			}
		}
	}
	// The same day keeps the short form.
	p := layout.Build(m, layout.Input{Board: bd, Now: at(t), W: 1920, H: 1080, Offline: true, LastSync: at(t).Add(-time.Hour)})
	if !hasText(p, "Sidst opdateret kl. 08:30") {
		t.Errorf("same day: header has %q", texts(p)[:4])
	}
}

func TestDateInText(t *testing.T) {
	loc := cph(t)
	d := time.Date(2026, 12, 1, 10, 0, 0, 0, loc)
	for code, want := range map[string]string{"da": "tirsdag 1. december", "nb": "tirsdag 1. desember", "de": "Dienstag, 1. Dezember", "en": "Tuesday 1 December"} {
		if got := layout.Locale(code).DateInText(d, loc); got != want {
			t.Errorf("%s: DateInText = %q, want %q", code, got, want)
		}
	}
}

// TestConfirmNamesTheDay: the question before a sign-up names the day and
// the time in full, so nobody signs up for the wrong day.
func TestConfirmNamesTheDay(t *testing.T) {
	m := measurer(t)
	bd, _ := fixture.Board(at(t))
	act := func(id string) layout.PageID { return layout.PageID{Kind: layout.PageActivity, ID: id} }
	// The whole line, or (on a narrow screen) the day above the time.
	tests := []struct {
		page         layout.PageID
		locale, want string
		day, time    string
	}{
		{act("a1"), "da", "I dag, mandag 23. november kl. 10:00–11:30", "I dag, mandag 23. november", "kl. 10:00–11:30"},
		{act("a4"), "da", "I morgen, tirsdag 24. november kl. 10:00–12:00", "I morgen, tirsdag 24. november", "kl. 10:00–12:00"},
		{act("a5"), "da", "Onsdag 25. november kl. 09:30–15:00", "Onsdag 25. november", "kl. 09:30–15:00"},
		{act("a5"), "nb", "Onsdag 25. november kl. 09:30–15:00", "Onsdag 25. november", "kl. 09:30–15:00"},
		{act("a5"), "de", "Mittwoch, 25. November, 09:30–15:00 Uhr", "Mittwoch, 25. November", "09:30–15:00 Uhr"},
		{act("a4"), "en", "Tomorrow, Tuesday 24 November, 10:00–12:00", "Tomorrow, Tuesday 24 November", "10:00–12:00"},
		{layout.PageID{Kind: layout.PageMeeting, ID: "mt1"}, "da", "I morgen, tirsdag 24. november kl. 14:00–15:00", "I morgen, tirsdag 24. november", "kl. 14:00–15:00"},
	}
	for _, sz := range sizes {
		for _, tc := range tests {
			p := layout.Build(m, layout.Input{Board: bd, Now: at(t), Locale: tc.locale, W: sz.w, H: sz.h, State: layout.State{Page: tc.page, Pick: "p3"}})
			if !hasText(p, tc.want) && !(hasText(p, tc.day) && hasText(p, tc.time)) {
				t.Errorf("%s %s %vx%v: confirmation lacks %q; it says %q", tc.page, tc.locale, sz.w, sz.h, tc.want, strings.Join(texts(p), " | "))
			}
		}
	}
}
