package layout

import (
	"skaerm/board"
	"skaerm/words"
)

// roster: who works which shift, day by day, from today on.
func (b *builder) roster() {
	content := b.frame()
	cols, rows := 4, 1
	if b.portrait() {
		cols, rows = 2, 2
	}
	n := cols * rows
	content = b.dayPager(content, n, board.DaysAhead+1)
	off := b.in.State.Offset
	for i, cell := range b.dayGrid(content, cols, rows) {
		plus := off + i
		var lines []lineEntry
		var last board.ShiftKind
		for _, s := range board.ShiftsOn(b.in.Board, b.in.Now, plus) {
			if s.Shift != last {
				last = s.Shift
				lines = append(lines, lineEntry{text: b.s.Shift(s.Shift), bold: true, color: true})
			}
			hours := words.Span(s.Start, s.End, b.loc) + "  "
			mark := ""
			if plus == 0 && board.OnNow(s, b.in.Now) && !b.in.DayUnknown {
				mark = "  (" + b.s.NowMarker + ")"
			}
			name := ""
			if p, ok := b.in.Board.Profile(s.ProfileID); ok {
				name = p.Name
			} else {
				// Hidden from screens: the role, shortened rather than cut.
				w := cell.W - 2*dayCellPad*b.u - b.m.Width(hours+mark, b.fSmall)
				name, _ = b.roleText(s.Role, b.fSmall, w, b.fSmall.Size)
			}
			lines = append(lines, lineEntry{text: hours + name + mark})
		}
		var key board.CardKey
		if plus == 0 && len(lines) > 0 {
			key = board.KeyOf(board.RosterCard, "")
		}
		b.dayCell(cell, b.dayTitle(plus), lines, b.s.NoStaff, key)
	}
}
