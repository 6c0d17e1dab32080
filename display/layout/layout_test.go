package layout_test

import (
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	"skaerm/assets"
	"skaerm/backend"
	"skaerm/board"
	"skaerm/display/internal/fixture"
	"skaerm/display/layout"
	"skaerm/words"
)

func measurer(tb testing.TB) *layout.FontMeasurer {
	tb.Helper()
	m, err := layout.NewFontMeasurer(assets.FontRegular, assets.FontBold)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func cph(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// at is the fixed instant of the goldens: Monday 23 November 2026, 09:30 in Copenhagen.
func at(tb testing.TB) time.Time {
	return time.Date(2026, 11, 23, 9, 30, 0, 0, cph(tb))
}

func TestFontCoversDanishAndMarks(t *testing.T) {
	m := measurer(t)
	for _, bold := range []bool{false, true} {
		for _, s := range []string{"æøåÆØÅ", "äöüßÄÖÜ", "…–·»«‹›", "0123456789:"} {
			if !m.HasGlyphs(s, bold) {
				t.Errorf("bold=%v: font lacks a glyph of %q", bold, s)
			}
		}
	}
}

func TestFit(t *testing.T) {
	m := measurer(t)
	f := layout.Font{Size: 40}
	long := "Fællessang med Musiker Jens og hele koret fra Vesterbro Sogn"
	for _, w := range []float64{30, 100, 300, 600, 2000} {
		got := layout.Fit(m, long, f, w)
		if m.Width(got, f) > w {
			t.Errorf("Fit(%v) = %q is %.1f wide", w, got, m.Width(got, f))
		}
		if m.Width(long, f) > w && got != "" && !strings.HasSuffix(got, layout.Ellipsis) {
			t.Errorf("Fit(%v) = %q: a cut line must end with an ellipsis", w, got)
		}
		if m.Width(long, f) <= w && got != long {
			t.Errorf("Fit(%v) = %q, want it whole", w, got)
		}
	}
	if got := layout.Fit(m, "Æ", f, 1); got != "" {
		t.Errorf("Fit in 1px = %q, want nothing", got)
	}
}

func TestWrap(t *testing.T) {
	m := measurer(t)
	f := layout.Font{Size: 36}
	text := "Vi spiller banko om små præmier. Kaffe og hjemmebagt kage bagefter. Husk dine briller!"
	for _, lines := range []int{1, 2, 3, 10} {
		got := layout.Wrap(m, text, f, 400, lines)
		if len(got) > lines {
			t.Fatalf("Wrap(%d) gave %d lines", lines, len(got))
		}
		for _, l := range got {
			if m.Width(l, f) > 400 {
				t.Errorf("line %q is too wide", l)
			}
		}
		joined := strings.Join(got, " ")
		cut := strings.HasSuffix(joined, layout.Ellipsis)
		whole := strings.Join(strings.Fields(joined), " ") == text
		if cut == whole {
			t.Errorf("Wrap(%d) = %q: either whole or ended with an ellipsis", lines, got)
		}
	}
	if got := layout.Wrap(m, "Første\n\nAnden", f, 1000, 1); len(got) != 1 || got[0] != "Første…" {
		t.Errorf("a cut paragraph must show the ellipsis, got %q", got)
	}
}

func TestFacesShown(t *testing.T) {
	tests := []struct {
		n           int
		w, d, g     float64
		shown, more int
	}{
		{0, 500, 50, 10, 0, 0},
		{3, 500, 50, 10, 3, 0},
		{8, 350, 50, 10, 8 - 3 + 0 - 0 - 0, 0}, // 350+10 / 60 = 6 fit: 5 faces and "+3"
		{20, 350, 50, 10, 5, 15},
		{4, 40, 50, 10, 0, 4},
	}
	tests[2].shown, tests[2].more = 5, 3
	for _, tc := range tests {
		shown, more := layout.FacesShown(tc.n, tc.w, tc.d, tc.g)
		if shown != tc.shown || more != tc.more {
			t.Errorf("FacesShown(%d, %v) = %d, +%d; want %d, +%d", tc.n, tc.w, shown, more, tc.shown, tc.more)
		}
		if shown+more != tc.n {
			t.Errorf("FacesShown(%d) loses faces: %d + %d", tc.n, shown, more)
		}
	}
}

func TestShiftsOnNow(t *testing.T) {
	bd, _ := fixture.Board(at(t))
	loc := cph(t)
	tests := []struct {
		clock   time.Time
		onNow   []string
		present []string
	}{
		{time.Date(2026, 11, 23, 9, 30, 0, 0, loc), []string{"s1", "s2", "s3"}, []string{"s1", "s2", "s3", "s4", "s5", "s6"}},
		{time.Date(2026, 11, 23, 6, 0, 0, 0, loc), []string{"s6"}, []string{"s1", "s2", "s3", "s4", "s5", "s6", "s6"}},
		{time.Date(2026, 11, 23, 15, 30, 0, 0, loc), []string{"s3", "s4", "s5"}, []string{"s3", "s4", "s5", "s6"}},
		{time.Date(2026, 11, 23, 23, 30, 0, 0, loc), []string{"s6"}, []string{"s6"}},
	}
	for _, tc := range tests {
		var on, present []string
		for _, s := range board.ShiftsOn(bd, tc.clock, 0) {
			present = append(present, s.ProfileID)
			if board.OnNow(s, tc.clock) {
				on = append(on, s.ProfileID)
			}
		}
		if fmt.Sprint(on) != fmt.Sprint(tc.onNow) {
			t.Errorf("%s: on now %v, want %v", words.Clock(tc.clock, loc), on, tc.onNow)
		}
		if fmt.Sprint(present) != fmt.Sprint(tc.present) {
			t.Errorf("%s: shown %v, want %v", words.Clock(tc.clock, loc), present, tc.present)
		}
	}
}

func TestMemberOf(t *testing.T) {
	s := board.Signups{IDs: []string{"p1"}}
	ob := []board.Signup{
		{ID: "1", ItemType: board.ActivityItem, ItemID: "a1", ProfileID: "p2", Action: board.Join, State: board.Pending},
		{ID: "2", ItemType: board.ActivityItem, ItemID: "a1", ProfileID: "p1", Action: board.Leave, State: board.Pending},
		{ID: "3", ItemType: board.ActivityItem, ItemID: "a1", ProfileID: "p3", Action: board.Join, State: board.Refused, Reason: "full"},
		{ID: "4", ItemType: board.MealItem, ItemID: "a1", ProfileID: "p4", Action: board.Join, State: board.Pending},
	}
	tests := []struct {
		profile string
		want    layout.Member
	}{
		{"p1", layout.Member{Joined: false, Pending: true}},
		{"p2", layout.Member{Joined: true, Pending: true}},
		{"p3", layout.Member{Refused: "full"}},
		{"p4", layout.Member{}},
	}
	for _, tc := range tests {
		if got := layout.MemberOf(s, ob, board.ActivityItem, "a1", tc.profile); got != tc.want {
			t.Errorf("MemberOf(%s) = %+v, want %+v", tc.profile, got, tc.want)
		}
	}
}

func TestPaletteContrast(t *testing.T) {
	pairs := []struct {
		name   string
		fg, bg color.RGBA
	}{
		{"ink on paper", layout.Ink, layout.Paper}, {"ink on card", layout.Ink, layout.Card},
		{"muted on paper", layout.Muted, layout.Paper}, {"muted on card", layout.Muted, layout.Card},
		{"accent on card", layout.Accent, layout.Card}, {"accent on paper", layout.Accent, layout.Paper},
		{"white on accent", layout.OnDark, layout.Accent}, {"white on alarm", layout.OnDark, layout.Alarm},
		{"white on good", layout.OnDark, layout.Good}, {"ink on now", layout.Ink, layout.NowBg},
		{"muted on now", layout.Muted, layout.NowBg}, {"now on ink", layout.NowBg, layout.Ink},
		{"ink on chip", layout.Ink, layout.Chip}, {"alarm on card", layout.Alarm, layout.Card},
		{"good on card", layout.Good, layout.Card}, {"ink on calm", layout.Ink, layout.Calm},
	}
	for _, p := range pairs {
		if c := layout.Contrast(p.fg, p.bg); c < 7 {
			t.Errorf("%s: contrast %.2f < 7", p.name, c)
		}
	}
	for i := 0; i < 64; i++ {
		id := fmt.Sprintf("p%d", i)
		if c := layout.Contrast(layout.OnDark, layout.FaceColor(id)); c < 7 {
			t.Errorf("initials on %v for %s: contrast %.2f < 7", layout.FaceColor(id), id, c)
		}
	}
}

func TestInitials(t *testing.T) {
	for in, want := range map[string]string{"Karen": "K", "Poul Erik": "PE", "ærtebjørg": "Æ", "Else Marie Hansen": "EM", "": "?", "  ": "?"} {
		if got := layout.Initials(in); got != want {
			t.Errorf("Initials(%q) = %q, want %q", in, got, want)
		}
	}
}

// The staff's slideshow preview in the reference backend shows the slides
// at the screen's pace.
func TestPreviewSlidesAtTheScreensPace(t *testing.T) {
	if backend.SlideEvery != layout.SlideFor {
		t.Errorf("the backend's preview shows a slide for %v, the screen for %v", backend.SlideEvery, layout.SlideFor)
	}
}
