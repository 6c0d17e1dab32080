package layout_test

import (
	"bytes"
	"fmt"
	"image/color"
	"testing"
	"time"

	"skaerm/backend"
	"skaerm/board"
	"skaerm/display/internal/fixture"
	"skaerm/display/layout"
	skaermsync "skaerm/sync"
)

var sizes = []struct{ w, h float64 }{{1920, 1080}, {1080, 1920}, {1280, 720}, {3840, 2160}}

func fixedPages() []board.PageID {
	var out []board.PageID
	for _, k := range board.Pages {
		out = append(out, board.PageOf(k))
	}
	return out
}

func allPages() []board.PageID {
	return append(fixedPages(), board.PageID{Kind: board.PageActivity, ID: "a1"}, board.PageID{Kind: board.PageActivity, ID: "a2"},
		board.PageID{Kind: board.PageActivity, ID: "a3"}, board.PageID{Kind: board.PageMeal, ID: "m0b"}, board.PageID{Kind: board.PageMeeting, ID: "mt1"})
}

// demoBoard is the reference backend's demo department d1 at the goldens'
// instant, decoded as a screen decodes it and trimmed to the days a screen
// keeps.
func demoBoard(tb testing.TB) *board.Board {
	tb.Helper()
	raw, err := backend.DemoBoard(at(tb), "d1")
	if err != nil {
		tb.Fatal(err)
	}
	bd, err := skaermsync.Decode(bytes.NewReader(raw))
	if err != nil {
		tb.Fatal(err)
	}
	return bd.Trim(board.WindowAt(at(tb), bd.Location()))
}

// TestPagesFitTheScreen builds every page at every size and checks what a
// resident two metres away depends on: nothing outside the screen, text
// cut before it overflows its box, contrast, and targets big enough for a
// finger.
func TestPagesFitTheScreen(t *testing.T) {
	m := measurer(t)
	fx, _ := fixture.Board(at(t))
	demo := demoBoard(t)
	for _, bd := range []*board.Board{fx, demo} {
		pages := allPages()
		if bd == demo {
			pages = fixedPages()
			for _, a := range demo.Activities {
				pages = append(pages, board.PageID{Kind: board.PageActivity, ID: a.ID})
			}
			for _, m := range demo.Meetings {
				pages = append(pages, board.PageID{Kind: board.PageMeeting, ID: m.ID})
			}
			pages = append(pages, board.PageID{Kind: board.PageMeal, ID: demo.Meals[0].ID})
		}
		fitBoard(t, m, bd, pages)
	}
}

func fitBoard(t *testing.T, m layout.Measurer, bd *board.Board, pages []board.PageID) {
	for _, sz := range sizes {
		for _, name := range pages {
			for _, pick := range []string{"", "p1"} {
				if pick != "" && !name.Kind.Detail() {
					continue
				}
				t.Run(fmt.Sprintf("%s/%vx%v/%s", name, sz.w, sz.h, pick), func(t *testing.T) {
					in := layout.Input{Board: bd, Now: at(t), W: sz.w, H: sz.h, State: layout.State{Page: name, Pick: pick}}
					if name.Is(board.PagePairing) {
						in.Pairing = &layout.Pairing{Code: "WDJB-MJHT", URI: "https://manager.example/skaerm"}
					}
					p := layout.Build(m, in)
					checkPage(t, m, p)
				})
			}
		}
	}
}

