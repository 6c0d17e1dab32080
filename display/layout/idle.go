package layout

import (
	"math"
	"time"

	"skaerm/board"
	"skaerm/words"
)

// SlideFor is how long the idle slideshow shows each slide.
const SlideFor = 15 * time.Second

// idle: a calm slideshow, a big clock, and a word that a touch brings the
// day's programme back.
func (b *builder) idle() {
	b.p.Bg = Blanket
	b.p.Idle = true
	full := Rect{0, 0, b.in.W, b.in.H}
	b.box(full, Blanket, Blanket, 0, 0)
	M := b.margin()
	barH := 16 * b.u
	if !b.in.DayUnknown {
		barH = 22 * b.u // a row for now and next
	}
	bar, pic := full.takeBottom(barH, 0)
	pic = b.notices(pic) // staff's notices over the slideshow too
	type slide struct{ image, caption string }
	var slides []slide
	for _, p := range board.SortedPhotos(b.in.Board) {
		slides = append(slides, slide{p.Image, p.Caption})
	}
	for _, n := range board.SortedNews(b.in.Board) {
		if n.Image != "" {
			slides = append(slides, slide{n.Image, n.Title})
		}
	}
	caption := ""
	if len(slides) > 0 {
		s := slides[((b.in.State.Slide%len(slides))+len(slides))%len(slides)]
		b.p.Items = append(b.p.Items, Item{Kind: Picture, R: pic.Inset(M), Media: s.image, Radius: b.u})
		caption = s.caption
	} else {
		caption = b.s.Date(b.in.Now, b.loc)
	}
	b.box(bar, Card, Card, 0, 0)
	in := bar.Inset(M)
	clockF := Font{Size: 11 * b.u, Bold: true}
	cw := b.m.Width("00:00", clockF) + b.u
	b.line(Rect{in.Right() - cw, in.Y, cw, in.H}, words.Clock(b.in.Now, b.loc), clockF, Accent, Right)
	text := Rect{in.X, in.Y, in.W - cw - M, in.H}
	rows := text.splitV(0, 1, 1)
	if !b.in.DayUnknown {
		rows = text.splitV(0, 1.1, 1, 0.9)
		// Now and next, as on the Today page, in one line.
		cur, next, ok := NowAndNext(Happenings(b.in.Board, b.s), b.in.Now)
		f := Font{Size: b.fBody.Size, Bold: true}
		lw := b.line(rows[1], b.s.NowLabel, f, Accent, Left) + b.u
		nowText := nowText(b.s, cur)
		nw := math.Min(b.m.Width(nowText, f), (rows[1].W-lw)*0.5)
		b.line(Rect{rows[1].X + lw, rows[1].Y, nw, rows[1].H}, nowText, f, Ink, Left)
		x := rows[1].X + lw + nw + 3*b.u
		nl := b.line(Rect{x, rows[1].Y, rows[1].Right() - x, rows[1].H}, b.s.NextLabel, f, Accent, Left) + b.u
		b.line(Rect{x + nl, rows[1].Y, rows[1].Right() - x - nl, rows[1].H}, b.nextText(next, ok), b.fBody, Ink, Left)
		rows = []Rect{rows[0], rows[2]}
	}
	b.line(rows[0], caption, Font{Size: 5 * b.u, Bold: true}, Ink, Left)
	b.line(rows[1], b.s.Date(b.in.Now, b.loc)+"  ·  "+b.s.IdleHint, b.fSmall, Ink, Left)
	b.target(full, Intent{Kind: Open, Page: board.PageOf(board.PageToday)})
}
