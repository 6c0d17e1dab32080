package layout_test

import (
	"strings"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/display/internal/fixture"
	"skaerm/display/layout"
	"skaerm/words"
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
		if got := words.Locale(code).DateInText(d, loc); got != want {
			t.Errorf("%s: DateInText = %q, want %q", code, got, want)
		}
	}
}

// TestConfirmNamesTheDay: the question before a sign-up names the day and
// the time in full, so nobody signs up for the wrong day.
func TestConfirmNamesTheDay(t *testing.T) {
	m := measurer(t)
	bd, _ := fixture.Board(at(t))
	act := func(id string) board.PageID { return board.PageID{Kind: board.PageActivity, ID: id} }
	// The whole line, or (on a narrow screen) the day above the time.
	tests := []struct {
		page         board.PageID
		locale, want string
		day, time    string
	}{
		{act("a1"), "da", "I dag, mandag 23. november kl. 10:00–11:30", "I dag, mandag 23. november", "kl. 10:00–11:30"},
		{act("a4"), "da", "I morgen, tirsdag 24. november kl. 10:00–12:00", "I morgen, tirsdag 24. november", "kl. 10:00–12:00"},
		{act("a5"), "da", "Onsdag 25. november kl. 09:30–15:00", "Onsdag 25. november", "kl. 09:30–15:00"},
		{act("a5"), "nb", "Onsdag 25. november kl. 09:30–15:00", "Onsdag 25. november", "kl. 09:30–15:00"},
		{act("a5"), "de", "Mittwoch, 25. November, 09:30–15:00 Uhr", "Mittwoch, 25. November", "09:30–15:00 Uhr"},
		{act("a4"), "en", "Tomorrow, Tuesday 24 November, 10:00–12:00", "Tomorrow, Tuesday 24 November", "10:00–12:00"},
		{board.PageID{Kind: board.PageMeeting, ID: "mt1"}, "da", "I morgen, tirsdag 24. november kl. 14:00–15:00", "I morgen, tirsdag 24. november", "kl. 14:00–15:00"},
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

// TestBookingOvernightShowsBothDays: a booking that ends on another day than
// it starts names both days, whole, at every size.
func TestBookingOvernightShowsBothDays(t *testing.T) {
	m := measurer(t)
	bd, _ := fixture.Board(at(t))
	loc := cph(t)
	bd.Bookings = []board.Booking{
		{ID: "b1", Resource: "Gæsteværelset", Start: time.Date(2026, 11, 27, 14, 0, 0, 0, loc), End: time.Date(2026, 11, 28, 11, 0, 0, 0, loc), ProfileID: "p12"},
		{ID: "b2", Resource: "Minibussen", Start: time.Date(2026, 11, 23, 15, 0, 0, 0, loc), End: time.Date(2026, 11, 24, 11, 0, 0, 0, loc), ProfileID: "p2"},
		{ID: "b3", Resource: "Vaskeriet", Start: time.Date(2026, 11, 24, 9, 0, 0, 0, loc), End: time.Date(2026, 11, 24, 11, 0, 0, 0, loc), ProfileID: "p2"},
		// Longer than the board's window: the end day is still named right.
		{ID: "b4", Resource: "Gæsteværelset", Start: time.Date(2026, 11, 29, 14, 0, 0, 0, loc), End: time.Date(2026, 12, 12, 11, 0, 0, 0, loc), ProfileID: "p1"},
	}
	want := []string{"Fredag 27. 14:00 – lørdag 28. 11:00", "I dag 15:00 – i morgen 11:00", "I morgen 09:00–11:00", "Søndag 29. 14:00 – lørdag 12. 11:00"}
	for _, sz := range sizes {
		p := layout.Build(m, layout.Input{Board: bd, Now: at(t), W: sz.w, H: sz.h, State: layout.State{Page: board.PageOf(board.PageBookings)}})
		checkPage(t, m, p)
		for _, w := range want {
			if !hasText(p, w) {
				t.Errorf("%vx%v: bookings lack %q; they say %q", sz.w, sz.h, w, strings.Join(texts(p), " | "))
			}
		}
	}
}

// TestMealWithoutSignupsCountsNobody: a meal residents do not sign up for
// (no deadline, nobody signed up) shows no "0 spiser med"; one that takes
// sign-ups still says how many eat along, nought included.
func TestMealWithoutSignupsCountsNobody(t *testing.T) {
	m := measurer(t)
	bd, _ := fixture.Board(at(t))
	for i := range bd.Meals {
		if bd.Meals[i].ID == "m0c" { // the afternoon coffee
			bd.Meals[i].SignupDeadline = time.Time{}
			bd.Meals[i].Signups = board.Signups{}
		}
		if bd.Meals[i].ID == "m0b" { // lunch, with a deadline
			bd.Meals[i].Signups = board.Signups{}
		}
	}
	for _, sz := range sizes {
		for _, page := range []board.PageID{board.PageOf(board.PageToday), {Kind: board.PageMeal, ID: "m0c"}, {Kind: board.PageMeal, ID: "m0b"}} {
			p := layout.Build(m, layout.Input{Board: bd, Now: at(t), W: sz.w, H: sz.h, State: layout.State{Page: page}})
			n := 0
			for _, s := range texts(p) {
				if s == "0 spiser med" {
					n++
				}
			}
			// Lunch is on today and on its own page; the coffee nowhere.
			want := 1
			if page.ID == "m0c" {
				want = 0
			}
			if n != want {
				t.Errorf("%s %vx%v: %d × \"0 spiser med\", want %d: %q", page, sz.w, sz.h, n, want, strings.Join(texts(p), " | "))
			}
		}
	}
}

// TestRolesAreNeverCut: every role on the today page and the roster reads
// whole or in its known short form ("SSA"), never cut to "Social- og…",
// at every size; a role nobody knows how to shorten is cut only at a word.
func TestRolesAreNeverCut(t *testing.T) {
	m := measurer(t)
	bd, _ := fixture.Board(at(t))
	// Ole (s2) is hidden from screens: the roster keeps his role only.
	for i := range bd.Roster {
		if bd.Roster[i].ProfileID == "s2" {
			bd.Roster[i].ProfileID = ""
		}
	}
	roles := map[string]bool{}
	for _, s := range bd.Roster {
		roles[s.Role] = true
	}
	for _, sz := range sizes {
		for _, page := range []board.PageKind{board.PageToday, board.PageRoster} {
			p := layout.Build(m, layout.Input{Board: bd, Now: at(t), W: sz.w, H: sz.h, State: layout.State{Page: board.PageOf(page)}})
			checkPage(t, m, p)
			seen := 0
			for _, s := range texts(p) {
				for role := range roles {
					short := layout.RoleShort(role)
					switch {
					case strings.Contains(s, role) || short != "" && (s == short || strings.HasSuffix(s, " "+short) || strings.Contains(s, " "+short+" ")):
						seen++
					case strings.HasSuffix(s, layout.Ellipsis) && cutOf(role, s):
						t.Errorf("%s %vx%v: role %q cut to %q", page, sz.w, sz.h, role, s)
					}
				}
			}
			if seen == 0 {
				t.Errorf("%s %vx%v: no role shown: %q", page, sz.w, sz.h, strings.Join(texts(p), " | "))
			}
		}
	}
	for role, want := range map[string]string{
		"Social- og sundhedsassistent": "SSA", "social og sundhedshjælper": "SSH", "SOSU-assistent": "SSA",
		"Sygeplejerske": "Spl.", "Social- og sundhedsassistentelev": "SSA-elev", "Pædagogisk assistent": "PA",
		"Køkkenassistent": "Køkken", "Pædagog": "", "Frisør": "",
	} {
		if got := layout.RoleShort(role); got != want {
			t.Errorf("RoleShort(%q) = %q, want %q", role, got, want)
		}
	}
}

// TestHiddenStaffGetARolePictogram: someone hidden from screens is drawn
// as a pictogram of what they do, never as an empty grey circle, on the
// today page and on the bookings.
func TestHiddenStaffGetARolePictogram(t *testing.T) {
	m := measurer(t)
	bd, _ := fixture.Board(at(t))
	for i := range bd.Roster {
		if bd.Roster[i].ProfileID == "s2" || bd.Roster[i].ProfileID == "s3" {
			bd.Roster[i].ProfileID = ""
		}
	}
	bd.Bookings[0].ProfileID = ""
	for _, sz := range sizes {
		for _, page := range []board.PageKind{board.PageToday, board.PageBookings} {
			p := layout.Build(m, layout.Input{Board: bd, Now: at(t), W: sz.w, H: sz.h, State: layout.State{Page: board.PageOf(page)}})
			icons := map[string]bool{}
			for _, it := range p.Items {
				if it.Kind == layout.Box && it.Fill == layout.Chip && it.Radius >= it.R.H/2-0.5 && it.R.W == it.R.H && !hasTextIn(p, it.R) {
					t.Errorf("%s %vx%v: an empty circle at %+v", page, sz.w, sz.h, it.R)
				}
				if it.Kind == layout.Icon {
					icons[it.Text] = true
				}
			}
			want := []string{"role", "role-nurse"} // Ole (SSH), Fatima (nurse)
			if page == board.PageBookings {
				want = []string{"booking"}
			}
			for _, w := range want {
				if !icons[w] {
					t.Errorf("%s %vx%v: no %q pictogram; icons %v", page, sz.w, sz.h, w, icons)
				}
			}
		}
	}
	for role, want := range map[string]string{"Sygeplejerske": "role-nurse", "Køkkenassistent": "role-kitchen", "Social- og sundhedshjælper": "role", "": "role"} {
		if got := layout.RolePictogram(role); got != want {
			t.Errorf("RolePictogram(%q) = %q, want %q", role, got, want)
		}
	}
}

// hasTextIn reports whether a text item lies inside r (a "+3" chip).
func hasTextIn(p *layout.Page, r layout.Rect) bool {
	for _, it := range p.Items {
		if it.Kind == layout.Text && it.R.In(r) {
			return true
		}
	}
	return false
}

// cutOf reports whether line s ends in role cut short ("07:00–15:00
// Social- og…" or "Social- og…").
func cutOf(role, s string) bool {
	s = strings.TrimSuffix(s, layout.Ellipsis)
	if i := strings.LastIndex(s, ":00 "); i >= 0 {
		s = s[i+4:]
	}
	return len(s) >= 3 && strings.HasPrefix(role, s)
}

// TestPortraitTodayUsesTheHeight: on a portrait screen each section of the
// Today page shows as many cards as fit; no band of the page is left empty
// that could hold one more of a card still hidden behind "+N flere".
func TestPortraitTodayUsesTheHeight(t *testing.T) {
	m := measurer(t)
	fx, _ := fixture.Board(at(t))
	demo := demoBoard(t)
	for _, bd := range []*board.Board{fx, demo} {
		for _, sz := range []struct{ w, h float64 }{{1080, 1920}, {720, 1280}, {2160, 3840}, {1080, 1600}} {
			p := layout.Build(m, layout.Input{Board: bd, Now: at(t), W: sz.w, H: sz.h})
			checkPage(t, m, p)
			u := sz.w / 100
			// The content lies between the header and the navigation bar.
			top, bottom := 11*u, sz.h
			if head := p.Items[0]; head.Kind == layout.Box && head.R.Y == 0 && head.R.W >= sz.w-1 {
				top = head.R.Bottom() // the header, whatever its height
			}
			for _, tg := range p.Targets {
				if tg.Intent.Kind == layout.Open && tg.R.Y > sz.h*0.8 {
					bottom = min(bottom, tg.R.Y)
				}
			}
			// Hidden cards, and the height of one of each kind.
			hidden := map[board.PageKind]bool{}
			cardH := map[board.PageKind]float64{board.PageRoster: 9.2 * u}
			for _, tg := range p.Targets {
				switch {
				case tg.Intent.Kind == layout.Open && tg.R.Y < bottom && tg.R.H < 9*u && (tg.Intent.Page.Kind == board.PageWeek || tg.Intent.Page.Kind == board.PageRoster):
					hidden[tg.Intent.Page.Kind] = true // a "+N flere" button
				case (tg.Intent.Page.Kind == board.PageActivity || tg.Intent.Page.Kind == board.PageMeal) && tg.R.H >= 9*u:
					// (The rows of items that have ended are not cards.)
					if h, ok := cardH[board.PageWeek]; !ok || tg.R.H < h {
						cardH[board.PageWeek] = tg.R.H
					}
				}
			}
			if len(hidden) == 0 {
				continue
			}
			need := 1e9
			for k := range hidden {
				need = min(need, cardH[k])
			}
			if empty := emptyBands(p, top, bottom, 3.5*u); empty > need+2*u {
				t.Errorf("%s %vx%v: %.0f px left empty while a card of %.0f px is hidden behind +N (%v)", bd.Department.Name, sz.w, sz.h, empty, need, hidden)
			}
		}
	}
}

// emptyBands is the height of the horizontal bands between top and bottom,
// each taller than spacing, that no item covers.
func emptyBands(p *layout.Page, top, bottom, spacing float64) (h float64) {
	type span struct{ a, b float64 }
	var spans []span
	for _, it := range p.Items {
		if it.R.Bottom() <= top || it.R.Y >= bottom || it.R.W >= p.W-1 {
			continue // outside, or the header's own boxes
		}
		spans = append(spans, span{max(it.R.Y, top), min(it.R.Bottom(), bottom)})
	}
	y := top
	for y < bottom {
		next := bottom
		covered := false
		for _, s := range spans {
			if s.a <= y && s.b > y {
				covered = true
				y = s.b
				break
			}
			if s.a > y {
				next = min(next, s.a)
			}
		}
		if covered {
			continue
		}
		if next-y > spacing {
			h += next - y
		}
		y = next
	}
	return h
}

// TestTagsAreNeverCut: FULDT, LUKKET and NU are what a resident looks for;
// the tag holding one is sized to its word and must show it whole.
func TestTagsAreNeverCut(t *testing.T) {
	m := measurer(t)
	fx, _ := fixture.Board(at(t))
	for _, bd := range []*board.Board{fx, demoBoard(t)} {
		for _, sz := range sizes {
			for _, page := range allPages() {
				p := layout.Build(m, layout.Input{Board: bd, Now: at(t), W: sz.w, H: sz.h, State: layout.State{Page: page}})
				for _, s := range texts(p) {
					for _, w := range []string{"FULDT", "LUKKET", "NU"} {
						if cut, ok := strings.CutSuffix(s, layout.Ellipsis); ok && cut != "" && strings.HasPrefix(w, cut) {
							t.Errorf("%s %vx%v: %q cut to %q", page, sz.w, sz.h, w, s)
						}
					}
				}
			}
		}
	}
}

// TestMealNamesAreWhole: a meal's name is one word a resident reads
// ("Eftermiddagskaffe") and a section's heading a short phrase ("På arbejde
// i dag"); where room is short they are set smaller, never cut.
func TestMealNamesAreWhole(t *testing.T) {
	m := measurer(t)
	bd, _ := fixture.Board(at(t))
	for _, sz := range sizes {
		for _, loc := range words.Codes() {
			p := layout.Build(m, layout.Input{Board: bd, Now: at(t), Locale: loc, W: sz.w, H: sz.h})
			s := words.Locale(loc)
			for _, w := range []string{s.Activities, s.MealsTitle, s.OnDuty} {
				if !hasText(p, w) {
					t.Errorf("%s %vx%v: today lacks %q whole: %q", loc, sz.w, sz.h, w, strings.Join(texts(p), " | "))
				}
			}
			for _, line := range texts(p) {
				for _, k := range []board.MealKind{board.Breakfast, board.Lunch, board.Coffee, board.Dinner, board.EveningMeal} {
					if cut, ok := strings.CutSuffix(line, layout.Ellipsis); ok && cut != "" && strings.HasPrefix(s.Meal(k), cut) {
						t.Errorf("%s %vx%v: meal %q cut to %q", loc, sz.w, sz.h, s.Meal(k), line)
					}
				}
			}
		}
	}
}

// TestHeaderNoteCoversNothing: the "Sidst opdateret" note never covers
// the date, the part of the day or its pictogram, at any size.
func TestHeaderNoteCoversNothing(t *testing.T) {
	m := measurer(t)
	bd, _ := fixture.Board(at(t))
	last := at(t).Add(-14 * time.Hour)
	for _, sz := range sizes {
		for _, loc := range []string{"da", "de"} {
			p := layout.Build(m, layout.Input{Board: bd, Now: at(t), Locale: loc, W: sz.w, H: sz.h, Offline: true, LastSync: last})
			for i, it := range p.Items {
				if it.Kind != layout.Text && it.Kind != layout.Icon {
					continue
				}
				for _, c := range p.Items[i+1:] {
					if c.Kind != layout.Box || c.Fill.A != 255 {
						continue
					}
					x := min(it.R.Right(), c.R.Right()) - max(it.R.X, c.R.X)
					y := min(it.R.Bottom(), c.R.Bottom()) - max(it.R.Y, c.R.Y)
					// A text's line box has room above and below its letters.
					if x > 1 && y > it.R.H*0.25 {
						t.Errorf("%s %vx%v: %q at %+v is covered by a box at %+v", loc, sz.w, sz.h, it.Text, it.R, c.R)
					}
				}
			}
		}
	}
}

// TestPictogramsCoverNoText: no pictogram reaches into the letters of a
// text on the Today page, at any size or hour (the sky beside the part of
// the day sits in a lower row in portrait).
func TestPictogramsCoverNoText(t *testing.T) {
	m := measurer(t)
	bd, _ := fixture.Board(at(t))
	for _, sz := range sizes {
		for _, h := range []int{9, 15, 20, 23} {
			now := time.Date(2026, 11, 23, h, 30, 0, 0, cph(t))
			p := layout.Build(m, layout.Input{Board: bd, Now: now, Locale: "da", W: sz.w, H: sz.h})
			for _, ic := range p.Items {
				if ic.Kind != layout.Icon {
					continue
				}
				for _, tx := range p.Items {
					if tx.Kind != layout.Text || tx.Text == "" {
						continue
					}
					// The letters fill about the middle half of a line box.
					top, bottom := tx.R.Y+tx.R.H*0.25, tx.R.Bottom()-tx.R.H*0.25
					x := min(ic.R.Right(), tx.R.Right()) - max(ic.R.X, tx.R.X)
					y := min(ic.R.Bottom(), bottom) - max(ic.R.Y, top)
					if x > 1 && y > 1 {
						t.Errorf("%vx%v at %02d:30: pictogram %q at %+v covers %q at %+v", sz.w, sz.h, h, ic.Text, ic.R, tx.Text, tx.R)
					}
				}
			}
		}
	}
}
