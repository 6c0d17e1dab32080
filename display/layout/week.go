package layout

import (
	"sort"

	"skaerm/board"
	"skaerm/words"
)

// week: activities, meetings and meals of the coming days.
func (b *builder) week() {
	content := b.frame()
	cols, rows := b.dayCols()
	n := cols * rows
	content = b.dayPager(content, n, board.DaysAhead+1)
	off := b.in.State.Offset
	for i, cell := range b.dayGrid(content, cols, rows) {
		plus := off + i
		type entry struct {
			at   int64
			line lineEntry
		}
		var es []entry
		for _, a := range board.ActivitiesOn(b.in.Board, b.in.Now, plus, false) {
			t := words.Clock(a.Start, b.loc) + "  " + a.Title
			if a.Full() {
				t += " (" + b.s.Full + ")"
			}
			es = append(es, entry{a.Start.Unix(), lineEntry{text: t, bold: true, page: board.PageID{Kind: board.PageActivity, ID: a.ID}}})
		}
		from, to := board.DayBounds(b.in.Now, b.loc, plus)
		for _, m := range b.in.Board.Meetings {
			if !m.Start.Before(from) && m.Start.Before(to) {
				es = append(es, entry{m.Start.Unix(), lineEntry{text: words.Clock(m.Start, b.loc) + "  " + m.Title, bold: true, page: board.PageID{Kind: board.PageMeeting, ID: m.ID}}})
			}
		}
		sort.SliceStable(es, func(i, j int) bool { return es[i].at < es[j].at })
		// Meals after the activities, one short line each.
		for _, m := range board.MealsOn(b.in.Board, b.in.Now, plus, false) {
			t := words.Clock(m.Start, b.loc) + "  " + b.s.Meal(m.Kind)
			if m.Menu != "" {
				t += ": " + m.Menu
			}
			es = append(es, entry{m.Start.Unix(), lineEntry{text: t}})
		}
		lines := make([]lineEntry, len(es))
		for i, e := range es {
			lines[i] = e.line
		}
		b.dayCell(cell, b.dayTitle(plus), lines, b.s.NothingPlanned, "")
	}
}
