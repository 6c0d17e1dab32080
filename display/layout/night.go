package layout

import (
	"fmt"
	"image/color"
	"math"

	"skaerm/board"
	"skaerm/words"
)

// The night page's colours: a warm, dim ink on near black, still 8:1, so a
// resident woken at night can read it without being dazzled.
var (
	NightBg   = color.RGBA{0x06, 0x07, 0x0C, 0xFF}
	NightInk  = color.RGBA{0xC4, 0xB4, 0x94, 0xFF}
	NightLine = color.RGBA{0x6A, 0x60, 0x50, 0xFF} // the button's outline
)

// night: the dimmed page a touch shows at night. The part of the day in
// very large type ("Det er nat"), the time, the night by the morning it
// leads to, what comes first in the morning and a pictogram of the sky; a
// speaker button and "Vis dagens program". No grids, no news: staff's
// notices only, over the top as on every page.
func (b *builder) night() {
	b.p.Bg = NightBg
	full := Rect{0, 0, b.in.W, b.in.H}
	b.box(full, NightBg, NightBg, 0, 0)
	M := 3 * b.u
	area := b.notices(full).Inset(M)
	loc, now := b.loc, b.in.Now
	part := words.PartOfDay(now, loc)

	btnH := 11 * b.u
	foot, body := area.takeBottom(btnH, 2*b.u)
	spk := SpeakerSize(math.Min(b.in.W, b.in.H))
	btnW := math.Min(foot.W-spk-3*b.u, 64*b.u)
	btn := Rect{foot.X + (foot.W-btnW)/2, foot.Y, btnW, btnH}
	b.box(btn, NightBg, NightLine, 0.45*b.u, b.u)
	label := b.s.ShowBoard
	f := b.shrink(label, Font{Size: 4.6 * b.u, Bold: true}, btn.W-3*b.u, b.fSmall.Size)
	b.line(btn.Inset(1.5*b.u), label, f, NightInk, Center)
	b.target(btn, Intent{Kind: Open, Page: board.PageOf(board.PageToday)})
	sb := Rect{foot.Right() - spk, foot.Y + (foot.H-spk)/2, spk, spk}
	b.speakerIn(sb, board.KeyOf(board.NightCard, ""), NightInk, NightBg, NightLine, NightBg)

	// The rows, centred in what is left: the sky, "Det er nat", the time,
	// the night's name and the morning's first thing.
	title := b.s.ItIs[part]
	titleF := b.shrink(title, Font{Size: 12 * b.u, Bold: true}, body.W, 7*b.u)
	clockF := Font{Size: 22 * b.u, Bold: true}
	dayF := b.shrink(b.s.PartOfDay(now, loc), Font{Size: 7 * b.u}, body.W, 4.6*b.u)
	nextF := Font{Size: 5.6 * b.u}
	iconS := 15 * b.u
	next := ""
	if m, ok := board.FirstInMorning(b.in.Board, now); ok {
		what := m.Title
		if what == "" {
			what = b.s.Meal(m.Meal)
		}
		next = b.s.NextLabel + " " + fmt.Sprintf(b.s.MorningFirst, what, words.Clock(m.Start, loc))
		nextF = b.shrink(next, nextF, body.W, b.fSmall.Size)
	}
	rows := []struct {
		h    float64
		draw func(r Rect)
	}{
		{iconS, func(r Rect) {
			b.p.Items = append(b.p.Items, Item{Kind: Icon, R: Rect{r.X + (r.W-iconS)/2, r.Y, iconS, iconS}, Text: SkyPictogram(part), Color: NightInk, Fill: NightBg})
		}},
		{b.lineH(titleF), func(r Rect) { b.line(r, title, titleF, NightInk, Center) }},
		{b.lineH(clockF), func(r Rect) { b.line(r, words.Clock(now, loc), clockF, NightInk, Center) }},
		{b.lineH(dayF), func(r Rect) { b.line(r, b.s.PartOfDay(now, loc), dayF, NightInk, Center) }},
	}
	if next != "" {
		rows = append(rows, struct {
			h    float64
			draw func(r Rect)
		}{b.lineH(nextF) + 1.5*b.u, func(r Rect) {
			r.Y += 1.5 * b.u
			r.H -= 1.5 * b.u
			b.line(r, next, nextF, NightInk, Center)
		}})
	}
	// Drop the pictogram first, then shrink the clock, when the rows do not
	// fit (a landscape screen with notices over it).
	total := func() float64 {
		h := 0.0
		for _, r := range rows {
			h += r.h
		}
		return h
	}
	if total() > body.H && len(rows) > 0 {
		rows = rows[1:]
	}
	if over := total() - body.H; over > 0 {
		h := math.Max(rows[1].h-over, b.lineH(titleF))
		clockF.Size *= h / rows[1].h
		rows[1].h = h
	}
	y := body.Y + math.Max(0, (body.H-total())/2)
	for _, r := range rows {
		r.draw(Rect{body.X, y, body.W, r.h})
		y += r.h
	}
}
