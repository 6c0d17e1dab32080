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

// noticeBoard is the fixture board with an urgent notice (with a body) and
// an info one, both shown from an hour before now to an hour after.
func noticeBoard(t *testing.T) (*board.Board, time.Time) {
	t.Helper()
	now := at(t)
	bd, _ := fixture.Board(now)
	c := *bd
	c.Notices = []board.Notice{
		{ID: "u2", Level: board.NoticeInfo, Title: "Frisøren er syg i dag", From: now.Add(-time.Hour), Until: now.Add(time.Hour)},
		{ID: "u1", Level: board.NoticeUrgent, Title: "Vandet er lukket", Body: "Der er ingen vand i Solsikken i dag fra 10 til 12. Brug flaskerne i køkkenet.",
			From: now.Add(-time.Hour), Until: now.Add(time.Hour), Wake: true},
	}
	return &c, now
}

// bandText joins the page's dark and white lines (the notices' among them).
func bandText(p *layout.Page) string {
	var out []string
	for _, it := range p.Items {
		if it.Kind == layout.Text && (it.Color == layout.OnDark || it.Color == layout.Ink) {
			out = append(out, it.Text)
		}
	}
	return strings.Join(out, " ")
}

// TestNoticesOnEveryPage: every page with the header shows the urgent
// notice (with its word for urgent) above the info one, under the header's
// clock (over the night page's own clock), and no target of the page lies under them; the page still fits.
// An ended notice is gone.
func TestNoticesOnEveryPage(t *testing.T) {
	m := measurer(t)
	bd, now := noticeBoard(t)
	pages := append(fixedPages(), board.PageID{Kind: board.PageActivity, ID: bd.Activities[0].ID}, layout.ResourcePage("none"))
	for _, code := range []string{"da", "en"} {
		s := words.Locale(code)
		for _, sz := range sizes {
			for _, id := range pages {
				if id.Kind == board.PageIdle || id.Kind == board.PagePairing {
					continue
				}
				t.Run(fmt.Sprintf("%s/%vx%v/%s", code, sz.w, sz.h, id), func(t *testing.T) {
					p := layout.Build(m, layout.Input{Board: bd, Now: now, Locale: code, W: sz.w, H: sz.h, State: layout.State{Page: id}})
					checkPage(t, m, p)
					var urgent, info, clock *layout.Item
					for i := range p.Items {
						it := &p.Items[i]
						switch {
						case it.Kind == layout.Box && it.Fill == layout.Alarm && it.R.W == sz.w:
							urgent = it
						case it.Kind == layout.Box && it.Fill == layout.Calm && it.R.W == sz.w:
							info = it
						case it.Kind == layout.Text && it.Text == words.Clock(now, bd.Location()):
							clock = it
						}
					}
					if urgent == nil || info == nil || clock == nil {
						t.Fatalf("urgent band %v, info band %v, clock %v", urgent != nil, info != nil, clock != nil)
					}
					if id.Kind == board.PageNight {
						// No header: the night page's own large clock is under the bands.
						if urgent.R.Y > info.R.Y || clock.R.Y < info.R.Bottom() {
							t.Errorf("clock at %v, urgent band at %v, info band at %v: want urgent, then info, then the clock", clock.R, urgent.R, info.R)
						}
					} else if urgent.R.Y > info.R.Y || clock.R.Bottom() > urgent.R.Y {
						t.Errorf("clock at %v, urgent band at %v, info band at %v: want the clock, then urgent, then info", clock.R, urgent.R, info.R)
					}
					if txt := bandText(p); !strings.Contains(txt, s.Important+":") || !strings.Contains(txt, "Vandet er lukket") || !strings.Contains(txt, "Frisøren") {
						t.Errorf("the bands say %q", txt)
					}
					overlaps := func(a, b layout.Rect) bool {
						return a.X < b.Right() && b.X < a.Right() && a.Y < b.Bottom() && b.Y < a.Bottom()
					}
					for _, tg := range p.Targets {
						if overlaps(tg.R, urgent.R) || overlaps(tg.R, info.R) {
							t.Errorf("target %v at %v lies under a notice", tg.Intent.Kind, tg.R)
						}
					}
				})
			}
		}
	}
	p := layout.Build(m, layout.Input{Board: bd, Now: now.Add(time.Hour), W: 1920, H: 1080})
	if strings.Contains(bandText(p), "Vandet") {
		t.Error("a notice is shown at its until")
	}
}