func checkPage(t *testing.T, m layout.Measurer, p *layout.Page) {
	t.Helper()
	screen := layout.Rect{W: p.W, H: p.H}
	u := min(p.W, p.H) / 100
	texts := 0
	for i, it := range p.Items {
		if !it.R.In(screen) {
			t.Errorf("item %d (%v %q) at %+v is off the screen", i, it.Kind, it.Text, it.R)
		}
		if it.Kind != layout.Text {
			continue
		}
		texts++
		if w := m.Width(it.Text, it.Font); w > it.R.W+0.5 {
			t.Errorf("text %q is %.1f wide in a box of %.1f", it.Text, w, it.R.W)
		}
		if it.Font.Size < 2.7*u {
			t.Errorf("text %q at %.1fpx is too small to read (unit %.1f)", it.Text, it.Font.Size, u)
		}
		bg, ok := behind(p, i)
		if !ok {
			t.Errorf("text %q has no surface behind it", it.Text)
			continue
		}
		if c := layout.Contrast(it.Color, bg); c < 7 {
			t.Errorf("text %q: contrast %.2f < 7 (%v on %v)", it.Text, c, it.Color, bg)
		}
	}
	if texts == 0 {
		t.Error("page has no text")
	}
	for _, tg := range p.Targets {
		if !tg.R.In(screen) {
			t.Errorf("target %+v is off the screen", tg.R)
		}
		// ~9 mm on a 32" screen: 80 px at 1080p, scaled with the screen.
		if min(tg.R.W, tg.R.H) < 7.4*u {
			t.Errorf("target %+v (%v %s) is smaller than 7.4 units", tg.R, tg.Intent.Kind, tg.Intent.Page)
		}
	}
}

// behind is the colour of the topmost opaque box under the centre of text i.
func behind(p *layout.Page, i int) (color.RGBA, bool) {
	it := p.Items[i]
	cx, cy := it.R.X+it.R.W/2, it.R.Y+it.R.H/2
	for j := i - 1; j >= 0; j-- {
		b := p.Items[j]
		if b.Kind == layout.Box && b.Fill.A == 255 && b.R.Contains(cx, cy) {
			return b.Fill, true
		}
	}
	return p.Bg, p.Bg.A == 255
}

func TestTodayShowsTheDay(t *testing.T) {
	m := measurer(t)
	bd, _ := fixture.Board(at(t))
	p := layout.Build(m, layout.Input{Board: bd, Now: at(t), W: 1920, H: 1080})
	want := []string{"Mandag 23. november", "09:30", "Aktiviteter i dag", "Måltider i dag", "På arbejde i dag",
		"Banko med kaffe og kage", "8 af 12 tilmeldt", "FULDT", "Frokost", "Mette", "NU", "Dagvagt"}
	have := map[string]bool{}
	for _, it := range p.Items {
		if it.Kind == layout.Text {
			have[it.Text] = true
		}
	}
	for _, w := range want {
		if !have[w] {
			t.Errorf("Today lacks %q", w)
		}
	}
	// The morning exercise ended at 09:00 and is not shown.
	if have["Morgengymnastik"] {
		t.Error("an activity that has ended is still shown")
	}
	// Cards open their detail pages.
	found := false
	for _, tg := range p.Targets {
		if tg.Intent.Kind == layout.Open && tg.Intent.Page == (board.PageID{Kind: board.PageActivity, ID: "a1"}) {
			found = true
		}
	}
	if !found {
		t.Error("no target opens activity/a1")
	}
}

func TestOfflineBadge(t *testing.T) {
	m := measurer(t)
	bd, _ := fixture.Board(at(t))
	p := layout.Build(m, layout.Input{Board: bd, Now: at(t), W: 1920, H: 1080, Offline: true, LastSync: at(t).Add(-78 * 60e9)})
	if !hasText(p, "Sidst opdateret kl. 08:12") {
		t.Error("offline page does not say when it was last updated")
	}
}

