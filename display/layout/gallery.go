package layout

import (
	"skaerm/board"
)

// gallery: the pictures, newest first, six (portrait four) at a time.
func (b *builder) gallery() {
	content := b.frame()
	ps := board.SortedPhotos(b.in.Board)
	content = b.blockTitle(content, b.s.Gallery)
	if len(ps) == 0 {
		b.empty(content, b.s.NoPhotos)
		return
	}
	cols, rows := 3, 2
	if b.portrait() {
		cols, rows = 2, 3
	}
	per := cols * rows
	if len(ps) > per {
		content = b.dayPager(content, per, len(ps))
	}
	off := b.in.State.Offset
	if off >= len(ps) {
		off = 0
	}
	gap := 1.5 * b.u
	var cells []Rect
	for _, row := range content.splitV(gap, repeat(1, rows)...) {
		cells = append(cells, row.splitH(gap, repeat(1, cols)...)...)
	}
	for i, p := range ps[off:min(off+per, len(ps))] {
		c := cells[i]
		b.card(c)
		in := c.Inset(b.u)
		capR, pic := in.takeBottom(b.lineH(b.fSmall), 0.5*b.u)
		b.p.Items = append(b.p.Items, Item{Kind: Picture, R: pic, Media: p.Image, Radius: b.u})
		b.line(capR, p.Caption, b.fSmall, Ink, Left)
	}
}
