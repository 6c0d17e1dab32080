package layout

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"skaerm/board"
	"skaerm/words"
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

// bookings: what is booked from now on, by start.
func (b *builder) bookings() {
	content := b.frame()
	var bs []board.Booking
	for _, x := range b.in.Board.Bookings {
		if !board.Ended(x.Start, x.End, b.in.Now) {
			bs = append(bs, x)
		}
	}
	sort.SliceStable(bs, func(i, j int) bool { return bs[i].Start.Before(bs[j].Start) })
	content = b.blockTitle(content, b.s.Bookings)
	if len(bs) == 0 {
		b.empty(content, b.s.NoBookings)
		return
	}
	// When a booking's time does not fit beside the resource (one running
	// overnight, a narrow screen), it gets a line of its own.
	pad := 1.3 * b.u
	whenW := 0.0
	for _, x := range bs {
		whenW = math.Max(whenW, b.m.Width(b.bookingWhen(x), b.fBody)+b.u)
	}
	textW := content.W - 2*pad - (11*b.u - 2*pad) - 1.5*b.u
	ownLine := whenW > textW*0.55
	rowH := 11 * b.u
	if ownLine {
		rowH = 2*pad + b.lineH(b.fBody)*2 + b.lineH(b.fSmall)
	}
	gap := 1.2 * b.u
	per := max(1, int((content.H-9*b.u-b.u+gap)/(rowH+gap)))
	if len(bs) > per {
		content = b.dayPager(content, per, len(bs))
	}
	off := b.in.State.Offset
	if off >= len(bs) {
		off = 0
	}
	y := content.Y
	for _, x := range bs[off:min(off+per, len(bs))] {
		r := Rect{content.X, y, content.W, rowH}
		b.card(r)
		in := r.Inset(pad)
		btn := b.speakerAt(r, pad)
		in = b.clear(in, btn)
		d := 11*b.u - 2*pad
		faceR, text := in.takeLeft(d, 1.5*b.u)
		faceR = Rect{faceR.X, faceR.Y + (faceR.H-d)/2, d, d}
		p, ok := b.in.Board.Profile(x.ProfileID)
		if ok {
			b.face(faceR, p)
		} else {
			// Booked by someone hidden from screens: the booking, not an empty face.
			b.p.Items = append(b.p.Items, Item{Kind: Icon, R: faceR, Text: "booking", Color: Accent})
		}
		when := b.bookingWhen(x)
		what := Font{Size: b.fBody.Size, Bold: true}
		var by Rect
		if ownLine {
			rows := text.splitV(0, b.lineH(b.fBody), b.lineH(b.fBody), b.lineH(b.fSmall))
			b.line(rows[0], x.Resource, what, Ink, Left)
			b.line(rows[1], when, b.fBody, Ink, Left)
			by = rows[2]
		} else {
			rows := text.splitV(0, 1, 1)
			ww := b.m.Width(when, b.fBody) + b.u
			b.line(Rect{rows[0].Right() - ww, rows[0].Y, ww, rows[0].H}, when, b.fBody, Ink, Right)
			b.line(Rect{rows[0].X, rows[0].Y, rows[0].W - ww - b.u, rows[0].H}, x.Resource, what, Ink, Left)
			by = rows[1]
		}
		if ok {
			b.line(by, fmt.Sprintf(b.s.BookedBy, p.Name), b.fSmall, Muted, Left)
		}
		b.speaker(btn, board.KeyOf(board.BookingCard, x.ID))
		y += rowH + gap
	}
}

// bookingWhen is when a booking runs: "I morgen 13:00–15:00", and with
// both days when it ends on another day than it starts: "Fredag 27. 14:00 –
// lørdag 28. 11:00".
func (b *builder) bookingWhen(x board.Booking) string {
	start := b.dayOf(x.Start)
	if x.End.After(x.Start) && !board.SameDay(x.Start, x.End, b.loc) {
		end := b.s.InText(b.dayOf(x.End))
		return start + " " + words.Clock(x.Start, b.loc) + " – " + end + " " + words.Clock(x.End, b.loc)
	}
	return start + " " + words.Span(x.Start, x.End, b.loc)
}