func TestDetailConfirmFlow(t *testing.T) {
	m := measurer(t)
	bd, _ := fixture.Board(at(t))
	in := layout.Input{Board: bd, Now: at(t), W: 1920, H: 1080, State: layout.State{Page: board.PageID{Kind: board.PageActivity, ID: "a1"}}}
	p := layout.Build(m, in)
	var pick *layout.Target
	for i, tg := range p.Targets {
		if tg.Intent.Kind == layout.Pick && tg.Intent.Profile == "p3" {
			pick = &p.Targets[i]
		}
	}
	if pick == nil {
		t.Fatal("no face target for p3 on activity/a1")
	}
	in.State.Pick = "p3"
	p = layout.Build(m, in)
	var confirm layout.Intent
	for _, tg := range p.Targets {
		if tg.Intent.Kind == layout.Confirm {
			confirm = tg.Intent
		}
		if tg.Intent.Kind == layout.Pick || tg.Intent.Kind == layout.Open {
			t.Errorf("confirmation is not modal: %+v", tg.Intent)
		}
	}
	want := board.Signup{ItemType: board.ActivityItem, ItemID: "a1", ProfileID: "p3", Action: board.Join}
	if confirm.Signup != want {
		t.Errorf("confirm carries %+v, want %+v", confirm.Signup, want)
	}
	if !hasText(p, "Ja, tilmeld Ærtebjørg") || !hasText(p, "Fortryd") {
		t.Error("confirmation lacks its buttons")
	}
	// Karen is signed up: she is offered to leave.
	in.State.Pick = "p1"
	p = layout.Build(m, in)
	if !hasText(p, "Ja, afmeld Karen") {
		t.Error("a signed-up resident is not offered to leave")
	}
	// A pending sign-up shows on the face.
	in.State.Pick = ""
	in.Outbox = []board.Signup{{ID: "x", ItemType: board.ActivityItem, ItemID: "a1", ProfileID: "p3", Action: board.Join, State: board.Pending}}
	if p = layout.Build(m, in); !hasText(p, "Venter…") {
		t.Error("a pending sign-up is not shown")
	}
	// The full walk: nobody new can join; the tap says why.
	in = layout.Input{Board: bd, Now: at(t), W: 1920, H: 1080, State: layout.State{Page: board.PageID{Kind: board.PageActivity, ID: "a2"}}}
	p = layout.Build(m, in)
	for _, tg := range p.Targets {
		if tg.Intent.Profile == "p1" && tg.Intent.Kind != layout.Notify {
			t.Errorf("a full activity offers %v to p1", tg.Intent.Kind)
		}
		if tg.Intent.Profile == "p1" && tg.Intent.Notice != "Desværre, aktiviteten er fuld" {
			t.Errorf("full activity notice = %q", tg.Intent.Notice)
		}
	}
}

func TestMeetingShowsSuggestionsWithAuthors(t *testing.T) {
	m := measurer(t)
	bd, _ := fixture.Board(at(t))
	p := layout.Build(m, layout.Input{Board: bd, Now: at(t), W: 1920, H: 1080, State: layout.State{Page: board.PageID{Kind: board.PageMeeting, ID: "mt1"}}})
	if !hasText(p, "- Tur til stranden (Karen)") || !hasText(p, "- Nye blomster i haven") {
		t.Error("meeting lacks its suggestions with authors")
	}
}

func TestNoBoardIsNeverBlank(t *testing.T) {
	m := measurer(t)
	p := layout.Build(m, layout.Input{Now: at(t), W: 1920, H: 1080})
	if !hasText(p, "Skærmen starter") {
		t.Error("the first-boot page says nothing")
	}
}

func hasText(p *layout.Page, s string) bool {
	for _, it := range p.Items {
		if it.Kind == layout.Text && it.Text == s {
			return true
		}
	}
	return false
}

func BenchmarkLayoutToday(b *testing.B) {
	m := measurer(b)
	bd, _ := fixture.Board(at(b))
	in := layout.Input{Board: bd, Now: at(b), W: 1920, H: 1080}
	for b.Loop() {
		layout.Build(m, in)
	}
}

func BenchmarkMeasure(b *testing.B) {
	m := measurer(b)
	f := layout.Font{Size: 42}
	words := []string{"Banko med kaffe og kage", "Fællessang", "Ærtebjørg", "8 af 12 tilmeldt"}
	i := 0
	for b.Loop() {
		// A new size each time defeats the cache: this is the shaping cost.
		f.Size = 30 + float64(i%1000)/10
		m.Width(words[i%len(words)], f)
		i++
	}
}

