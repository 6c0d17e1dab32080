package layout

import (
	"fmt"
	"math"

	"skaerm/board"
)

// dayGrid splits r into cols x rows cells.
func (b *builder) dayGrid(r Rect, cols, rows int) []Rect {
	gap := 1.5 * b.u
	var out []Rect
	for _, row := range r.splitV(gap, repeat(1, rows)...) {
		out = append(out, row.splitH(gap, repeat(1, cols)...)...)
	}
	return out
}

// dayTitle is "I dag", "I morgen" or "Tirsdag 24.".
func (b *builder) dayTitle(plus int) string {
	from, _ := board.DayBounds(b.in.Now, b.loc, plus)
	switch plus {
	case 0:
		return b.s.Today
	case 1:
		return b.s.Tomorrow
	}
	return b.s.ShortDate(from, b.loc)
}

// pagerRow draws "Forrige" / "Næste" day paging in a row taken from the
// bottom of r and returns what is left.
func (b *builder) dayPager(r Rect, days, maxDays int) Rect {
	row, rest := r.takeBottom(9*b.u, b.u)
	off := b.in.State.Offset
	bw := math.Min(32*b.u, row.W/2-b.u)
	if off > 0 {
		b.button(Rect{row.X, row.Y, bw, row.H}, "‹ "+b.s.Earlier, Intent{Kind: Turn, Offset: max(0, off-days)}, false)
	}
	if off+days < maxDays {
		b.button(Rect{row.Right() - bw, row.Y, bw, row.H}, b.s.Later+" ›", Intent{Kind: Turn, Offset: off + days}, false)
	}
	return rest
}

// lineEntry is one line in a day cell, with where a tap on it goes.
type lineEntry struct {
	text  string
	bold  bool
	page  board.PageID
	color bool
}

// dayCellPad is the inner margin of a day cell, in units.
const dayCellPad = 1.3

// dayCell draws a day's lines in a card; lines that do not fit are counted.
// A cell with a key has a speaker button that reads it aloud.
func (b *builder) dayCell(r Rect, title string, lines []lineEntry, empty string, key board.CardKey) {
	b.card(r)
	in := r.Inset(dayCellPad * b.u)
	var btn Rect
	beside := func(row Rect) Rect { return row }
	if key != "" {
		btn = b.speakerAt(r, dayCellPad*b.u)
		defer b.speaker(btn, key)
		beside = func(row Rect) Rect {
			if row.Bottom() > btn.Y-b.u {
				return b.clear(row, btn)
			}
			return row
		}
	}
	top, rest := in.takeTop(b.lineH(b.fTitle), 0.5*b.u)
	b.line(top, title, b.fTitle, Ink, Left)
	if len(lines) == 0 {
		row, _ := rest.takeTop(b.lineH(b.fSmall), 0)
		b.line(row, empty, b.fSmall, Muted, Left)
		return
	}
	lh := b.lineH(b.fSmall) * 1.1
	tall := 7.8 * b.u // a line that opens something is a touch target
	height := func(l lineEntry) float64 {
		if l.page.Kind != "" {
			return tall + 0.6*b.u
		}
		return lh
	}
	y := rest.Y
	for i, l := range lines {
		h := height(l)
		if y+h > rest.Bottom() || (i < len(lines)-1 && y+h+lh > rest.Bottom()) {
			b.line(beside(Rect{rest.X, y, rest.W, lh}), fmt.Sprintf(b.s.More, len(lines)-i), Font{Size: b.fSmall.Size, Bold: true}, Ink, Left)
			return
		}
		f := b.fSmall
		f.Bold = l.bold
		c := Ink
		if l.color {
			c = Accent
		}
		row := beside(Rect{rest.X, y, rest.W, lh})
		if l.page.Kind != "" {
			row = beside(Rect{rest.X, y, rest.W, tall})
			b.box(row, Paper, Line, 0.2*b.u, b.u)
			b.target(row, Intent{Kind: Open, Page: l.page})
			row = row.Inset(b.u)
		}
		b.line(row, l.text, f, c, Left)
		y += h
	}
}

// dayCols is the day grid of a page: columns and rows.
func (b *builder) dayCols() (cols, rows int) {
	if b.portrait() {
		return 1, 3
	}
	return 3, 1
}