// dayOf names the day holding t: "I dag", "I morgen" or "Fredag 27.".
func (b *builder) dayOf(t time.Time) string {
	_, tomorrow := board.DayBounds(b.in.Now, b.loc, 0)
	switch {
	case board.SameDay(t, b.in.Now, b.loc):
		return b.s.Today
	case board.SameDay(t, tomorrow, b.loc):
		return b.s.Tomorrow
	}
	return b.s.ShortDate(t, b.loc)
}

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

// pairing: the user code in huge letters and what to do, in words, in the
// middle of the screen.
func (b *builder) pairing() {
	full := Rect{0, 0, b.in.W, b.in.H}
	in := full.Inset(3 * b.margin())
	pg := b.in.Pairing
	if pg == nil {
		pg = &Pairing{}
	}
	titleF := Font{Size: 7 * b.u, Bold: true}
	stepF := Font{Size: b.fTitle.Size}
	var groups []string
	for _, g := range strings.Split(pg.Code, "-") {
		groups = append(groups, strings.Join(strings.Split(g, ""), " "))
	}
	code := strings.Join(groups, "  –  ")
	codeF := Font{Size: 22 * b.u, Bold: true}
	for codeF.Size > 6*b.u && b.m.Width(code, codeF) > in.W-4*b.u {
		codeF.Size -= b.u
	}
	codeH := b.lineH(codeF) + 4*b.u
	total := b.lineH(titleF) + 3*b.u + 2*(b.lineH(stepF)+b.u) + b.lineH(b.fTitle) + 2*b.u + codeH
	if pg.URI != "" {
		total += b.lineH(b.fBody) + b.u
	}
	rest := in
	if free := in.H - total - 8*b.u; free > 0 {
		rest.Y += free / 2
		rest.H -= free / 2
	}
	row, rest := rest.takeTop(b.lineH(titleF), 3*b.u)
	b.line(row, b.s.PairingTitle, titleF, Ink, Center)
	for _, s := range []string{b.s.PairingStep1, b.s.PairingStep2} {
		row, rest = rest.takeTop(b.lineH(stepF), b.u)
		b.line(row, s, stepF, Ink, Center)
	}
	if pg.URI != "" {
		row, rest = rest.takeTop(b.lineH(b.fBody), b.u)
		b.line(row, pg.URI, b.fBody, Accent, Center)
	}
	row, rest = rest.takeTop(b.lineH(b.fTitle), 2*b.u)
	b.line(row, b.s.PairingStep3, b.fTitle, Ink, Center)
	box, _ := rest.takeTop(math.Min(rest.H, codeH), 0)
	b.box(box, Card, Ink, 0.5*b.u, 2*b.u)
	b.line(box, code, codeF, Ink, Center)
	clockF := Font{Size: 5 * b.u, Bold: true}
	b.line(Rect{in.X, in.Bottom() - b.lineH(clockF), in.W, b.lineH(clockF)}, words.Clock(b.in.Now, b.in.Board.Location()), clockF, Muted, Center)
}

// waiting: before the first board there is still a clock and a word.
func (b *builder) waiting() {
	full := Rect{0, 0, b.in.W, b.in.H}
	in := full.Inset(3 * b.margin())
	rows := in.splitV(2*b.u, 1.2, 1, 1, 2)
	b.line(rows[0], words.Clock(b.in.Now, b.loc), Font{Size: 16 * b.u, Bold: true}, Accent, Center)
	b.line(rows[1], b.s.Date(b.in.Now, b.loc), Font{Size: 6 * b.u, Bold: true}, Ink, Center)
	b.line(rows[2], b.s.Waiting, b.fTitle, Ink, Center)
	b.para(Rect{rows[3].X + 10*b.u, rows[3].Y, rows[3].W - 20*b.u, rows[3].H}, b.s.WaitingHint, b.fBody, Muted, 3)
}