// TestSignupClosesAtStart: an activity, a meal and a meeting take sign-ups
// until they start, as the backend does (it answers `closed` after that): a
// face tapped once the item has begun says why instead of asking to sign up.
func TestSignupClosesAtStart(t *testing.T) {
	m := measurer(t)
	bd, _ := fixture.Board(at(t))
	type started struct {
		page  board.PageID
		start time.Time
	}
	var items []started
	for _, a := range bd.Activities {
		if a.SignupOpen && a.Start.After(at(t)) {
			items = append(items, started{board.PageID{Kind: board.PageActivity, ID: a.ID}, a.Start})
			break
		}
	}
	for i, ml := range bd.Meals {
		if ml.Start.After(at(t)) {
			bd.Meals[i].SignupDeadline = time.Time{} // the start alone closes it
			items = append(items, started{board.PageID{Kind: board.PageMeal, ID: ml.ID}, ml.Start})
			break
		}
	}
	for _, mt := range bd.Meetings {
		if mt.Start.After(at(t)) {
			items = append(items, started{board.PageID{Kind: board.PageMeeting, ID: mt.ID}, mt.Start})
			break
		}
	}
	if len(items) != 3 {
		t.Fatalf("the fixture has %d of the three kinds of item still to start", len(items))
	}
	offers := func(p *layout.Page) (pick, closed int) {
		for _, tg := range p.Targets {
			switch {
			case tg.Intent.Kind == layout.Pick:
				pick++
			case tg.Intent.Kind == layout.Notify && tg.Intent.Notice == "Tilmeldingen er lukket":
				closed++
			}
		}
		return pick, closed
	}
	for _, it := range items {
		for _, c := range []struct {
			name string
			now  time.Time
			open bool
		}{
			{"a minute before the start", it.start.Add(-time.Minute), true},
			{"at the start", it.start, false},
			{"a minute after the start", it.start.Add(time.Minute), false},
		} {
			in := layout.Input{Board: bd, Now: c.now, W: 1920, H: 1080, State: layout.State{Page: it.page}}
			pick, closed := offers(layout.Build(m, in))
			if c.open && (pick == 0 || closed != 0) {
				t.Errorf("%s %s: %d faces offer sign-up, %d say closed; want it open", it.page, c.name, pick, closed)
			}
			if !c.open && (pick != 0 || closed == 0) {
				t.Errorf("%s %s: %d faces offer sign-up, %d say closed; want it closed", it.page, c.name, pick, closed)
			}
		}
	}
}

// A person whose name the screen may not show (anonymized, no alias: the
// sync keeps no name) is named by the word for their kind in the screen's
// language, never in Danish on a German screen.
func TestPlaceholderInTheScreensLanguage(t *testing.T) {
	m := measurer(t)
	for _, tc := range []struct{ locale, want string }{
		{"da", "- Tur til stranden (Beboer)"},
		{"de", "- Tur til stranden (Bewohner)"},
		{"nb", "- Tur til stranden (Beboer)"},
		{"en", "- Tur til stranden (Resident)"},
	} {
		bd, _ := fixture.Board(at(t))
		for i, p := range bd.Profiles {
			if p.Name == "Karen" {
				bd.Profiles[i].Name, bd.Profiles[i].Anonymized = "", true
			}
		}
		p := layout.Build(m, layout.Input{Board: bd, Locale: tc.locale, Now: at(t), W: 1920, H: 1080,
			State: layout.State{Page: board.PageID{Kind: board.PageMeeting, ID: "mt1"}}})
		if !hasText(p, tc.want) {
			t.Errorf("%s: the suggestion's author is not %q", tc.locale, tc.want)
		}
		if k, _ := bd.Profile("p1"); k.Name != "" && k.Name != "Karen" {
			t.Errorf("the board itself was changed: %q", k.Name)
		}
	}
}
