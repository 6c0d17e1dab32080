package layout

import (
	"math"

	"skaerm/board"
)

// news: the notices, newest first, one or two at a time.
func (b *builder) news() {
	content := b.frame()
	ns := board.SortedNews(b.in.Board)
	content = b.blockTitle(content, b.s.News)
	if len(ns) == 0 {
		b.empty(content, b.s.NoNews)
		return
	}
	per := 2
	if b.in.H < 800 && !b.portrait() {
		per = 1
	}
	if len(ns) > per {
		content = b.dayPager(content, per, len(ns))
	}
	off := b.in.State.Offset
	if off >= len(ns) {
		off = 0
	}
	cells := content.splitV(1.5*b.u, repeat(1, per)...)
	for i, n := range ns[off:min(off+per, len(ns))] {
		b.newsCard(cells[i], n)
	}
}

func (b *builder) newsCard(r Rect, n board.News) {
	b.card(r)
	in := r.Inset(2 * b.u)
	btn := b.speakerAt(r, 2*b.u)
	defer b.speaker(btn, board.KeyOf(board.NewsCard, n.ID))
	text := in
	if n.Image != "" {
		var pic Rect
		pic, text = text.takeLeft(math.Min(in.H*4/3, in.W*0.4), 2*b.u)
		b.p.Items = append(b.p.Items, Item{Kind: Picture, R: pic, Media: n.Image, Radius: b.u})
	}
	titleF := Font{Size: 5 * b.u, Bold: true}
	h := b.para(text, n.Title, titleF, Ink, 2)
	text.Y += h
	text.H -= h
	row, rest := text.takeTop(b.lineH(b.fSmall), b.u)
	if !n.Published.IsZero() {
		b.line(row, b.s.Date(n.Published, b.loc), b.fSmall, Muted, Left)
	}
	// The text ends above the speaker button.
	rest.H = math.Max(0, btn.Y-b.u-rest.Y)
	b.para(rest, n.Body, b.fBody, Ink, 0)
}
